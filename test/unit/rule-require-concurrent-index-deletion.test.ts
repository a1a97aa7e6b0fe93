/** require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY locks the index's table ACCESS EXCLUSIVE. */
import rule from '../../server/src/analysis/rules/require-concurrent-index-deletion';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add CONCURRENTLY', preferred: true };

ruleTests(rule, {
  valid: [
    'DROP INDEX CONCURRENTLY users_email_idx;',
    'DROP INDEX CONCURRENTLY IF EXISTS app.users_email_idx;',
    { name: 'index of a table created earlier in this migration', sql: 'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\nDROP INDEX users_email_idx;' },
    { name: 'schema-qualified, table created earlier', sql: 'CREATE TABLE app.users (email text);\nCREATE INDEX i ON app.users (email);\nDROP INDEX app.i;' },
    { name: 'DROP TABLE is not DROP INDEX', sql: 'DROP TABLE old_users;' },
  ],
  invalid: [
    {
      sql: '«DROP INDEX users_email_idx»;',
      errors: [{ messageId: 'unknown', data: { index: '`users_email_idx`' }, fix: FIX }],
      output: 'DROP INDEX CONCURRENTLY users_email_idx;',
    },
    {
      name: 'IF EXISTS, schema-qualified, lower case',
      sql: '«drop index if exists app.users_email_idx»;',
      errors: [{ messageId: 'unknown', data: { index: '`app.users_email_idx`' } }],
      output: 'drop index CONCURRENTLY if exists app.users_email_idx;',
    },
    {
      name: 'the table is named when the index was created in an earlier migration or above',
      sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON app.users (email);\n«DROP INDEX app.users_email_idx»;',
      errors: [{ messageId: 'known', data: { index: '`app.users_email_idx`', table: 'app.users' } }],
      output: 'CREATE INDEX CONCURRENTLY users_email_idx ON app.users (email);\nDROP INDEX CONCURRENTLY app.users_email_idx;',
    },
    {
      name: 'inside BEGIN … COMMIT the fix is offered but not preferred (CONCURRENTLY fails there)',
      sql: 'BEGIN;\n«DROP INDEX users_email_idx»;\nCOMMIT;',
      errors: [{ messageId: 'unknown', fix: { title: 'Add CONCURRENTLY', preferred: false } }],
      output: 'BEGIN;\nDROP INDEX CONCURRENTLY users_email_idx;\nCOMMIT;',
    },
    {
      name: 'not preferred when the tool wraps the file in a transaction',
      sql: '«DROP INDEX users_email_idx»;',
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'unknown', fix: { preferred: false } }],
      output: 'DROP INDEX CONCURRENTLY users_email_idx;',
    },
    {
      name: 'several indexes: CONCURRENTLY takes one, so no fix',
      sql: '«DROP INDEX a_idx, b_idx»;',
      errors: [{ messageId: 'unknown', data: { index: '`a_idx`, `b_idx`' } }],
    },
    {
      name: 'CASCADE: CONCURRENTLY does not allow it, so no fix',
      sql: '«DROP INDEX a_idx CASCADE»;',
      errors: [{ messageId: 'unknown', data: { index: '`a_idx`' } }],
    },
  ],
});
