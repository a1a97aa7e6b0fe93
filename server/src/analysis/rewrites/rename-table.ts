/** RENAME TABLE → rename plus an updatable view under the old name in one transaction; a later migration drops the view. */
import type { RenameStmt } from '@pgsql/types';
import { as } from '../ast';
import { place, reports, tableName } from './helpers';
import { renameTablePhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'rename-table',
  title: 'Rename with a view under the old name',
  description: 'Renames the table and creates a simple (updatable) view under the old name in the same transaction; a later migration drops the view.',
  appliesTo: ['renaming-table'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, name text);',
      before: 'ALTER TABLE users RENAME TO accounts;',
      phases: [
        `-- [expand] rename_users_to_accounts
-- Deploy 1 of 2 (expand): renames \`users\` to \`accounts\` and leaves an updatable view under the old name.
-- Safe while the current release runs: its queries on \`users\` go through the view.
SET lock_timeout = '5s';
-- migration-guard-ignore renaming-table: the old name stays usable as a view until the contract migration
ALTER TABLE users RENAME TO accounts;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only, and in the transaction of the rename so that no query sees neither name
CREATE VIEW users AS SELECT * FROM accounts;

-- down:
SET lock_timeout = '5s';
DROP VIEW IF EXISTS users;
-- migration-guard-ignore renaming-table: rolls back the rename
ALTER TABLE accounts RENAME TO users;
`,
        `-- [contract] drop_view_users
-- Deploy 2 of 2 (contract): run only after no running release uses the name \`users\`.
SET lock_timeout = '5s';
DROP VIEW IF EXISTS users;

-- down:
SET lock_timeout = '5s';
CREATE VIEW users AS SELECT * FROM accounts;
`,
      ],
    },
    {
      name: 'table created in this file: nothing to rewrite',
      before: 'CREATE TABLE users (id bigint);\nALTER TABLE $0users RENAME TO accounts;',
      phases: [],
    },
  ],
  rewrite(ctx) {
    const r = as<RenameStmt>(ctx.statement.node, 'RenameStmt');
    if (r?.renameType !== 'OBJECT_TABLE' || !r.newname || !reports(ctx, 'renaming-table')) return undefined;
    const phases = renameTablePhases({ ...tableName(r.relation), newName: r.newname, ...ctx.options });
    return place(ctx, 'Rename with a view under the old name', true, phases, 'RENAME TABLE');
  },
});
