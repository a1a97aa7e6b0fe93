/** GRANT → REVOKE (of privileges and of role membership); a REVOKE cannot be undone without knowing what was held before. */
import type { GrantRoleStmt, GrantStmt, Node } from '@pgsql/types';
import { kindOf } from '../../ast';
import { defineReverser, irreversible, undo } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<GrantStmt & GrantRoleStmt>({
  id: 'grant',
  description: 'A GRANT is undone by the matching REVOKE.',
  handles: ['GrantStmt', 'GrantRoleStmt'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'GRANT SELECT, INSERT ON t TO PUBLIC;', down: 'REVOKE SELECT, INSERT ON t FROM PUBLIC RESTRICT;\n' },
    {
      name: 'REVOKE: what was held before is not known statically',
      schema: 'CREATE TABLE t (a int);',
      up: 'REVOKE ALL ON t FROM PUBLIC;',
      down: '-- IRREVERSIBLE: which of the revoked privileges were held before is not known statically (to give them all back: GRANT ALL ON t TO PUBLIC)\n',
      irreversible: ['which of the revoked privileges were held before is not known statically (to give them all back: GRANT ALL ON t TO PUBLIC)'],
    },
  ],
  reverse(s, ctx) {
    const kind = kindOf(ctx.statement.node);
    const flipped = { ...s, is_grant: !s.is_grant } as Record<string, unknown>;
    // A GRANT … WITH GRANT OPTION is undone by a plain REVOKE (which also takes the option away).
    if (kind === 'GrantStmt') flipped.grant_option = s.is_grant ? false : s.grant_option;
    const sql = deparse({ [kind]: flipped } as unknown as Node);
    // A REVOKE may take away privileges that were never held; giving them all back could grant more than before.
    if (!s.is_grant) return irreversible(`which of the revoked ${kind === 'GrantStmt' ? 'privileges' : 'roles'} were held before is not known statically (to give them all back: ${sql})`);
    return undo(sql);
  },
});
