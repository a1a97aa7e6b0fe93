/** DO blocks run procedural code, often dynamic SQL: what they did cannot be reconstructed statically. */
import { defineReverser, irreversible } from '../reverser';

export default defineReverser<unknown>({
  id: 'do-block',
  description: 'A DO block cannot be undone statically.',
  handles: ['DoStmt'],
  examples: [
    {
      up: "DO $$ BEGIN EXECUTE 'CREATE TABLE t' || 1 || ' (a int)'; END $$;",
      down: '-- IRREVERSIBLE: DO block: what it runs cannot be reconstructed statically\n',
      irreversible: ['DO block: what it runs cannot be reconstructed statically'],
    },
  ],
  reverse() {
    return irreversible('DO block: what it runs cannot be reconstructed statically');
  },
});
