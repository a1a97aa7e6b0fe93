/** ALTER TABLE … DROP COLUMN on an existing table: running code that still uses the column breaks, the data is gone. */
import type { AlterTableCmd, AlterTableStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { alterTableCommands } from '../parts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-column',
  description: 'Dropping a column breaks the application code that still uses it and deletes its data.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    drop: 'Dropping `{table}.{column}` breaks every running query that still reads or writes it (including `SELECT *` mapped onto a fixed set of fields), and its values cannot be brought back.',
  },
  help: 'Stop using the column in the code and deploy that first (ORMs: mark it ignored); drop it in a later migration.',
  docs: {
    rationale:
      'During a deploy the old release keeps serving traffic while the migration runs. Its INSERTs and UPDATEs that name the column fail as soon as the drop commits, and ORMs that list every mapped column in their queries fail on reads too. The values are deleted, so a down migration can only bring back an empty column. Drop a column in the last step of expand-contract, after a release that no longer uses it is live everywhere, and silence this rule there with a reason. Columns of tables created earlier in the same migration are exempt (squawk flags those too). On by default as a warning, as in squawk.',
    bad: ['ALTER TABLE users DROP COLUMN legacy_name;', 'ALTER TABLE app.users DROP COLUMN IF EXISTS a, DROP COLUMN b CASCADE;'],
    good: [
      'CREATE TABLE users (id bigint, tmp text);\nALTER TABLE users DROP COLUMN tmp;',
      'ALTER TABLE users ALTER COLUMN legacy_name DROP NOT NULL;',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || (alter.objtype && alter.objtype !== 'OBJECT_TABLE')) return;
    if (facts.createdBefore.has(relationKey(alter.relation))) return;
    // The scanner runs only for a statement that drops a column (it places the finding on the subcommand).
    let parts: ReturnType<typeof alterTableCommands> | null = null;
    (alter.cmds ?? []).forEach((c, k) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_DropColumn') return;
      if (parts === null) parts = alterTableCommands(statement, alter);
      report({ messageId: 'drop', data: { table: relationName(alter.relation), column: cmd.name ?? '?' }, span: parts?.[k].span });
    });
  },
});
