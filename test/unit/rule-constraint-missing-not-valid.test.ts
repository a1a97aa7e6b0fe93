/** constraint-missing-not-valid: CHECK / FOREIGN KEY added without NOT VALID validates every row under the lock. */
import rule from '../../server/src/analysis/rules/constraint-missing-not-valid';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;',
    'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
    { name: 'UNIQUE is not a CHECK or FOREIGN KEY', sql: 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);' },
    { name: 'table created earlier', sql: 'CREATE TABLE orders (total int);\nALTER TABLE orders ADD CONSTRAINT k CHECK (total > 0);' },
    {
      name: 'schema-qualified table created earlier',
      sql: 'CREATE TABLE shop.orders (user_id int);\nALTER TABLE shop.orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);',
    },
    { name: 'constraints inside CREATE TABLE', sql: 'CREATE TABLE orders (total int CHECK (total > 0), user_id int REFERENCES users (id));' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0)»;',
      errors: [{ messageId: 'check', data: { name: '`orders_total_positive`', table: 'orders' } }],
    },
    {
      sql: '«ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)»;',
      errors: [{ messageId: 'foreign', data: { name: '`orders_user_fk`', table: 'orders', ref: 'users' } }],
    },
    {
      name: 'unnamed CHECK',
      sql: '«ALTER TABLE orders ADD CHECK (total > 0)»;',
      errors: [{ messageId: 'check', data: { name: '(unnamed)', table: 'orders' } }],
    },
    {
      name: 'schema-qualified tables on both sides',
      sql: '«ALTER TABLE ONLY shop.orders ADD FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE»;',
      errors: [{ messageId: 'foreign', data: { name: '(unnamed)', table: 'shop.orders', ref: 'auth.users' } }],
    },
    {
      name: 'two constraints in one statement',
      sql: '««ALTER TABLE orders ADD CONSTRAINT a CHECK (x > 0), ADD CONSTRAINT b FOREIGN KEY (u) REFERENCES users (id), ADD CONSTRAINT c CHECK (y > 0) NOT VALID»»;',
      errors: [
        { messageId: 'check', data: { name: '`a`', table: 'orders' } },
        { messageId: 'foreign', data: { name: '`b`', table: 'orders', ref: 'users' } },
      ],
    },
    {
      name: 'a table of the same name in another schema was created',
      sql: 'CREATE TABLE shop.orders (total int);\n«ALTER TABLE orders ADD CONSTRAINT k CHECK (total > 0)»;',
      errors: [{ messageId: 'check', data: { table: 'orders' } }],
    },
  ],
});
