/**
 * BEGIN … COMMIT: the framing is kept (the inverses of a block go in a block); the reversal itself happens in
 * `reverseMigration`, so this reverser only documents it and is never asked to reverse.
 */
import { defineReverser, undo } from '../reverser';

export default defineReverser<unknown>({
  id: 'transaction',
  description: 'Transaction blocks are kept around the inverses of their statements.',
  handles: ['TransactionStmt'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);',
      up: "BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX t_b ON t (b);\nCOMMIT;",
      down: "BEGIN;\nSET LOCAL lock_timeout = '2s';\nDROP INDEX t_b;\nALTER TABLE t DROP COLUMN b;\nCOMMIT;\n",
    },
    {
      name: 'a block, then CONCURRENTLY outside it',
      schema: 'CREATE TABLE t (a int);',
      up: 'BEGIN;\nALTER TABLE t ADD COLUMN b int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_b ON t (b);',
      down: 'DROP INDEX CONCURRENTLY t_b;\nBEGIN;\nALTER TABLE t DROP COLUMN b;\nCOMMIT;\n',
    },
  ],
  reverse() {
    return undo();
  },
});
