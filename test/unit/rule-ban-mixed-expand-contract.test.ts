/** ban-mixed-expand-contract: a migration with both expand and contract steps has no safe deploy time. */
import rule from '../../server/src/analysis/rules/ban-mixed-expand-contract';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX CONCURRENTLY users_full_name_idx ON users (full_name);',
    'ALTER TABLE users DROP COLUMN name;\nDROP TABLE legacy;',
    { name: 'contract steps with neutral ones', sql: "SET lock_timeout = '5s';\nUPDATE users SET name = '';\nALTER TABLE users DROP COLUMN name;" },
    { name: 'everything on a table created in this migration is expand', sql: 'CREATE TABLE users (id bigint, name text);\nALTER TABLE users DROP COLUMN name;' },
    { name: 'breaking is not mixed (renaming-column reports it)', sql: 'ALTER TABLE users ADD COLUMN a text;\nALTER TABLE users RENAME COLUMN name TO full_name;' },
    { name: 'dropping a plain index only slows queries', sql: 'CREATE INDEX CONCURRENTLY a_idx ON users (a);\nDROP INDEX CONCURRENTLY old_idx;' },
    { name: 'validation is neither', sql: 'ALTER TABLE users ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;' },
    { name: 'a column added and dropped in the same migration', sql: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN full_name text;\n«ALTER TABLE users DROP COLUMN name»;',
      errors: [{ messageId: 'mixed', data: { expand: '`users.full_name`', contract: '`users.name`' } }],
    },
    {
      name: 'contract first, reported once on the first contract step',
      sql: '«DROP TABLE legacy»;\nCREATE TABLE audit (id bigint);\nALTER TABLE users DROP COLUMN name;',
      errors: [{ messageId: 'mixed', data: { expand: '`audit`', contract: '`legacy`, `users.name`' } }],
    },
    {
      name: 'one ALTER TABLE that adds and drops',
      sql: '«ALTER TABLE users ADD COLUMN full_name text, DROP COLUMN name»;',
      errors: [{ messageId: 'mixed', data: { expand: '`users.full_name`, `users.name`', contract: '`users.full_name`, `users.name`' } }],
    },
    {
      name: 'SET NOT NULL on a column the running code may not write, after an expand step',
      sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n«ALTER TABLE users ALTER COLUMN email SET NOT NULL»;',
      errors: [{ messageId: 'mixed', data: { expand: '`users`', contract: '`users.email`' } }],
    },
    {
      name: 'inside a transaction, after a statement that does not parse',
      sql: 'BEGIN;\nALTER TABLE users ADD COLUM x int;\nALTER TABLE users ADD COLUMN y int;\n«ALTER TABLE users ALTER COLUMN z DROP DEFAULT»;\nCOMMIT;',
      errors: [{ messageId: 'mixed', data: { expand: '`users.y`', contract: '`users.z`' } }],
    },
  ],
});
