/**
 * ADD PRIMARY KEY (and ADD COLUMN … PRIMARY KEY) builds the key's unique index while holding ACCESS EXCLUSIVE; even
 * PRIMARY KEY USING INDEX reads the whole table when it has to make a key column NOT NULL.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'adding-serial-primary-key-field',
  description: 'Adding a primary key to an existing table builds its index under a lock that blocks reads and writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    constraint: 'Adding PRIMARY KEY {name} builds its unique index on `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the index is built.',
    column: 'Adding `{column}` as PRIMARY KEY builds its unique index on `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the index is built.',
    usingIndexNullable: 'PRIMARY KEY USING INDEX `{index}` makes `{table}.{column}` NOT NULL, which reads every row of `{table}` under an ACCESS EXCLUSIVE lock, blocking reads and writes until the scan ends.',
  },
  help: 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY on NOT NULL columns, then ADD CONSTRAINT … PRIMARY KEY USING INDEX, which only takes the lock briefly.',
  docs: {
    rationale:
      'ALTER TABLE … ADD PRIMARY KEY builds a unique index while holding an ACCESS EXCLUSIVE lock: nothing can read or write the table until the build ends, which takes minutes on a large table (a serial or identity key column is also filled for every row, a rewrite that adding-field-with-default reports). Build the index with CREATE UNIQUE INDEX CONCURRENTLY instead and attach it with `ADD CONSTRAINT … PRIMARY KEY USING INDEX`, which is quick when the key columns are already NOT NULL; when one is nullable, PostgreSQL first checks it for NULLs by reading the whole table under the lock (checked on PostgreSQL 15; since 12 a validated CHECK (col IS NOT NULL) spares the scan), which Migration Guard reports when it knows the column. Tables created earlier in the same migration are exempt.',
    bad: ['ALTER TABLE items ADD PRIMARY KEY (id);', 'ALTER TABLE items ADD COLUMN id bigserial PRIMARY KEY;'],
    good: [
      'ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_id_key;',
      'CREATE TABLE items (id bigint NOT NULL);\nALTER TABLE items ADD PRIMARY KEY (id);',
    ],
  },
  check({ statement, facts, options, catalog, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (columnConstraints(col).some((k) => k.contype === 'CONSTR_PRIMARY')) report({ messageId: 'column', data: { column: col?.colname ?? '?', table } });
        continue;
      }
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const con = as<Constraint>(cmd.def, 'Constraint');
      if (con?.contype !== 'CONSTR_PRIMARY') continue;
      if (!con.indexname) {
        report({ messageId: 'constraint', data: { name: con.conname ? `\`${con.conname}\`` : `(${strings(con.keys).join(', ')})`, table } });
        continue;
      }
      // USING INDEX: quick, unless a key column may hold NULLs. Said only when the catalog knows the column.
      const schema = alter.relation.schemaname ?? 'public';
      const index = catalog.indexes.get(`${schema}.${con.indexname}`);
      const known = catalog.table(alter.relation);
      if (!index || !known) continue;
      for (const column of index.columns) {
        const col = known.columns.get(column);
        if (!col || col.notNull) continue;
        const proven = known.constraints.some((k) => k.kind === 'check' && k.validated && k.notNullColumn === column);
        if (proven && options.postgresVersion >= 12) continue;
        report({ messageId: 'usingIndexNullable', data: { index: con.indexname, table, column } });
      }
    }
  },
});
