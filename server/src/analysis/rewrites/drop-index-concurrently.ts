/** DROP INDEX → DROP INDEX CONCURRENTLY, outside a transaction block. */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { quoteIdent } from '../tokens';
import { concurrentRewrite } from './concurrently';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'drop-index-concurrently',
  title: 'Use CONCURRENTLY',
  description: 'Drops the index with DROP INDEX CONCURRENTLY outside a transaction block, which waits for running queries without blocking new ones.',
  appliesTo: ['require-concurrent-index-deletion'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);',
      before: 'DROP INDEX users_email_idx;',
      phases: [
        `-- [standalone] drop_index_concurrently (no transaction)
-- DROP INDEX CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.
DROP INDEX CONCURRENTLY users_email_idx;

-- down:
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users (email);
`,
      ],
    },
  ],
  rewrite(ctx) {
    const drop = as<DropStmt>(ctx.statement.node, 'DropStmt');
    const key = nameListKey(as<{ items?: Node[] }>(drop?.objects?.[0], 'List')?.items);
    const index = key ? ctx.catalog.indexes.get(key.key) : undefined;
    const table = index ? ctx.catalog.tables.get(index.tableKey) : undefined;
    // The down rebuilds the index when the catalog knows its table and plain columns.
    const plain = index && table && index.columns.every((c) => c !== '(expression)');
    const down = plain
      ? `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(index.name)} ON ${index.tableKey.split('.').map(quoteIdent).join('.')} (${index.columns.map(quoteIdent).join(', ')});\n`
      : '-- IRREVERSIBLE: the index definition is not known from earlier migrations; recreate it with CREATE INDEX CONCURRENTLY.\n';
    return concurrentRewrite(ctx, 'require-concurrent-index-deletion', 'DROP INDEX', () => '', down);
  },
});
