/** CREATE POLICY ↔ DROP POLICY … ON table. */
import type { CreatePolicyStmt } from '@pgsql/types';
import { defineReverser, undo } from '../reverser';
import { qi, rel } from '../sql';

export default defineReverser<CreatePolicyStmt>({
  id: 'create-policy',
  description: 'A created row-security policy is dropped.',
  handles: ['CreatePolicyStmt'],
  examples: [{ schema: 'CREATE TABLE t (owner text);', up: 'CREATE POLICY own ON t USING (owner = current_user);', down: 'DROP POLICY own ON t;\n' }],
  reverse(s) {
    return undo(`DROP POLICY ${qi(s.policy_name ?? '?')} ON ${rel(s.table)}`);
  },
});
