/** ADD UNIQUE (or ADD COLUMN … UNIQUE) builds the constraint's index while holding ACCESS EXCLUSIVE on the table. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'disallowed-unique-constraint',
  description: 'Adding a UNIQUE constraint to an existing table builds its index under a lock that blocks reads and writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    constraint: 'Adding UNIQUE constraint {name} builds its index on `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the index is built.',
    column: 'Adding `{column}` as UNIQUE builds its index on `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the index is built.',
  },
  help: 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX, which only takes the lock briefly.',
  docs: {
    rationale:
      'ADD CONSTRAINT … UNIQUE reads the whole table and builds a unique index while holding an ACCESS EXCLUSIVE lock (checked on PostgreSQL 15), so nothing can read or write the table until the build ends; a UNIQUE written in ADD COLUMN does the same even though the new column holds only NULLs. Build the index with CREATE UNIQUE INDEX CONCURRENTLY, which lets reads and writes continue, then attach it with `ADD CONSTRAINT … UNIQUE USING INDEX`, which only updates the catalog. Primary keys are reported by adding-serial-primary-key-field. Tables created earlier in the same migration are exempt.',
    bad: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'ALTER TABLE users ADD COLUMN handle text UNIQUE;'],
    good: [
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
      'CREATE TABLE users (email text);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    ],
  },
  check({ statement, facts, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (columnConstraints(col).some((k) => k.contype === 'CONSTR_UNIQUE')) report({ messageId: 'column', data: { column: col?.colname ?? '?', table } });
      } else if (cmd?.subtype === 'AT_AddConstraint') {
        const con = as<Constraint>(cmd.def, 'Constraint');
        if (con?.contype !== 'CONSTR_UNIQUE' || con.indexname) continue;
        report({ messageId: 'constraint', data: { name: con.conname ? `\`${con.conname}\`` : `(${strings(con.keys).join(', ')})`, table } });
      }
    }
  },
});
