/** prefer-timestamptz: timestamp (without time zone) columns. */
import rule from '../../server/src/analysis/rules/prefer-timestamptz';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Use timestamptz', preferred: false };

ruleTests(rule, {
  valid: [
    'CREATE TABLE events (happened_at timestamptz NOT NULL);',
    'ALTER TABLE events ADD COLUMN seen_at timestamp with time zone;',
    'ALTER TABLE events ALTER COLUMN seen_at TYPE timestamptz(3);',
    { name: 'time without time zone is a different question', sql: 'CREATE TABLE shops (opens_at time);' },
    { name: 'a cast in an expression', sql: "SELECT '2024-01-01'::timestamp;" },
    { name: 'a user type named timestamp in another schema', sql: 'CREATE TABLE t (at app.timestamp);' },
  ],
  invalid: [
    {
      sql: 'CREATE TABLE events (id bigint, happened_at «timestamp» NOT NULL);',
      errors: [{ messageId: 'naive', data: { table: 'events', column: 'happened_at' }, fix: FIX }],
      output: 'CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);',
    },
    {
      name: 'WITHOUT TIME ZONE, precision kept, upper case',
      sql: 'ALTER TABLE events ADD COLUMN seen_at «TIMESTAMP(3) WITHOUT TIME ZONE» DEFAULT now();',
      errors: [{ messageId: 'naive', data: { column: 'seen_at' } }],
      output: 'ALTER TABLE events ADD COLUMN seen_at TIMESTAMPTZ(3) DEFAULT now();',
    },
    {
      name: 'ALTER COLUMN TYPE with USING',
      sql: "ALTER TABLE app.events ALTER COLUMN at TYPE «timestamp» USING at AT TIME ZONE 'UTC';",
      errors: [{ messageId: 'naive', data: { table: 'app.events', column: 'at' } }],
      output: "ALTER TABLE app.events ALTER COLUMN at TYPE timestamptz USING at AT TIME ZONE 'UTC';",
    },
    {
      name: 'arrays',
      sql: 'CREATE TABLE t (stamps «timestamp[]», more «timestamp ARRAY»);',
      errors: [{ messageId: 'naive', data: { column: 'stamps' } }, { messageId: 'naive', data: { column: 'more' } }],
      output: 'CREATE TABLE t (stamps timestamptz[], more timestamptz[]);',
    },
    {
      name: 'comment between the type words',
      sql: 'CREATE TABLE t (at «timestamp /* naive */ without time zone»);',
      errors: [{ messageId: 'naive' }],
      output: 'CREATE TABLE t (at timestamptz);',
    },
    {
      name: 'quoted column, lower-case statement',
      sql: 'alter table t add "Created At" «timestamp»;',
      errors: [{ messageId: 'naive', data: { column: 'Created At' } }],
      output: 'alter table t add "Created At" timestamptz;',
    },
  ],
});
