/** ban-rewrite-under-access-exclusive: a rewrite or full scan while an earlier statement's ACCESS EXCLUSIVE lock is held. */
import rule from '../../server/src/analysis/rules/ban-rewrite-under-access-exclusive';
import { ruleTests } from '../support/ruleTester';

const RENAME = 'ALTER TABLE users RENAME COLUMN name TO full_name';
const VALIDATED = 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n';

ruleTests(rule, {
  valid: [
    { name: 'outside a transaction', sql: `${RENAME};\nCREATE INDEX users_email_idx ON users (email);` },
    { name: 'committed first', sql: `BEGIN;\n${RENAME};\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);` },
    { name: 'the slow statement comes first', sql: `BEGIN;\nCREATE INDEX users_email_idx ON users (email);\n${RENAME};\nCOMMIT;` },
    { name: 'tables created in the migration', sql: 'BEGIN;\nCREATE TABLE accounts (id bigint, email text);\nCREATE INDEX accounts_email_idx ON accounts (email);\nCOMMIT;' },
    { name: 'TRUNCATE gets a new empty file at once', sql: `BEGIN;\n${RENAME};\nTRUNCATE sessions;\nCOMMIT;` },
    { name: 'a quick statement after the lock is the other rule\'s finding', sql: `BEGIN;\n${RENAME};\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;` },
    {
      name: 'SET NOT NULL proven by a validated CHECK reads no row (PostgreSQL 12+)',
      sql: `${VALIDATED}BEGIN;\nALTER TABLE users ADD COLUMN note text;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCOMMIT;`,
    },
    {
      name: 'SET NOT NULL on a column already NOT NULL reads no row',
      sql: "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\nBEGIN;\nALTER TABLE users ADD COLUMN note text;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCOMMIT;",
    },
  ],
  invalid: [
    {
      name: 'SET NOT NULL without a validated CHECK reads every row',
      sql: 'BEGIN;\nALTER TABLE users ADD COLUMN note text;\n«ALTER TABLE users ALTER COLUMN email SET NOT NULL»;\nCOMMIT;',
      errors: [{ messageId: 'scan', data: { statement: 'ALTER TABLE', target: 'users', table: 'users', line: 2 } }],
    },
    {
      name: 'before PostgreSQL 12 the validated CHECK does not spare the scan',
      sql: `${VALIDATED}BEGIN;\nALTER TABLE users ADD COLUMN note text;\n«ALTER TABLE users ALTER COLUMN email SET NOT NULL»;\nCOMMIT;`,
      options: { postgresVersion: 11 },
      errors: [{ messageId: 'scan', data: { target: 'users', table: 'users', line: 4 } }],
    },
    {
      name: 'a proven SET NOT NULL next to a subcommand that scans still scans',
      sql: `${VALIDATED}BEGIN;\nALTER TABLE users ADD COLUMN note text;\n«ALTER TABLE users ALTER COLUMN email SET NOT NULL, ADD CONSTRAINT users_id_pos CHECK (id > 0)»;\nCOMMIT;`,
      errors: [{ messageId: 'scan', data: { target: 'users', table: 'users', line: 4 } }],
    },
    {
      sql: `BEGIN;\n${RENAME};\n«CREATE INDEX users_email_idx ON users (email)»;\nCOMMIT;`,
      errors: [{ messageId: 'scan', data: { statement: 'CREATE INDEX', target: 'users', table: 'users', earlier: 'RENAME', line: 2 } }],
    },
    {
      name: 'a rewrite of another table while users is locked',
      sql: `BEGIN;\n${RENAME};\n«ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)»;\nCOMMIT;`,
      errors: [{ messageId: 'rewrite', data: { statement: 'ALTER TABLE', target: 'orders', table: 'users' } }],
    },
    {
      name: 'names the lock on the same table when there is one',
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nALTER TABLE users ADD COLUMN note text;\n«ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0)»;\nCOMMIT;',
      errors: [{ messageId: 'scan', data: { target: 'users', table: 'users', line: 3 } }],
    },
    {
      name: 'validating a constraint (SHARE UPDATE EXCLUSIVE itself) while another table is locked',
      sql: 'BEGIN;\nALTER TABLE users ADD COLUMN note text;\n«ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk»;\nCOMMIT;',
      errors: [{ messageId: 'scan', data: { target: 'orders', table: 'users' } }],
    },
    {
      name: 'a refresh after a lock, the tool wraps the file',
      sql: `${RENAME};\n«REFRESH MATERIALIZED VIEW user_stats»;`,
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'rewrite', data: { target: 'user_stats', table: 'users' } }],
    },
    {
      name: 'a volatile default after a lock',
      sql: `BEGIN;\n${RENAME};\n«ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()»;\nCOMMIT;`,
      errors: [{ messageId: 'rewrite', data: { target: 'users', table: 'users' } }],
    },
  ],
});
