/** UPDATE / DELETE of a whole existing table in one statement: every row locked until commit, and a dead copy of each. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, ColumnRef, DeleteStmt, Node, RangeVar, UpdateStmt } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import type { Statement } from '../parse';
import { defineRule } from '../rule';

/** `WHERE true`, `WHERE 1 = 1`, `WHERE 'a' = 'a'`: a condition that holds for every row. */
function alwaysTrue(where: Node | undefined): boolean {
  if (as<{ boolval?: { boolval?: boolean } }>(where, 'A_Const')?.boolval?.boolval) return true;
  const e = as<{ kind?: string; name?: Node[]; lexpr?: Node; rexpr?: Node }>(where, 'A_Expr');
  if (e?.kind !== 'AEXPR_OP' || strings(e.name).join() !== '=') return false;
  const l = as(e.lexpr, 'A_Const');
  const r = as(e.rexpr, 'A_Const');
  return !!l && !!r && JSON.stringify({ ...l, location: 0 }) === JSON.stringify({ ...r, location: 0 });
}

/** `WHERE col IS NULL` → `col`. */
function isNullColumn(where: Node | undefined): string | undefined {
  const t = as<{ nulltesttype?: string; arg?: Node }>(where, 'NullTest');
  if (t?.nulltesttype !== 'IS_NULL') return undefined;
  const fields = as<ColumnRef>(t.arg, 'ColumnRef')?.fields;
  return fields?.length === 1 ? strings(fields)[0] : undefined;
}

/** True when an earlier statement of the file added `column` to the table without a default (so it is NULL in every row). */
function addedWithoutDefault(earlier: readonly Statement[], table: RangeVar, column: string): boolean {
  return earlier.some((s) => {
    const alter = as<AlterTableStmt>(s.node, 'AlterTableStmt');
    if (!alter?.relation || relationKey(alter.relation) !== relationKey(table)) return false;
    return (alter.cmds ?? []).some((c) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const col = as<ColumnDef>(cmd?.def, 'ColumnDef');
      return cmd?.subtype === 'AT_AddColumn' && col?.colname === column && !columnConstraints(col).some((k) => k.contype === 'CONSTR_DEFAULT' || k.contype === 'CONSTR_GENERATED' || k.contype === 'CONSTR_IDENTITY');
    });
  });
}

export default defineRule({
  id: 'ban-unbatched-backfill',
  description: 'Updating or deleting every row of an existing table in one statement locks all its rows for the whole transaction and bloats the table.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    whole: '{verb} of every row of `{table}` in one statement holds a row lock on each of them until the transaction commits, so every write to `{table}` waits, and leaves a dead copy of each row behind (bloat, replication lag).',
    newColumn: '{verb} … WHERE {column} IS NULL touches every row of `{table}`, because `{column}` was added earlier in this migration: each row stays locked until the transaction commits, so every write to `{table}` waits, and each leaves a dead copy behind (bloat, replication lag).',
  },
  help: 'Backfill in batches (a few thousand rows per transaction, walking the primary key) outside the schema migration; the `backfill` snippet writes the loop.',
  docs: {
    rationale:
      'A migration usually runs in one transaction. An UPDATE or DELETE without a WHERE clause (or with one that every row satisfies, such as `WHERE new_column IS NULL` right after adding the column) writes every row: each row stays locked until the transaction commits, so application writes to any of them wait; the old version of every row stays behind as a dead tuple until VACUUM, doubling the table\'s size on disk; and the whole change reaches replicas as one huge transaction. Batches of a few thousand rows, each committed separately, keep locks short and let VACUUM and replication keep up. Tables created earlier in the same migration are not flagged.',
    bad: ["UPDATE users SET status = 'active';", 'ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = \'free\' WHERE plan IS NULL;', 'DELETE FROM sessions;'],
    good: [
      "UPDATE users SET status = 'active' WHERE id BETWEEN 1 AND 5000;",
      "CREATE TABLE plans (name text);\nINSERT INTO plans VALUES ('free');\nUPDATE plans SET name = lower(name);",
      'DELETE FROM sessions WHERE expires_at < now();',
    ],
  },
  check({ statement, facts, file, report }) {
    const u = as<UpdateStmt>(statement.node, 'UpdateStmt');
    const d = as<DeleteStmt>(statement.node, 'DeleteStmt');
    const target = u ?? d;
    if (!target?.relation || facts.createdBefore.has(relationKey(target.relation))) return;
    const verb = u ? 'UPDATE' : 'DELETE';
    const table = relationName(target.relation);
    if (!target.whereClause || alwaysTrue(target.whereClause)) {
      report({ messageId: 'whole', data: { verb, table } });
      return;
    }
    const column = isNullColumn(target.whereClause);
    if (column && addedWithoutDefault(file.file.statements.slice(0, statement.index), target.relation, column)) {
      report({ messageId: 'newColumn', data: { verb, table, column } });
    }
  },
});
