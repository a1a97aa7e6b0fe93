/** ban-blocking-ddl-in-do-block: lock hazards of the statements inside DO blocks and routines the migration calls. */
import rule from '../../server/src/analysis/rules/ban-blocking-ddl-in-do-block';
import { ruleTests } from '../support/ruleTester';

const TIMEOUT = "SET lock_timeout = '5s';\n";

ruleTests(rule, {
  valid: [
    { name: 'a quick change with lock_timeout set', sql: `${TIMEOUT}DO $$ BEGIN ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text; END $$;` },
    { name: 'tables created in the block', sql: 'DO $$ BEGIN CREATE TABLE audit (id bigint); CREATE INDEX audit_id_idx ON audit (id); END $$;' },
    { name: 'a temporary table created with AS in the block', sql: 'DO $$ BEGIN CREATE TEMP TABLE tmp AS SELECT id FROM users; CREATE INDEX ON tmp (id); END $$;' },
    { name: 'table created earlier in the migration', sql: 'CREATE TABLE audit (id bigint);\nDO $$ BEGIN CREATE INDEX audit_id_idx ON audit (id); END $$;' },
    { name: 'queries only', sql: "DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM users; RAISE NOTICE '%', n; END $$;" },
    { name: 'lock_timeout set inside the block', sql: "DO $$ BEGIN SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN nickname text; END $$;" },
    { name: 'a function that is defined but not called', sql: 'CREATE FUNCTION add_idx() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE INDEX i ON users (email); END $$;' },
    { name: 'another language', sql: "DO LANGUAGE plpython3u $$ plpy.execute('CREATE INDEX i ON users (email)') $$;" },
  ],
  invalid: [
    {
      name: 'a body written as a quoted string without doubled quotes: found verbatim',
      sql: "DO 'BEGIN «ALTER TABLE users ADD COLUMN \"x\" int»; END';",
      errors: [{ messageId: 'noLockTimeout', data: { table: 'users' } }],
    },
    {
      name: 'a conditional CREATE INDEX (the motivation: squawk #528)',
      sql: "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email_idx') THEN\n    «CREATE INDEX users_email_idx ON users (email)»;\n  END IF;\nEND\n$$;",
      errors: [{ messageId: 'longUnderLock', data: { statement: 'CREATE INDEX', where: 'inside this DO block', work: 'reads every row of', table: 'users', lock: 'a SHARE', blocking: 'blocks writes', noun: 'scan' } }],
    },
    {
      name: 'a rewrite under ACCESS EXCLUSIVE, with lock_timeout set',
      sql: `${TIMEOUT}DO $$ BEGIN «ALTER TABLE users ALTER COLUMN id TYPE bigint»; END $$;`,
      errors: [{ messageId: 'longUnderLock', data: { work: 'rewrites', table: 'users', lock: 'an ACCESS EXCLUSIVE', blocking: 'blocks reads and writes', noun: 'rewrite' } }],
    },
    {
      name: 'no lock_timeout for a quick change',
      sql: 'DO $$ BEGIN «ALTER TABLE users ADD COLUMN nickname text»; END $$;',
      errors: [{ messageId: 'noLockTimeout', data: { statement: 'ALTER TABLE', lock: 'an ACCESS EXCLUSIVE', table: 'users' } }],
    },
    {
      name: 'CONCURRENTLY cannot run in a DO block',
      sql: `${TIMEOUT}DO $$ BEGIN «CREATE INDEX CONCURRENTLY i ON users (email)»; END $$;`,
      errors: [{ messageId: 'cannotRun', data: { statement: 'CREATE INDEX' } }],
    },
    {
      name: 'EXECUTE of a constant string, in a loop and an exception handler',
      sql: `${TIMEOUT}DO $body$\nBEGIN\n  FOR i IN 1..1 LOOP\n    EXECUTE «'ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0)'»;\n  END LOOP;\nEXCEPTION WHEN others THEN\n  «ALTER TABLE orders ALTER COLUMN total SET NOT NULL»;\nEND\n$body$;`,
      errors: [
        { messageId: 'longUnderLock', data: { table: 'orders', noun: 'scan' } },
        { messageId: 'longUnderLock', data: { table: 'orders', noun: 'scan' } },
      ],
    },
    {
      name: 'the same statement twice: each occurrence is marked; the missing lock_timeout once per block',
      sql: `DO $$\nBEGIN\n  -- ALTER TABLE users ADD COLUMN a int\n  «ALTER TABLE users ADD COLUMN a int»;\n  ALTER TABLE users ADD COLUMN a int;\n  «ALTER TABLE users ALTER COLUMN a TYPE bigint»;\n  «ALTER TABLE users ALTER COLUMN a TYPE bigint»;\nEND $$;`,
      errors: [{ messageId: 'noLockTimeout' }, { messageId: 'longUnderLock' }, { messageId: 'longUnderLock' }],
    },
    {
      name: 'a procedure defined earlier and called',
      sql: `CREATE PROCEDURE add_idx() LANGUAGE plpgsql AS $$ BEGIN CREATE INDEX i ON users (email); END $$;\n${TIMEOUT}«CALL add_idx()»;`,
      errors: [{ messageId: 'longUnderLock', data: { statement: 'CREATE INDEX', where: 'inside `add_idx` (defined on line 1)', table: 'users' } }],
    },
    {
      name: 'an SQL function called from SELECT',
      sql: `CREATE FUNCTION app.backfill() RETURNS void LANGUAGE sql AS $$ ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid() $$;\n«SELECT app.backfill()»;`,
      errors: [{ messageId: 'longUnderLock', data: { where: 'inside `app.backfill` (defined on line 1)', work: 'rewrites' } }],
    },
    {
      name: 'a body written as a quoted string with doubled quotes: the whole DO statement is marked',
      sql: "«DO 'BEGIN ALTER TABLE users ADD COLUMN x text DEFAULT ''a''; END'»;",
      errors: [{ messageId: 'noLockTimeout', data: { table: 'users' } }],
    },
  ],
});
