/**
 * A foreign key that PostgreSQL validates while holding SHARE ROW EXCLUSIVE on both tables. squawk's id, kept so its
 * configurations and ignore comments carry over; off by default because constraint-missing-not-valid reports the same
 * statements.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';
import { inlineForeignKeyValidates } from './constraint-missing-not-valid';

export default defineRule({
  id: 'adding-foreign-key-constraint',
  description: 'Adding a foreign key that is validated at once blocks writes to both tables while every row is checked.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: false,
  fixable: false,
  messages: {
    constraint: 'Adding FOREIGN KEY {name} checks every row of `{table}` against `{ref}` while holding SHARE ROW EXCLUSIVE locks on both, blocking writes to `{table}` and `{ref}` until the check ends.',
    column: 'Adding `{column}` with REFERENCES `{ref}` and a value for existing rows checks every row of `{table}` against `{ref}` while holding locks that block reads and writes of `{table}` and writes to `{ref}`.',
  },
  help: 'Add the foreign key with NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the referenced one: reads and writes continue).',
  docs: {
    rationale:
      'Adding a foreign key takes SHARE ROW EXCLUSIVE locks on the referencing and the referenced table and, unless the key is NOT VALID, reads every row of the referencing table and looks each one up in the referenced table before releasing them (checked on PostgreSQL 15). Writes to both tables, often a busy one such as `users`, wait for the whole check. With NOT VALID the key is added at once and VALIDATE CONSTRAINT checks the old rows later without blocking writes.\n\nUnlike squawk, a REFERENCES written in ADD COLUMN is reported only when PostgreSQL checks it: when the new column gets a value (a DEFAULT clause, a serial type or a stored generated expression); a column without one is all NULL and nothing is checked. Foreign keys in CREATE TABLE and on tables created earlier in the same migration are exempt.\n\nThis rule is off by default: constraint-missing-not-valid reports the same statements. Turn it on for squawk parity.',
    bad: [
      'ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      'ALTER TABLE emails ADD COLUMN user_id bigint DEFAULT 0 REFERENCES users (id);',
    ],
    good: [
      'ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE emails ADD COLUMN user_id bigint REFERENCES users (id);',
      'CREATE TABLE emails (id bigint, user_id bigint REFERENCES users (id));',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (!inlineForeignKeyValidates(col)) continue;
        for (const k of columnConstraints(col)) {
          if (k.contype === 'CONSTR_FOREIGN') report({ messageId: 'column', data: { column: col?.colname ?? '?', table, ref: relationName(k.pktable) } });
        }
      } else if (cmd?.subtype === 'AT_AddConstraint') {
        const con = as<Constraint>(cmd.def, 'Constraint');
        if (con?.contype !== 'CONSTR_FOREIGN' || con.skip_validation) continue;
        report({ messageId: 'constraint', data: { name: con.conname ? `\`${con.conname}\`` : '(unnamed)', table, ref: relationName(con.pktable) } });
      }
    }
  },
});
