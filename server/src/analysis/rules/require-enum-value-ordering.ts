/** ALTER TYPE … ADD VALUE without BEFORE or AFTER: the new value sorts last, which is not always where it belongs. */
import type { AlterEnumStmt } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { caseLike, statementTokens } from '../parts';
import { defineRule } from '../rule';

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export default defineRule({
  id: 'require-enum-value-ordering',
  description: 'ALTER TYPE … ADD VALUE should say BEFORE or AFTER, because enum values sort in declaration order.',
  category: 'style',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    known: 'ADD VALUE {value} without BEFORE or AFTER puts it last in `{type}`, after {last}: ORDER BY, comparisons and MIN/MAX on `{type}` follow that order.',
    unknown: 'ADD VALUE {value} without BEFORE or AFTER puts it last in `{type}`: ORDER BY, comparisons and MIN/MAX on `{type}` follow declaration order.',
  },
  help: 'Say where the value belongs with BEFORE \'…\' or AFTER \'…\' (AFTER the current last value if last is right).',
  docs: {
    rationale:
      'Enum values compare and sort in the order they were declared, not alphabetically. A value added without a position goes last, so a `status` enum of `pending, shipped, delivered` that gains `cancelled` sorts it after `delivered`, and `WHERE status < \'shipped\'` or `ORDER BY status` quietly change meaning. Writing the position makes the intent visible in review. Reordering later is not possible without recreating the type.\n\n' +
      'squawk flags the same statements; its fix inserts a placeholder (`BEFORE \'existing_value\'`) that fails when run. Migration Guard offers a fix only when it knows the type\'s values (from its CREATE TYPE in this file or an earlier migration): `AFTER \'<current last value>\'`, which keeps what the statement does and says so. It is not preferred, since a migration the linter has not seen may have added values since. On by default as a warning, as in squawk.',
    bad: ["ALTER TYPE order_status ADD VALUE 'cancelled';", "CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';"],
    good: ["ALTER TYPE order_status ADD VALUE 'cancelled' BEFORE 'shipped';", "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';", "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';"],
  },
  check({ statement, catalog, report }) {
    const e = as<AlterEnumStmt>(statement.node, 'AlterEnumStmt');
    if (!e?.newVal || e.oldVal || e.newValNeighbor) return;
    const type = nameListKey(e.typeName);
    const values = type ? catalog.enums.get(type.key) : undefined;
    const last = values?.[values.length - 1];
    const tokens = statementTokens(statement);
    const tail = tokens[tokens.length - 1];
    const fixable = last !== undefined && last !== e.newVal && !values!.includes(e.newVal) && tail?.text.startsWith("'");
    const data = { value: literal(e.newVal), type: type?.name ?? '?' };
    report({
      messageId: last !== undefined ? 'known' : 'unknown',
      data: last !== undefined ? { ...data, last: literal(last) } : data,
      fix: fixable
        ? { title: 'Add AFTER the current last value', edits: [{ start: tail.end, end: tail.end, newText: ` ${caseLike(tokens[0].text, 'AFTER')} ${literal(last)}` }], preferred: false }
        : undefined,
    });
  },
});
