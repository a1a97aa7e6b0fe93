/** ban-drop-schema: DROP SCHEMA removes every object in it; old code breaks, and CASCADE takes data with it. */
import rule from '../../server/src/analysis/rules/ban-drop-schema';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'schema created earlier in the migration', sql: 'CREATE SCHEMA scratch;\nDROP SCHEMA scratch CASCADE;' },
    { name: 'created with IF NOT EXISTS and AUTHORIZATION', sql: 'CREATE SCHEMA IF NOT EXISTS tmp AUTHORIZATION app;\nDROP SCHEMA tmp;' },
    'DROP TABLE legacy.imports;',
    'CREATE SCHEMA reporting;',
    'ALTER SCHEMA legacy RENAME TO legacy_old;',
  ],
  invalid: [
    {
      sql: '«DROP SCHEMA reporting CASCADE»;',
      errors: [{ messageId: 'cascade', data: { schema: 'reporting' } }],
    },
    {
      sql: '«DROP SCHEMA IF EXISTS legacy»;',
      errors: [{ messageId: 'restrict', data: { schema: 'legacy' } }],
    },
    {
      name: 'explicit RESTRICT',
      sql: '«DROP SCHEMA legacy RESTRICT»;',
      errors: [{ messageId: 'restrict', data: { schema: 'legacy' } }],
    },
    {
      name: 'several schemas, one created earlier',
      sql: 'CREATE SCHEMA scratch;\n««DROP SCHEMA scratch, legacy, "Old" CASCADE»»;',
      errors: [
        { messageId: 'cascade', data: { schema: 'legacy' } },
        { messageId: 'cascade', data: { schema: 'Old' } },
      ],
    },
    {
      name: 'created only after the drop',
      sql: '«DROP SCHEMA scratch»;\nCREATE SCHEMA scratch;',
      errors: [{ messageId: 'restrict', data: { schema: 'scratch' } }],
    },
    {
      name: 'inside a transaction',
      sql: 'BEGIN;\n«DROP SCHEMA audit CASCADE»;\nCOMMIT;',
      errors: [{ messageId: 'cascade', data: { schema: 'audit' } }],
    },
  ],
});
