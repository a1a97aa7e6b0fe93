/** prefer-jsonb: json columns have no equality and are reparsed on every access. */
import rule from '../../server/src/analysis/rules/prefer-jsonb';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Use jsonb', preferred: true };

ruleTests(rule, {
  valid: [
    'CREATE TABLE events (id bigint, payload jsonb);',
    "ALTER TABLE events ADD COLUMN meta jsonb DEFAULT '{}';",
    { name: 'json only in an expression', sql: "ALTER TABLE events ADD COLUMN meta jsonb DEFAULT '{}'::json::jsonb;" },
    { name: 'a column named json', sql: 'CREATE TABLE events (json text);' },
    'ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;',
  ],
  invalid: [
    {
      sql: '«CREATE TABLE events (id bigint, payload json)»;',
      errors: [{ messageId: 'json', data: { column: 'payload', table: 'events' }, fix: FIX }],
      output: 'CREATE TABLE events (id bigint, payload jsonb);',
    },
    {
      name: 'ADD COLUMN, upper case, with a default',
      sql: "«ALTER TABLE events ADD COLUMN meta JSON DEFAULT '{}'»;",
      errors: [{ messageId: 'json', data: { column: 'meta', table: 'events' }, fix: FIX }],
      output: "ALTER TABLE events ADD COLUMN meta JSONB DEFAULT '{}';",
    },
    {
      name: 'ALTER COLUMN … TYPE json: offered, not preferred (existing rows must convert)',
      sql: '«ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json»;',
      errors: [{ messageId: 'json', data: { column: 'payload' }, fix: { title: 'Use jsonb', preferred: false } }],
      output: 'ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::json;',
    },
    {
      name: 'SET DATA TYPE',
      sql: '«ALTER TABLE events ALTER payload SET DATA TYPE json»;',
      errors: [{ messageId: 'json', data: { column: 'payload' } }],
      output: 'ALTER TABLE events ALTER payload SET DATA TYPE jsonb;',
    },
    {
      name: 'two columns, pg_catalog-qualified, array, quoted column name',
      sql: '««CREATE TABLE app.events (a pg_catalog.json, "B" json[] NOT NULL, c int)»»;',
      errors: [
        { messageId: 'json', data: { column: 'a', table: 'app.events' } },
        { messageId: 'json', data: { column: 'B', table: 'app.events' } },
      ],
      output: 'CREATE TABLE app.events (a pg_catalog.jsonb, "B" jsonb[] NOT NULL, c int);',
    },
    {
      name: 'comment between the name and the type',
      sql: '«ALTER TABLE events ADD COLUMN meta /* raw */ json»;',
      errors: [{ messageId: 'json' }],
      output: 'ALTER TABLE events ADD COLUMN meta /* raw */ jsonb;',
    },
  ],
});
