/** ADD CONSTRAINT CHECK / FOREIGN KEY without NOT VALID scans the table while holding its lock. */
import type { AlterTableCmd, AlterTableStmt, Constraint } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'constraint-missing-not-valid',
  description: 'Adding a CHECK or FOREIGN KEY constraint without NOT VALID scans the whole table while holding a lock that blocks writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    check: 'Adding CHECK constraint {name} validates every row of `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes.',
    foreign: 'Adding FOREIGN KEY {name} validates every row of `{table}` while holding SHARE ROW EXCLUSIVE locks on `{table}` and `{ref}`, blocking writes to both.',
  },
  help: 'Add the constraint with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction (it takes only a SHARE UPDATE EXCLUSIVE lock).',
  docs: {
    rationale:
      'Without NOT VALID, PostgreSQL checks every existing row while it holds the lock the constraint needs: ACCESS EXCLUSIVE for CHECK (no reads or writes), SHARE ROW EXCLUSIVE on both tables for a foreign key (no writes). With NOT VALID the constraint applies to new rows at once, and VALIDATE CONSTRAINT checks old rows later under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes continue.',
    bad: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);',
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    ],
    good: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const con = as<Constraint>(cmd.def, 'Constraint');
      if (!con || con.skip_validation) continue;
      const name = con.conname ? `\`${con.conname}\`` : '(unnamed)';
      if (con.contype === 'CONSTR_CHECK') report({ messageId: 'check', data: { name, table } });
      else if (con.contype === 'CONSTR_FOREIGN') report({ messageId: 'foreign', data: { name, table, ref: relationName(con.pktable) } });
    }
  },
});
