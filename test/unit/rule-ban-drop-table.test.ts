/** ban-drop-table: dropping a table that existed before the migration. */
import rule from '../../server/src/analysis/rules/ban-drop-table';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'created earlier in the file', sql: 'CREATE TABLE tmp_import (id bigint);\nDROP TABLE tmp_import;' },
    { name: 'created earlier with CREATE TABLE AS', sql: 'CREATE TABLE stats AS SELECT 1 AS n;\nDROP TABLE IF EXISTS stats;' },
    { name: 'temporary table created earlier', sql: 'CREATE TEMP TABLE staging (id bigint);\nDROP TABLE staging;' },
    'DROP VIEW users_view;',
    'DROP INDEX users_email_idx;',
    'ALTER TABLE users DROP COLUMN legacy;',
  ],
  invalid: [
    { sql: '«DROP TABLE users»;', errors: [{ messageId: 'drop', data: { tables: '`users`' } }] },
    {
      name: 'several tables, qualified, IF EXISTS, CASCADE',
      sql: '«DROP TABLE IF EXISTS app.sessions, app.tokens CASCADE»;',
      errors: [{ messageId: 'drop', data: { tables: '`app.sessions`, `app.tokens`' } }],
    },
    {
      name: 'only the tables not created in this file are named',
      sql: 'CREATE TABLE tmp (id bigint);\n«DROP TABLE tmp, users»;',
      errors: [{ messageId: 'drop', data: { tables: '`users`' } }],
    },
    {
      name: 'a same-named table in another schema does not count',
      sql: 'CREATE TABLE app.users (id bigint);\n«DROP TABLE users»;',
      errors: [{ messageId: 'drop', data: { tables: '`users`' } }],
    },
    { name: 'created only later in the file', sql: '«DROP TABLE users»;\nCREATE TABLE users (id bigint);', errors: [{ messageId: 'drop' }] },
    { name: 'lower case', sql: '«drop table if exists "Users"»;', errors: [{ messageId: 'drop', data: { tables: '`Users`' } }] },
  ],
});
