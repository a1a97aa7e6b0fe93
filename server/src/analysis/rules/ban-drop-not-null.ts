/** DROP NOT NULL lets NULLs into a column that running code believes can never hold one. */
import type { AlterTableCmd, AlterTableStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-not-null',
  description: 'Dropping NOT NULL from a column can break code that reads it and does not expect NULL.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    dropNotNull: 'Dropping NOT NULL on `{table}.{column}` lets NULLs in, which code written for the old schema (still running during the deploy, and any other reader) may not handle.',
  },
  help: 'Deploy code that handles NULL in this column everywhere first; then keep the change and silence this finding with a reason.',
  docs: {
    rationale:
      'The statement itself is quick (an ACCESS EXCLUSIVE lock held only to update the catalog), but it changes a promise: readers such as the release still serving traffic, reporting jobs, other services and generated types may assume the column is never NULL and fail on the first NULL the new code writes. Make every reader tolerate NULL before the migration. A table created earlier in the same migration is exempt.',
    bad: ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;'],
    good: ['ALTER TABLE users ALTER COLUMN email SET DEFAULT \'\';', 'CREATE TABLE users (email text NOT NULL);\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;'],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_DropNotNull') report({ messageId: 'dropNotNull', data: { table: relationName(alter.relation), column: cmd.name ?? '?' } });
    }
  },
});
