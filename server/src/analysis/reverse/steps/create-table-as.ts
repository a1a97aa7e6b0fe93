/** CREATE TABLE … AS and CREATE MATERIALIZED VIEW ↔ DROP. */
import type { CreateTableAsStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { rel } from '../sql';

export default defineReverser<CreateTableAsStmt>({
  id: 'create-table-as',
  description: 'A table or materialized view created from a query is dropped.',
  handles: ['CreateTableAsStmt'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'CREATE MATERIALIZED VIEW m AS SELECT a FROM t;', down: 'DROP MATERIALIZED VIEW m;\n' },
    { schema: 'CREATE TABLE t (a int);', up: 'CREATE TABLE t2 AS SELECT a FROM t;', down: 'DROP TABLE t2;\n' },
  ],
  reverse(s, ctx) {
    const matview = s.objtype === 'OBJECT_MATVIEW';
    if (s.if_not_exists && (matview ? ctx.catalog.views.has(`${s.into?.rel?.schemaname ?? 'public'}.${s.into?.rel?.relname}`) : ctx.catalog.table(s.into?.rel))) return undo();
    return undo(`DROP ${matview ? 'MATERIALIZED VIEW' : 'TABLE'} ${rel(s.into?.rel)}`);
  },
});
