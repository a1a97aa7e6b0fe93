/** renaming-column: a rename breaks the release that still uses the old name. */
import rule from '../../server/src/analysis/rules/renaming-column';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD COLUMN full_name text;',
    { name: 'table created earlier', sql: 'CREATE TABLE users (name text);\nALTER TABLE users RENAME COLUMN name TO full_name;' },
    { name: 'table created earlier with CREATE TABLE AS', sql: 'CREATE TABLE users AS SELECT 1 AS name;\nALTER TABLE users RENAME COLUMN name TO full_name;' },
    { name: 'renaming a table is not this rule', sql: 'ALTER TABLE users RENAME TO members;' },
    { name: 'renaming a constraint', sql: 'ALTER TABLE users RENAME CONSTRAINT a TO b;' },
    { name: 'renaming an index', sql: 'ALTER INDEX users_email_idx RENAME TO users_email_key;' },
    { name: 'view column', sql: 'ALTER VIEW active_users RENAME COLUMN name TO full_name;' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users RENAME COLUMN name TO full_name»;',
      errors: [{ messageId: 'rename', data: { table: 'users', from: 'name', to: 'full_name' } }],
    },
    {
      name: 'COLUMN keyword omitted, IF EXISTS ONLY, schema-qualified',
      sql: '«ALTER TABLE IF EXISTS ONLY app.users RENAME name TO full_name»;',
      errors: [{ messageId: 'rename', data: { table: 'app.users', from: 'name', to: 'full_name' } }],
    },
    {
      name: 'quoted identifiers keep their case',
      sql: '«ALTER TABLE "Users" RENAME COLUMN "Name" TO "FullName"»;',
      errors: [{ messageId: 'rename', data: { table: 'Users', from: 'Name', to: 'FullName' } }],
    },
    {
      name: 'same-named table created in another schema',
      sql: 'CREATE TABLE app.users (name text);\n«ALTER TABLE users RENAME COLUMN name TO full_name»;',
      errors: [{ messageId: 'rename', data: { table: 'users' } }],
    },
    {
      name: 'renamed before the table is created later in the file',
      sql: '«ALTER TABLE users RENAME COLUMN name TO full_name»;\nCREATE TABLE users (name text);',
      errors: [{ messageId: 'rename' }],
    },
  ],
});
