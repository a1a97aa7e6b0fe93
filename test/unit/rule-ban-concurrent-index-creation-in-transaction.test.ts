/** ban-concurrent-index-creation-in-transaction: CREATE INDEX CONCURRENTLY inside BEGIN … COMMIT fails at run time. */
import rule from '../../server/src/analysis/rules/ban-concurrent-index-creation-in-transaction';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    { name: 'plain CREATE INDEX in a transaction', sql: 'BEGIN;\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;' },
    { name: 'after COMMIT', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN email text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'after ROLLBACK', sql: 'BEGIN;\nSELECT 1;\nROLLBACK;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'after END', sql: 'START TRANSACTION;\nSELECT 1;\nEND;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'outside, with assumeInTransaction off', sql: 'CREATE UNIQUE INDEX CONCURRENTLY k ON users (email);', options: { assumeInTransaction: false } },
    { name: 'only index creation is this rule', sql: 'BEGIN;\nDROP INDEX CONCURRENTLY users_email_idx;\nCOMMIT;' },
  ],
  invalid: [
    {
      sql: 'BEGIN;\n«CREATE INDEX CONCURRENTLY users_email_idx ON users (email)»;\nCOMMIT;',
      errors: [{ messageId: 'inTransaction' }],
    },
    {
      name: 'START TRANSACTION, UNIQUE, IF NOT EXISTS, schema-qualified',
      sql: 'START TRANSACTION;\n«CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS k ON app.users (email)»;\nCOMMIT;',
      errors: [{ messageId: 'inTransaction' }],
    },
    {
      name: 'no COMMIT: the transaction runs to the end of the file',
      sql: 'BEGIN;\nSELECT 1;\n«CREATE INDEX CONCURRENTLY i ON t (a)»;',
      errors: [{ messageId: 'inTransaction' }],
    },
    {
      name: 'the migration tool wraps the file (assumeInTransaction)',
      sql: '«CREATE INDEX CONCURRENTLY users_email_idx ON users (email)»;',
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'inTransaction' }],
    },
    {
      name: 'two in one transaction, one before it',
      sql: 'CREATE INDEX CONCURRENTLY a ON t (a);\nBEGIN;\n«CREATE INDEX CONCURRENTLY b ON t (b)»;\n«CREATE INDEX CONCURRENTLY c ON t (c)»;\nCOMMIT;',
      errors: [{ messageId: 'inTransaction' }, { messageId: 'inTransaction' }],
    },
    {
      name: 'second transaction in the file',
      sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\n«CREATE INDEX CONCURRENTLY b ON t (b)»;\nCOMMIT;',
      errors: [{ messageId: 'inTransaction' }],
    },
  ],
});
