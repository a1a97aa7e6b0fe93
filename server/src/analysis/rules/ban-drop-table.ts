/** DROP TABLE on a table that exists before the migration: running code that still uses it breaks, the data is gone. */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-table',
  description: 'Dropping a table breaks the application code that still uses it and deletes its data.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    drop: 'Dropping {tables} breaks every running query that still uses it, and its rows cannot be brought back.',
  },
  help: 'Remove every use of the table from the code and deploy that first; drop the table in a later migration, once nothing reads or writes it.',
  docs: {
    rationale:
      'During a deploy the old release keeps serving traffic while the migration runs, and its queries fail as soon as the table is gone. A DROP TABLE also cannot be reverted by a down migration: the data is lost. Drop a table in the last step of expand-contract, after a release that no longer uses it is live everywhere, and silence this rule there with a reason. Tables created earlier in the same migration are exempt (nobody uses them yet). Same id and scope as squawk, which also flags tables the migration itself created. On by default as a warning, as in squawk.',
    bad: ['DROP TABLE users;', 'DROP TABLE IF EXISTS app.sessions, app.tokens CASCADE;'],
    good: ['CREATE TABLE import_batch (id bigint);\nDROP TABLE import_batch;', 'DROP INDEX CONCURRENTLY users_email_idx;'],
  },
  check({ statement, facts, report }) {
    const drop = as<DropStmt>(statement.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_TABLE') return;
    const names = (drop.objects ?? [])
      .map((o: Node) => nameListKey(as<{ items?: Node[] }>(o, 'List')?.items))
      .filter((n) => !!n && !facts.createdBefore.has(n.key));
    if (names.length === 0) return;
    report({ messageId: 'drop', data: { tables: names.map((n) => `\`${n!.name}\``).join(', ') } });
  },
});
