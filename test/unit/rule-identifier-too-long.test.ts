/** identifier-too-long: names over 63 bytes, which PostgreSQL truncates. */
import rule from '../../server/src/analysis/rules/identifier-too-long';
import { ruleTests } from '../support/ruleTester';

const L63 = 'a'.repeat(63);
const FIX = { title: 'Use the truncated name', preferred: true };

ruleTests(rule, {
  valid: [
    { name: 'exactly 63 bytes', sql: `CREATE TABLE ${L63} (id bigint);` },
    { name: '63 bytes quoted', sql: `CREATE TABLE "${'B'.repeat(63)}" (id bigint);` },
    { name: 'a long string literal is not a name', sql: `INSERT INTO t (v) VALUES ('${'x'.repeat(100)}');` },
    { name: 'a long comment is not a name', sql: `-- ${'x'.repeat(100)}\nSELECT 1;` },
    { name: '31 two-byte letters are 62 bytes', sql: `CREATE TABLE "${'é'.repeat(31)}" (id bigint);` },
    { name: 'a function body is a string', sql: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 AS ${'x'.repeat(70)} $$;` },
  ],
  invalid: [
    {
      sql: `CREATE TABLE «${L63}b» (id bigint);`,
      errors: [{ messageId: 'tooLong', data: { name: `${L63}b`, bytes: 64, truncated: L63 }, fix: FIX }],
      output: `CREATE TABLE ${L63} (id bigint);`,
    },
    {
      name: 'unquoted names fold to lower case; the fix keeps the case as written',
      sql: `CREATE INDEX «Index_${'X'.repeat(60)}» ON t (a);`,
      errors: [{ messageId: 'tooLong', data: { name: `index_${'x'.repeat(60)}`, bytes: 66, truncated: `index_${'x'.repeat(57)}` } }],
      output: `CREATE INDEX Index_${'X'.repeat(57)} ON t (a);`,
    },
    {
      name: 'bytes, not characters: cut at a character boundary',
      sql: `ALTER TABLE t ADD COLUMN «"${'é'.repeat(32)}"» text;`,
      errors: [{ messageId: 'tooLong', data: { bytes: 64, truncated: 'é'.repeat(31) } }],
      output: `ALTER TABLE t ADD COLUMN "${'é'.repeat(31)}" text;`,
    },
    {
      name: 'quoted with an escaped quote',
      sql: `CREATE TABLE «"${'q'.repeat(62)}""x"» (id bigint);`,
      errors: [{ messageId: 'tooLong', data: { name: `${'q'.repeat(62)}"x`, bytes: 64, truncated: `${'q'.repeat(62)}"` } }],
      output: `CREATE TABLE "${'q'.repeat(62)}""" (id bigint);`,
    },
    {
      name: 'references are checked too, each occurrence',
      sql: `ALTER TABLE t ADD CONSTRAINT «${L63}_check» CHECK (a > 0);\nALTER TABLE t DROP CONSTRAINT «${L63}_check»;`,
      errors: [{ messageId: 'tooLong' }, { messageId: 'tooLong' }],
      output: `ALTER TABLE t ADD CONSTRAINT ${L63} CHECK (a > 0);\nALTER TABLE t DROP CONSTRAINT ${L63};`,
    },
    {
      name: 'four-byte characters',
      sql: `CREATE TABLE «"${'😀'.repeat(16)}"» (id bigint);`,
      errors: [{ messageId: 'tooLong', data: { bytes: 64, truncated: '😀'.repeat(15) } }],
      output: `CREATE TABLE "${'😀'.repeat(15)}" (id bigint);`,
    },
  ],
});
