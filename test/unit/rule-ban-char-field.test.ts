/** ban-char-field: char(n) / character(n) / bpchar columns. */
import rule from '../../server/src/analysis/rules/ban-char-field';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2));',
    'CREATE TABLE countries (code varchar(2));',
    { name: 'the one-byte internal type "char"', sql: 'CREATE TABLE t (kind "char");' },
    { name: 'pg_catalog."char" is the internal type too', sql: 'CREATE TABLE t (kind pg_catalog.char);' },
    { name: 'a cast is not a column type', sql: "SELECT 'x'::char(3);" },
    'ALTER TABLE t ALTER COLUMN code TYPE text;',
  ],
  invalid: [
    {
      sql: 'CREATE TABLE countries (code «char(2)» PRIMARY KEY);',
      errors: [{ messageId: 'padded', data: { table: 'countries', column: 'code', type: 'char(2)', length: '2 characters' }, fix: { title: 'Use varchar(2)', preferred: false } }],
      output: 'CREATE TABLE countries (code varchar(2) PRIMARY KEY);',
    },
    {
      name: 'bare character is char(1)',
      sql: 'ALTER TABLE users ADD COLUMN gender «character»;',
      errors: [{ messageId: 'padded', data: { column: 'gender', type: 'char', length: '1 character' }, fix: { title: 'Use text' } }],
      output: 'ALTER TABLE users ADD COLUMN gender text;',
    },
    {
      name: 'bpchar without a length',
      sql: 'CREATE TABLE t (a «bpchar»);',
      errors: [{ messageId: 'unbounded', data: { table: 't', column: 'a' } }],
      output: 'CREATE TABLE t (a text);',
    },
    {
      name: 'upper case, ALTER COLUMN TYPE with USING',
      sql: 'ALTER TABLE t ALTER COLUMN code TYPE «CHARACTER(3)» USING code::char(3);',
      errors: [{ messageId: 'padded', data: { type: 'char(3)' } }],
      output: 'ALTER TABLE t ALTER COLUMN code TYPE VARCHAR(3) USING code::char(3);',
    },
    {
      name: 'arrays keep their bounds',
      sql: 'CREATE TABLE t (a «char(5)[]», b «char[]»);',
      errors: [{ messageId: 'padded', data: { column: 'a' } }, { messageId: 'padded', data: { column: 'b' } }],
      output: 'CREATE TABLE t (a varchar(5)[], b text[]);',
    },
    {
      name: 'national character',
      sql: 'CREATE TABLE t (a «national character(4)»);',
      errors: [{ messageId: 'padded', data: { type: 'char(4)' } }],
      output: 'CREATE TABLE t (a varchar(4));',
    },
  ],
});
