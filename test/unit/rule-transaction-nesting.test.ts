/** transaction-nesting: BEGIN inside a transaction, COMMIT/ROLLBACK outside one, and both inside the tool's transaction. */
import rule from '../../server/src/analysis/rules/transaction-nesting';
import { ruleTests } from '../support/ruleTester';

const REMOVE = { title: 'Remove this statement', preferred: true };
const TOOL = { assumeInTransaction: true };

ruleTests(rule, {
  valid: [
    'BEGIN;\nSELECT 1;\nCOMMIT;',
    { name: 'consecutive transactions', sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;' },
    { name: 'ROLLBACK ends a transaction', sql: 'START TRANSACTION;\nSELECT 1;\nROLLBACK;' },
    { name: 'savepoints are not transactions', sql: 'BEGIN;\nSAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;\nCOMMIT;' },
    { name: 'COMMIT AND CHAIN keeps a transaction open', sql: 'BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nCOMMIT;' },
    { name: 'the tool wraps a file without transaction statements', sql: 'SELECT 1;', options: TOOL },
  ],
  invalid: [
    {
      sql: 'BEGIN;\n«BEGIN»;\nSELECT 1;\nCOMMIT;',
      errors: [{ messageId: 'nestedBegin', data: { line: 1 }, fix: REMOVE }],
      output: 'BEGIN;\nSELECT 1;\nCOMMIT;',
    },
    {
      name: 'COMMIT with no transaction',
      sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\n«COMMIT»;\n',
      errors: [{ messageId: 'noTransaction', data: { command: 'COMMIT' }, fix: REMOVE }],
      output: 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    },
    {
      name: 'ROLLBACK with no transaction: the statements before it are already committed',
      sql: 'ALTER TABLE users ADD COLUMN nickname text;\n  «ROLLBACK»;  \nSELECT 1;',
      errors: [{ messageId: 'noTransaction', data: { command: 'ROLLBACK' } }],
      output: 'ALTER TABLE users ADD COLUMN nickname text;\nSELECT 1;',
    },
    {
      name: 'the tool wraps the file: BEGIN is ignored, a final COMMIT can go',
      sql: '«BEGIN»;\nCREATE TABLE users (id bigint);\n«COMMIT»;\n',
      options: TOOL,
      errors: [
        { messageId: 'toolBegin', fix: REMOVE },
        { messageId: 'toolEnd', data: { command: 'COMMIT' }, fix: REMOVE },
      ],
      output: 'CREATE TABLE users (id bigint);\n',
    },
    {
      name: 'the tool wraps the file: a COMMIT in the middle has no safe fix',
      sql: 'CREATE TABLE a (id bigint);\n«COMMIT»;\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);',
      options: TOOL,
      errors: [{ messageId: 'toolEnd', data: { command: 'COMMIT' } }],
    },
    {
      name: 'the tool wraps the file: ROLLBACK',
      sql: 'SELECT 1;\n«ROLLBACK»;',
      options: TOOL,
      errors: [{ messageId: 'toolEnd', data: { command: 'ROLLBACK' } }],
    },
    {
      name: 'statements sharing a line: only the statement goes',
      sql: 'BEGIN; «BEGIN»; SELECT 1; COMMIT; «END»;',
      errors: [{ messageId: 'nestedBegin', data: { line: 1 } }, { messageId: 'noTransaction', data: { command: 'COMMIT' } }],
      output: 'BEGIN;  SELECT 1; COMMIT; ',
    },
  ],
});
