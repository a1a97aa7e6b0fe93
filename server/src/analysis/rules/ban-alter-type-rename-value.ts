/** ALTER TYPE … RENAME VALUE: the release still running keeps sending and comparing the old label. */
import type { AlterEnumStmt, CreateEnumStmt } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-alter-type-rename-value',
  description: 'Renaming an enum value breaks the application code that still uses the old value.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    rename: "Renaming value '{from}' of `{type}` to '{to}' breaks every running query and client that still writes or compares '{from}': they fail with \"invalid input value for enum\" until the new code is deployed everywhere.",
  },
  help: 'Add the new value, switch the code and the rows to it, and stop using the old value (an enum value cannot be dropped; a lookup table can retire one).',
  docs: {
    rationale:
      "ALTER TYPE … RENAME VALUE is instant and changes the label in place: rows holding the value now read as the new label, and the old label stops being valid input at once. During a deploy the old release keeps running and keeps sending `'old'`, which now fails with \"invalid input value for enum\", and any code that compares with the old label silently stops matching. Add the new value with ADD VALUE (in its own transaction), update rows and code, and leave the old label unused. Enums created earlier in the same migration are not flagged.",
    bad: ["ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';"],
    good: [
      "ALTER TYPE order_status ADD VALUE 'cancelled';",
      "CREATE TYPE order_status AS ENUM ('open', 'canceled');\nALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';",
    ],
  },
  check({ statement, file, report }) {
    const a = as<AlterEnumStmt>(statement.node, 'AlterEnumStmt');
    if (!a?.oldVal || !a.newVal) return;
    const type = nameListKey(a.typeName);
    if (!type) return;
    const createdHere = file.file.statements
      .slice(0, statement.index)
      .some((s) => nameListKey(as<CreateEnumStmt>(s.node, 'CreateEnumStmt')?.typeName)?.key === type.key);
    if (createdHere) return;
    report({ messageId: 'rename', data: { type: type.name, from: a.oldVal, to: a.newVal } });
  },
});
