/** ban-alter-domain-with-add-constraint: domain constraints are checked against every table using the domain under SHARE locks. */
import rule from '../../server/src/analysis/rules/ban-alter-domain-with-add-constraint';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'NOT VALID locks no table', sql: 'ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;' },
    'ALTER DOMAIN positive_int DROP CONSTRAINT positive;',
    'ALTER DOMAIN email DROP NOT NULL;',
    'ALTER DOMAIN positive_int RENAME CONSTRAINT a TO b;',
    "ALTER DOMAIN status SET DEFAULT 'new';",
    { name: 'domain created earlier in this migration', sql: 'CREATE DOMAIN positive_int AS integer;\nALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);' },
    { name: 'VALIDATE CONSTRAINT once PostgreSQL takes SHARE UPDATE EXCLUSIVE for it', sql: 'ALTER DOMAIN d VALIDATE CONSTRAINT c;', options: { postgresVersion: 19 } },
  ],
  invalid: [
    {
      sql: '«ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0)»;',
      errors: [{ messageId: 'add', data: { domain: 'positive_int' } }],
    },
    {
      name: 'unnamed, schema-qualified',
      sql: '«ALTER DOMAIN app.code ADD CHECK (length(VALUE) < 10)»;',
      errors: [{ messageId: 'add', data: { domain: 'app.code' } }],
    },
    {
      name: 'SET NOT NULL checks every value too',
      sql: '«ALTER DOMAIN email SET NOT NULL»;',
      errors: [{ messageId: 'setNotNull', data: { domain: 'email' } }],
    },
    {
      name: 'VALIDATE CONSTRAINT takes SHARE locks through PostgreSQL 18',
      sql: 'ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;\n«ALTER DOMAIN d VALIDATE CONSTRAINT c»;',
      errors: [{ messageId: 'validate', data: { domain: 'd', version: 16 } }],
    },
    {
      name: 'a domain of the same name in another schema was created',
      sql: 'CREATE DOMAIN app.d AS int;\n«ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)»;',
      errors: [{ messageId: 'add', data: { domain: 'd' } }],
    },
  ],
});
