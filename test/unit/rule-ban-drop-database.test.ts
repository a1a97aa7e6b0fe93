/** ban-drop-database: DROP DATABASE has no place in a migration. */
import rule from '../../server/src/analysis/rules/ban-drop-database';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'DROP TABLE analytics_events;',
    'DROP SCHEMA analytics CASCADE;',
    'CREATE DATABASE analytics;',
    'ALTER DATABASE analytics SET lock_timeout = 0;',
    { name: 'off when configured off', sql: 'DROP DATABASE analytics;', options: { rules: { 'ban-drop-database': 'off' } } },
  ],
  invalid: [
    { sql: '«DROP DATABASE analytics»;', errors: [{ messageId: 'drop', data: { database: 'analytics' } }] },
    { name: 'IF EXISTS', sql: '«DROP DATABASE IF EXISTS legacy»;', errors: [{ messageId: 'drop', data: { database: 'legacy' } }] },
    { name: 'WITH (FORCE)', sql: '«DROP DATABASE legacy WITH (FORCE)»;', errors: [{ messageId: 'drop', data: { database: 'legacy' } }] },
    { name: 'quoted name keeps its case', sql: '«drop database "Legacy"»;', errors: [{ messageId: 'drop', data: { database: 'Legacy' } }] },
    {
      name: 'inside a transaction (where it fails anyway)',
      sql: 'BEGIN;\n«DROP DATABASE legacy»;\nCOMMIT;',
      errors: [{ messageId: 'drop', data: { database: 'legacy' } }],
    },
    {
      name: 'one finding per statement',
      sql: '«DROP DATABASE a»;\nSELECT 1;\n«DROP DATABASE b»;',
      errors: [
        { messageId: 'drop', data: { database: 'a' } },
        { messageId: 'drop', data: { database: 'b' } },
      ],
    },
  ],
});
