/** adding-required-field: ADD COLUMN … NOT NULL without a default fails on a table with rows. */
import rule from '../../server/src/analysis/rules/adding-required-field';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD COLUMN tenant_id bigint;',
    'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;',
    { name: 'volatile default (a rewrite, reported by adding-field-with-default, but it does not fail)', sql: 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();' },
    { name: 'identity column', sql: 'ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;' },
    { name: 'serial column', sql: 'ALTER TABLE users ADD COLUMN n bigserial NOT NULL;' },
    { name: 'stored generated column', sql: 'ALTER TABLE users ADD COLUMN total int NOT NULL GENERATED ALWAYS AS (a + b) STORED;' },
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;' },
    { name: 'SET NOT NULL is adding-not-nullable-field', sql: 'ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL»;',
      errors: [{ messageId: 'required', data: { column: 'tenant_id', table: 'users', what: 'NOT NULL' } }],
    },
    {
      name: 'DEFAULT NULL is no default',
      sql: '«ALTER TABLE users ADD COLUMN code text DEFAULT NULL NOT NULL»;',
      errors: [{ messageId: 'required', data: { column: 'code', what: 'NOT NULL' } }],
    },
    {
      name: 'PRIMARY KEY implies NOT NULL',
      sql: '«ALTER TABLE app.users ADD COLUMN uid uuid PRIMARY KEY»;',
      errors: [{ messageId: 'required', data: { column: 'uid', table: 'app.users', what: 'PRIMARY KEY' } }],
    },
    {
      name: 'named constraint, with a CHECK',
      sql: '«ALTER TABLE users ADD COLUMN age int CONSTRAINT age_nn NOT NULL CHECK (age > 0)»;',
      errors: [{ messageId: 'required', data: { column: 'age' } }],
    },
    {
      name: 'one finding per column',
      sql: "««ALTER TABLE users ADD COLUMN a int NOT NULL, ADD COLUMN b int NOT NULL DEFAULT 1, ADD COLUMN c text NOT NULL»»;",
      errors: [
        { messageId: 'required', data: { column: 'a' } },
        { messageId: 'required', data: { column: 'c' } },
      ],
    },
    {
      name: 'a table created later does not count',
      sql: '«ALTER TABLE users ADD COLUMN a int NOT NULL»;\nCREATE TABLE users2 (id int);',
      errors: [{ messageId: 'required' }],
    },
  ],
});
