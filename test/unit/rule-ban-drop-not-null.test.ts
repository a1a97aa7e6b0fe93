/** ban-drop-not-null: DROP NOT NULL lets NULLs into a column that readers believe never holds one. */
import rule from '../../server/src/analysis/rules/ban-drop-not-null';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (email text NOT NULL);\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
    { name: 'a domain is not a table', sql: 'ALTER DOMAIN email DROP NOT NULL;' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users ALTER COLUMN email DROP NOT NULL»;',
      errors: [{ messageId: 'dropNotNull', data: { table: 'users', column: 'email' } }],
    },
    {
      name: 'schema-qualified, without COLUMN',
      sql: '«ALTER TABLE app.users ALTER email DROP NOT NULL»;',
      errors: [{ messageId: 'dropNotNull', data: { table: 'app.users', column: 'email' } }],
    },
    {
      name: 'one finding per column',
      sql: '««ALTER TABLE users ALTER COLUMN a DROP NOT NULL, ALTER COLUMN b SET NOT NULL, ALTER COLUMN c DROP NOT NULL»»;',
      errors: [
        { messageId: 'dropNotNull', data: { table: 'users', column: 'a' } },
        { messageId: 'dropNotNull', data: { table: 'users', column: 'c' } },
      ],
    },
    {
      name: 'a same-named table created in another schema does not count',
      sql: 'CREATE TABLE app.users (email text NOT NULL);\n«ALTER TABLE users ALTER COLUMN email DROP NOT NULL»;',
      errors: [{ messageId: 'dropNotNull', data: { table: 'users' } }],
    },
  ],
});
