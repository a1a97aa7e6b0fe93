/** require-concurrent-reindex: REINDEX without CONCURRENTLY (PostgreSQL 12+) blocks writes and, through the index lock, reads. */
import rule from '../../server/src/analysis/rules/require-concurrent-reindex';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add CONCURRENTLY', preferred: true };

ruleTests(rule, {
  valid: [
    'REINDEX INDEX CONCURRENTLY users_email_idx;',
    'REINDEX (VERBOSE) TABLE CONCURRENTLY users;',
    'REINDEX (CONCURRENTLY) TABLE users;',
    { name: 'no CONCURRENTLY before PostgreSQL 12', sql: 'REINDEX TABLE users;', options: { postgresVersion: 11 } },
    { name: 'REINDEX SYSTEM has no concurrent form', sql: 'REINDEX SYSTEM app;' },
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (email text);\nREINDEX TABLE users;' },
    { name: 'index of a table created earlier', sql: 'CREATE TABLE users (email text);\nCREATE INDEX i ON users (email);\nREINDEX INDEX i;' },
  ],
  invalid: [
    {
      sql: '«REINDEX INDEX users_email_idx»;',
      errors: [{ messageId: 'index', data: { index: 'users_email_idx' }, fix: FIX }],
      output: 'REINDEX INDEX CONCURRENTLY users_email_idx;',
    },
    {
      sql: '«REINDEX TABLE app.users»;',
      errors: [{ messageId: 'table', data: { table: 'app.users' }, fix: FIX }],
      output: 'REINDEX TABLE CONCURRENTLY app.users;',
    },
    {
      name: 'options in parentheses, lower case',
      sql: '«reindex (verbose) table users»;',
      errors: [{ messageId: 'table', data: { table: 'users' } }],
      output: 'reindex (verbose) table CONCURRENTLY users;',
    },
    {
      name: 'a whole schema',
      sql: '«REINDEX SCHEMA app»;',
      errors: [{ messageId: 'many', data: { kind: 'SCHEMA `app`' } }],
      output: 'REINDEX SCHEMA CONCURRENTLY app;',
    },
    {
      name: 'the current database (name optional since PostgreSQL 16)',
      sql: '«REINDEX DATABASE»;',
      errors: [{ messageId: 'many', data: { kind: 'DATABASE' } }],
      output: 'REINDEX DATABASE CONCURRENTLY;',
    },
    {
      name: 'inside BEGIN … COMMIT the fix is not preferred',
      sql: 'BEGIN;\n«REINDEX INDEX i»;\nCOMMIT;',
      errors: [{ messageId: 'index', fix: { title: 'Add CONCURRENTLY', preferred: false } }],
      output: 'BEGIN;\nREINDEX INDEX CONCURRENTLY i;\nCOMMIT;',
    },
    {
      name: 'an index created earlier on an existing table still locks that table',
      sql: 'CREATE INDEX CONCURRENTLY i ON users (email);\n«REINDEX INDEX i»;',
      errors: [{ messageId: 'index', data: { index: 'i' } }],
      output: 'CREATE INDEX CONCURRENTLY i ON users (email);\nREINDEX INDEX CONCURRENTLY i;',
    },
  ],
});
