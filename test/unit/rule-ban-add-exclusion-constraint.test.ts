/** ban-add-exclusion-constraint: an exclusion constraint's index is built under ACCESS EXCLUSIVE, with no online form. */
import rule from '../../server/src/analysis/rules/ban-add-exclusion-constraint';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE TABLE bookings (room_id int, during tstzrange, EXCLUDE USING gist (room_id WITH =, during WITH &&));',
    { name: 'table created earlier', sql: 'CREATE TABLE rooms (during tstzrange);\nALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);' },
    'ALTER TABLE bookings ADD CONSTRAINT bookings_code_key UNIQUE USING INDEX bookings_code_idx;',
    'ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;',
  ],
  invalid: [
    {
      sql: '«ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)»;',
      errors: [{ messageId: 'exclusion', data: { name: '`bookings_no_overlap`', table: 'bookings' } }],
    },
    {
      name: 'unnamed, schema-qualified',
      sql: '«ALTER TABLE app.bookings ADD EXCLUDE (during WITH &&)»;',
      errors: [{ messageId: 'exclusion', data: { name: '(unnamed)', table: 'app.bookings' } }],
    },
    {
      name: 'with a WHERE predicate and DEFERRABLE',
      sql: '«ALTER TABLE bookings ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&) WHERE (NOT cancelled) DEFERRABLE»;',
      errors: [{ messageId: 'exclusion', data: { name: '`x`' } }],
    },
    {
      name: 'two in one statement',
      sql: '««ALTER TABLE bookings ADD CONSTRAINT a EXCLUDE (x WITH =), ADD CONSTRAINT b EXCLUDE (y WITH =)»»;',
      errors: [
        { messageId: 'exclusion', data: { name: '`a`' } },
        { messageId: 'exclusion', data: { name: '`b`' } },
      ],
    },
    {
      name: 'beside other subcommands',
      sql: '«ALTER TABLE bookings ADD COLUMN note text, ADD CONSTRAINT c EXCLUDE (note WITH =)»;',
      errors: [{ messageId: 'exclusion', data: { name: '`c`' } }],
    },
    {
      name: 'a table of the same name in another schema was created',
      sql: 'CREATE TABLE app.bookings (during tstzrange);\n«ALTER TABLE bookings ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&)»;',
      errors: [{ messageId: 'exclusion', data: { table: 'bookings' } }],
    },
  ],
});
