/** ADD COLUMN with a default that forces a table rewrite under ACCESS EXCLUSIVE. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef } from '@pgsql/types';
import { as, columnConstraints, isVolatile, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'adding-field-with-default',
  description: 'Adding a column with a volatile default (any default before PostgreSQL 11) rewrites the table under an ACCESS EXCLUSIVE lock.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    volatile: 'Adding `{column}` with the volatile default `{expr}` rewrites `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole rewrite.',
    anyDefault: 'On PostgreSQL {version}, adding `{column}` with a default rewrites `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole rewrite.',
    generated: 'Adding the stored generated column `{column}` rewrites `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole rewrite.',
  },
  help: 'Add the column without a default (or with a constant one), set the default for new rows, and backfill existing rows in batches.',
  docs: {
    rationale:
      'Since PostgreSQL 11, ADD COLUMN with a constant or stable default (such as `now()`) only updates the catalog: the value is stored once and returned for old rows. A volatile default (`random()`, `gen_random_uuid()`, `clock_timestamp()`, any user function not declared STABLE or IMMUTABLE) must be computed per row, so PostgreSQL rewrites the table and its indexes while holding an ACCESS EXCLUSIVE lock. Before PostgreSQL 11 every default rewrote the table.',
    bad: ['ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();'],
    good: ["ALTER TABLE users ADD COLUMN status text DEFAULT 'active';", 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();'],
  },
  check({ statement, facts, options, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_AddColumn') continue;
      const col = as<ColumnDef>(cmd.def, 'ColumnDef');
      const cons = columnConstraints(col);
      const column = col?.colname ?? '?';
      if (cons.some((k) => k.contype === 'CONSTR_GENERATED')) {
        report({ messageId: 'generated', data: { column, table } });
        continue;
      }
      const def = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
      if (!def) continue;
      if (options.postgresVersion < 11) {
        report({ messageId: 'anyDefault', data: { column, table, version: options.postgresVersion } });
      } else if (isVolatile(def.raw_expr)) {
        const loc = (def as { location?: number }).location;
        const expr = typeof loc === 'number' ? /DEFAULT\s+([^,;]*)/i.exec(statement.text)?.[1]?.trim() ?? 'expression' : 'expression';
        report({ messageId: 'volatile', data: { column, table, expr } });
      }
    }
  },
});
