/** REINDEX → REINDEX … CONCURRENTLY (PostgreSQL 12+), outside a transaction block. */
import { concurrentRewrite } from './concurrently';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'reindex-concurrently',
  title: 'Use CONCURRENTLY',
  description: 'Rebuilds with REINDEX … CONCURRENTLY outside a transaction block, which builds a replacement index without blocking reads or writes.',
  appliesTo: ['require-concurrent-reindex'],
  examples: [
    {
      before: 'REINDEX INDEX users_email_idx;',
      phases: [
        `-- [standalone] reindex_concurrently (no transaction)
-- REINDEX CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.
REINDEX INDEX CONCURRENTLY users_email_idx;

-- down:
-- Nothing to undo: REINDEX only rebuilds the index.
`,
      ],
    },
  ],
  rewrite(ctx) {
    return concurrentRewrite(ctx, 'require-concurrent-reindex', 'REINDEX', () => '', '-- Nothing to undo: REINDEX only rebuilds the index.\n');
  },
});
