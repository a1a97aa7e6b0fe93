/** require-table-schema (opt-in): unqualified table names. */
import rule from '../../server/src/analysis/rules/require-table-schema';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE TABLE public.users (id bigint);',
    'ALTER TABLE app.users ADD COLUMN nickname text;',
    'DROP TABLE public.users, app.sessions;',
    { name: 'temporary tables live in pg_temp', sql: 'CREATE TEMP TABLE staging (id bigint);\nCREATE INDEX staging_id_idx ON staging (id);\nDROP TABLE staging;' },
    { name: 'temporary CREATE TABLE AS', sql: 'CREATE TEMPORARY TABLE s AS SELECT 1;' },
    { name: 'statements that name no table', sql: 'SELECT 1;\nCREATE SCHEMA app;' },
    { name: 'off unless enabled', sql: 'CREATE TABLE users (id bigint);', options: { rules: { 'require-table-schema': 'off' } } },
  ],
  invalid: [
    { sql: '«CREATE TABLE users (id bigint)»;', errors: [{ messageId: 'unqualified', data: { tables: '`users`' } }] },
    { name: 'CREATE TABLE AS', sql: '«CREATE TABLE stats AS SELECT 1 AS n»;', errors: [{ messageId: 'unqualified', data: { tables: '`stats`' } }] },
    { name: 'ALTER TABLE', sql: '«ALTER TABLE users ADD COLUMN nickname text»;', errors: [{ messageId: 'unqualified', data: { tables: '`users`' } }] },
    {
      name: 'DROP TABLE names only the unqualified ones',
      sql: '«DROP TABLE public.a, b, c»;',
      errors: [{ messageId: 'unqualified', data: { tables: '`b`, `c`' } }],
    },
    { name: 'CREATE INDEX … ON', sql: '«CREATE INDEX users_email_idx ON users (email)»;', errors: [{ messageId: 'unqualified', data: { tables: '`users`' } }] },
    { name: 'ALTER TABLE … RENAME', sql: '«ALTER TABLE users RENAME TO accounts»;', errors: [{ messageId: 'unqualified', data: { tables: '`users`' } }] },
    { name: 'TRUNCATE', sql: '«TRUNCATE users, public.orders»;', errors: [{ messageId: 'unqualified', data: { tables: '`users`' } }] },
  ],
});
