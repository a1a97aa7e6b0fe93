/**
 * INSERT … VALUES of constants into a table with a known primary key → DELETE of those keys. Any other INSERT (a
 * query, ON CONFLICT, expressions, no key) cannot be undone statically.
 */
import type { InsertStmt, Node } from '@pgsql/types';
import { as } from '../../ast';
import { defineReverser, irreversible, undo } from '../reverser';
import { deparse, qi, rel } from '../sql';

/** A constant (possibly cast), as SQL; undefined for anything else. */
function constant(n: Node): string | undefined {
  const cast = as<{ arg?: Node }>(n, 'TypeCast');
  if (cast?.arg && !as(cast.arg, 'A_Const')) return undefined;
  if (!cast && !as(n, 'A_Const')) return undefined;
  return deparse(n);
}

export default defineReverser<InsertStmt>({
  id: 'insert',
  description: 'Rows inserted with constant keys are deleted; other inserts cannot be undone statically.',
  handles: ['InsertStmt'],
  examples: [
    { schema: 'CREATE TABLE roles (id int PRIMARY KEY, name text);', up: "INSERT INTO roles (id, name) VALUES (1, 'admin'), (2, 'user');", down: 'DELETE FROM roles WHERE id IN (1, 2);\n' },
    {
      name: 'no key',
      schema: 'CREATE TABLE log (msg text);',
      up: "INSERT INTO log VALUES ('hello');",
      down: '-- IRREVERSIBLE: INSERT into log: the rows cannot be identified for deletion (no primary key with constant values)\n',
      irreversible: ['INSERT into log: the rows cannot be identified for deletion (no primary key with constant values)'],
    },
  ],
  reverse(s, ctx) {
    const no = irreversible(`INSERT into ${rel(s.relation)}: the rows cannot be identified for deletion (no primary key with constant values)`);
    const table = ctx.catalog.table(s.relation);
    const pk = table?.constraints.find((k) => k.kind === 'primary')?.columns;
    const values = as<{ valuesLists?: Node[] }>(s.selectStmt, 'SelectStmt')?.valuesLists;
    if (!table || !pk?.length || !values?.length || s.onConflictClause || s.returningClause || s.withClause) return no;
    const cols = s.cols?.length ? s.cols.map((c) => as<{ name?: string }>(c, 'ResTarget')?.name ?? '?') : [...table.columns.keys()];
    const at = pk.map((c) => cols.indexOf(c));
    if (at.some((i) => i < 0)) return no;
    const keys: string[] = [];
    for (const row of values) {
      const items = as<{ items?: Node[] }>(row, 'List')?.items ?? [];
      const vals = at.map((i) => (items[i] ? constant(items[i]) : undefined));
      if (vals.some((v) => v === undefined)) return no;
      keys.push(pk.length === 1 ? vals[0]! : `(${vals.join(', ')})`);
    }
    const lhs = pk.length === 1 ? qi(pk[0]) : `(${pk.map(qi).join(', ')})`;
    return undo(`DELETE FROM ${rel(s.relation)} WHERE ${lhs} IN (${keys.join(', ')})`);
  },
});
