/** CREATE SCHEMA ↔ DROP SCHEMA (CASCADE when the statement also created objects in it). */
import type { CreateSchemaStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { qi } from '../sql';

export default defineReverser<CreateSchemaStmt>({
  id: 'create-schema',
  description: 'A created schema is dropped.',
  handles: ['CreateSchemaStmt'],
  examples: [
    { up: 'CREATE SCHEMA app;', down: 'DROP SCHEMA app;\n' },
    { name: 'IF NOT EXISTS on an existing schema', schema: 'CREATE SCHEMA app;', up: 'CREATE SCHEMA IF NOT EXISTS app;', down: '' },
  ],
  reverse(s, ctx) {
    const name = s.schemaname ?? '?';
    if (s.if_not_exists && ctx.catalog.schemas.has(name)) return undo();
    return undo(`DROP SCHEMA ${s.if_not_exists ? 'IF EXISTS ' : ''}${qi(name)}${s.schemaElts?.length ? ' CASCADE' : ''}`);
  },
});
