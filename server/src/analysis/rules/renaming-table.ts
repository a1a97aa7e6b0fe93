/** ALTER TABLE … RENAME TO breaks the release that is still running and uses the old name. */
import type { RenameStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'renaming-table',
  description: 'Renaming a table breaks the application code that still uses the old name.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    rename: 'Renaming `{from}` to `{to}` breaks every running query that still uses `{from}` until the new code is deployed everywhere.',
  },
  help: 'Rename in steps: rename the table and create a view with the old name in the same transaction, deploy code that uses the new name, then drop the view.',
  docs: {
    rationale:
      'During a deploy the old release keeps serving traffic while the migration runs, and its queries name the old table: they fail as soon as the rename commits. A simple view with the old name (`CREATE VIEW old AS SELECT * FROM new`) is updatable, so old code keeps reading and writing through it until the new release is live; drop the view in a later migration. Tables created earlier in the same migration are exempt: nobody uses them yet (squawk flags those too). On by default as a warning, as in squawk.',
    bad: ['ALTER TABLE users RENAME TO accounts;', 'ALTER TABLE IF EXISTS app.users RENAME TO accounts;'],
    good: [
      'CREATE TABLE users_new (id bigint);\nALTER TABLE users_new RENAME TO accounts;',
      'ALTER TABLE users RENAME COLUMN name TO full_name;',
    ],
  },
  check({ statement, facts, report }) {
    const r = as<RenameStmt>(statement.node, 'RenameStmt');
    if (r?.renameType !== 'OBJECT_TABLE' || !r.relation) return;
    if (facts.createdBefore.has(relationKey(r.relation))) return;
    report({ messageId: 'rename', data: { from: relationName(r.relation), to: r.newname ?? '?' } });
  },
});
