/** DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+): ACCESS EXCLUSIVE on the partitioned table and the partition. */
import type { AlterTableCmd, AlterTableStmt, RangeVar } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'require-concurrent-partition-detach',
  description: 'Detaching a partition without CONCURRENTLY blocks reads and writes of the whole partitioned table.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    detach: 'DETACH PARTITION takes ACCESS EXCLUSIVE locks on `{table}` and `{partition}`, blocking reads and writes of every partition of `{table}` until it commits.',
  },
  help: 'Use DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), outside a transaction block; it needs only SHARE UPDATE EXCLUSIVE on the partitioned table.',
  docs: {
    rationale:
      'A plain DETACH PARTITION locks the partitioned table and the partition ACCESS EXCLUSIVE (and a DEFAULT partition too; checked on PostgreSQL 15): no query can read or write any partition until it commits, and while it waits for a running query everything queues behind it. Since PostgreSQL 14, DETACH PARTITION … CONCURRENTLY takes SHARE UPDATE EXCLUSIVE on the partitioned table and runs in two transactions, so reads and writes continue. It cannot run inside a transaction block, nor when the table has a DEFAULT partition; if it is interrupted, finish it with DETACH PARTITION … FINALIZE. Not reported before PostgreSQL 14, where there is no alternative, nor for a table created earlier in the same migration.',
    bad: ['ALTER TABLE measurements DETACH PARTITION measurements_2020;'],
    good: ['ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;', 'ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;'],
  },
  check({ statement, facts, options, report }) {
    if (options.postgresVersion < 14) return;
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_DetachPartition') continue;
      const part = as<{ name?: RangeVar; concurrent?: boolean }>(cmd.def, 'PartitionCmd');
      if (part?.concurrent) continue;
      // DETACH PARTITION is a statement of its own in the grammar: CONCURRENTLY goes at its end.
      const at = statement.span.end;
      report({
        messageId: 'detach',
        data: { table: relationName(alter.relation), partition: relationName(part?.name) },
        fix: { title: 'Add CONCURRENTLY', edits: [{ start: at, end: at, newText: ' CONCURRENTLY' }], preferred: !facts.inTransaction },
      });
    }
  },
});
