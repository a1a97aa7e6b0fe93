/**
 * CREATE INDEX ↔ DROP INDEX, under its name or the one PostgreSQL generates (`<table>_<columns>_idx`), keeping
 * CONCURRENTLY where the up used it (the down then also runs outside a transaction block) and IF EXISTS where the up
 * said IF NOT EXISTS.
 */
import type { IndexStmt } from '@pgsql/types';
import { defineReverser, irreversible, undo } from '../reverser';
import { qi } from '../sql';

export default defineReverser<IndexStmt>({
  id: 'create-index',
  description: 'A created index is dropped, concurrently if it was created concurrently.',
  handles: ['IndexStmt'],
  examples: [
    { schema: 'CREATE TABLE users (email text);', up: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', down: 'DROP INDEX CONCURRENTLY users_email_idx;\n' },
    { name: 'unnamed', schema: 'CREATE TABLE users (email text, org int);', up: 'CREATE UNIQUE INDEX ON users (org, lower(email));', down: 'DROP INDEX users_org_lower_idx;\n' },
    { name: 'IF NOT EXISTS, in a schema', schema: 'CREATE SCHEMA app;\nCREATE TABLE app.t (a int);', up: 'CREATE INDEX IF NOT EXISTS t_a ON app.t (a);', down: 'DROP INDEX IF EXISTS app.t_a;\n' },
    {
      name: 'IF NOT EXISTS, the old index having gone with a dropped column',
      schema: 'CREATE TABLE t (id int, done bool);\nCREATE UNIQUE INDEX t_todo ON t (id) WHERE done = false;\nALTER TABLE t DROP COLUMN id;',
      up: 'CREATE INDEX IF NOT EXISTS t_todo ON t (done) WHERE NOT done;',
      down: 'DROP INDEX IF EXISTS t_todo;\n',
    },
    {
      name: 'IF NOT EXISTS of an index the catalog has in another schema',
      schema: 'CREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nRESET search_path;',
      up: 'CREATE INDEX IF NOT EXISTS t_a ON app.t (a);',
      down: '-- IRREVERSIBLE: the earlier migrations create index public.t_a, not app.t_a: whether IF NOT EXISTS found it (under a search_path) is unknown\n',
      irreversible: ['the earlier migrations create index public.t_a, not app.t_a: whether IF NOT EXISTS found it (under a search_path) is unknown'],
    },
  ],
  reverse(s, ctx) {
    const schema = s.relation?.schemaname;
    if (s.if_not_exists && s.idxname && ctx.catalog.indexes.has(`${schema ?? 'public'}.${s.idxname}`)) return undo();
    // The earlier migrations made an index of that name in another schema: they may have run under a search_path.
    const other = s.if_not_exists && s.idxname ? [...ctx.catalog.indexes.values()].find((i) => i.name === s.idxname) : undefined;
    if (other) return irreversible(`the earlier migrations create index ${other.key}, not ${schema ?? 'public'}.${s.idxname}: whether IF NOT EXISTS found it (under a search_path) is unknown`);
    const name = ctx.catalog.indexNameFor(s);
    return undo(`DROP INDEX ${s.concurrent ? 'CONCURRENTLY ' : ''}${s.if_not_exists ? 'IF EXISTS ' : ''}${schema ? `${qi(schema)}.` : ''}${qi(name)}`);
  },
});
