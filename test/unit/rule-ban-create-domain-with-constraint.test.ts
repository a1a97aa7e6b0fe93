/** ban-create-domain-with-constraint: constraints on a domain can later be changed only by locking every table using it. */
import rule from '../../server/src/analysis/rules/ban-create-domain-with-constraint';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    'CREATE DOMAIN email AS text;',
    'CREATE DOMAIN code AS character varying(10);',
    { name: 'a DEFAULT is not a constraint', sql: "CREATE DOMAIN status AS text DEFAULT 'new';" },
    { name: 'NULL (the default) is not a constraint', sql: 'CREATE DOMAIN note AS text NULL;' },
    { name: 'a CHECK on a table column', sql: 'CREATE TABLE t (n int CHECK (n > 0));' },
  ],
  invalid: [
    {
      sql: '«CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)»;',
      errors: [{ messageId: 'constrained', data: { domain: 'positive_int', what: 'a CHECK constraint' } }],
    },
    {
      name: 'NOT NULL',
      sql: '«CREATE DOMAIN email AS text NOT NULL»;',
      errors: [{ messageId: 'constrained', data: { domain: 'email', what: 'a NOT NULL constraint' } }],
    },
    {
      name: 'both, named, schema-qualified, with a DEFAULT',
      sql: "«CREATE DOMAIN app.code AS text DEFAULT 'x' CONSTRAINT code_nn NOT NULL CONSTRAINT code_len CHECK (length(VALUE) < 10)»;",
      errors: [{ messageId: 'constrained', data: { domain: 'app.code', what: 'CHECK and NOT NULL constraints' } }],
    },
    {
      name: 'lower case, several CHECKs: one finding',
      sql: '«create domain d as numeric(15,5) check (value > 0) check (value < 100)»;',
      errors: [{ messageId: 'constrained', data: { domain: 'd', what: 'a CHECK constraint' } }],
    },
  ],
});
