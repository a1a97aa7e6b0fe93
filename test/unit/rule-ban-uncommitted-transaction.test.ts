/** ban-uncommitted-transaction: a BEGIN that is never committed or rolled back. */
import rule from '../../server/src/analysis/rules/ban-uncommitted-transaction';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add COMMIT at the end', preferred: true };

ruleTests(rule, {
  valid: [
    'BEGIN;\nCREATE TABLE users (id bigint);\nCOMMIT;',
    'BEGIN;\nCREATE TABLE users (id bigint);\nROLLBACK;',
    'START TRANSACTION;\nCREATE TABLE users (id bigint);\nEND;',
    'CREATE TABLE users (id bigint);',
    { name: 'nested BEGIN: one COMMIT ends it all', sql: 'BEGIN;\nBEGIN;\nCOMMIT;' },
    { name: 'PREPARE TRANSACTION ends the session\'s transaction', sql: "BEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';" },
    { name: 'the tool wraps the file: transaction-nesting reports the BEGIN', sql: 'BEGIN;\nCREATE TABLE users (id bigint);', options: { assumeInTransaction: true } },
  ],
  invalid: [
    {
      sql: '«BEGIN»;\nCREATE TABLE users (id bigint);\n',
      errors: [{ messageId: 'open', data: { begin: 'BEGIN' }, fix: FIX }],
      output: 'BEGIN;\nCREATE TABLE users (id bigint);\nCOMMIT;\n',
    },
    {
      name: 'no newline at the end of the file',
      sql: '«START TRANSACTION»;\nCREATE TABLE users (id bigint);',
      errors: [{ messageId: 'open', data: { begin: 'START TRANSACTION' } }],
      output: 'START TRANSACTION;\nCREATE TABLE users (id bigint);\nCOMMIT;',
    },
    {
      name: 'the last statement has no semicolon',
      sql: '«BEGIN WORK»;\nCREATE TABLE users (id bigint)\n',
      errors: [{ messageId: 'open', data: { begin: 'BEGIN' } }],
      output: 'BEGIN WORK;\nCREATE TABLE users (id bigint);\nCOMMIT;\n',
    },
    {
      name: 'only the last transaction is open',
      sql: 'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\n«BEGIN»;\nCREATE TABLE b (id bigint);\n-- end\n',
      errors: [{ messageId: 'open' }],
      output: 'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id bigint);\n-- end\nCOMMIT;\n',
    },
    {
      name: 'nested BEGIN: reported on the one that opened the transaction',
      sql: '«BEGIN»;\nBEGIN;\nSELECT 1;\n',
      errors: [{ messageId: 'open' }],
      output: 'BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;\n',
    },
    {
      name: 'COMMIT AND CHAIN starts the next transaction at once',
      sql: '«BEGIN»;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\n',
      errors: [{ messageId: 'open' }],
      output: 'BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nCOMMIT;\n',
    },
    {
      name: 'CRLF file',
      sql: '«BEGIN»;\r\nSELECT 1;\r\n',
      errors: [{ messageId: 'open' }],
      output: 'BEGIN;\r\nSELECT 1;\r\nCOMMIT;\r\n',
    },
  ],
});
