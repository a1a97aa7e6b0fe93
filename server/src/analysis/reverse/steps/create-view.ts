/**
 * CREATE VIEW ↔ DROP VIEW. CREATE OR REPLACE VIEW of a view the earlier migrations define → drop it and create the
 * old definition (OR REPLACE cannot remove columns the up may have added).
 */
import type { Node, ViewStmt } from '@pgsql/types';
import { relationKey } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { deparse, rel } from '../sql';

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
  ],
  reverse(s, ctx) {
    const old = ctx.catalog.views.get(relationKey(s.view));
    if (s.replace && old && !old.materialized) return undo(`DROP VIEW ${rel(s.view)}`, deparse({ ViewStmt: { ...(old.stmt as ViewStmt), replace: false } } as Node));
    return undo(`DROP VIEW ${rel(s.view)}`);
  },
});
