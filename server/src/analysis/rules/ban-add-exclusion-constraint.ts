/** ADD CONSTRAINT … EXCLUDE on an existing table: its index is built under an ACCESS EXCLUSIVE lock, with no online form. */
import type { AlterTableCmd, AlterTableStmt, Constraint } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-add-exclusion-constraint',
  description: 'Adding an exclusion constraint to an existing table builds its index while the table is locked against reads and writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    exclusion: 'Adding exclusion constraint {name} builds its index over every row of `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build.',
  },
  help: 'There is no online way to add an exclusion constraint: declare it when the table is created, or build a new table with it, copy the rows over and swap the tables, or schedule a maintenance window.',
  docs: {
    rationale:
      'An exclusion constraint is enforced by an index (usually GiST) that ALTER TABLE … ADD CONSTRAINT … EXCLUDE builds on the spot, holding an ACCESS EXCLUSIVE lock on the table until the build and the check of every row are done: no SELECT, INSERT, UPDATE or DELETE meanwhile. Unlike UNIQUE or PRIMARY KEY, PostgreSQL cannot attach an exclusion constraint to an index built beforehand with CREATE INDEX CONCURRENTLY (`USING INDEX` accepts only unique indexes), and NOT VALID is not allowed for it. Declare it in CREATE TABLE (tables created earlier in the same migration are not flagged), or move the data to a new table that has it.',
    bad: ['ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);'],
    good: [
      'CREATE TABLE bookings (room_id int, during tstzrange, EXCLUDE USING gist (room_id WITH =, during WITH &&));',
      'CREATE TABLE rooms (id int, during tstzrange);\nALTER TABLE rooms ADD CONSTRAINT rooms_no_overlap EXCLUDE USING gist (during WITH &&);',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const con = as<Constraint>(cmd?.def, 'Constraint');
      if (cmd?.subtype !== 'AT_AddConstraint' || con?.contype !== 'CONSTR_EXCLUSION') continue;
      report({ messageId: 'exclusion', data: { name: con.conname ? `\`${con.conname}\`` : '(unnamed)', table: relationName(alter.relation) } });
    }
  },
});
