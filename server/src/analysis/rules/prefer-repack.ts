/** VACUUM FULL and CLUSTER copy the whole table under ACCESS EXCLUSIVE; pg_repack does the same work online. */
import type { ClusterStmt, Node, RangeVar, VacuumStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

/** A boolean option's value: absent, `true`, `on`, `1` turn it on; `false`, `off`, `0` turn it off. */
function optionOn(arg: Node | undefined): boolean {
  if (!arg) return true;
  const s = as<{ sval?: string }>(arg, 'String')?.sval;
  if (s !== undefined) return !/^(?:false|off|no|0)$/i.test(s);
  const i = as<{ ival?: number }>(arg, 'Integer');
  if (i) return (i.ival ?? 0) !== 0;
  const b = as<{ boolval?: boolean }>(arg, 'Boolean');
  return b ? !!b.boolval : true;
}

export default defineRule({
  id: 'prefer-repack',
  description: 'VACUUM FULL and CLUSTER rewrite the table under a lock that blocks reads and writes; pg_repack does it online.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    vacuumFull: 'VACUUM FULL rewrites {tables} under an ACCESS EXCLUSIVE lock, blocking reads and writes until the copy and its index rebuilds are done.',
    vacuumFullAll: 'VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock that blocks its reads and writes until its copy is done.',
    cluster: 'CLUSTER rewrites `{table}` in index order under an ACCESS EXCLUSIVE lock, blocking reads and writes until the copy and its index rebuilds are done.',
    clusterAll: 'CLUSTER without a table rewrites every table clustered before, each under an ACCESS EXCLUSIVE lock that blocks its reads and writes until its copy is done.',
  },
  help: 'Use pg_repack (or pg_squeeze) to rebuild or reorder the table online; it holds an ACCESS EXCLUSIVE lock only briefly at the start and end.',
  docs: {
    rationale:
      'VACUUM FULL and CLUSTER write a new copy of the table and rebuild all of its indexes while holding an ACCESS EXCLUSIVE lock (checked on PostgreSQL 15: new relfilenodes for the table and every index), so nothing can read or write the table for the whole copy, which takes minutes to hours on a large table. The pg_repack extension (or pg_squeeze) builds the copy while the table stays in use, replays the changes made meanwhile, and swaps the files under a brief lock. Plain VACUUM, which does not rewrite, is not reported; neither is a table created earlier in the same migration.',
    bad: ['VACUUM FULL users;', 'CLUSTER users USING users_created_at_idx;'],
    good: ['VACUUM (ANALYZE) users;', 'ALTER TABLE users CLUSTER ON users_created_at_idx;'],
  },
  check({ statement, facts, report }) {
    const vacuum = as<VacuumStmt>(statement.node, 'VacuumStmt');
    if (vacuum) {
      const full = (vacuum.options ?? []).some((o: Node) => {
        const d = as<{ defname?: string; arg?: Node }>(o, 'DefElem');
        return d?.defname === 'full' && optionOn(d.arg);
      });
      if (!full || !vacuum.is_vacuumcmd) return;
      const rels = (vacuum.rels ?? []).map((r: Node) => as<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation).filter((r): r is RangeVar => !!r);
      if (rels.length === 0) return report({ messageId: 'vacuumFullAll' });
      const existing = rels.filter((r) => !facts.createdBefore.has(relationKey(r)));
      if (existing.length) report({ messageId: 'vacuumFull', data: { tables: existing.map((r) => `\`${relationName(r)}\``).join(', ') } });
      return;
    }
    const cluster = as<ClusterStmt>(statement.node, 'ClusterStmt');
    if (!cluster) return;
    if (!cluster.relation) return report({ messageId: 'clusterAll' });
    if (!facts.createdBefore.has(relationKey(cluster.relation))) report({ messageId: 'cluster', data: { table: relationName(cluster.relation) } });
  },
});
