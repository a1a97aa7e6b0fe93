/** require-lock-timeout: one finding per file, on the first statement that waits for a lock blocking reads or writes. */
import rule from '../../server/src/analysis/rules/require-lock-timeout';
import { ruleTests } from '../support/ruleTester';

const SET = "SET lock_timeout = '5s';\n";
const FIX = { title: 'Set lock_timeout at the top of the migration', preferred: true };
/** When an earlier statement sets, resets or disables lock_timeout, a SET at the top would be undone. */
const BEFORE = { title: 'Set lock_timeout before this statement', preferred: true };
const ALTER = 'ALTER TABLE users ADD COLUMN nickname text';

ruleTests(rule, {
  valid: [
    `SET lock_timeout = '5s';\n${ALTER};`,
    { name: 'SET … TO', sql: `SET lock_timeout TO '2s';\n${ALTER};` },
    { name: 'integer milliseconds, SESSION', sql: `SET SESSION lock_timeout = 1000;\n${ALTER};` },
    { name: 'SET LOCAL inside the transaction', sql: `BEGIN;\nSET LOCAL lock_timeout = '1s';\n${ALTER};\nCOMMIT;` },
    { name: 'plain SET inside a committed transaction persists', sql: `BEGIN;\nSET lock_timeout = '1s';\nCOMMIT;\n${ALTER};` },
    { name: 'SET LOCAL when the tool wraps the file', sql: `SET LOCAL lock_timeout = '1s';\n${ALTER};`, options: { assumeInTransaction: true } },
    { name: 'CREATE TABLE only', sql: 'CREATE TABLE users (id bigint);' },
    { name: 'table created earlier', sql: 'CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX i ON users (nickname);' },
    { name: 'CONCURRENTLY blocks neither reads nor writes', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
    { name: 'VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE', sql: 'ALTER TABLE users VALIDATE CONSTRAINT k;' },
    { name: 'DML takes ROW EXCLUSIVE', sql: "INSERT INTO users (id) VALUES (1);\nUPDATE users SET name = 'x';\nDELETE FROM users;" },
    { name: 'SELECT', sql: 'SELECT * FROM users;' },
    { name: 'set after a statement that needs no lock', sql: `SELECT 1;\nSET lock_timeout = '5s';\n${ALTER};` },
  ],
  invalid: [
    {
      sql: `«${ALTER}»;`,
      errors: [{ messageId: 'missing', data: { statement: 'ALTER TABLE', mode: 'an ACCESS EXCLUSIVE', table: 'users' }, fix: FIX }],
      output: `${SET}${ALTER};`,
    },
    {
      name: 'CREATE INDEX takes a SHARE lock',
      sql: '«CREATE INDEX i ON app.users (email)»;',
      errors: [{ messageId: 'missing', data: { statement: 'CREATE INDEX', mode: 'a SHARE', table: 'app.users' } }],
      output: `${SET}CREATE INDEX i ON app.users (email);`,
    },
    {
      name: 'one finding per file, on the first statement that needs it',
      sql: `SELECT 1;\n«${ALTER}»;\nDROP TABLE old_users;\nCREATE INDEX i ON users (email);`,
      errors: [{ messageId: 'missing', data: { statement: 'ALTER TABLE', table: 'users' } }],
      output: `${SET}SELECT 1;\n${ALTER};\nDROP TABLE old_users;\nCREATE INDEX i ON users (email);`,
    },
    {
      name: 'SET LOCAL ends with COMMIT',
      sql: `BEGIN;\nSET LOCAL lock_timeout = '1s';\n${ALTER};\nCOMMIT;\n«ALTER TABLE users DROP COLUMN legacy»;`,
      errors: [{ messageId: 'missing', data: { statement: 'ALTER TABLE', table: 'users' }, fix: BEFORE }],
      output: `BEGIN;\nSET LOCAL lock_timeout = '1s';\n${ALTER};\nCOMMIT;\n${SET}ALTER TABLE users DROP COLUMN legacy;`,
    },
    {
      name: 'SET LOCAL outside a transaction block has no effect',
      sql: `SET LOCAL lock_timeout = '1s';\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET LOCAL lock_timeout = '1s';\n${SET}${ALTER};`,
    },
    {
      name: 'ROLLBACK undoes a SET made inside the transaction',
      sql: `BEGIN;\nSET lock_timeout = '1s';\nROLLBACK;\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `BEGIN;\nSET lock_timeout = '1s';\nROLLBACK;\n${SET}${ALTER};`,
    },
    {
      name: 'RESET lock_timeout',
      sql: `SET lock_timeout = '2s';\nRESET lock_timeout;\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET lock_timeout = '2s';\nRESET lock_timeout;\n${SET}${ALTER};`,
    },
    {
      name: 'RESET ALL',
      sql: `SET lock_timeout = '2s';\nRESET ALL;\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET lock_timeout = '2s';\nRESET ALL;\n${SET}${ALTER};`,
    },
    {
      name: 'SET … TO DEFAULT',
      sql: `SET lock_timeout = '2s';\nSET lock_timeout TO DEFAULT;\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET lock_timeout = '2s';\nSET lock_timeout TO DEFAULT;\n${SET}${ALTER};`,
    },
    {
      name: 'SET lock_timeout = 0 disables the timeout',
      sql: `SET lock_timeout = 0;\n«${ALTER}»;`,
      errors: [{ messageId: 'missing', fix: BEFORE }],
      output: `SET lock_timeout = 0;\n${SET}${ALTER};`,
    },
    {
      name: "SET lock_timeout = '0'",
      sql: `SET lock_timeout = '0';\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET lock_timeout = '0';\n${SET}${ALTER};`,
    },
    {
      name: "SET lock_timeout = '0s' (with a unit)",
      sql: `SET lock_timeout = '0s';\n«${ALTER}»;`,
      errors: [{ messageId: 'missing', fix: BEFORE }],
      output: `SET lock_timeout = '0s';\n${SET}${ALTER};`,
    },
    {
      name: 'set only after the statement',
      sql: `«${ALTER}»;\nSET lock_timeout = '5s';`,
      errors: [{ messageId: 'missing' }],
      output: `${SET}${ALTER};\nSET lock_timeout = '5s';`,
    },
    {
      name: 'table created in the file, another one altered',
      sql: 'CREATE TABLE audit (id bigint);\nALTER TABLE audit ADD COLUMN at timestamptz;\n«ALTER TABLE users ADD COLUMN audit_id bigint»;',
      errors: [{ messageId: 'missing', data: { table: 'users' } }],
      output: `${SET}CREATE TABLE audit (id bigint);\nALTER TABLE audit ADD COLUMN at timestamptz;\nALTER TABLE users ADD COLUMN audit_id bigint;`,
    },
    {
      name: 'foreign key from a new table locks the referenced table',
      sql: '«CREATE TABLE orders (user_id bigint REFERENCES users (id))»;',
      errors: [{ messageId: 'missing', data: { statement: 'CREATE TABLE', mode: 'a SHARE ROW EXCLUSIVE', table: 'users' } }],
      output: `${SET}CREATE TABLE orders (user_id bigint REFERENCES users (id));`,
    },
    {
      name: 'leading comment: the SET goes on the line of the first statement',
      sql: `-- 2024-01-01 add nickname\n\n«${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `-- 2024-01-01 add nickname\n\n${SET}${ALTER};`,
    },
    {
      name: 'indented first statement: inserted at the start of its line',
      sql: `  «${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `${SET}  ${ALTER};`,
    },
    {
      name: 'comment before the first statement on its line: inserted right before the statement',
      sql: `/* m1 */ «${ALTER}»;`,
      errors: [{ messageId: 'missing' }],
      output: `/* m1 */ ${SET}${ALTER};`,
    },
    {
      name: 'CRLF file',
      sql: `BEGIN;\r\n«${ALTER}»;\r\nCOMMIT;\r\n`,
      errors: [{ messageId: 'missing' }],
      output: `SET lock_timeout = '5s';\r\nBEGIN;\r\n${ALTER};\r\nCOMMIT;\r\n`,
    },
  ],
});
