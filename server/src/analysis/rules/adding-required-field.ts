/** ADD COLUMN … NOT NULL without a default: every existing row would get NULL, so it fails on any table with rows. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import { defineRule } from '../rule';

const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** `DEFAULT NULL` stores no default: the column is NULL for existing rows all the same. */
function realDefault(c: Constraint): boolean {
  return c.contype === 'CONSTR_DEFAULT' && !as<{ isnull?: boolean }>(c.raw_expr, 'A_Const')?.isnull;
}

export default defineRule({
  id: 'adding-required-field',
  description: 'Adding a NOT NULL column without a default fails on a table that has rows.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    required: 'Adding `{column}` to `{table}` as {what} without a default fails as soon as `{table}` has a row: existing rows would hold NULL, and PostgreSQL stops with "column contains null values".',
  },
  help: 'Give the column a non-volatile DEFAULT (stored in the catalog, no rewrite, since PostgreSQL 11), or add it nullable, backfill it in batches, and make it NOT NULL afterwards.',
  docs: {
    rationale:
      'ADD COLUMN fills existing rows with the column default, NULL when there is none, and then checks NOT NULL (checked on PostgreSQL 15: the statement fails with `column "…" contains null values` on a table with rows, and `DEFAULT NULL` changes nothing). A constant or stable default avoids this and, since PostgreSQL 11, is stored in the catalog without rewriting the table. Identity, serial and stored generated columns compute a value for every row and are not reported (adding-field-with-default reports their rewrite), nor is a table created earlier in the same migration.',
    bad: ['ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;', 'ALTER TABLE users ADD COLUMN code text DEFAULT NULL NOT NULL;'],
    good: [
      'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;',
      'ALTER TABLE users ADD COLUMN tenant_id bigint;',
      'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_AddColumn') continue;
      const col = as<ColumnDef>(cmd.def, 'ColumnDef');
      const cons = columnConstraints(col);
      const type = strings(col?.typeName?.names).pop()?.toLowerCase() ?? '';
      if (SERIAL.has(type) || cons.some((k) => realDefault(k) || k.contype === 'CONSTR_IDENTITY' || k.contype === 'CONSTR_GENERATED')) continue;
      const primary = cons.some((k) => k.contype === 'CONSTR_PRIMARY');
      if (!primary && !col?.is_not_null && !cons.some((k) => k.contype === 'CONSTR_NOTNULL')) continue;
      report({ messageId: 'required', data: { column: col?.colname ?? '?', table: relationName(alter.relation), what: primary ? 'PRIMARY KEY' : 'NOT NULL' } });
    }
  },
});
