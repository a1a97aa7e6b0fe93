/** ADD COLUMN with a default that forces a table rewrite under ACCESS EXCLUSIVE. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef } from '@pgsql/types';
import { as, columnConstraints, isVolatile, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

/** Words that end a DEFAULT expression inside a column definition. */
const AFTER_DEFAULT = /^\s+(?:NOT|NULL|CONSTRAINT|CHECK|REFERENCES|PRIMARY|UNIQUE|GENERATED|COLLATE)\b/i;

/**
 * The source text of the `n`-th `DEFAULT <expr>` clause of a statement, for the message: up to a top-level comma,
 * closing parenthesis or column-constraint keyword. (`DROP DEFAULT` and `BY DEFAULT` carry no expression.)
 */
function defaultText(sql: string, n: number): string {
  const re = /(?<!\b(?:DROP|BY)\s+)\bDEFAULT\s+/gi;
  let m: RegExpExecArray | null = null;
  for (let k = 0; k <= n; k++) if (!(m = re.exec(sql))) return 'expression';
  const start = m!.index + m![0].length;
  let depth = 0;
  let i = start;
  for (; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? sql.length : close;
    } else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) break;
    else if (depth === 0 && (c === ',' || c === ';' || (i > start && AFTER_DEFAULT.test(sql.slice(i, i + 40))))) break;
  }
  return sql.slice(start, i).trim() || 'expression';
}

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
    let defaults = 0; // DEFAULT clauses seen so far, to find this one's text
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_ColumnDefault' && cmd.def) defaults++;
      if (cmd?.subtype !== 'AT_AddColumn') continue;
      const col = as<ColumnDef>(cmd.def, 'ColumnDef');
      const cons = columnConstraints(col);
      const column = col?.colname ?? '?';
      const generated = cons.find((k) => k.contype === 'CONSTR_GENERATED');
      if (generated?.generated_kind === 'v') continue; // VIRTUAL (PostgreSQL 18): computed on read, no rewrite
      if (generated) {
        report({ messageId: 'generated', data: { column, table } });
        continue;
      }
      const def = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
      if (!def) continue;
      const nth = defaults++;
      if (options.postgresVersion < 11) {
        report({ messageId: 'anyDefault', data: { column, table, version: options.postgresVersion } });
      } else if (isVolatile(def.raw_expr)) {
        report({ messageId: 'volatile', data: { column, table, expr: defaultText(statement.text, nth) } });
      }
    }
  },
});
