/** ban-rewrite-under-access-exclusive: a rewrite or full scan while an earlier statement's ACCESS EXCLUSIVE lock is held. */
import rule from '../../server/src/analysis/rules/ban-rewrite-under-access-exclusive';
import { ruleTests } from '../support/ruleTester';

const RENAME = 'ALTER TABLE users RENAME COLUMN name TO full_name';

ruleTests(rule, {
  valid: [
    { name: 'outside a transaction', sql: `${RENAME};\nCREATE INDEX users_email_idx ON users (email);` },
    { name: 'committed first', sql: `BEGIN;\n${RENAME};\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);` },
    { name: 'the slow statement comes first', sql: `BEGIN;\nCREATE INDEX users_email_idx ON users (email);\n${RENAME};\nCOMMIT;` },
    { name: 'tables created in the migration', sql: 'BEGIN;\nCREATE TABLE accounts (id bigint, email text);\nCREATE INDEX accounts_email_idx ON accounts (email);\nCOMMIT;' },
    { name: 'TRUNCATE gets a new empty file at once', sql: `BEGIN;\n${RENAME};\nTRUNCATE sessions;\nCOMMIT;` },
    { name: 'a quick statement after the lock is the other rule\'s finding', sql: `BEGIN;\n${RENAME};\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;` },
  ],
  invalid: [
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
