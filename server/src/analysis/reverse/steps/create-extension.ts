/** CREATE EXTENSION ↔ DROP EXTENSION (IF EXISTS when the up said IF NOT EXISTS). */
import type { CreateExtensionStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { qi } from '../sql';

export default defineReverser<CreateExtensionStmt>({
  id: 'create-extension',
  description: 'A created extension is dropped.',
  handles: ['CreateExtensionStmt'],
  examples: [
    { up: 'CREATE EXTENSION IF NOT EXISTS pg_trgm;', down: 'DROP EXTENSION IF EXISTS pg_trgm;\n' },
    { name: 'created by an earlier migration', schema: 'CREATE EXTENSION pg_trgm;', up: 'CREATE EXTENSION IF NOT EXISTS pg_trgm;', down: '' },
  ],
  reverse(s, ctx) {
    const name = s.extname ?? '?';
    if (s.if_not_exists && ctx.catalog.extensions.has(name)) return undo();
    return undo(`DROP EXTENSION ${s.if_not_exists ? 'IF EXISTS ' : ''}${qi(name)}`);
  },
});
