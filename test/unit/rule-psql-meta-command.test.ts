/** psql-meta-command: backslash lines are psql's, not SQL; each is reported once and skipped. */
import rule from '../../server/src/analysis/rules/psql-meta-command';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE TABLE t (id bigint);',
    { name: 'backslash inside a multi-line string', sql: "INSERT INTO t (s) VALUES ('line one\n\\not a command');" },
    { name: 'backslash inside a dollar-quoted body', sql: 'CREATE FUNCTION f() RETURNS text AS $$\n\\set x\n$$ LANGUAGE sql;' },
    { name: 'backslash inside a block comment', sql: '/*\n\\i other.sql\n*/\nSELECT 1;' },
    { name: 'backslash not at the start of a line', sql: "SELECT E'\\\\x' AS a; SELECT 1 \\g" },
    { name: 'COPY data ends with \\. (pg_dump)', sql: 'COPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT 1;' },
  ],
  invalid: [
    {
      sql: '«\\set ON_ERROR_STOP on»\nCREATE TABLE t (id bigint);',
      errors: [{ messageId: 'meta', data: { command: '\\set' } }],
    },
    {
      name: 'one finding per line',
      sql: '«\\set x 1»\n«\\i x.sql»\nCREATE INDEX i ON t (a);\n«\\connect db»\nSELECT 1;',
      errors: [
        { messageId: 'meta', data: { command: '\\set' } },
        { messageId: 'meta', data: { command: '\\i' } },
        { messageId: 'meta', data: { command: '\\connect' } },
      ],
    },
    {
      name: 'indented, CRLF line ending not included',
      sql: 'SELECT 1;\r\n  «\\c other»\r\nSELECT 2;\r\n',
      errors: [{ messageId: 'meta', data: { command: '\\c' } }],
    },
    {
      name: 'last line without newline',
      sql: 'SELECT 1;\n«\\q»',
      errors: [{ messageId: 'meta', data: { command: '\\q' } }],
    },
    {
      name: 'between statements with a syntax error elsewhere',
      sql: 'SELEC 1;\n«\\echo hi»\nSELECT 2;',
      errors: [{ messageId: 'meta', data: { command: '\\echo' } }],
    },
  ],
});
