/** ban-enum-add-value-in-transaction: ADD VALUE fails in a transaction before PostgreSQL 12; its value is unusable until commit. */
import rule from '../../server/src/analysis/rules/ban-enum-add-value-in-transaction';
import { ruleTests } from '../support/ruleTester';

const ADD = "ALTER TYPE order_status ADD VALUE 'refunded'";
const PG11 = { postgresVersion: 11 };

ruleTests(rule, {
  valid: [
    { name: 'PostgreSQL 12+: adding in a transaction is fine', sql: `BEGIN;\n${ADD};\nCOMMIT;` },
    { name: 'outside a transaction, then used', sql: `${ADD};\nUPDATE orders SET status = 'refunded'::order_status WHERE id = 1;` },
    { name: 'used after COMMIT', sql: `BEGIN;\n${ADD};\nCOMMIT;\nUPDATE orders SET status = 'refunded'::order_status WHERE id = 1;` },
    { name: 'PostgreSQL 11, outside a transaction', sql: `${ADD};`, options: PG11 },
    { name: 'PostgreSQL 11, enum created in the same transaction', sql: `BEGIN;\nCREATE TYPE order_status AS ENUM ('open');\n${ADD};\nCOMMIT;`, options: PG11 },
    { name: 'the same literal in an unrelated statement', sql: `BEGIN;\n${ADD};\nINSERT INTO notes (body) VALUES ('refunded');\nCOMMIT;` },
  ],
  invalid: [
    {
      sql: `BEGIN;\n«${ADD}»;\nCOMMIT;`,
      options: PG11,
      errors: [{ messageId: 'fails', data: { version: 11 } }],
    },
    {
      name: 'PostgreSQL 10, the tool wraps the file',
      sql: "«ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' BEFORE 'closed'»;",
      options: { postgresVersion: 10, assumeInTransaction: true },
      errors: [{ messageId: 'fails', data: { version: 10 } }],
    },
    {
      name: 'cast to the enum before COMMIT',
      sql: `BEGIN;\n${ADD};\n«UPDATE orders SET status = 'refunded'::order_status WHERE refunded_at IS NOT NULL»;\nCOMMIT;`,
      errors: [{ messageId: 'usedTooEarly', data: { value: 'refunded', type: 'order_status', line: 2 } }],
    },
    {
      name: 'even when the enum was created in the same transaction',
      sql: `BEGIN;\nCREATE TYPE order_status AS ENUM ('open');\n${ADD};\n«SELECT 'refunded'::order_status»;\nCOMMIT;`,
      errors: [{ messageId: 'usedTooEarly', data: { line: 3 } }],
    },
    {
      name: 'a literal written to a column of the enum type (known from the catalog)',
      sql: `CREATE TABLE orders (id bigint, status order_status);\nBEGIN;\n${ADD};\n«INSERT INTO orders (id, status) VALUES (1, 'refunded')»;\nCOMMIT;`,
      errors: [{ messageId: 'usedTooEarly', data: { value: 'refunded' } }],
    },
    {
      name: 'a new default of the enum type',
      sql: `CREATE TABLE shop.orders (status shop.order_status);\nBEGIN;\nALTER TYPE shop.order_status ADD VALUE 'refunded';\n«ALTER TABLE shop.orders ALTER COLUMN status SET DEFAULT 'refunded'»;\nCOMMIT;`,
      errors: [{ messageId: 'usedTooEarly', data: { type: 'shop.order_status' } }],
    },
  ],
});
