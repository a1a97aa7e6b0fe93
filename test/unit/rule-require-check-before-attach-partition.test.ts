/** require-check-before-attach-partition: ATTACH PARTITION scans the partition under lock unless constraints prove the bound. */
import rule from '../../server/src/analysis/rules/require-check-before-attach-partition';
import { ruleTests } from '../support/ruleTester';

const ATTACH = "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
const RANGE = "at >= '2024-01-01' AND at < '2025-01-01'";
const CHECK = `ALTER TABLE events_2024 ADD CONSTRAINT bound CHECK (at IS NOT NULL AND ${RANGE})`;
const LOOSE = `ALTER TABLE events_2024 ADD CONSTRAINT bound CHECK (${RANGE})`;

ruleTests(rule, {
  valid: [
    { name: 'validated CHECK, with IS NOT NULL, added earlier', sql: `${CHECK};\n${ATTACH};` },
    { name: 'NOT VALID, then VALIDATE', sql: `${CHECK} NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT bound;\n${ATTACH};` },
    { name: 'the key column made NOT NULL', sql: `${LOOSE};\nALTER TABLE events_2024 ALTER COLUMN at SET NOT NULL;\n${ATTACH};` },
    { name: 'a validated IS NOT NULL check beside the range check', sql: `${LOOSE};\nALTER TABLE events_2024 ADD CONSTRAINT nn CHECK (at IS NOT NULL);\n${ATTACH};` },
    { name: 'partition created earlier in the migration', sql: `CREATE TABLE events_2024 (at timestamptz);\n${ATTACH};` },
    'ALTER TABLE events DETACH PARTITION events_2023;',
  ],
  invalid: [
    {
      sql: `«${ATTACH}»;`,
      errors: [{ messageId: 'scans', data: { partition: 'events_2024', table: 'events', parentLock: 'a SHARE UPDATE EXCLUSIVE' } }],
    },
    {
      name: 'before PostgreSQL 12 the parent is locked ACCESS EXCLUSIVE too',
      sql: `«${ATTACH}»;`,
      options: { postgresVersion: 11 },
      errors: [{ messageId: 'scans', data: { partition: 'events_2024', table: 'events', parentLock: 'an ACCESS EXCLUSIVE' } }],
    },
    {
      name: 'a range CHECK that lets NULL through proves nothing (checked on PostgreSQL 15)',
      sql: `${LOOSE};\n«${ATTACH}»;`,
      errors: [{ messageId: 'nullable', data: { partition: 'events_2024', check: 'bound', columns: '`at`' } }],
    },
    {
      name: 'a CHECK still NOT VALID does not count',
      sql: `${CHECK} NOT VALID;\n«${ATTACH}»;`,
      errors: [{ messageId: 'scans' }],
    },
    {
      name: 'a CHECK that was dropped again does not count',
      sql: `${CHECK};\nALTER TABLE events_2024 DROP CONSTRAINT bound;\n«${ATTACH}»;`,
      errors: [{ messageId: 'scans' }],
    },
    {
      name: 'a NOT NULL check alone does not prove a bound',
      sql: `ALTER TABLE events_2024 ADD CONSTRAINT nn CHECK (at IS NOT NULL);\n«${ATTACH}»;`,
      errors: [{ messageId: 'scans' }],
    },
    {
      name: 'a CHECK on another table does not count',
      sql: `ALTER TABLE events_2023 ADD CONSTRAINT bound CHECK (at IS NOT NULL AND at < '2024-01-01');\n«${ATTACH}»;`,
      errors: [{ messageId: 'scans' }],
    },
    {
      name: 'a list partition, NOT NULL dropped again',
      sql: "ALTER TABLE orders_eu ADD CONSTRAINT b CHECK (region IN ('de', 'fr'));\nALTER TABLE orders_eu ALTER COLUMN region SET NOT NULL;\nALTER TABLE orders_eu ALTER COLUMN region DROP NOT NULL;\n«ALTER TABLE orders ATTACH PARTITION orders_eu FOR VALUES IN ('de', 'fr')»;",
      errors: [{ messageId: 'nullable', data: { partition: 'orders_eu', check: 'b', columns: '`region`' } }],
    },
    {
      name: 'DEFAULT partition, schema-qualified',
      sql: '«ALTER TABLE app.events ATTACH PARTITION app.events_other DEFAULT»;',
      errors: [{ messageId: 'scans', data: { partition: 'app.events_other', table: 'app.events' } }],
    },
  ],
});
