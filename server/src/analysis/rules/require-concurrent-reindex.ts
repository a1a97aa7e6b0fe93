/**
 * REINDEX without CONCURRENTLY (PostgreSQL 12+): a SHARE lock on the table and ACCESS EXCLUSIVE on the index, which in
 * practice stops reads too, because planning a query on a table locks all of its indexes.
 */
import type { Node, ReindexStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'require-concurrent-reindex',
  description: 'Rebuilding indexes without CONCURRENTLY blocks writes and, through the index lock, reads of the table.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    index: 'REINDEX INDEX `{index}` takes an ACCESS EXCLUSIVE lock on the index and a SHARE lock on its table: writes wait, and so do reads, which lock every index of the table while planning, until the rebuild ends.',
    table: 'REINDEX TABLE takes a SHARE lock on `{table}` and an ACCESS EXCLUSIVE lock on each of its indexes: writes wait, and so do reads, which lock every index while planning, until the rebuild ends.',
    many: 'REINDEX {kind} rebuilds every index in it, each table under a SHARE lock and its indexes under ACCESS EXCLUSIVE locks: writes and reads of each table wait until its indexes are rebuilt.',
  },
  help: 'Use REINDEX … CONCURRENTLY (PostgreSQL 12+), outside a transaction block; it builds the new index next to the old one under a SHARE UPDATE EXCLUSIVE lock, which allows reads and writes.',
  docs: {
    rationale:
      'REINDEX locks the table SHARE (no INSERT, UPDATE or DELETE) and the index ACCESS EXCLUSIVE for the whole rebuild. The index lock stops reads as well: the planner locks every index of a table when it plans a query, so a plain `SELECT … WHERE id = 1` waits too (checked on PostgreSQL 15). Since PostgreSQL 12, REINDEX … CONCURRENTLY builds a replacement index without blocking reads or writes and swaps it in; it cannot run inside a transaction block and leaves an invalid `_ccnew` index behind if it fails. REINDEX SYSTEM has no concurrent form and is not reported; neither is an index of a table created earlier in the same migration.',
    bad: ['REINDEX INDEX users_email_idx;', 'REINDEX TABLE users;'],
    good: ['REINDEX INDEX CONCURRENTLY users_email_idx;', 'REINDEX (VERBOSE) TABLE CONCURRENTLY users;'],
  },
  check({ statement, facts, options, catalog, report }) {
    const r = as<ReindexStmt>(statement.node, 'ReindexStmt');
    if (!r || options.postgresVersion < 12 || r.kind === 'REINDEX_OBJECT_SYSTEM') return;
    if ((r.params ?? []).some((p: Node) => as<{ defname?: string }>(p, 'DefElem')?.defname === 'concurrently')) return;
    const keyword = /^REINDEX\s*(?:\([^)]*\)\s*)?(INDEX|TABLE|SCHEMA|DATABASE)\b/i.exec(statement.text);
    const at = statement.span.start + (keyword?.[0].length ?? 0);
    const fix = keyword ? { title: 'Add CONCURRENTLY', edits: [{ start: at, end: at, newText: ' CONCURRENTLY' }], preferred: !facts.inTransaction } : undefined;
    if (r.kind === 'REINDEX_OBJECT_INDEX') {
      const tableKey = catalog.indexes.get(relationKey(r.relation))?.tableKey;
      if (tableKey && facts.createdBefore.has(tableKey)) return;
      report({ messageId: 'index', data: { index: relationName(r.relation) }, fix });
    } else if (r.kind === 'REINDEX_OBJECT_TABLE') {
      if (facts.createdBefore.has(relationKey(r.relation))) return;
      report({ messageId: 'table', data: { table: relationName(r.relation) }, fix });
    } else {
      const kind = r.kind === 'REINDEX_OBJECT_SCHEMA' ? 'SCHEMA' : 'DATABASE';
      report({ messageId: 'many', data: { kind: r.name ? `${kind} \`${r.name}\`` : kind }, fix });
    }
  },
});
