/** require-index-for-foreign-key: a foreign key without an index on its referencing columns. */
import * as assert from 'node:assert/strict';
import { analyze, buildCatalog, initParser } from '../../server/src/analysis';
import rule from '../../server/src/analysis/rules/require-index-for-foreign-key';
import { applyEdits, ruleTests } from '../support/ruleTester';

const ONE = { title: 'Add an index for the foreign key', preferred: true };

ruleTests(rule, {
  valid: [
    { name: 'index created later in the file', sql: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);' },
    { name: 'the primary key leads with the column', sql: 'CREATE TABLE memberships (user_id bigint REFERENCES users (id), team_id bigint, PRIMARY KEY (user_id, team_id));' },
    { name: 'a unique column', sql: 'CREATE TABLE profiles (user_id bigint UNIQUE REFERENCES users (id));' },
    { name: 'an index from an earlier migration or statement', sql: 'CREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_user_idx ON orders (user_id, created_at);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
    { name: 'a multi-column key covered in another order', sql: 'CREATE TABLE t (a int, b int, c int);\nCREATE INDEX t_ba ON t (b, a, c);\nALTER TABLE t ADD FOREIGN KEY (a, b) REFERENCES p (x, y);' },
    { name: 'index added concurrently later', sql: 'CREATE TABLE orders (user_id bigint);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);' },
    { name: 'ALTER TABLE on a table the schema has never seen: indexes unknown', sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
    'CREATE TABLE users (id bigint PRIMARY KEY);',
  ],
  invalid: [
    {
      sql: '«CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id))»;',
      errors: [{ messageId: 'one', data: { name: '(user_id)', table: 'orders', columns: 'user_id', ref: 'users' }, fix: ONE }],
      output: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
    },
    {
      name: 'ALTER TABLE ADD COLUMN … REFERENCES on a table created earlier',
      sql: 'CREATE TABLE orders (id bigint);\n«ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users»;',
      errors: [{ messageId: 'one', data: { name: '(user_id)', ref: 'users' }, fix: ONE }],
      output: 'CREATE TABLE orders (id bigint);\nALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users;\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
    },
    {
      name: 'an index that does not lead with the column does not count',
      sql: 'CREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_created_user ON orders (created_at, user_id);\n«ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)»;',
      errors: [{ messageId: 'one', data: { table: 'orders' } }],
      output:
        'CREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_created_user ON orders (created_at, user_id);\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
    },
    {
      name: 'two foreign keys, one finding, schema-qualified and quoted names, no final semicolon',
      sql: '«CREATE TABLE shop."Order" ("userId" bigint REFERENCES users, product_id bigint, CONSTRAINT p_fk FOREIGN KEY (product_id) REFERENCES shop.products)»',
      errors: [{ messageId: 'several', data: { names: '(userId), `p_fk`', table: 'shop.Order' }, fix: { title: 'Add indexes for the foreign keys', preferred: true } }],
      output:
        'CREATE TABLE shop."Order" ("userId" bigint REFERENCES users, product_id bigint, CONSTRAINT p_fk FOREIGN KEY (product_id) REFERENCES shop.products);\nCREATE INDEX "Order_userId_idx" ON shop."Order" ("userId");\nCREATE INDEX "Order_product_id_idx" ON shop."Order" (product_id);',
    },
    {
      name: 'a partial index does not count',
      sql: 'CREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_user_active ON orders (user_id) WHERE active;\n«ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)»;',
      errors: [{ messageId: 'one' }],
      output:
        'CREATE TABLE orders (id bigint, user_id bigint);\nCREATE INDEX orders_user_active ON orders (user_id) WHERE active;\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
    },
    {
      name: 'CRLF file',
      sql: '«CREATE TABLE orders (user_id bigint REFERENCES users)»;\r\n',
      errors: [{ messageId: 'one' }],
      output: 'CREATE TABLE orders (user_id bigint REFERENCES users);\r\nCREATE INDEX orders_user_id_idx ON orders (user_id);\r\n',
    },
  ],
});

/** Tables known only from earlier migrations: the catalog is passed in, as the project layer does. */
describe('rule require-index-for-foreign-key with earlier migrations', () => {
  before(async () => {
    await initParser();
  });
  const on = { rules: { [rule.id]: rule.defaultSeverity } };
  const earlier = () => buildCatalog(['CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, shop_id bigint);\nCREATE INDEX orders_shop_idx ON orders (shop_id);']);
  const run = (sql: string, options = {}) => analyze(sql, { ...on, ...options }, { catalog: earlier() }).findings.filter((f) => f.ruleId === rule.id);

  it('an existing table: CREATE INDEX CONCURRENTLY IF NOT EXISTS, preferred outside a transaction', () => {
    const sql = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;';
    const [f, ...rest] = run(sql);
    assert.equal(rest.length, 0);
    assert.equal(f.fix?.preferred, true);
    assert.equal(applyEdits(sql, f.fix!.edits), `${sql}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);`);
    assert.deepEqual(run(applyEdits(sql, f.fix!.edits)), [], 'the fixed text is clean');
  });

  it('inside a transaction the CONCURRENTLY fix is offered, not preferred', () => {
    const sql = 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\nCOMMIT;';
    const [f] = run(sql);
    assert.equal(f.fix?.preferred, false);
  });

  it('an index from an earlier migration covers the key', () => {
    assert.deepEqual(run('ALTER TABLE orders ADD CONSTRAINT orders_shop_fk FOREIGN KEY (shop_id) REFERENCES shops (id);'), []);
  });

  it('the primary key from an earlier migration covers the key', () => {
    assert.deepEqual(run('ALTER TABLE orders ADD CONSTRAINT orders_self_fk FOREIGN KEY (id) REFERENCES legacy_orders (id);'), []);
  });
});
