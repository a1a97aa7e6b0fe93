/** CREATE SEQUENCE ↔ DROP SEQUENCE. */
import type { CreateSeqStmt } from '@pgsql/types';
import { relationKey } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { rel } from '../sql';

export default defineReverser<CreateSeqStmt>({
  id: 'create-sequence',
  description: 'A created sequence is dropped.',
  handles: ['CreateSeqStmt'],
  examples: [{ up: 'CREATE SEQUENCE order_no START 1000;', down: 'DROP SEQUENCE order_no;\n' }],
  reverse(s, ctx) {
    if (s.if_not_exists && ctx.catalog.sequences.has(relationKey(s.sequence))) return undo();
    return undo(`DROP SEQUENCE ${rel(s.sequence)}`);
  },
});
