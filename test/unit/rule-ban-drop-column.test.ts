/** ban-drop-column: ALTER TABLE … DROP COLUMN on a table that existed before the migration. */
import rule from '../../server/src/analysis/rules/ban-drop-column';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'table created earlier in the file', sql: 'CREATE TABLE users (id bigint, tmp text);\nALTER TABLE users DROP COLUMN tmp;' },
    'ALTER TABLE users ALTER COLUMN legacy DROP NOT NULL;',
    'ALTER TABLE users DROP CONSTRAINT users_legacy_check;',
    'ALTER TABLE users ADD COLUMN nickname text;',
    'DROP TABLE users;',
    'ALTER TYPE address DROP ATTRIBUTE zip;',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users «DROP COLUMN legacy_name»;',
      errors: [{ messageId: 'drop', data: { table: 'users', column: 'legacy_name' } }],
    },
    {
      name: 'two columns, IF EXISTS and CASCADE: one finding each, on its subcommand',
      sql: 'ALTER TABLE app.users «DROP COLUMN IF EXISTS a», «DROP b CASCADE»;',
      errors: [
        { messageId: 'drop', data: { table: 'app.users', column: 'a' } },
        { messageId: 'drop', data: { table: 'app.users', column: 'b' } },
      ],
    },
    {
      name: 'mixed with other subcommands',
      sql: 'ALTER TABLE users ADD COLUMN full_name text, «DROP COLUMN name»;',
      errors: [{ messageId: 'drop', data: { column: 'name' } }],
    },
    {
      name: 'same-named table created in another schema',
      sql: 'CREATE TABLE app.users (id bigint);\nALTER TABLE users «DROP COLUMN id»;',
      errors: [{ messageId: 'drop', data: { table: 'users' } }],
    },
    {
      name: 'ONLY, lower case, comment inside',
      sql: 'alter table only users /* legacy */ «drop column name»;',
      errors: [{ messageId: 'drop', data: { table: 'users', column: 'name' } }],
    },
    {
      name: 'Flyway placeholder in the table name',
      sql: 'ALTER TABLE ${schema}.users «DROP COLUMN name»;',
      errors: [{ messageId: 'drop', data: { table: '${schema}.users', column: 'name' } }],
    },
  ],
});
