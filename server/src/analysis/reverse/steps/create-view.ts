/**
 * CREATE VIEW ↔ DROP VIEW. CREATE OR REPLACE VIEW of a view the earlier migrations define → drop it and create the
 * old definition (OR REPLACE cannot remove columns the up may have added); the old definition is created at the end
 * of the down, once the columns the up added (which a `*` in it would pick up) are dropped again.
 */
import type { Node, ViewStmt } from '@pgsql/types';
import { relationKey } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { deparse, freezesTime, rel, staleStar } from '../sql';
import { FROZEN } from './drop-view';

export default defineReverser<ViewStmt>({
  id: 'create-view',
  description: 'A created view is dropped; a replaced one gets its old definition back.',
  handles: ['ViewStmt'],
  examples: [
    { schema: 'CREATE TABLE t (a int, b int);', up: 'CREATE VIEW v AS SELECT a FROM t;', down: 'DROP VIEW v;\n' },
    {
      name: 'OR REPLACE',
      schema: 'CREATE TABLE t (a int, b int);\nCREATE VIEW v AS SELECT a FROM t;',
      up: 'CREATE OR REPLACE VIEW v AS SELECT a, b FROM t;',
      down: 'DROP VIEW v;\nCREATE VIEW v AS SELECT a FROM t;\n',
    },
    {
      name: 'OR REPLACE with a column the up added',
      schema: 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT t.* FROM t;',
      up: 'ALTER TABLE t ADD COLUMN deleted bool;\nCREATE OR REPLACE VIEW v AS SELECT t.* FROM t;',
      down: 'DROP VIEW v;\nALTER TABLE t DROP COLUMN deleted;\nCREATE VIEW v AS SELECT t.* FROM t;\n',
    },
  ],
  reverse(s, ctx) {
    const old = ctx.catalog.views.get(relationKey(s.view));
    if (s.replace && old && !old.materialized) {
      const sql = { sql: [`DROP VIEW ${rel(s.view)}`], last: [deparse({ ViewStmt: { ...(old.stmt as ViewStmt), replace: false } } as Node)] };
      const name = s.view?.relname ?? '?';
      const stale = staleStar(old, name, ctx.initial);
      const reasons = [...(freezesTime(old.stmt as Node) ? [FROZEN(name)] : []), ...(stale ? [stale] : [])];
      return reasons.length ? { ...sql, irreversible: reasons } : sql;
    }
    return undo(`DROP VIEW ${rel(s.view)}`);
  },
});
