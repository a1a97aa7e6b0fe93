/** disallowed-unique-constraint: ADD UNIQUE builds its index under ACCESS EXCLUSIVE; build it CONCURRENTLY and attach it. */
import rule from '../../server/src/analysis/rules/disallowed-unique-constraint';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
    'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
    'ALTER TABLE users DROP CONSTRAINT users_email_key;',
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (email text);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);' },
    { name: 'inline UNIQUE on a table created earlier', sql: 'BEGIN;\nCREATE TABLE users (id int);\nALTER TABLE users ADD COLUMN handle text UNIQUE;\nCOMMIT;' },
    { name: 'PRIMARY KEY is adding-serial-primary-key-field', sql: 'ALTER TABLE users ADD PRIMARY KEY (id);' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)»;',
      errors: [{ messageId: 'constraint', data: { name: '`users_email_key`', table: 'users' } }],
    },
    {
      name: 'unnamed, two columns, NULLS NOT DISTINCT',
      sql: '«ALTER TABLE app.users ADD UNIQUE NULLS NOT DISTINCT (tenant_id, email)»;',
      errors: [{ messageId: 'constraint', data: { name: '(tenant_id, email)', table: 'app.users' } }],
    },
    {
      name: 'UNIQUE written in ADD COLUMN builds the index too',
      sql: '«ALTER TABLE users ADD COLUMN handle text UNIQUE»;',
      errors: [{ messageId: 'column', data: { column: 'handle', table: 'users' } }],
    },
    {
      name: 'named inline UNIQUE',
      sql: '«ALTER TABLE users ADD COLUMN handle text CONSTRAINT users_handle_key UNIQUE»;',
      errors: [{ messageId: 'column', data: { column: 'handle' } }],
    },
    {
      name: 'one finding per constraint',
      sql: '««ALTER TABLE users ADD CONSTRAINT a UNIQUE (a), ADD CONSTRAINT b UNIQUE USING INDEX b_idx, ADD CONSTRAINT c UNIQUE (c)»»;',
      errors: [
        { messageId: 'constraint', data: { name: '`a`' } },
        { messageId: 'constraint', data: { name: '`c`' } },
      ],
    },
  ],
});
