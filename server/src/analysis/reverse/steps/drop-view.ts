/**
 * DROP VIEW / DROP MATERIALIZED VIEW → CREATE with the old definition (a materialized view is filled again, or not,
 * as it was, and gets its indexes back). The re-creations run at the end of the down: a `*` in the old definition
 * expands to the columns that exist when it runs, which must be the columns from before the up.
 */
import type { CreateTableAsStmt, DropStmt, Node, ViewStmt } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { dependentViews, type View } from '../../catalog';
import { deparse, freezesTime, indexSql, staleStar } from '../sql';

/** Why a re-created view that casts 'now' differs. */
export const FROZEN = (name: string): string =>
  `view ${name} casts 'now' to a date/time, which PostgreSQL freezes when the view is created: the view created again holds a different time`;

export default defineReverser<DropStmt>({
  id: 'drop-view',
  description: 'A dropped view is created again from its old definition.',
  handles: ['DropStmt.OBJECT_VIEW', 'DropStmt.OBJECT_MATVIEW'],
  examples: [
    { schema: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t WHERE a > 0;', up: 'DROP VIEW v;', down: 'CREATE VIEW v AS SELECT a FROM t WHERE a > 0;\n' },
    { schema: 'CREATE TABLE t (a int);\nCREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t;', up: 'DROP MATERIALIZED VIEW m;', down: 'CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t;\n' },
    {
      name: 'a materialized view gets its indexes back',
      schema: 'CREATE TABLE t (id int, a int);\nCREATE MATERIALIZED VIEW m AS SELECT * FROM t WITH NO DATA;\nCREATE UNIQUE INDEX m_id ON m (id);',
      up: 'DROP MATERIALIZED VIEW m;',
      down: 'CREATE MATERIALIZED VIEW m AS SELECT * FROM t WITH NO DATA;\nCREATE UNIQUE INDEX m_id ON m (id);\n',
    },
    {
      name: 're-created after the columns the up added are dropped (a * expands when the view is created)',
      schema: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT * FROM t;',
      up: 'ALTER TABLE t ADD COLUMN b int;\nDROP VIEW v;\nCREATE VIEW v AS SELECT * FROM t;',
      down: 'DROP VIEW v;\nALTER TABLE t DROP COLUMN b;\nCREATE VIEW v AS SELECT * FROM t;\n',
    },
    {
      name: "'now' frozen in the definition",
      schema: "CREATE TABLE t (at timestamp);\nCREATE VIEW v AS SELECT at < 'now'::timestamp - interval '1 month' AS old FROM t;",
      up: 'DROP VIEW v;',
      down: "-- IRREVERSIBLE: view v casts 'now' to a date/time, which PostgreSQL freezes when the view is created: the view created again holds a different time\nCREATE VIEW v AS SELECT at < ('now'::timestamp - '1 month'::interval) AS old FROM t;\n",
      irreversible: ["view v casts 'now' to a date/time, which PostgreSQL freezes when the view is created: the view created again holds a different time"],
      exact: false,
    },
    {
      name: 'CASCADE: the views that read it come back too',
      schema: 'CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\nCREATE MATERIALIZED VIEW m AS SELECT id FROM v WITH NO DATA;\nCREATE UNIQUE INDEX m_id ON m (id);',
      up: 'DROP VIEW v CASCADE;',
      down: 'CREATE VIEW v AS SELECT id FROM t;\nCREATE MATERIALIZED VIEW m AS SELECT id FROM v WITH NO DATA;\nCREATE UNIQUE INDEX m_id ON m (id);\n',
    },
    {
      name: '* over a table that gained columns since',
      schema: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT * FROM t;\nALTER TABLE t ADD COLUMN b int;',
      up: 'DROP VIEW v;',
      down: '-- IRREVERSIBLE: view v selects * from t, whose columns changed after the view was created: created again, it would list the current ones\nCREATE VIEW v AS SELECT * FROM t;\n',
      irreversible: ['view v selects * from t, whose columns changed after the view was created: created again, it would list the current ones'],
      exact: false,
    },
    { name: 'unknown', up: 'DROP VIEW IF EXISTS v;', down: '-- IRREVERSIBLE: view v is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['view v is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [], last: [] };
    const create = (v: View, name: string) => {
      if (freezesTime(v.stmt as Node)) out.irreversible!.push(FROZEN(name));
      const stale = staleStar(v, name, ctx.initial);
      if (stale) out.irreversible!.push(stale);
      if (!v.materialized) {
        out.last!.push(deparse({ ViewStmt: { ...(v.stmt as ViewStmt), replace: false } } as Node));
        return;
      }
      out.last!.push(deparse({ CreateTableAsStmt: { ...(v.stmt as CreateTableAsStmt), if_not_exists: false } } as Node));
      for (const i of ctx.catalog.indexesOf(v.key)) {
        const sql = indexSql(i);
        if (sql) out.last!.push(sql);
        else out.irreversible!.push(`the definition of index ${i.name} on materialized view ${name} is unknown`);
      }
    };
    const dropped: string[] = [];
    for (const o of [...(s.objects ?? [])].reverse()) {
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
      if (!n) continue;
      const v = ctx.catalog.views.get(n.key);
      if (!v) {
        out.irreversible!.push(`view ${n.name} is not in the schema built from the earlier migrations: its definition is unknown`);
        continue;
      }
      dropped.push(n.key);
      create(v, n.name);
    }
    // CASCADE also dropped the views that read these: they are created again after them.
    if (s.behavior === 'DROP_CASCADE') for (const v of dependentViews(ctx.catalog, dropped)) create(v, v.key.replace(/^public\./, ''));
    return out;
  },
});
