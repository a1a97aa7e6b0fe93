/**
 * DROP INDEX → CREATE INDEX with the old definition (CONCURRENTLY if the drop was concurrent). An index on a
 * materialized view is created at the end of the down, after the view (re-created there too, see `drop-view`).
 */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { indexSql } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-index',
  description: 'A dropped index is created again from its old definition.',
  handles: ['DropStmt.OBJECT_INDEX'],
  examples: [
    { schema: 'CREATE TABLE t (a int, b text);\nCREATE INDEX t_a_b ON t (a, b) WHERE a > 0;', up: 'DROP INDEX CONCURRENTLY t_a_b;', down: 'CREATE INDEX CONCURRENTLY t_a_b ON t (a, b) WHERE a > 0;\n' },
    { schema: 'CREATE TABLE t (a int);\nCREATE INDEX ON t USING hash (a);', up: 'DROP INDEX t_a_idx;', down: 'CREATE INDEX t_a_idx ON t USING hash (a);\n' },
    {
      name: 'on a materialized view the up drops',
      schema: 'CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW m AS SELECT id FROM t;\nCREATE UNIQUE INDEX m_id ON m (id);',
      up: 'DROP INDEX m_id;\nDROP MATERIALIZED VIEW m;',
      down: 'CREATE MATERIALIZED VIEW m AS SELECT id FROM t;\nCREATE UNIQUE INDEX m_id ON m (id);\n',
    },
    { name: 'unknown', up: 'DROP INDEX IF EXISTS old_idx;', down: '-- IRREVERSIBLE: index old_idx is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['index old_idx is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
      if (!n) continue;
      const i = ctx.catalog.indexes.get(n.key);
      const sql = i && indexSql(i, !!s.concurrent);
      if (sql) (ctx.catalog.views.has(i.tableKey) ? (out.last ??= []) : out.sql).push(sql);
      else out.irreversible!.push(`index ${n.name} is not in the schema built from the earlier migrations: its definition is unknown`);
    }
    return out;
  },
});
