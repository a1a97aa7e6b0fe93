/**
 * ALTER DOMAIN … ADD CONSTRAINT / SET NOT NULL checks every column of the domain's type in every table, holding a SHARE
 * lock on each; VALIDATE CONSTRAINT does the same through PostgreSQL 18 (typecmds.c, validateDomainCheckConstraint).
 */
import type { AlterDomainStmt, Constraint, CreateDomainStmt } from '@pgsql/types';
import { as, nameListKey } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-alter-domain-with-add-constraint',
  description: 'Adding a constraint to a domain checks every table using it while holding locks that block their writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    add: 'ALTER DOMAIN `{domain}` ADD CONSTRAINT reads every column of type `{domain}` in every table while holding a SHARE lock on each, blocking their writes until the check ends.',
    setNotNull: 'ALTER DOMAIN `{domain}` SET NOT NULL reads every column of type `{domain}` in every table while holding a SHARE lock on each, blocking their writes until the check ends.',
    validate: 'On PostgreSQL {version}, ALTER DOMAIN `{domain}` VALIDATE CONSTRAINT reads every column of type `{domain}` in every table while holding a SHARE lock on each, blocking their writes until the check ends.',
  },
  help: 'Put the constraint on the table columns instead (ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT, which allows writes), or add the domain constraint only while the tables using it are small.',
  docs: {
    rationale:
      'A domain constraint applies to every column of that type in every table. Adding one (or SET NOT NULL) checks all of those values while holding a SHARE lock on each table, so INSERT, UPDATE and DELETE wait for the whole check (checked on PostgreSQL 15 with pg_locks). `ADD CONSTRAINT … NOT VALID` locks no table and is not reported, but its later VALIDATE CONSTRAINT takes the same SHARE locks through PostgreSQL 18, so it is reported instead (PostgreSQL\'s development branch after 18 lowers it to SHARE UPDATE EXCLUSIVE). Table constraints have no such problem: add them NOT VALID and validate them under SHARE UPDATE EXCLUSIVE. A domain created earlier in the same migration is exempt.',
    bad: [
      'ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);',
      'ALTER DOMAIN email SET NOT NULL;',
      'ALTER DOMAIN positive_int VALIDATE CONSTRAINT positive;',
    ],
    good: [
      'ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;',
      'ALTER DOMAIN positive_int DROP CONSTRAINT positive;',
      'CREATE DOMAIN positive_int AS integer;\nALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);',
    ],
  },
  check({ statement, file, options, report }) {
    const d = as<AlterDomainStmt>(statement.node, 'AlterDomainStmt');
    const name = nameListKey(d?.typeName);
    if (!d || !name) return;
    // A domain created earlier in this file is used only by tables this migration created.
    const createdHere = file.file.statements
      .slice(0, statement.index)
      .some((s) => nameListKey(as<CreateDomainStmt>(s.node, 'CreateDomainStmt')?.domainname)?.key === name.key);
    if (createdHere) return;
    const data = { domain: name.name };
    if (d.subtype === 'C') {
      const con = as<Constraint>(d.def, 'Constraint');
      if (con && !con.skip_validation) report({ messageId: 'add', data });
    } else if (d.subtype === 'O') {
      report({ messageId: 'setNotNull', data });
    } else if (d.subtype === 'V' && options.postgresVersion <= 18) {
      report({ messageId: 'validate', data: { ...data, version: options.postgresVersion } });
    }
  },
});
