/** prefer-repack: VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE; pg_repack does it online. */
import rule from '../../server/src/analysis/rules/prefer-repack';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'VACUUM users;',
    'VACUUM (ANALYZE, VERBOSE) users;',
    'ANALYZE users;',
    { name: 'FULL switched off', sql: 'VACUUM (FULL false) users;' },
    { name: 'FULL 0', sql: 'VACUUM (FULL 0) users;' },
    { name: 'CLUSTER ON only marks the index', sql: 'ALTER TABLE users CLUSTER ON users_created_at_idx;' },
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (id bigint);\nVACUUM FULL users;\nCLUSTER users USING users_pkey;' },
  ],
  invalid: [
    {
      sql: '«VACUUM FULL users»;',
      errors: [{ messageId: 'vacuumFull', data: { tables: '`users`' } }],
    },
    {
      name: 'parenthesized options, two tables',
      sql: '«VACUUM (FULL, ANALYZE) app.users, orders»;',
      errors: [{ messageId: 'vacuumFull', data: { tables: '`app.users`, `orders`' } }],
    },
    {
      name: 'FULL true, only the tables not created here',
      sql: 'CREATE TABLE fresh (id int);\n«VACUUM (FULL true) fresh, users»;',
      errors: [{ messageId: 'vacuumFull', data: { tables: '`users`' } }],
    },
    { name: 'the whole database', sql: '«VACUUM FULL»;', errors: [{ messageId: 'vacuumFullAll' }] },
    {
      sql: '«CLUSTER users USING users_created_at_idx»;',
      errors: [{ messageId: 'cluster', data: { table: 'users' } }],
    },
    { name: 'every clustered table', sql: '«CLUSTER»;', errors: [{ messageId: 'clusterAll' }] },
  ],
});
