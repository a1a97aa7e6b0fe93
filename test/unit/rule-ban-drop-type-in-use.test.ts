/** ban-drop-type-in-use: DROP TYPE / DOMAIN of a type columns still use fails, or with CASCADE drops the columns. */
import rule from '../../server/src/analysis/rules/ban-drop-type-in-use';
import { ruleTests } from '../support/ruleTester';

const ORDERS = 'CREATE TABLE orders (id bigint, status order_status, history order_status[]);\n';

ruleTests(rule, {
  valid: [
    { name: 'no column is known to use it', sql: 'DROP TYPE order_status;' },
    { name: 'the column was dropped first', sql: `${ORDERS}ALTER TABLE orders DROP COLUMN status, DROP COLUMN history;\nDROP TYPE order_status;` },
    { name: 'the table was dropped first', sql: `${ORDERS}DROP TABLE orders;\nDROP TYPE order_status CASCADE;` },
    { name: 'the column changed type first', sql: 'CREATE TABLE t (s order_status);\nALTER TABLE t ALTER COLUMN s TYPE text;\nDROP TYPE order_status;' },
    { name: 'another type', sql: `${ORDERS}DROP TYPE IF EXISTS unused_status;` },
  ],
  invalid: [
    {
      sql: `${ORDERS}«DROP TYPE order_status»;`,
      errors: [{ messageId: 'restrict', data: { what: 'TYPE', type: 'order_status', columns: '`orders.status`, `orders.history`' } }],
    },
    {
      name: 'CASCADE',
      sql: `${ORDERS}«DROP TYPE IF EXISTS order_status CASCADE»;`,
      errors: [{ messageId: 'cascade', data: { what: 'TYPE', type: 'order_status', columns: '`orders.status`, `orders.history`' } }],
    },
    {
      name: 'a domain',
      sql: 'CREATE TABLE payments (amount money_amount);\n«DROP DOMAIN money_amount CASCADE»;',
      errors: [{ messageId: 'cascade', data: { what: 'DOMAIN', type: 'money_amount', columns: '`payments.amount`' } }],
    },
    {
      name: 'a column added later by ALTER TABLE',
      sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN mood mood;\n«DROP TYPE mood»;',
      errors: [{ messageId: 'restrict', data: { columns: '`t.mood`' } }],
    },
    {
      name: 'schema-qualified type and table',
      sql: 'CREATE TABLE shop.orders (status shop.order_status);\n«DROP TYPE shop.order_status»;',
      errors: [{ messageId: 'restrict', data: { type: 'shop.order_status', columns: '`shop.orders.status`' } }],
    },
    {
      name: 'two types in one statement',
      sql: 'CREATE TABLE t (a mood, b size);\n««DROP TYPE mood, size»»;',
      errors: [
        { messageId: 'restrict', data: { type: 'mood', columns: '`t.a`' } },
        { messageId: 'restrict', data: { type: 'size', columns: '`t.b`' } },
      ],
    },
  ],
});
