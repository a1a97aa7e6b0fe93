/** adding-field-with-default: volatile defaults (any default before PostgreSQL 11), serial, identity and stored generated columns. */
import rule from '../../server/src/analysis/rules/adding-field-with-default';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD COLUMN nickname text;',
    { name: 'constant default (catalog-only since PostgreSQL 11)', sql: "ALTER TABLE users ADD COLUMN status text DEFAULT 'active';" },
    { name: 'constant default on PostgreSQL 11', sql: "ALTER TABLE users ADD COLUMN status text DEFAULT 'active';", options: { postgresVersion: 11 } },
    { name: 'constant expression', sql: 'ALTER TABLE users ADD COLUMN score int DEFAULT 1 + 2 NOT NULL;' },
    // The rule shares the lock model's volatility list, which the oracle checks against pg_proc: repeat() is immutable.
    { name: 'immutable built-in (same list as the lock model)', sql: "ALTER TABLE users ADD COLUMN code text DEFAULT repeat('x', 3);" },
    { name: 'stable function now()', sql: 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();' },
    { name: 'stable SQL value function', sql: 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT CURRENT_TIMESTAMP;' },
    { name: 'nested stable functions', sql: "ALTER TABLE users ADD COLUMN slug text DEFAULT lower(concat('a', 'b'));" },
    { name: 'NULL default', sql: 'ALTER TABLE users ADD COLUMN note text DEFAULT NULL;' },
    { name: 'SET DEFAULT changes only the catalog', sql: 'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();' },
    {
      name: 'table created earlier in this migration',
      sql: 'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    },
    {
      name: 'schema-qualified table created earlier',
      sql: 'CREATE TABLE app.users (id bigint);\nALTER TABLE app.users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    },
    {
      name: 'table created earlier, PostgreSQL 10',
      sql: "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN status text DEFAULT 'a';",
      options: { postgresVersion: 10 },
    },
    { name: 'virtual generated column is not stored', sql: 'ALTER TABLE users ADD COLUMN total int GENERATED ALWAYS AS (a + b) VIRTUAL;' },
    { name: 'serial column on a table created earlier', sql: 'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN seq bigserial;' },
    { name: 'identity column on a table created earlier', sql: 'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;' },
    { name: 'a bigint column is not a serial', sql: 'ALTER TABLE users ADD COLUMN seq bigint;' },
  ],
  invalid: [
    {
      name: 'volatile gen_random_uuid()',
      sql: '«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;',
      errors: [{ messageId: 'volatile', data: { column: 'token', table: 'users', expr: 'gen_random_uuid()' } }],
    },
    {
      name: 'volatile clock_timestamp()',
      sql: '«ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT clock_timestamp()»;',
      errors: [{ messageId: 'volatile', data: { column: 'created_at', table: 'users', expr: 'clock_timestamp()' } }],
    },
    {
      name: 'volatile inside a stable function',
      sql: "«ALTER TABLE users ADD COLUMN r text DEFAULT lower(concat(random()::text, 'x'))»;",
      errors: [{ messageId: 'volatile', data: { column: 'r', table: 'users', expr: "lower(concat(random()::text, 'x'))" } }],
    },
    {
      name: 'user function (VOLATILE unless declared otherwise)',
      sql: '«ALTER TABLE users ADD COLUMN code text DEFAULT app.make_code()»;',
      errors: [{ messageId: 'volatile', data: { column: 'code', table: 'users', expr: 'app.make_code()' } }],
    },
    {
      name: 'expression stops before NOT NULL',
      sql: '«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL»;',
      errors: [{ messageId: 'volatile', data: { column: 'token', table: 'users', expr: 'gen_random_uuid()' } }],
    },
    {
      name: 'schema-qualified table',
      sql: '«ALTER TABLE app.users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;',
      errors: [{ messageId: 'volatile', data: { column: 'token', table: 'app.users', expr: 'gen_random_uuid()' } }],
    },
    {
      name: 'a table of the same name created in another schema does not count',
      sql: 'CREATE TABLE app.users (id bigint);\n«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;',
      errors: [{ messageId: 'volatile', data: { table: 'users' } }],
    },
    {
      name: 'several columns: one finding per volatile column, each naming its own default',
      sql: "««ALTER TABLE users ALTER COLUMN a DROP DEFAULT, ADD COLUMN s text DEFAULT 'x', ADD COLUMN t uuid DEFAULT gen_random_uuid(), ADD COLUMN u float8 DEFAULT random()»»;",
      errors: [
        { messageId: 'volatile', data: { column: 't', table: 'users', expr: 'gen_random_uuid()' } },
        { messageId: 'volatile', data: { column: 'u', table: 'users', expr: 'random()' } },
      ],
    },
    {
      name: 'any default on PostgreSQL 10',
      sql: "«ALTER TABLE users ADD COLUMN status text DEFAULT 'active'»;",
      options: { postgresVersion: 10 },
      errors: [{ messageId: 'anyDefault', data: { version: 10, column: 'status', table: 'users' } }],
    },
    {
      name: 'stable default on PostgreSQL 10',
      sql: '«ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()»;',
      options: { postgresVersion: 10 },
      errors: [{ messageId: 'anyDefault', data: { version: 10, column: 'created_at', table: 'users' } }],
    },
    {
      name: 'volatile default on PostgreSQL 10 is "any default"',
      sql: '«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;',
      options: { postgresVersion: 10 },
      errors: [{ messageId: 'anyDefault', data: { version: 10, column: 'token', table: 'users' } }],
    },
    {
      name: 'stored generated column',
      sql: '«ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED»;',
      errors: [{ messageId: 'generated', data: { column: 'total', table: 'orders' } }],
    },
    {
      name: 'stored generated column on PostgreSQL 12 (not a volatile-default case)',
      sql: '«ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED»;',
      options: { postgresVersion: 12 },
      errors: [{ messageId: 'generated', data: { column: 'total', table: 'orders' } }],
    },
    {
      name: 'bigserial fills every row from a sequence (checked on PostgreSQL 15: a rewrite)',
      sql: '«ALTER TABLE users ADD COLUMN seq bigserial»;',
      errors: [{ messageId: 'serial', data: { column: 'seq', table: 'users', type: 'bigserial' } }],
    },
    {
      name: 'serial NOT NULL, schema-qualified',
      sql: '«ALTER TABLE app.users ADD COLUMN seq serial NOT NULL»;',
      errors: [{ messageId: 'serial', data: { column: 'seq', table: 'app.users', type: 'serial' } }],
    },
    {
      name: 'serial on PostgreSQL 10 is still the serial message',
      sql: '«ALTER TABLE users ADD COLUMN seq smallserial»;',
      options: { postgresVersion: 10 },
      errors: [{ messageId: 'serial', data: { type: 'smallserial' } }],
    },
    {
      name: 'identity column BY DEFAULT',
      sql: '«ALTER TABLE users ADD COLUMN n bigint GENERATED BY DEFAULT AS IDENTITY»;',
      errors: [{ messageId: 'identity', data: { column: 'n', table: 'users' } }],
    },
    {
      name: 'identity column ALWAYS, with sequence options and a PRIMARY KEY',
      sql: '«ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY»;',
      errors: [{ messageId: 'identity', data: { column: 'n' } }],
    },
    {
      name: 'inside a transaction, with a comment before',
      sql: 'BEGIN;\n-- add a token\n«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;\nCOMMIT;',
      errors: [{ messageId: 'volatile' }],
    },
  ],
});
