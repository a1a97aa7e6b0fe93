/** adding-not-nullable-field: SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated CHECK proves it (12+). */
import * as assert from 'node:assert/strict';
import { analyze, buildCatalog, initParser } from '../../server/src/analysis';
import rule from '../../server/src/analysis/rules/adding-not-nullable-field';
import { ruleTests } from '../support/ruleTester';

const CHECK = 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;';
const VALIDATE = 'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;';
const SET = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL';

ruleTests(rule, {
  valid: [
    { name: 'CHECK added NOT VALID and validated earlier in this file', sql: `${CHECK}\n${VALIDATE}\n${SET};` },
    { name: 'CHECK added validated at once earlier in this file', sql: `ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);\n${SET};` },
    { name: 'on PostgreSQL 12', sql: `${CHECK}\n${VALIDATE}\n${SET};`, options: { postgresVersion: 12 } },
    { name: 'table created earlier in this migration', sql: `CREATE TABLE users (email text);\n${SET};` },
    { name: 'ADD COLUMN … NOT NULL is adding-required-field', sql: 'ALTER TABLE users ADD COLUMN email text NOT NULL;' },
    { name: 'PostgreSQL 18 NOT NULL constraint added NOT VALID', sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;' },
    { name: 'DROP NOT NULL', sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
  ],
  invalid: [
    {
      sql: `«${SET}»;`,
      errors: [{ messageId: 'scan', data: { table: 'users', column: 'email' } }],
    },
    {
      name: 'the CHECK is still NOT VALID',
      sql: `${CHECK}\n«${SET}»;`,
      errors: [{ messageId: 'notValidated', data: { table: 'users', column: 'email', name: '`users_email_nn`' } }],
    },
    {
      name: 'the CHECK was validated, but PostgreSQL 11 scans anyway',
      sql: `${CHECK}\n${VALIDATE}\n«${SET}»;`,
      options: { postgresVersion: 11 },
      errors: [{ messageId: 'beforeTwelve', data: { table: 'users', column: 'email', version: 11 } }],
    },
    {
      name: 'a CHECK on another column does not help',
      sql: `ALTER TABLE users ADD CONSTRAINT c CHECK (name IS NOT NULL);\n«${SET}»;`,
      errors: [{ messageId: 'scan', data: { column: 'email' } }],
    },
    {
      name: 'a CHECK on the same column of another table does not help',
      sql: `ALTER TABLE orders ADD CONSTRAINT c CHECK (email IS NOT NULL);\n«${SET}»;`,
      errors: [{ messageId: 'scan', data: { table: 'users' } }],
    },
    {
      name: 'a validated CHECK that was dropped again',
      sql: `${CHECK}\n${VALIDATE}\nALTER TABLE users DROP CONSTRAINT users_email_nn;\n«${SET}»;`,
      errors: [{ messageId: 'scan' }],
    },
    {
      name: 'several columns, schema-qualified',
      sql: '««ALTER TABLE app.users ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL»»;',
      errors: [
        { messageId: 'scan', data: { table: 'app.users', column: 'a' } },
        { messageId: 'scan', data: { table: 'app.users', column: 'b' } },
      ],
    },
    {
      name: 'PostgreSQL 18 NOT NULL constraint validated at once',
      sql: '«ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email»;',
      errors: [{ messageId: 'notNullConstraint', data: { table: 'users', column: 'email', name: '`users_email_nn`' } }],
    },
  ],
});

/** The proving CHECK in an earlier migration (the table tester sees one file only). */
describe('rule adding-not-nullable-field with earlier migrations', () => {
  before(async () => {
    await initParser();
  });
  const ids = (sql: string, earlier: string[]) =>
    analyze(sql, { rules: { [rule.id]: 'warning' } }, { catalog: buildCatalog(earlier) })
      .findings.filter((f) => f.ruleId === rule.id)
      .map((f) => f.message);
  const TABLE = 'CREATE TABLE users (id bigint, email text);';

  it('accepts SET NOT NULL after a CHECK validated in an earlier migration', () => {
    assert.deepEqual(ids(`${SET};`, [TABLE, `${CHECK}\n${VALIDATE}`]), []);
  });

  it('accepts a CHECK added NOT VALID earlier and validated in this file', () => {
    assert.deepEqual(ids(`${VALIDATE}\n${SET};`, [TABLE, CHECK]), []);
  });

  it('reports a CHECK that an earlier migration added NOT VALID and nobody validated', () => {
    assert.deepEqual(ids(`${SET};`, [TABLE, CHECK]), [
      'SET NOT NULL on `users.email` reads every row of `users` under an ACCESS EXCLUSIVE lock, blocking reads and writes: the CHECK (email IS NOT NULL) constraint `users_email_nn` is NOT VALID, so it does not spare the scan until it is validated.',
    ]);
  });

  it('accepts a column that is NOT NULL already (nothing to check)', () => {
    assert.deepEqual(ids(`${SET};`, ['CREATE TABLE users (email text NOT NULL);']), []);
  });
});
