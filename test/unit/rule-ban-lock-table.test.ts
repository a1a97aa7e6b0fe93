/** ban-lock-table: an explicit LOCK TABLE that blocks writes (or reads) until the transaction commits. */
import rule from '../../server/src/analysis/rules/ban-lock-table';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'BEGIN;\nLOCK TABLE users IN ACCESS SHARE MODE;\nCOMMIT;',
    'BEGIN;\nLOCK TABLE users IN ROW EXCLUSIVE MODE;\nCOMMIT;',
    'BEGIN;\nLOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE NOWAIT;\nCOMMIT;',
    { name: 'table created earlier', sql: 'BEGIN;\nCREATE TABLE staging (id bigint);\nLOCK TABLE staging;\nCOMMIT;' },
  ],
  invalid: [
    {
      name: 'default mode is ACCESS EXCLUSIVE',
      sql: 'BEGIN;\n«LOCK TABLE users»;\nCOMMIT;',
      errors: [{ messageId: 'held', data: { lock: 'an ACCESS EXCLUSIVE', table: 'users', blocking: 'blocks reads and writes' } }],
    },
    {
      name: 'SHARE blocks writes',
      sql: 'BEGIN;\n«LOCK orders IN SHARE MODE»;\nCOMMIT;',
      errors: [{ messageId: 'held', data: { lock: 'a SHARE', table: 'orders', blocking: 'blocks writes' } }],
    },
    {
      name: 'EXCLUSIVE, schema-qualified',
      sql: 'BEGIN;\n«LOCK TABLE ONLY app.users IN EXCLUSIVE MODE»;\nCOMMIT;',
      errors: [{ messageId: 'held', data: { lock: 'an EXCLUSIVE', table: 'app.users' } }],
    },
    {
      name: 'two tables, one created earlier',
      sql: 'BEGIN;\nCREATE TABLE staging (id bigint);\n««LOCK TABLE staging, users, orders IN SHARE ROW EXCLUSIVE MODE»»;\nCOMMIT;',
      errors: [
        { messageId: 'held', data: { lock: 'a SHARE ROW EXCLUSIVE', table: 'users' } },
        { messageId: 'held', data: { lock: 'a SHARE ROW EXCLUSIVE', table: 'orders' } },
      ],
    },
    {
      name: 'no transaction in sight (the tool may add one)',
      sql: '«LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT»;',
      errors: [{ messageId: 'held', data: { lock: 'an ACCESS EXCLUSIVE', table: 'users' } }],
    },
    {
      name: 'the tool wraps the file in a transaction',
      sql: '«LOCK TABLE users»;',
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'held', data: { table: 'users' } }],
    },
  ],
});
