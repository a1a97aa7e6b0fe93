/** ban-replica-identity-full: every UPDATE and DELETE logs the whole old row; the statement locks ACCESS EXCLUSIVE. */
import rule from '../../server/src/analysis/rules/ban-replica-identity-full';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE events REPLICA IDENTITY USING INDEX events_id_key;',
    'ALTER TABLE events REPLICA IDENTITY DEFAULT;',
    'ALTER TABLE events REPLICA IDENTITY NOTHING;',
    'ALTER TABLE events ADD COLUMN full text;',
  ],
  invalid: [
    {
      sql: '«ALTER TABLE events REPLICA IDENTITY FULL»;',
      errors: [{ messageId: 'existing', data: { table: 'events', lock: 'an ACCESS EXCLUSIVE' } }],
    },
    {
      name: 'schema-qualified, lower case',
      sql: '«alter table only app.events replica identity full»;',
      errors: [{ messageId: 'existing', data: { table: 'app.events' } }],
    },
    {
      name: 'table created earlier: no lock worth naming, the WAL cost stays',
      sql: 'CREATE TABLE events (payload jsonb);\n«ALTER TABLE events REPLICA IDENTITY FULL»;',
      errors: [{ messageId: 'created', data: { table: 'events' } }],
    },
    {
      name: 'beside other subcommands',
      sql: '«ALTER TABLE events ADD COLUMN note text, REPLICA IDENTITY FULL»;',
      errors: [{ messageId: 'existing', data: { table: 'events' } }],
    },
    {
      name: 'inside a transaction',
      sql: 'BEGIN;\n«ALTER TABLE events REPLICA IDENTITY FULL»;\nCOMMIT;',
      errors: [{ messageId: 'existing' }],
    },
    {
      name: 'a table of the same name in another schema was created',
      sql: 'CREATE TABLE app.events (id int);\n«ALTER TABLE events REPLICA IDENTITY FULL»;',
      errors: [{ messageId: 'existing', data: { table: 'events' } }],
    },
  ],
});
