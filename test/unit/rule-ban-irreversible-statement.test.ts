import { ruleTests } from '../support/ruleTester';
import rule from '../../server/src/analysis/rules/ban-irreversible-statement';

const withDown = { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '1_x.down.sql', downText: 'SELECT 1;\n' } as const;

ruleTests(rule, {
  valid: [
    { sql: 'ALTER TABLE users ADD COLUMN a text;\nCREATE INDEX users_a_idx ON users (a);', rollback: withDown },
    { name: 'up-only tool', sql: 'ALTER TABLE users DROP COLUMN a;', rollback: { role: 'up', tool: 'prisma', expectation: 'information' } },
    { name: 'down marked irreversible', sql: 'DROP TABLE legacy;', rollback: { ...withDown, downText: '-- gone for good\n', irreversibleMarker: true } },
    { name: 'no migration project', sql: 'DROP TABLE legacy;' },
    { name: 'data changes in a table the up creates', sql: "CREATE TABLE plans (name text);\nINSERT INTO plans VALUES ('a');\nUPDATE plans SET name = 'b';\nDELETE FROM plans;", rollback: withDown },
    { name: 'enum created in the same up', sql: "CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood ADD VALUE 'b';", rollback: withDown },
    { name: 'type change that converts back', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ALTER COLUMN id TYPE bigint;', rollback: withDown },
    { name: 'DROP INDEX of an unknown index loses no data', sql: 'DROP INDEX IF EXISTS old_idx;', rollback: withDown },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users DROP COLUMN legacy_name»;',
      rollback: withDown,
      errors: [{ messageId: 'irreversible', data: { statement: 'DROP COLUMN', reason: 'data in users.legacy_name is lost' } }],
    },
    {
      sql: '«DROP TABLE sessions»;',
      rollback: { role: 'up', tool: 'goose', expectation: 'required', sameFile: true },
      errors: [{ messageId: 'irreversible', data: { statement: 'DROP TABLE', reason: 'data in sessions is lost' } }],
    },
    {
      sql: "«ALTER TYPE mood ADD VALUE 'ecstatic'»;",
      rollback: withDown,
      errors: [{ messageId: 'irreversible', data: { statement: 'ALTER TYPE … ADD VALUE', reason: "PostgreSQL cannot drop a value from an enum: 'ecstatic' stays in mood" } }],
    },
    {
      sql: '«DELETE FROM sessions WHERE expires_at < now()»;',
      rollback: withDown,
      errors: [{ messageId: 'irreversible', data: { statement: 'DELETE', reason: 'DELETE changes data in sessions: the previous rows cannot be restored' } }],
    },
  ],
});
