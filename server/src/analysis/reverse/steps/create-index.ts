/**
 * CREATE INDEX ↔ DROP INDEX, under its name or the one PostgreSQL generates (`<table>_<columns>_idx`), keeping
 * CONCURRENTLY where the up used it (the down then also runs outside a transaction block) and IF EXISTS where the up
 * said IF NOT EXISTS.
 */
import type { IndexStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { qi } from '../sql';

export default defineReverser<IndexStmt>({
  id: 'create-index',
  description: 'A created index is dropped, concurrently if it was created concurrently.',
  handles: ['IndexStmt'],
  examples: [
    { schema: 'CREATE TABLE users (email text);', up: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', down: 'DROP INDEX CONCURRENTLY users_email_idx;\n' },
    { name: 'unnamed', schema: 'CREATE TABLE users (email text, org int);', up: 'CREATE UNIQUE INDEX ON users (org, lower(email));', down: 'DROP INDEX users_org_lower_idx;\n' },
    { name: 'IF NOT EXISTS, in a schema', schema: 'CREATE SCHEMA app;\nCREATE TABLE app.t (a int);', up: 'CREATE INDEX IF NOT EXISTS t_a ON app.t (a);', down: 'DROP INDEX IF EXISTS app.t_a;\n' },
  ],
  reverse(s, ctx) {
    const schema = s.relation?.schemaname;
    if (s.if_not_exists && s.idxname && ctx.catalog.indexes.has(`${schema ?? 'public'}.${s.idxname}`)) return undo();
    const name = ctx.catalog.indexNameFor(s);
    return undo(`DROP INDEX ${s.concurrent ? 'CONCURRENTLY ' : ''}${s.if_not_exists ? 'IF EXISTS ' : ''}${schema ? `${qi(schema)}.` : ''}${qi(name)}`);
  },
});
