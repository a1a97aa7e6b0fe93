/** require-statement-timeout: one finding per file, on the first statement that reads or rewrites a table while blocking it. */
import rule from '../../server/src/analysis/rules/require-statement-timeout';
import { ruleTests } from '../support/ruleTester';

const SET = "SET statement_timeout = '5s';\n";
const FIX = { title: 'Set statement_timeout at the top of the migration', preferred: false };
const BEFORE = { title: 'Set statement_timeout before this statement', preferred: false };
const REWRITE = 'ALTER TABLE users ALTER COLUMN id TYPE bigint';

ruleTests(rule, {
  valid: [
    `${SET}${REWRITE};`,
    { name: 'SET … TO, integer milliseconds', sql: `SET statement_timeout TO 60000;\n${REWRITE};` },
    { name: 'SET LOCAL inside the transaction', sql: `BEGIN;\nSET LOCAL statement_timeout = '1min';\n${REWRITE};\nCOMMIT;` },
    { name: 'SET LOCAL when the tool wraps the file', sql: `SET LOCAL statement_timeout = '1min';\n${REWRITE};`, options: { assumeInTransaction: true } },
    { name: 'a catalog-only change', sql: 'ALTER TABLE users ADD COLUMN nickname text;' },
    { name: 'CONCURRENTLY blocks neither reads nor writes', sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
    { name: 'VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE', sql: 'ALTER TABLE users VALIDATE CONSTRAINT k;' },
    { name: 'DML', sql: "UPDATE users SET name = 'x' WHERE id < 1000;" },
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (id int, email text);\nCREATE INDEX i ON users (email);\nALTER TABLE users ALTER COLUMN id TYPE bigint;' },
  ],
  invalid: [
    {
      sql: `«${REWRITE}»;`,
      errors: [{ messageId: 'missing', data: { statement: 'ALTER TABLE', mode: 'an ACCESS EXCLUSIVE', table: 'users' }, fix: FIX }],
      output: `${SET}${REWRITE};`,
    },
    {
      name: 'CREATE INDEX reads the table under a SHARE lock',
      sql: '-- index\n«CREATE INDEX i ON app.users (email)»;',
      errors: [{ messageId: 'missing', data: { statement: 'CREATE INDEX', mode: 'a SHARE', table: 'app.users' } }],
      output: `-- index\n${SET}CREATE INDEX i ON app.users (email);`,
    },
    {
      name: 'one finding per file, on the first statement that needs it',
      sql: `ALTER TABLE users ADD COLUMN a text;\n«ALTER TABLE users ADD CONSTRAINT c CHECK (a <> '')»;\n${REWRITE};`,
      errors: [{ messageId: 'missing', data: { statement: 'ALTER TABLE', table: 'users' } }],
      output: `${SET}ALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD CONSTRAINT c CHECK (a <> '');\n${REWRITE};`,
    },
    {
      name: 'SET LOCAL ends with COMMIT: the SET goes before the statement',
      sql: `BEGIN;\nSET LOCAL statement_timeout = '1s';\nCOMMIT;\n«${REWRITE}»;`,
      errors: [{ messageId: 'missing', fix: BEFORE }],
      output: `BEGIN;\nSET LOCAL statement_timeout = '1s';\nCOMMIT;\n${SET}${REWRITE};`,
    },
    {
      name: 'statement_timeout = 0 disables it',
      sql: `SET statement_timeout = 0;\n«${REWRITE}»;`,
      errors: [{ messageId: 'missing', fix: BEFORE }],
      output: `SET statement_timeout = 0;\n${SET}${REWRITE};`,
    },
    {
      name: 'RESET statement_timeout',
      sql: `SET statement_timeout = '5s';\nRESET statement_timeout;\n«${REWRITE}»;`,
      errors: [{ messageId: 'missing' }],
      output: `SET statement_timeout = '5s';\nRESET statement_timeout;\n${SET}${REWRITE};`,
    },
    {
      name: 'CRLF file stays CRLF',
      sql: `-- a\r\n«VACUUM FULL users»;\r\n`,
      errors: [{ messageId: 'missing', data: { statement: 'VACUUM', mode: 'an ACCESS EXCLUSIVE', table: 'users' } }],
      output: `-- a\r\nSET statement_timeout = '5s';\r\nVACUUM FULL users;\r\n`,
    },
  ],
});
