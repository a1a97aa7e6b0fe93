/** SET and RESET (lock_timeout, statement_timeout, search_path) configure the session: kept at the top of the down. */
import { defineReverser } from '../reverser';

export default defineReverser<unknown>({
  id: 'session',
  description: 'Session settings are kept at the top of the down migration.',
  handles: ['VariableSetStmt'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);',
      up: "SET lock_timeout = '5s';\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD COLUMN c int;",
      down: "SET lock_timeout = '5s';\nALTER TABLE t DROP COLUMN c;\nALTER TABLE t DROP COLUMN b;\n",
    },
  ],
  reverse() {
    return { sql: [], prologue: true };
  },
});
