/** ban-alter-type-rename-value: renaming an enum label breaks the release that still uses the old one. */
import rule from '../../server/src/analysis/rules/ban-alter-type-rename-value';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    "ALTER TYPE order_status ADD VALUE 'cancelled';",
    { name: 'enum created earlier in the migration', sql: "CREATE TYPE order_status AS ENUM ('open', 'canceled');\nALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';" },
    { name: 'schema-qualified enum created earlier', sql: "CREATE TYPE shop.status AS ENUM ('a');\nALTER TYPE shop.status RENAME VALUE 'a' TO 'b';" },
    'ALTER TYPE order_status RENAME TO order_state;',
  ],
  invalid: [
    {
      sql: "«ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled'»;",
      errors: [{ messageId: 'rename', data: { type: 'order_status', from: 'canceled', to: 'cancelled' } }],
    },
    {
      name: 'schema-qualified',
      sql: "«ALTER TYPE shop.status RENAME VALUE 'a' TO 'b'»;",
      errors: [{ messageId: 'rename', data: { type: 'shop.status', from: 'a', to: 'b' } }],
    },
    {
      name: 'an enum of the same name in another schema was created',
      sql: "CREATE TYPE shop.status AS ENUM ('a');\n«ALTER TYPE status RENAME VALUE 'a' TO 'b'»;",
      errors: [{ messageId: 'rename', data: { type: 'status' } }],
    },
    {
      name: 'created only later in the file',
      sql: "«ALTER TYPE status RENAME VALUE 'a' TO 'b'»;\nCREATE TYPE status AS ENUM ('a');",
      errors: [{ messageId: 'rename' }],
    },
    {
      name: 'quoted labels with spaces',
      sql: "«ALTER TYPE mood RENAME VALUE 'so so' TO 'meh'»;",
      errors: [{ messageId: 'rename', data: { from: 'so so', to: 'meh' } }],
    },
    {
      name: 'inside a transaction',
      sql: "BEGIN;\n«ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'»;\nCOMMIT;",
      errors: [{ messageId: 'rename', data: { type: 'mood' } }],
    },
  ],
});
