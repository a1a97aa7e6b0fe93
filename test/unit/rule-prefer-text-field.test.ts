/** prefer-text-field: varchar(n) columns. */
import rule from '../../server/src/analysis/rules/prefer-text-field';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Use text with a CHECK constraint', preferred: false };

ruleTests(rule, {
  valid: [
    'CREATE TABLE users (email text NOT NULL CHECK (char_length(email) <= 255));',
    { name: 'varchar without a limit is text', sql: 'CREATE TABLE users (email varchar, name character varying);' },
    'ALTER TABLE users ALTER COLUMN email TYPE text;',
    { name: 'a cast is not a column type', sql: "SELECT 'x'::varchar(10);" },
    { name: 'char(n) is ban-char-field\'s', sql: 'CREATE TABLE t (code char(2));' },
    { name: 'a user type named varchar in another schema', sql: 'CREATE TABLE t (code app.varchar(3));' },
  ],
  invalid: [
    {
      sql: 'CREATE TABLE users (id bigint, email «varchar(255)» NOT NULL);',
      errors: [{ messageId: 'column', data: { table: 'users', column: 'email', length: 255 }, fix: FIX }],
      output: 'CREATE TABLE users (id bigint, email text NOT NULL CHECK (char_length(email) <= 255));',
    },
    {
      name: 'character varying, quoted column, COLLATE and a default stay in place',
      sql: 'CREATE TABLE t ("Name" «CHARACTER VARYING(40)» COLLATE "C" DEFAULT \'\', b int);',
      errors: [{ messageId: 'column', data: { column: 'Name', length: 40 } }],
      output: 'CREATE TABLE t ("Name" TEXT COLLATE "C" DEFAULT \'\' CHECK (char_length("Name") <= 40), b int);',
    },
    {
      name: 'ADD COLUMN on an existing table: no fix (an inline CHECK would scan the table)',
      sql: 'ALTER TABLE users ADD COLUMN nickname «varchar(50)»;',
      errors: [{ messageId: 'column', data: { table: 'users', column: 'nickname', length: 50 } }],
    },
    {
      name: 'ADD COLUMN on a table created earlier in the file',
      sql: 'create table users (id bigint);\nalter table users add column nickname «varchar(50)» not null;',
      errors: [{ messageId: 'column', data: { column: 'nickname' }, fix: FIX }],
      output: 'create table users (id bigint);\nalter table users add column nickname text not null check (char_length(nickname) <= 50);',
    },
    {
      name: 'ALTER COLUMN TYPE',
      sql: 'ALTER TABLE users ALTER COLUMN email TYPE «varchar(320)»;',
      errors: [{ messageId: 'alter', data: { table: 'users', column: 'email', length: 320 } }],
    },
    {
      name: 'an array of varchar(n): flagged, no fix',
      sql: 'CREATE TABLE t (tags «varchar(20)[]»);',
      errors: [{ messageId: 'column', data: { column: 'tags', length: 20 } }],
    },
    {
      name: 'pg_catalog.varchar',
      sql: 'CREATE TABLE t (code «pg_catalog.varchar(3)» PRIMARY KEY);',
      errors: [{ messageId: 'column', data: { column: 'code', length: 3 } }],
      output: 'CREATE TABLE t (code text PRIMARY KEY CHECK (char_length(code) <= 3));',
    },
  ],
});
