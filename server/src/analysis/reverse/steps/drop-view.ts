/** DROP VIEW / DROP MATERIALIZED VIEW → CREATE with the old definition (a materialized view is filled again). */
import type { CreateTableAsStmt, DropStmt, Node, ViewStmt } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-view',
  description: 'A dropped view is created again from its old definition.',
  handles: ['DropStmt.OBJECT_VIEW', 'DropStmt.OBJECT_MATVIEW'],
  examples: [
    { schema: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t WHERE a > 0;', up: 'DROP VIEW v;', down: 'CREATE VIEW v AS SELECT a FROM t WHERE a > 0;\n' },
    { schema: 'CREATE TABLE t (a int);\nCREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t;', up: 'DROP MATERIALIZED VIEW m;', down: 'CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t;\n' },
    { name: 'unknown', up: 'DROP VIEW IF EXISTS v;', down: '-- IRREVERSIBLE: view v is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['view v is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
      if (!n) continue;
      const v = ctx.catalog.views.get(n.key);
      if (!v) out.irreversible!.push(`view ${n.name} is not in the schema built from the earlier migrations: its definition is unknown`);
      else if (v.materialized) out.sql.push(deparse({ CreateTableAsStmt: { ...(v.stmt as CreateTableAsStmt), if_not_exists: false } } as Node));
      else out.sql.push(deparse({ ViewStmt: { ...(v.stmt as ViewStmt), replace: false } } as Node));
    }
    return out;
  },
});
