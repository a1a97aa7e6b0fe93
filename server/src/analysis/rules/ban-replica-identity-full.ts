/** REPLICA IDENTITY FULL: every UPDATE and DELETE logs the whole old row, and logical replicas match rows by all columns. */
import type { AlterTableCmd, AlterTableStmt, ReplicaIdentityStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { lockPhrase } from '../lockHold';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-replica-identity-full',
  description: 'REPLICA IDENTITY FULL makes every UPDATE and DELETE write the whole old row to the WAL and slows logical replication.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    existing: 'REPLICA IDENTITY FULL takes {lock} lock on `{table}`, and from then on every UPDATE and DELETE on `{table}` writes the whole old row to the WAL: more WAL, more replication lag, and subscribers without a usable index scan the table for each change.',
    created: 'REPLICA IDENTITY FULL makes every UPDATE and DELETE on `{table}` write the whole old row to the WAL: more WAL, more replication lag, and subscribers without a usable index scan the table for each change.',
  },
  help: 'Give the table a primary key (the default identity), or use REPLICA IDENTITY USING INDEX with a unique index on NOT NULL columns.',
  docs: {
    rationale:
      'Logical replication identifies the row an UPDATE or DELETE changed by its replica identity. With FULL, the identity is the entire old row: every change writes all old column values (TOASTed ones included) to the WAL, inflating WAL volume and replication lag, and a subscriber that has no suitable index must scan its copy of the table to apply each change. The statement also takes an ACCESS EXCLUSIVE lock on the table. A primary key, or `REPLICA IDENTITY USING INDEX` on a unique index of NOT NULL columns, identifies rows by their key only. FULL is reasonable only for tables without any unique key, and small ones at that.',
    bad: ['ALTER TABLE events REPLICA IDENTITY FULL;'],
    good: ['ALTER TABLE events REPLICA IDENTITY USING INDEX events_id_key;', 'ALTER TABLE events REPLICA IDENTITY DEFAULT;'],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation) return;
    const full = (alter.cmds ?? []).some((c) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      return cmd?.subtype === 'AT_ReplicaIdentity' && as<ReplicaIdentityStmt>(cmd.def, 'ReplicaIdentityStmt')?.identity_type === 'f';
    });
    if (!full) return;
    const key = relationKey(alter.relation);
    const table = relationName(alter.relation);
    const lock = facts.effect.locks.find((l) => l.key === key);
    if (facts.createdBefore.has(key) || !lock) report({ messageId: 'created', data: { table } });
    else report({ messageId: 'existing', data: { table, lock: lockPhrase(lock.mode) } });
  },
});
