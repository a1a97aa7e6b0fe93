/** renaming-table: ALTER TABLE … RENAME TO on a table that existed before the migration. */
import rule from '../../server/src/analysis/rules/renaming-table';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'created earlier in the file', sql: 'CREATE TABLE users_new (id bigint);\nALTER TABLE users_new RENAME TO users;' },
    { name: 'created earlier, schema-qualified', sql: 'CREATE TABLE app.t (id bigint);\nALTER TABLE app.t RENAME TO u;' },
    'ALTER TABLE users RENAME COLUMN name TO full_name;',
    'ALTER TABLE users RENAME CONSTRAINT a TO b;',
    'ALTER INDEX users_email_idx RENAME TO users_email_key;',
    'ALTER VIEW users_v RENAME TO accounts_v;',
  ],
  invalid: [
    { sql: '«ALTER TABLE users RENAME TO accounts»;', errors: [{ messageId: 'rename', data: { from: 'users', to: 'accounts' } }] },
    {
      name: 'IF EXISTS, qualified',
      sql: '«ALTER TABLE IF EXISTS app.users RENAME TO accounts»;',
      errors: [{ messageId: 'rename', data: { from: 'app.users', to: 'accounts' } }],
    },
    {
      name: 'same name in another schema created earlier',
      sql: 'CREATE TABLE app.users (id bigint);\n«ALTER TABLE users RENAME TO accounts»;',
      errors: [{ messageId: 'rename', data: { from: 'users' } }],
    },
    { name: 'lower case, quoted', sql: '«alter table "Users" rename to "Accounts"»;', errors: [{ messageId: 'rename', data: { from: 'Users', to: 'Accounts' } }] },
    { name: 'inside a transaction', sql: 'BEGIN;\n«ALTER TABLE users RENAME TO accounts»;\nCOMMIT;', errors: [{ messageId: 'rename' }] },
    {
      name: 'two renames in a row: both name a table that existed before the migration',
      sql: '«ALTER TABLE a RENAME TO b»;\n«ALTER TABLE b RENAME TO c»;',
      errors: [{ messageId: 'rename', data: { from: 'a' } }, { messageId: 'rename', data: { from: 'b' } }],
    },
  ],
});
