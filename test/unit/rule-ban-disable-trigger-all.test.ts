/** ban-disable-trigger-all: DISABLE TRIGGER ALL also turns off foreign key enforcement. */
import rule from '../../server/src/analysis/rules/ban-disable-trigger-all';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Disable only user triggers', preferred: false };

ruleTests(rule, {
  valid: [
    'ALTER TABLE orders DISABLE TRIGGER USER;',
    'ALTER TABLE orders DISABLE TRIGGER orders_audit;',
    'ALTER TABLE orders ENABLE TRIGGER ALL;',
    { name: 'a trigger named "all" (quoted) is one trigger', sql: 'ALTER TABLE orders DISABLE TRIGGER "all";' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE orders DISABLE TRIGGER ALL»;',
      errors: [{ messageId: 'disableAll', data: { table: 'orders' }, fix: FIX }],
      output: 'ALTER TABLE orders DISABLE TRIGGER USER;',
    },
    {
      name: 'lower case, schema-qualified',
      sql: '«alter table app.orders disable trigger all»;',
      errors: [{ messageId: 'disableAll', data: { table: 'app.orders' }, fix: FIX }],
      output: 'alter table app.orders disable trigger user;',
    },
    {
      name: 'table created earlier: foreign keys still go unchecked',
      sql: 'CREATE TABLE orders (user_id bigint REFERENCES users);\n«ALTER TABLE orders DISABLE TRIGGER ALL»;',
      errors: [{ messageId: 'disableAll' }],
      output: 'CREATE TABLE orders (user_id bigint REFERENCES users);\nALTER TABLE orders DISABLE TRIGGER USER;',
    },
    {
      name: 'a bulk load between DISABLE and ENABLE',
      sql: 'BEGIN;\n«ALTER TABLE orders DISABLE TRIGGER ALL»;\nINSERT INTO orders SELECT * FROM staging;\nALTER TABLE orders ENABLE TRIGGER ALL;\nCOMMIT;',
      errors: [{ messageId: 'disableAll' }],
      output: 'BEGIN;\nALTER TABLE orders DISABLE TRIGGER USER;\nINSERT INTO orders SELECT * FROM staging;\nALTER TABLE orders ENABLE TRIGGER ALL;\nCOMMIT;',
    },
    {
      name: 'comment inside the keywords',
      sql: '«ALTER TABLE orders DISABLE /* for the load */ TRIGGER ALL»;',
      errors: [{ messageId: 'disableAll' }],
      output: 'ALTER TABLE orders DISABLE /* for the load */ TRIGGER USER;',
    },
    {
      name: 'two tables in two statements',
      sql: '«ALTER TABLE a DISABLE TRIGGER ALL»;\n«ALTER TABLE b DISABLE TRIGGER ALL»;',
      errors: [
        { messageId: 'disableAll', data: { table: 'a' } },
        { messageId: 'disableAll', data: { table: 'b' } },
      ],
      output: 'ALTER TABLE a DISABLE TRIGGER USER;\nALTER TABLE b DISABLE TRIGGER USER;',
    },
  ],
});
