/**
 * ALTER TYPE … ADD VALUE inside a transaction block: an error before PostgreSQL 12, and on any version the new value
 * cannot be used until that transaction commits.
 */
import type { AlterEnumStmt, CreateEnumStmt, Node, RangeVar } from '@pgsql/types';
import { as, nameListKey, relationKey, strings, walk } from '../ast';
import type { Catalog } from '../catalog';
import { lineOf, transactionFirst } from '../lockHold';
import type { Statement } from '../parse';
import { defineRule } from '../rule';

/** The ALTER TYPE … ADD VALUE statements of a file, found once per parsed file. */
const additions = new WeakMap<readonly Statement[], Statement[]>();

function addValueStatements(statements: readonly Statement[]): Statement[] {
  let found = additions.get(statements);
  if (!found) {
    found = statements.filter((s) => {
      const a = as<AlterEnumStmt>(s.node, 'AlterEnumStmt');
      return !!a?.newVal && !a.oldVal;
    });
    additions.set(statements, found);
  }
  return found;
}

/** True when the statement uses `value` as a value of the enum `typeName`: a cast to the type, or a literal written to / compared with a table that has a column of that type. */
function usesValue(stmt: Statement, typeName: string, value: string, catalog: Catalog): boolean {
  let literal = false;
  let cast = false;
  walk(stmt.node, (kind, v) => {
    if (kind === 'A_Const' && (v as { sval?: { sval?: string } }).sval?.sval === value) literal = true;
    if (kind === 'TypeCast') {
      const tc = v as { arg?: Node; typeName?: { names?: Node[] } };
      if (strings(tc.typeName?.names).pop() === typeName && as<{ sval?: { sval?: string } }>(tc.arg, 'A_Const')?.sval?.sval === value) cast = true;
    }
  });
  if (cast) return true;
  if (!literal) return false;
  const relations: RangeVar[] = [];
  walk(stmt.node, (kind, v) => {
    if (kind === 'RangeVar') relations.push(v as RangeVar);
  });
  const inner = stmt.node ? (Object.values(stmt.node)[0] as { relation?: RangeVar }) : undefined;
  if (inner?.relation) relations.push(inner.relation);
  return relations.some((rv) => [...(catalog.tables.get(relationKey(rv))?.columns.values() ?? [])].some((c) => c.baseType === typeName));
}

export default defineRule({
  id: 'ban-enum-add-value-in-transaction',
  description: 'Adding an enum value inside a transaction block fails before PostgreSQL 12, and the new value cannot be used before that transaction commits.',
  category: 'correctness',
  defaultSeverity: 'error',
  recommended: true,
  fixable: false,
  messages: {
    fails: 'On PostgreSQL {version}, ALTER TYPE … ADD VALUE cannot run inside a transaction block: the migration fails.',
    usedTooEarly: "The value '{value}' added to `{type}` on line {line} is used before its transaction commits: PostgreSQL rejects it with \"unsafe use of new value\".",
  },
  help: 'Add enum values in a migration of their own that runs outside a transaction block (or commits right after), and use the new value in a later migration.',
  docs: {
    rationale:
      'Before PostgreSQL 12, ALTER TYPE … ADD VALUE refuses to run inside a transaction block (unless the enum was created in the same transaction), and most migration tools wrap each migration in one. Since PostgreSQL 12 it may run there, but the new value cannot be used (cast, inserted, compared, set as a default) until the transaction commits: the statement that uses it fails with "unsafe use of new value", even when the enum itself was created in the same transaction. Put ADD VALUE in its own migration, without a transaction (or committed right away), and use the value later. A use is recognised as a cast to the enum, or the literal in a statement on a table with a column of the enum type (known from earlier statements and migrations).',
    bad: [
      "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded'::order_status WHERE refunded_at IS NOT NULL;\nCOMMIT;",
    ],
    good: [
      "ALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded'::order_status WHERE refunded_at IS NOT NULL;",
      "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\nCOMMIT;",
    ],
  },
  check({ statement, file, options, catalog, report }) {
    const first = transactionFirst(file, statement.index);
    if (first === undefined) return;
    const add = as<AlterEnumStmt>(statement.node, 'AlterEnumStmt');
    if (add?.newVal && !add.oldVal && options.postgresVersion < 12) {
      const type = nameListKey(add.typeName)?.key;
      // Before 12, adding to an enum created in the same transaction is allowed (pg_dump --binary-upgrade relies on it).
      const createdHere = file.file.statements
        .slice(first, statement.index)
        .some((s) => nameListKey(as<CreateEnumStmt>(s.node, 'CreateEnumStmt')?.typeName)?.key === type);
      if (!createdHere) report({ messageId: 'fails', data: { version: options.postgresVersion } });
      return;
    }
    for (const s of addValueStatements(file.file.statements)) {
      if (s.index < first || s.index >= statement.index) continue;
      const a = as<AlterEnumStmt>(s.node, 'AlterEnumStmt');
      if (!a?.newVal || a.oldVal) continue;
      const type = strings(a.typeName).pop() ?? '';
      if (usesValue(statement, type, a.newVal, catalog)) {
        report({ messageId: 'usedTooEarly', data: { value: a.newVal, type: nameListKey(a.typeName)?.name ?? type, line: lineOf(file, s) } });
        return;
      }
    }
  },
});
