/** adding-serial-primary-key-field: ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE; USING INDEX is the way. */
import * as assert from 'node:assert/strict';
import { analyze, buildCatalog, initParser } from '../../server/src/analysis';
import rule from '../../server/src/analysis/rules/adding-serial-primary-key-field';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_id_key;',
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE items (id bigint NOT NULL);\nALTER TABLE items ADD PRIMARY KEY (id);' },
    { name: 'UNIQUE is disallowed-unique-constraint', sql: 'ALTER TABLE items ADD CONSTRAINT items_code_key UNIQUE (code);' },
    { name: 'a serial column that is not a key (adding-field-with-default reports the rewrite)', sql: 'ALTER TABLE items ADD COLUMN n bigserial;' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE items ADD PRIMARY KEY (id)»;',
      errors: [{ messageId: 'constraint', data: { name: '(id)', table: 'items' } }],
    },
    {
      name: 'named, two columns, schema-qualified',
      sql: '«ALTER TABLE app.items ADD CONSTRAINT items_pkey PRIMARY KEY (tenant_id, id)»;',
      errors: [{ messageId: 'constraint', data: { name: '`items_pkey`', table: 'app.items' } }],
    },
    {
      name: 'serial column as key',
      sql: '«ALTER TABLE items ADD COLUMN id bigserial PRIMARY KEY»;',
      errors: [{ messageId: 'column', data: { column: 'id', table: 'items' } }],
    },
    {
      name: 'identity column as key',
      sql: '«ALTER TABLE items ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY»;',
      errors: [{ messageId: 'column', data: { column: 'id', table: 'items' } }],
    },
    {
      name: 'inside a transaction, lower case',
      sql: 'BEGIN;\n«alter table items add primary key (id)»;\nCOMMIT;',
      errors: [{ messageId: 'constraint', data: { table: 'items' } }],
    },
  ],
});

/** PRIMARY KEY USING INDEX, with the schema of earlier migrations (the table tester sees one file only). */
describe('rule adding-serial-primary-key-field with earlier migrations', () => {
  before(async () => {
    await initParser();
  });
  const USING = 'ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_id_key;';
  const messages = (earlier: string, options = {}) =>
    analyze(USING, { ...options, rules: { [rule.id]: 'warning' } }, { catalog: buildCatalog([earlier]) })
      .findings.filter((f) => f.ruleId === rule.id)
      .map((f) => f.message);

  it('reports USING INDEX on a nullable key column: making it NOT NULL scans the table', () => {
    assert.deepEqual(messages('CREATE TABLE items (id bigint);\nCREATE UNIQUE INDEX items_id_key ON items (id);'), [
      'PRIMARY KEY USING INDEX `items_id_key` makes `items.id` NOT NULL, which reads every row of `items` under an ACCESS EXCLUSIVE lock, blocking reads and writes until the scan ends.',
    ]);
  });

  it('accepts USING INDEX on a NOT NULL column', () => {
    assert.deepEqual(messages('CREATE TABLE items (id bigint NOT NULL);\nCREATE UNIQUE INDEX items_id_key ON items (id);'), []);
  });

  it('accepts a nullable column proven by a validated CHECK on PostgreSQL 12+, not before', () => {
    const earlier = 'CREATE TABLE items (id bigint, CONSTRAINT id_nn CHECK (id IS NOT NULL));\nCREATE UNIQUE INDEX items_id_key ON items (id);';
    assert.deepEqual(messages(earlier), []);
    assert.equal(messages(earlier, { postgresVersion: 11 }).length, 1);
  });

  it('stays quiet when it does not know the index', () => {
    assert.deepEqual(messages('CREATE TABLE items (id bigint);'), []);
  });
});
