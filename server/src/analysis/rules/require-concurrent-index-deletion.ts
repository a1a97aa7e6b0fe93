/** DROP INDEX without CONCURRENTLY: an ACCESS EXCLUSIVE lock on the index's table, so reads and writes queue behind it. */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'require-concurrent-index-deletion',
  description: 'Dropping an index without CONCURRENTLY locks its table against reads and writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    known: 'DROP INDEX {index} takes an ACCESS EXCLUSIVE lock on `{table}`, blocking reads and writes until the drop commits (and while it waits for running queries).',
    unknown: 'DROP INDEX {index} takes an ACCESS EXCLUSIVE lock on the index\'s table, blocking reads and writes until the drop commits (and while it waits for running queries).',
  },
  help: 'Use DROP INDEX CONCURRENTLY, one index per statement and outside a transaction block; it waits for running queries without blocking new ones.',
  docs: {
    rationale:
      'A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table as well as the index (checked on PostgreSQL 15 with pg_locks): every query on the table, even a SELECT, waits until the drop commits, and while the drop itself waits for a long-running query, everything queues behind it. DROP INDEX CONCURRENTLY waits for the queries using the index to finish without blocking new ones. It takes one index, no CASCADE, cannot run inside a transaction block, and cannot drop the index of a partitioned table (drop the partitions\' indexes instead). The index of a table created earlier in the same migration is exempt.',
    bad: ['DROP INDEX users_email_idx;', 'DROP INDEX IF EXISTS app.users_email_idx;'],
    good: [
      'DROP INDEX CONCURRENTLY users_email_idx;',
      'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\nDROP INDEX users_email_idx;',
    ],
  },
  check({ statement, facts, catalog, report }) {
    const drop = as<DropStmt>(statement.node, 'DropStmt');
    if (!drop || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent) return;
    const names = (drop.objects ?? []).map((o: Node) => nameListKey(as<{ items?: Node[] }>(o, 'List')?.items)).filter((n) => !!n);
    if (names.length === 0) return;
    // The index names its table only through the catalog; an index whose table was created in this file is harmless.
    const indexes = names.map((n) => catalog.indexes.get(n.key));
    const tableKeys = [...new Set(indexes.map((i) => i?.tableKey))];
    if (tableKeys.every((k) => k !== undefined && facts.createdBefore.has(k))) return;
    const tables = tableKeys.map((k) => (k ? catalog.tables.get(k) : undefined));
    const index = names.map((n) => `\`${n.name}\``).join(', ');
    // One table, known from the index's CREATE INDEX even when its CREATE TABLE was not seen.
    const tableName = tableKeys.length === 1 && tableKeys[0] ? (tables[0]?.name ?? tableKeys[0].replace(/^public\./, '')) : undefined;
    const head = /^DROP\s+INDEX\b/i.exec(statement.text);
    // CONCURRENTLY takes one index and no CASCADE, and fails on a partitioned table's index.
    const fixable = head && names.length === 1 && drop.behavior !== 'DROP_CASCADE' && !tables[0]?.partitioned;
    const at = statement.span.start + (head?.[0].length ?? 0);
    report({
      messageId: tableName ? 'known' : 'unknown',
      data: tableName ? { index, table: tableName } : { index },
      fix: fixable
        ? { title: 'Add CONCURRENTLY', edits: [{ start: at, end: at, newText: ' CONCURRENTLY' }], preferred: !facts.inTransaction }
        : undefined,
    });
  },
});
