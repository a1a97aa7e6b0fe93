/** CREATE TABLE ↔ DROP TABLE. With IF NOT EXISTS on a table that already existed, nothing was created. */
import type { CreateStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { rel } from '../sql';

export default defineReverser<CreateStmt>({
  id: 'create-table',
  description: 'A created table is dropped.',
  handles: ['CreateStmt'],
  examples: [
    { up: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);', down: 'DROP TABLE users;\n' },
    { name: 'schema-qualified, quoted', up: 'CREATE SCHEMA app;\nCREATE TABLE app."Order" (id int);', down: 'DROP TABLE app."Order";\nDROP SCHEMA app;\n' },
    { name: 'IF NOT EXISTS on an existing table', schema: 'CREATE TABLE users (id int);', up: 'CREATE TABLE IF NOT EXISTS users (id int);', down: '' },
  ],
  reverse(s, ctx) {
    if (s.if_not_exists && ctx.catalog.table(s.relation)) return undo();
    return undo(`DROP TABLE ${rel(s.relation)}`);
  },
});
