/** RENAME COLUMN breaks the release that is still running and uses the old name. */
import type { RenameStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'renaming-column',
  description: 'Renaming a column breaks the application code that still uses the old name.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    rename: 'Renaming `{table}.{from}` to `{to}` breaks every running query that still uses `{from}` until the new code is deployed everywhere.',
  },
  help: 'Use expand-contract: add the new column, keep both in sync, backfill, switch the code, then drop the old column.',
  docs: {
    rationale:
      'During a deploy the old release keeps serving traffic while the migration runs. Its queries name the old column and fail as soon as the rename commits. Add the new column, keep both in sync with a trigger, backfill in batches, deploy code that uses the new name, and drop the old column in a later migration.',
    bad: ['ALTER TABLE users RENAME COLUMN name TO full_name;'],
    good: ['ALTER TABLE users ADD COLUMN full_name text;', 'CREATE TABLE users (name text);\nALTER TABLE users RENAME COLUMN name TO full_name;'],
  },
  check({ statement, facts, report }) {
    const r = as<RenameStmt>(statement.node, 'RenameStmt');
    if (!r || r.renameType !== 'OBJECT_COLUMN' || r.relationType !== 'OBJECT_TABLE' || !r.relation) return;
    if (facts.createdBefore.has(relationKey(r.relation))) return;
    report({ messageId: 'rename', data: { table: relationName(r.relation), from: r.subname ?? '?', to: r.newname ?? '?' } });
  },
});
