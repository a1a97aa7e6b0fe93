/** prefer-robust-stmts: statements a re-run of a half-applied, non-transactional migration would fail on. */
import rule from '../../server/src/analysis/rules/prefer-robust-stmts';
import { ruleTests } from '../support/ruleTester';

const INE = { title: 'Add IF NOT EXISTS', preferred: false };
const IE = { title: 'Add IF EXISTS', preferred: true };
/** A later statement that can fail, so earlier ones must be re-runnable. */
const LATER = '\nCREATE INDEX CONCURRENTLY IF NOT EXISTS later_idx ON later (id);';

ruleTests(rule, {
  valid: [
    { name: 'one statement is atomic on its own', sql: 'ALTER TABLE users ADD COLUMN nickname text;' },
    { name: 'the last statement is atomic on its own', sql: 'SET lock_timeout = \'5s\';\nCREATE TABLE users (id bigint);\nRESET lock_timeout;' },
    { name: 'inside BEGIN … COMMIT', sql: `BEGIN;\nCREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;` },
    { name: 'the tool wraps the file', sql: `CREATE TABLE users (id bigint);\nDROP TABLE old_users;`, options: { assumeInTransaction: true } },
    { name: 'guards everywhere', sql: `CREATE TABLE IF NOT EXISTS users (id bigint);\nALTER TABLE users ADD COLUMN IF NOT EXISTS a text, DROP COLUMN IF EXISTS b, DROP CONSTRAINT IF EXISTS c;\nDROP INDEX CONCURRENTLY IF EXISTS i;${LATER}` },
    { name: 'subcommands that can run twice', sql: `ALTER TABLE users ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET DEFAULT 1, ALTER COLUMN c TYPE text, ENABLE ROW LEVEL SECURITY;\nALTER TABLE users VALIDATE CONSTRAINT k;${LATER}` },
    { name: 'constraint dropped IF EXISTS before it is added', sql: `ALTER TABLE users DROP CONSTRAINT IF EXISTS k;\nALTER TABLE users ADD CONSTRAINT k CHECK (a > 0) NOT VALID;${LATER}` },
    { name: 'index dropped IF EXISTS before it is built concurrently', sql: 'DROP INDEX CONCURRENTLY IF EXISTS app.users_email_idx;\nCREATE INDEX CONCURRENTLY users_email_idx ON app.users (email);' },
    { name: 'temporary tables vanish with the session', sql: `CREATE TEMP TABLE staging (id bigint) ON COMMIT DROP;${LATER}` },
    { name: 'DML and SELECT', sql: `INSERT INTO t VALUES (1);\nUPDATE t SET a = 1;${LATER}` },
  ],
  invalid: [
    {
      sql: `«CREATE TABLE users (id bigint)»;${LATER}`,
      errors: [{ messageId: 'missingIfNotExists', data: { what: 'CREATE TABLE', name: '`users`' }, fix: INE }],
      output: `CREATE TABLE IF NOT EXISTS users (id bigint);${LATER}`,
    },
    {
      name: 'ALTER TABLE subcommands, each on its own span, lower case kept',
      sql: `alter table users «add column nickname text», «drop legacy», «drop constraint users_x_check»;${LATER}`,
      errors: [
        { messageId: 'missingIfNotExists', data: { what: 'ADD COLUMN', name: '`nickname`' }, fix: INE },
        { messageId: 'missingIfExists', data: { what: 'DROP COLUMN', name: '`legacy`' }, fix: IE },
        { messageId: 'missingIfExists', data: { what: 'DROP CONSTRAINT', name: '`users_x_check`' }, fix: IE },
      ],
      output: `alter table users add column if not exists nickname text, drop if exists legacy, drop constraint if exists users_x_check;${LATER}`,
    },
    {
      name: 'DROP statements of several kinds',
      sql: `«DROP TABLE old_users, old_tokens»;\n«DROP INDEX CONCURRENTLY users_email_idx»;\n«DROP MATERIALIZED VIEW stats»;\n«DROP TYPE mood»;\n«DROP FUNCTION f(int)»;\n«DROP TRIGGER trg ON users»;${LATER}`,
      errors: [
        { messageId: 'missingIfExists', data: { what: 'DROP TABLE', name: '`old_users`, `old_tokens`' }, fix: IE },
        { messageId: 'missingIfExists', data: { what: 'DROP INDEX', name: '`users_email_idx`' } },
        { messageId: 'missingIfExists', data: { what: 'DROP MATERIALIZED VIEW', name: '`stats`' } },
        { messageId: 'missingIfExists', data: { what: 'DROP TYPE', name: '`mood`' } },
        { messageId: 'missingIfExists', data: { what: 'DROP FUNCTION', name: '`f`' } },
        { messageId: 'missingIfExists', data: { what: 'DROP TRIGGER', name: '`trg`' } },
      ],
      output: `DROP TABLE IF EXISTS old_users, old_tokens;\nDROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\nDROP MATERIALIZED VIEW IF EXISTS stats;\nDROP TYPE IF EXISTS mood;\nDROP FUNCTION IF EXISTS f(int);\nDROP TRIGGER IF EXISTS trg ON users;${LATER}`,
    },
    {
      name: 'CREATE INDEX CONCURRENTLY, even alone: a failed build leaves an invalid index',
      sql: '  «CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users (email)»;',
      errors: [{ messageId: 'concurrentIndex', data: { name: '`users_email_key`' }, fix: { title: 'Drop a leftover invalid index first', preferred: false } }],
      output: '  DROP INDEX CONCURRENTLY IF EXISTS app.users_email_key;\n  CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users (email);',
    },
    {
      name: 'an unnamed index cannot say IF NOT EXISTS: no fix',
      sql: `«CREATE INDEX ON users (name)»;${LATER}`,
      errors: [{ messageId: 'unnamedIndex' }],
    },
    {
      name: 'CREATE INDEX gets IF NOT EXISTS',
      sql: `«create index users_email_idx on users (email)»;${LATER}`,
      errors: [{ messageId: 'missingIfNotExists', data: { what: 'CREATE INDEX', name: '`users_email_idx`' }, fix: INE }],
      output: `create index if not exists users_email_idx on users (email);${LATER}`,
    },
    {
      name: 'ADD CONSTRAINT without a DROP CONSTRAINT IF EXISTS before it (or added twice)',
      sql: `ALTER TABLE users DROP CONSTRAINT IF EXISTS k;\nALTER TABLE users ADD CONSTRAINT k UNIQUE USING INDEX k_idx;\nALTER TABLE users «ADD CONSTRAINT k UNIQUE USING INDEX k_idx»;\nALTER TABLE users «ADD PRIMARY KEY (id)»;${LATER}`,
      errors: [{ messageId: 'addConstraint', data: { name: '`k`' } }, { messageId: 'addConstraint', data: { name: '(unnamed)' } }],
    },
    {
      name: 'statements after a COMMIT run outside the transaction',
      sql: `BEGIN;\nSELECT 1;\nCOMMIT;\n«CREATE SEQUENCE s»;\n«CREATE SCHEMA app»;\n«CREATE EXTENSION pg_trgm»;${LATER}`,
      errors: [
        { messageId: 'missingIfNotExists', data: { what: 'CREATE SEQUENCE', name: '`s`' } },
        { messageId: 'missingIfNotExists', data: { what: 'CREATE SCHEMA', name: '`app`' } },
        { messageId: 'missingIfNotExists', data: { what: 'CREATE EXTENSION', name: '`pg_trgm`' } },
      ],
      output: `BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE SEQUENCE IF NOT EXISTS s;\nCREATE SCHEMA IF NOT EXISTS app;\nCREATE EXTENSION IF NOT EXISTS pg_trgm;${LATER}`,
    },
    {
      name: 'a statement that does not parse can fail too',
      sql: '«CREATE MATERIALIZED VIEW stats AS SELECT 1»;\nALTER TABLE;',
      errors: [{ messageId: 'missingIfNotExists', data: { what: 'CREATE MATERIALIZED VIEW', name: '`stats`' } }],
      output: 'CREATE MATERIALIZED VIEW IF NOT EXISTS stats AS SELECT 1;\nALTER TABLE;',
    },
  ],
});
