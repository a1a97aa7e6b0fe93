/** syntax-error: a statement PostgreSQL cannot parse is reported and skipped; the rest of the file is still checked. */
import * as assert from 'node:assert/strict';
import { analyze, initParser } from '../../server/src/analysis';
import rule from '../../server/src/analysis/rules/syntax-error';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD COLUMN nickname text;',
    { name: 'empty file', sql: '' },
    { name: 'comments only', sql: '-- nothing\n/* here */' },
    { name: 'psql meta-commands are skipped, not syntax errors', sql: '\\set ON_ERROR_STOP on\nSELECT 1;\n\\i other.sql' },
    { name: 'COPY … FROM stdin data', sql: "COPY t (a, b) FROM stdin;\n1\tit's; not SQL\n\\.\nSELECT 1;" },
    { name: 'Flyway placeholders', sql: 'CREATE INDEX i ON ${schema}.users (email);\nGRANT SELECT ON ${schema}.users TO ${flyway:user};' },
    { name: 'BEGIN ATOMIC body', sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;' },
  ],
  invalid: [
    {
      name: 'missing column definition: reported at the end of the statement',
      sql: 'ALTER TABLE users ADD COLUM«N»;',
      errors: [{ messageId: 'syntax', data: { message: 'syntax error at end of input' } }],
    },
    {
      name: 'the word where the parser stopped',
      sql: 'SELECT 1;\n«SELEC» 2;\nSELECT 3;',
      errors: [{ messageId: 'syntax', data: { message: 'syntax error at or near "SELEC"' } }],
    },
    {
      name: 'one finding per broken statement',
      sql: '«SELEC» 1;\nCREATE INDEX i ON t (a);\nALTER TABLE t «DROPP» COLUMN a;',
      errors: [
        { messageId: 'syntax', data: { message: 'syntax error at or near "SELEC"' } },
        { messageId: 'syntax', data: { message: 'syntax error at or near "DROPP"' } },
      ],
    },
    {
      name: 'MySQL backticks',
      sql: 'CREATE TABLE «`»users` (`id` int NOT NULL AUTO_INCREMENT) ENGINE=InnoDB;\nSELECT 1;',
      errors: [{ messageId: 'syntax', data: { message: 'syntax error at or near "`"' } }],
    },
    {
      name: 'unterminated string: one diagnostic, not two',
      sql: "SELECT 1;\nINSERT INTO t VALUES («'»abc);\nSELECT 2;",
      errors: [{ messageId: 'unterminated', data: { what: 'string literal' } }],
    },
    {
      name: 'unterminated quoted identifier',
      sql: 'SELECT 1;\nSELECT «"»abc;\n',
      errors: [{ messageId: 'unterminated', data: { what: 'quoted identifier' } }],
    },
    {
      name: 'unterminated dollar-quoted body',
      sql: 'SELECT 1;\nCREATE FUNCTION f() RETURNS int AS «$»fn$ SELECT 1;\n',
      errors: [{ messageId: 'unterminated', data: { what: 'dollar-quoted body $fn$' } }],
    },
    {
      name: 'unterminated block comment',
      sql: 'SELECT 1;\n«/»* never closed;\nSELECT 2;',
      errors: [{ messageId: 'unterminated', data: { what: 'comment' } }],
    },
    {
      name: 'a syntax error before an unterminated string: both reported',
      sql: '«SELEC» 1;\nSELECT 2;\nSELECT «\'»open',
      errors: [
        { messageId: 'syntax', data: { message: 'syntax error at or near "SELEC"' } },
        { messageId: 'unterminated', data: { what: 'string literal' } },
      ],
    },
  ],
});

describe('rule syntax-error: the rest of the file is still analyzed', () => {
  before(async () => {
    await initParser();
  });

  const cases: { name: string; sql: string; expect: string[] }[] = [
    {
      name: 'statements before and after a broken one',
      sql: 'CREATE INDEX a ON t (x);\nALTER TABLE users ADD COLUMN;\nALTER TABLE users RENAME COLUMN a TO b;',
      expect: ['require-concurrent-index-creation', 'require-lock-timeout', 'syntax-error', 'renaming-column'],
    },
    {
      name: 'before an unterminated string',
      sql: "CREATE INDEX a ON t (x);\nSELECT 'open;\nCREATE INDEX b ON t (x);",
      expect: ['require-concurrent-index-creation', 'require-lock-timeout', 'syntax-error'],
    },
    {
      name: 'after MySQL syntax',
      sql: 'CREATE TABLE `t` (`id` int AUTO_INCREMENT) ENGINE=InnoDB;\nALTER TABLE users RENAME COLUMN a TO b;',
      expect: ['syntax-error', 'renaming-column', 'require-lock-timeout'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = analyze(c.sql);
      // Only the rules the cases name: a rule added to the registry later does not change them.
      const named = new Set(c.expect);
      assert.deepEqual(r.findings.map((f) => f.ruleId).filter((id) => named.has(id) || id === 'syntax-error'), c.expect);
    });
  }
});
