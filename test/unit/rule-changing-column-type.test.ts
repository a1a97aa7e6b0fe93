/**
 * changing-column-type: ALTER COLUMN … TYPE rewrites unless the change is binary coercible (each no-rewrite case here
 * was checked on PostgreSQL 15 by comparing relfilenodes); an unknown old type is said to be unknown.
 */
import * as assert from 'node:assert/strict';
import { analyze, buildCatalog, initParser } from '../../server/src/analysis';
import rule from '../../server/src/analysis/rules/changing-column-type';
import { ruleTests } from '../support/ruleTester';

/** A column added earlier in this file gives its old type (the stand-in table replays the file's statements). */
const col = (type: string, to: string, using = '') => `ALTER TABLE t ADD COLUMN c ${type};\nALTER TABLE t ALTER COLUMN c TYPE ${to}${using}`;
const bad = (type: string, to: string, using = '') => `ALTER TABLE t ADD COLUMN c ${type};\n«ALTER TABLE t ALTER COLUMN c TYPE ${to}${using}»;`;

ruleTests(rule, {
  valid: [
    { name: 'varchar(n) → varchar(m ≥ n)', sql: `${col('varchar(50)', 'varchar(100)')};` },
    { name: 'varchar(n) → same length', sql: `${col('varchar(50)', 'character varying(50)')};` },
    { name: 'varchar(n) → varchar', sql: `${col('varchar(50)', 'varchar')};` },
    { name: 'varchar(n) → text', sql: `${col('varchar(50)', 'text')};` },
    { name: 'varchar(n) → text USING c::text', sql: `${col('varchar(50)', 'text', ' USING c::text')};` },
    { name: 'Django: USING "c"::varchar(255)', sql: `${col('varchar(100)', 'varchar(255)', ' USING "c"::varchar(255)')};` },
    { name: 'text → unbounded varchar', sql: `${col('text', 'varchar')};` },
    { name: 'numeric(p,s) → numeric(q ≥ p, s)', sql: `${col('numeric(10,2)', 'numeric(12,2)')};` },
    { name: 'numeric(p,s) → numeric', sql: `${col('numeric(10,2)', 'numeric')};` },
    { name: 'decimal(p) → numeric(q ≥ p)', sql: `${col('decimal(10)', 'numeric(12)')};` },
    { name: 'varbit(n) → varbit(m ≥ n)', sql: `${col('varbit(5)', 'bit varying(10)')};` },
    { name: 'bit(n) → varbit', sql: `${col('bit(5)', 'varbit')};` },
    { name: 'timestamp(3) → timestamp(6)', sql: `${col('timestamp(3)', 'timestamp(6)')};` },
    { name: 'timestamp(3) → timestamp', sql: `${col('timestamp(3)', 'timestamp')};` },
    { name: 'same type', sql: `${col('integer', 'int4')};` },
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE t (c int);\nALTER TABLE t ALTER COLUMN c TYPE bigint;' },
  ],
  invalid: [
    {
      name: 'integer → bigint',
      sql: bad('integer', 'bigint'),
      errors: [{ messageId: 'rewrite', data: { table: 't', column: 'c', from: 'integer', to: 'bigint' } }],
    },
    {
      name: 'varchar(n) → varchar(m < n)',
      sql: bad('varchar(50)', 'varchar(10)'),
      errors: [{ messageId: 'rewrite', data: { from: 'varchar(50)', to: 'varchar(10)' } }],
    },
    { name: 'text → varchar(n)', sql: bad('text', 'varchar(100)'), errors: [{ messageId: 'rewrite', data: { from: 'text', to: 'varchar(100)' } }] },
    { name: 'unbounded varchar → varchar(n)', sql: bad('varchar', 'varchar(100)'), errors: [{ messageId: 'rewrite', data: { from: 'varchar', to: 'varchar(100)' } }] },
    { name: 'numeric: other scale', sql: bad('numeric(10,2)', 'numeric(12,3)'), errors: [{ messageId: 'rewrite', data: { from: 'numeric(10,2)', to: 'numeric(12,3)' } }] },
    { name: 'numeric: smaller precision', sql: bad('numeric(10,2)', 'numeric(9,2)'), errors: [{ messageId: 'rewrite' }] },
    { name: 'unbounded numeric → numeric(p,s)', sql: bad('numeric', 'numeric(10,2)'), errors: [{ messageId: 'rewrite' }] },
    { name: 'bit(n) → varbit(m)', sql: bad('bit(5)', 'varbit(10)'), errors: [{ messageId: 'rewrite', data: { from: 'bit(5)', to: 'bit varying(10)' } }] },
    { name: 'char(n) → char(m > n)', sql: bad('char(5)', 'char(10)'), errors: [{ messageId: 'rewrite', data: { from: 'char(5)', to: 'char(10)' } }] },
    { name: 'char(n) → text', sql: bad('char(5)', 'text'), errors: [{ messageId: 'rewrite' }] },
    { name: 'timestamp(3) → timestamp(1)', sql: bad('timestamp(3)', 'timestamp(1)'), errors: [{ messageId: 'rewrite' }] },
    { name: 'arrays of another element type', sql: bad('varchar(10)[]', 'varchar(20)[]'), errors: [{ messageId: 'rewrite', data: { from: 'varchar(10)[]', to: 'varchar(20)[]' } }] },
    {
      name: 'timestamp → timestamptz: only the session TimeZone decides',
      sql: bad('timestamp', 'timestamptz'),
      errors: [{ messageId: 'timezone', data: { from: 'timestamp', to: 'timestamptz' } }],
    },
    {
      name: 'timestamp → timestamptz before PostgreSQL 12 always rewrites',
      sql: bad('timestamp', 'timestamp with time zone'),
      options: { postgresVersion: 11 },
      errors: [{ messageId: 'rewrite', data: { from: 'timestamp', to: 'timestamptz' } }],
    },
    {
      name: 'a USING expression that computes something',
      sql: bad('varchar(50)', 'text', ' USING lower(c)'),
      errors: [{ messageId: 'using', data: { table: 't', column: 'c', to: 'text' } }],
    },
    {
      name: 'a type the verdicts do not cover',
      sql: bad('text', 'citext'),
      errors: [{ messageId: 'maybe', data: { from: 'text', to: 'citext' } }],
    },
    {
      name: 'old type unknown: said so, no rewrite claimed',
      sql: '«ALTER TABLE app.accounts ALTER COLUMN id TYPE bigint»;',
      errors: [{ messageId: 'unknownOld', data: { table: 'app.accounts', column: 'id', to: 'bigint' } }],
    },
    {
      name: 'one finding per column, only the rewriting ones',
      sql: 'ALTER TABLE t ADD COLUMN a varchar(5), ADD COLUMN b int;\n««ALTER TABLE t ALTER COLUMN a TYPE varchar(10), ALTER COLUMN b TYPE bigint, ALTER COLUMN z TYPE text»»;',
      errors: [
        { messageId: 'rewrite', data: { column: 'b', from: 'integer', to: 'bigint' } },
        { messageId: 'unknownOld', data: { column: 'z', to: 'text' } },
      ],
    },
    {
      name: 'a second change in the same file starts from the type the first one left',
      sql: 'ALTER TABLE t ADD COLUMN c varchar(50);\nALTER TABLE t ALTER COLUMN c TYPE text;\n«ALTER TABLE t ALTER COLUMN c TYPE varchar(20)»;',
      errors: [{ messageId: 'rewrite', data: { from: 'text', to: 'varchar(20)' } }],
    },
  ],
});

/** The old type from earlier migrations (the table tester sees one file only). */
describe('rule changing-column-type with earlier migrations', () => {
  before(async () => {
    await initParser();
  });
  const messages = (sql: string, earlier: string[]) =>
    analyze(sql, { rules: { [rule.id]: 'warning' } }, { catalog: buildCatalog(earlier) })
      .findings.filter((f) => f.ruleId === rule.id)
      .map((f) => f.message);
  const EARLIER = ['CREATE TABLE users (id integer PRIMARY KEY, name character varying(50));'];

  it('accepts widening a varchar created in an earlier migration', () => {
    assert.deepEqual(messages('ALTER TABLE users ALTER COLUMN name TYPE varchar(255);', EARLIER), []);
  });

  it('reports integer → bigint with both types named', () => {
    assert.deepEqual(messages('ALTER TABLE users ALTER COLUMN id TYPE bigint;', EARLIER), [
      'Changing `users.id` from integer to bigint rewrites `users` and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the rewrite ends.',
    ]);
  });
});
