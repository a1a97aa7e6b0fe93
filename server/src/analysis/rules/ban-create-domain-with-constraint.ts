/** A domain with CHECK / NOT NULL constraints: cheap to create, but every later change to them locks all its tables. */
import type { Constraint, CreateDomainStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-create-domain-with-constraint',
  description: 'Constraints on a domain can only be changed later by ALTER DOMAIN, which checks every table using it under locks that block writes.',
  category: 'locking',
  defaultSeverity: 'info',
  recommended: true,
  fixable: false,
  messages: {
    constrained: 'Domain `{domain}` is created with {what}: changing that later means ALTER DOMAIN, which reads every column of type `{domain}` in every table while holding SHARE locks that block their writes.',
  },
  help: 'Create the domain without constraints and put CHECK / NOT NULL constraints on the table columns, where NOT VALID and VALIDATE CONSTRAINT let you change them online.',
  docs: {
    rationale:
      'Creating the domain locks nothing. The cost comes later: adding a constraint to a domain (ALTER DOMAIN … ADD CONSTRAINT, SET NOT NULL) checks every stored value of every column of that type while holding a SHARE lock on each table (checked on PostgreSQL 15), and through PostgreSQL 18 even VALIDATE CONSTRAINT of a NOT VALID domain constraint takes SHARE locks. A table constraint can instead be added NOT VALID and validated under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes continue. A DEFAULT on a domain is not a constraint and is not reported. Reported as information: the statement itself is harmless.',
    bad: ['CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);', 'CREATE DOMAIN email AS text NOT NULL;'],
    good: ['CREATE DOMAIN email AS text;', "CREATE DOMAIN status AS text DEFAULT 'new';"],
  },
  check({ statement, report }) {
    const d = as<CreateDomainStmt>(statement.node, 'CreateDomainStmt');
    if (!d) return;
    const kinds = (d.constraints ?? []).map((c: Node) => as<Constraint>(c, 'Constraint')?.contype);
    const check = kinds.includes('CONSTR_CHECK');
    const notNull = kinds.includes('CONSTR_NOTNULL');
    if (!check && !notNull) return;
    const what = check && notNull ? 'CHECK and NOT NULL constraints' : check ? 'a CHECK constraint' : 'a NOT NULL constraint';
    report({ messageId: 'constrained', data: { domain: nameListKey(d.domainname)?.name ?? '?', what } });
  },
});
