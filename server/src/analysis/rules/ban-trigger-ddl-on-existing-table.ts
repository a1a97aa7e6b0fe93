/** CREATE / DROP TRIGGER on a table in use: a lock that blocks writes (CREATE) or everything (DROP) until commit. */
import type { CreateTrigStmt, DropStmt, Node } from '@pgsql/types';
import { as, nameListKey, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-trigger-ddl-on-existing-table',
  description: 'Creating or dropping a trigger on an existing table locks it against writes, or against reads and writes, until the transaction commits.',
  category: 'locking',
  defaultSeverity: 'info',
  recommended: true,
  fixable: false,
  messages: {
    create: 'CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock on `{table}`, blocking writes until the transaction commits; from then on the trigger runs on every write to `{table}`.',
    drop: 'DROP TRIGGER takes an ACCESS EXCLUSIVE lock on `{table}`, blocking reads and writes until the transaction commits.',
  },
  help: 'Run trigger changes in a short transaction of their own, with a lock_timeout, and keep slow statements out of it.',
  docs: {
    rationale:
      'Trigger DDL only changes the catalog, so it is quick once it has its lock, but the lock is stronger than people expect and is held until the transaction commits: CREATE TRIGGER takes SHARE ROW EXCLUSIVE (no INSERT, UPDATE or DELETE), DROP TRIGGER takes ACCESS EXCLUSIVE (not even SELECT). Inside a long migration transaction the table stays blocked for all of it, and while the statement waits for its lock every query behind it queues. Triggers are a legitimate tool (expand-contract keeps two columns in sync with one): this is a reminder, at info level, to give the statement its own short transaction. Tables created earlier in the same migration are not flagged.',
    bad: ['CREATE TRIGGER users_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync();', 'DROP TRIGGER users_sync ON users;'],
    good: [
      'CREATE TABLE audit (id bigint);\nCREATE TRIGGER audit_stamp BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION stamp();',
      'DROP FUNCTION users_sync();',
    ],
  },
  check({ statement, facts, report }) {
    const create = as<CreateTrigStmt>(statement.node, 'CreateTrigStmt');
    if (create?.relation) {
      if (!facts.createdBefore.has(relationKey(create.relation))) report({ messageId: 'create', data: { table: relationName(create.relation) } });
      return;
    }
    const drop = as<DropStmt>(statement.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_TRIGGER') return;
    for (const o of drop.objects ?? []) {
      // DROP TRIGGER name ON table: the list is [schema…, table, trigger].
      const n = nameListKey((as<{ items?: Node[] }>(o, 'List')?.items ?? []).slice(0, -1));
      if (n && !facts.createdBefore.has(n.key)) report({ messageId: 'drop', data: { table: n.name } });
    }
  },
});
