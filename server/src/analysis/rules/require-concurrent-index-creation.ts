/** CREATE INDEX without CONCURRENTLY on an existing table: a SHARE lock that blocks writes for the whole build. */
import type { IndexStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'require-concurrent-index-creation',
  description: 'Creating an index without CONCURRENTLY blocks writes to the table until the index is built.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    blocksWrites: 'CREATE INDEX takes a SHARE lock on `{table}`, blocking writes until the index is built.',
  },
  help: 'Use CREATE INDEX CONCURRENTLY, outside a transaction block; it takes a SHARE UPDATE EXCLUSIVE lock, which allows reads and writes.',
  docs: {
    rationale:
      'A plain CREATE INDEX holds a SHARE lock on the table while it reads every row and sorts them: INSERT, UPDATE and DELETE wait for the whole build, which takes minutes on a large table. CREATE INDEX CONCURRENTLY builds in several passes under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes continue. It cannot run inside a transaction block, and a failed build leaves an INVALID index to drop. Tables created earlier in the same migration are exempt: nobody uses them yet.',
    bad: ['CREATE INDEX users_email_idx ON users (email);', 'CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email);'],
    good: [
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'CREATE TABLE users (id bigint, email text);\nCREATE INDEX users_email_idx ON users (email);',
    ],
  },
  check({ statement, facts, report }) {
    const idx = as<IndexStmt>(statement.node, 'IndexStmt');
    if (!idx || idx.concurrent || !idx.relation) return;
    if (facts.createdBefore.has(relationKey(idx.relation))) return;
    const head = /^CREATE\s+(?:UNIQUE\s+)?INDEX\b/i.exec(statement.text);
    const at = statement.span.start + (head?.[0].length ?? 0);
    report({
      messageId: 'blocksWrites',
      data: { table: relationName(idx.relation) },
      fix: head
        ? { title: 'Add CONCURRENTLY', edits: [{ start: at, end: at, newText: ' CONCURRENTLY' }], preferred: !facts.inTransaction }
        : undefined,
    });
  },
});
