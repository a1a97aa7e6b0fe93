/**
 * SET NOT NULL on an existing column reads the whole table under ACCESS EXCLUSIVE, unless (PostgreSQL 12+) a validated
 * CHECK (col IS NOT NULL) already proves it (release notes 12; ATExecSetNotNull → NotNullImpliedByRelConstraints).
 */
import type { AlterTableCmd, AlterTableStmt, Constraint } from '@pgsql/types';
import { as, relationKey, relationName, strings } from '../ast';
import { defineRule } from '../rule';
import { provenNotNull, tableBefore } from '../tableBefore';

export default defineRule({
  id: 'adding-not-nullable-field',
  description: 'Making an existing column NOT NULL reads the whole table under a lock that blocks reads and writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    scan: 'SET NOT NULL on `{table}.{column}` reads every row of `{table}` to look for NULLs while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the scan ends.',
    notValidated: 'SET NOT NULL on `{table}.{column}` reads every row of `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes: the CHECK ({column} IS NOT NULL) constraint {name} is NOT VALID, so it does not spare the scan until it is validated.',
    beforeTwelve: 'On PostgreSQL {version}, SET NOT NULL on `{table}.{column}` reads every row of `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes, even though a validated CHECK proves it (skipping the scan needs PostgreSQL 12).',
    notNullConstraint: 'Adding NOT NULL constraint {name} on `{table}.{column}` reads every row of `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the scan ends.',
  },
  help: 'On PostgreSQL 12+, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a separate transaction, then SET NOT NULL (no scan) and drop the CHECK; before 12, keep the validated CHECK instead of NOT NULL.',
  docs: {
    rationale:
      'SET NOT NULL checks every existing row while holding an ACCESS EXCLUSIVE lock, so nothing can read or write the table during the scan. Since PostgreSQL 12 the scan is skipped when a validated CHECK constraint proves the column has no NULLs (checked on PostgreSQL 15: +1 sequential scan without it, none with it). So add `CHECK (col IS NOT NULL) NOT VALID` (instant), `VALIDATE CONSTRAINT` it in a later transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), then SET NOT NULL and drop the now redundant CHECK. Migration Guard looks for that validated CHECK in this file and in earlier migrations. On PostgreSQL 18, `ADD CONSTRAINT … NOT NULL col NOT VALID` followed by VALIDATE CONSTRAINT does the same directly; without NOT VALID it scans like SET NOT NULL and is reported. Tables created earlier in the same migration are exempt.',
    bad: [
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
    good: [
      'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_nn;',
      'CREATE TABLE users (email text);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
  },
  check(ctx) {
    const { statement, facts, options, report } = ctx;
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    const known = tableBefore(ctx, alter);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_SetNotNull' && cmd.name) {
        const column = cmd.name;
        if (known?.columns.get(column)?.notNull) continue; // already NOT NULL: nothing to check
        const verdict = provenNotNull(known, column);
        if (verdict.validated && options.postgresVersion >= 12) continue;
        if (verdict.validated) report({ messageId: 'beforeTwelve', data: { table, column, version: options.postgresVersion } });
        else if (verdict.notValid) report({ messageId: 'notValidated', data: { table, column, name: verdict.notValid } });
        else report({ messageId: 'scan', data: { table, column } });
      } else if (cmd?.subtype === 'AT_AddConstraint') {
        // PostgreSQL 18: ALTER TABLE … ADD [CONSTRAINT name] NOT NULL col [NOT VALID].
        const con = as<Constraint>(cmd.def, 'Constraint');
        if (con?.contype !== 'CONSTR_NOTNULL' || con.skip_validation) continue;
        for (const column of strings(con.keys)) {
          if (known?.columns.get(column)?.notNull || provenNotNull(known, column).validated) continue;
          report({ messageId: 'notNullConstraint', data: { table, column, name: con.conname ? `\`${con.conname}\`` : '(unnamed)' } });
        }
      }
    }
  },
});
