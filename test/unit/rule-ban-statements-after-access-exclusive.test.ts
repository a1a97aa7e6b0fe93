/** ban-statements-after-access-exclusive: an ACCESS EXCLUSIVE lock is held across every later statement of its transaction. */
import rule from '../../server/src/analysis/rules/ban-statements-after-access-exclusive';
import { ruleTests } from '../support/ruleTester';

const ADD = 'ALTER TABLE users ADD COLUMN nickname text';
const UPDATE = "UPDATE settings SET value = 'on' WHERE key = 'nicknames'";

ruleTests(rule, {
  valid: [
    { name: 'outside a transaction each statement commits', sql: `${ADD};\n${UPDATE};` },
    { name: 'the lock comes last', sql: `BEGIN;\n${UPDATE};\n${ADD};\nCOMMIT;` },
    { name: 'committed before the next statement', sql: `BEGIN;\n${ADD};\nCOMMIT;\nBEGIN;\n${UPDATE};\nCOMMIT;` },
    { name: 'SET and transaction control are harmless', sql: `BEGIN;\n${ADD};\nSET LOCAL statement_timeout = '1s';\nCOMMIT;` },
    { name: 'table created earlier in the migration', sql: `BEGIN;\nCREATE TABLE users (id bigint);\n${ADD};\n${UPDATE};\nCOMMIT;` },
    { name: 'a weaker lock first', sql: `BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\n${UPDATE};\nCOMMIT;` },
    { name: 'a dropped table cannot be used any more', sql: `BEGIN;\nDROP TABLE old_users;\n${UPDATE};\nCOMMIT;` },
    { name: 'long work after the lock is the other rule\'s finding', sql: `BEGIN;\n${ADD};\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;` },
  ],
  invalid: [
    {
      sql: `BEGIN;\n${ADD};\n«${UPDATE}»;\nCOMMIT;`,
      errors: [{ messageId: 'heldAcross', data: { table: 'users', earlier: 'ALTER TABLE', line: 2, statement: 'UPDATE' } }],
    },
    {
      name: 'once per lock, on the first statement under it, counting the later ones',
      sql: `BEGIN;\n${ADD};\n«ALTER TABLE orders DROP COLUMN legacy»;\n${UPDATE};\nCOMMIT;`,
      errors: [{ messageId: 'heldAcrossMore', data: { table: 'users', statement: 'ALTER TABLE', more: 'statement' } }],
    },
    {
      name: 'counts every later statement still under the lock (plural)',
      sql: `BEGIN;\n${ADD};\n«${UPDATE}»;\n${UPDATE};\n${UPDATE};\nCOMMIT;\n${UPDATE};`,
      errors: [{ messageId: 'heldAcrossMore', data: { table: 'users', statement: 'UPDATE', more: '2 statements' } }],
    },
    {
      name: 'the migration tool wraps the file in a transaction',
      sql: `${ADD};\n«${UPDATE}»;`,
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'heldAcross', data: { line: 1 } }],
    },
    {
      name: 'a rename, then a statement on another table',
      sql: 'BEGIN;\nALTER TABLE app.users RENAME COLUMN name TO full_name;\n«INSERT INTO audit (note) VALUES (\'renamed\')»;\nCOMMIT;',
      errors: [{ messageId: 'heldAcross', data: { table: 'app.users', earlier: 'RENAME', statement: 'INSERT' } }],
    },
    {
      name: 'DROP TRIGGER takes ACCESS EXCLUSIVE too',
      sql: 'START TRANSACTION;\nDROP TRIGGER t ON orders;\n«CREATE TRIGGER t2 AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION f()»;\nCOMMIT;',
      errors: [{ messageId: 'heldAcross', data: { table: 'orders', earlier: 'DROP', statement: 'CREATE TRIGGER' } }],
    },
    {
      name: 'a second transaction starts clean, then locks again',
      sql: `BEGIN;\n${UPDATE};\nCOMMIT;\nBEGIN;\nLOCK TABLE users;\n«${UPDATE}»;\nCOMMIT;`,
      errors: [{ messageId: 'heldAcross', data: { earlier: 'LOCK TABLE', line: 5 } }],
    },
  ],
});
