/** CREATE INDEX → CREATE INDEX CONCURRENTLY, after a DROP INDEX CONCURRENTLY IF EXISTS of an invalid leftover. */
import type { IndexStmt } from '@pgsql/types';
import { as } from '../ast';
import { quoteIdent } from '../tokens';
import { concurrentRewrite } from './concurrently';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'create-index-concurrently',
  title: 'Use CONCURRENTLY',
  description: 'Builds the index with CREATE INDEX CONCURRENTLY outside a transaction block, first dropping an invalid index a failed run left behind.',
  appliesTo: ['require-concurrent-index-creation'],
  examples: [
    {
      before: 'CREATE INDEX users_email_idx ON users (email);',
      phases: [
        `-- [standalone] create_index_concurrently (no transaction)
-- CREATE INDEX CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
`,
      ],
    },
    {
      name: 'in a transaction: moves to a new migration',
      before: 'CREATE INDEX users_email_idx ON users (email);',
      options: { assumeInTransaction: true },
      phases: [
        `-- [standalone] moved
-- Deploy 1: this migration.
-- CREATE INDEX moved to the next migration: it cannot run inside a transaction block.
`,
        `-- [standalone] create_index_concurrently (no transaction)
-- CREATE INDEX CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
`,
      ],
    },
  ],
  rewrite(ctx) {
    const idx = as<IndexStmt>(ctx.statement.node, 'IndexStmt');
    if (!idx?.idxname) return undefined;
    const name = idx.relation?.schemaname ? `${quoteIdent(idx.relation.schemaname)}.${quoteIdent(idx.idxname)}` : quoteIdent(idx.idxname);
    const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${name};\n`;
    return concurrentRewrite(ctx, 'require-concurrent-index-creation', 'CREATE INDEX', () => (idx.if_not_exists ? '' : drop), drop);
  },
});
