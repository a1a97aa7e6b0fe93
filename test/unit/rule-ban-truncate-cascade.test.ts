/** ban-truncate-cascade: TRUNCATE … CASCADE empties the referencing tables too. */
import rule from '../../server/src/analysis/rules/ban-truncate-cascade';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Remove CASCADE', preferred: false };
const SCHEMA = 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE TABLE payments (order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id));\n';

ruleTests(rule, {
  valid: [
    'TRUNCATE users;',
    'TRUNCATE users, orders RESTRICT;',
    'TRUNCATE TABLE ONLY users RESTART IDENTITY;',
    'DROP TABLE users CASCADE;',
    'DELETE FROM users;',
    { name: 'a column named cascade', sql: 'UPDATE t SET cascade = 1;' },
  ],
  invalid: [
    {
      sql: 'TRUNCATE users «CASCADE»;',
      errors: [{ messageId: 'unknown', data: { tables: '`users`' }, fix: FIX }],
      output: 'TRUNCATE users;',
    },
    {
      name: 'the catalog knows the referencing tables, transitively',
      sql: `${SCHEMA}TRUNCATE TABLE users RESTART IDENTITY «CASCADE»;`,
      errors: [{ messageId: 'known', data: { tables: '`users`', others: '`orders`, `payments`' } }],
      output: `${SCHEMA}TRUNCATE TABLE users RESTART IDENTITY;`,
    },
    {
      name: 'tables already listed are not repeated',
      sql: `${SCHEMA}TRUNCATE users, orders «CASCADE»;`,
      errors: [{ messageId: 'known', data: { tables: '`users`, `orders`', others: '`payments`' } }],
      output: `${SCHEMA}TRUNCATE users, orders;`,
    },
    {
      name: 'nothing references the table as far as the catalog knows',
      sql: `${SCHEMA}TRUNCATE payments «CASCADE»;`,
      errors: [{ messageId: 'unknown', data: { tables: '`payments`' } }],
      output: `${SCHEMA}TRUNCATE payments;`,
    },
    {
      name: 'qualified, lower case, across lines',
      sql: 'truncate app.users\n  «cascade»;',
      errors: [{ messageId: 'unknown', data: { tables: '`app.users`' } }],
      output: 'truncate app.users;',
    },
    {
      name: 'a comment before CASCADE is kept',
      sql: 'TRUNCATE users /* all of it */ «CASCADE»;',
      errors: [{ messageId: 'unknown' }],
      output: 'TRUNCATE users /* all of it */;',
    },
  ],
});
