/** CREATE INDEX CONCURRENTLY inside a transaction block fails at run time. */
import type { IndexStmt } from '@pgsql/types';
import { as } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-concurrent-index-creation-in-transaction',
  description: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block.',
  category: 'correctness',
  defaultSeverity: 'error',
  recommended: true,
  fixable: false,
  messages: {
    inTransaction: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the migration fails with "cannot run inside a transaction block".',
  },
  help: 'Move the statement to its own migration that runs outside a transaction (and tell the migration tool not to wrap it).',
  docs: {
    rationale:
      'PostgreSQL refuses CREATE INDEX CONCURRENTLY inside BEGIN … COMMIT, because the concurrent build must commit between its phases. Put it in a migration of its own and disable the tool\'s transaction for it (dbmate `transaction:false`, diesel `run_in_transaction = false`, goose `NO TRANSACTION`).',
    bad: ['BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;'],
    good: ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);'],
  },
  check({ statement, facts, report }) {
    const idx = as<IndexStmt>(statement.node, 'IndexStmt');
    if (idx?.concurrent && facts.inTransaction) report({ messageId: 'inTransaction' });
  },
});
