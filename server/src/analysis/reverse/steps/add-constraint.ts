/**
 * ALTER TABLE … ADD CONSTRAINT ↔ DROP CONSTRAINT, under its name or the one PostgreSQL generates
 * (`<table>_<columns>_fkey`, `_key`, `_check`, `_pkey`, `_excl`). A primary key also made its columns NOT NULL,
 * which dropping it does not undo; a key added USING INDEX took the index with it, which is recreated.
 */
import type { AlterTableCmd, Constraint } from '@pgsql/types';
import { as, strings } from '../../ast';
import { defineReverser, irreversible, type Inverse } from '../reverser';
import { indexSql, qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'add-constraint',
  description: 'An added constraint is dropped.',
  handles: ['AlterTableCmd.AT_AddConstraint'],
  examples: [
    { schema: 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int);', up: 'ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID;', down: 'ALTER TABLE b DROP CONSTRAINT b_a_fk;\n' },
    { name: 'generated names', schema: 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int, n int);', up: 'ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a, ADD UNIQUE (a_id, n), ADD CHECK (n > 0);', down: 'ALTER TABLE b DROP CONSTRAINT b_n_check;\nALTER TABLE b DROP CONSTRAINT b_a_id_n_key;\nALTER TABLE b DROP CONSTRAINT b_a_id_fkey;\n' },
    { name: 'a primary key also sets NOT NULL', schema: 'CREATE TABLE t (id int, k int NOT NULL);', up: 'ALTER TABLE t ADD PRIMARY KEY (id, k);', down: 'ALTER TABLE t DROP CONSTRAINT t_pkey;\nALTER TABLE t ALTER COLUMN id DROP NOT NULL;\n' },
    {
      name: 'a generated name freed by a DROP CONSTRAINT of the same statement',
      schema: 'CREATE TABLE t (a int, b int, CHECK (num_nonnulls(a, b) = 1));',
      up: 'ALTER TABLE t DROP CONSTRAINT t_check, ADD CHECK (num_nonnulls(a, b) >= 1);',
      down: 'ALTER TABLE t DROP CONSTRAINT t_check;\nALTER TABLE t ADD CONSTRAINT t_check CHECK (num_nonnulls(a, b) = 1);\n',
    },
    {
      name: 'on a column the same statement adds (dropped before the column, which would take it along)',
      schema: 'CREATE TABLE t (a int);',
      up: 'ALTER TABLE t ADD CONSTRAINT a_or_b CHECK ((a IS NULL) <> (b IS NULL)), ADD COLUMN b int;',
      down: 'ALTER TABLE t DROP CONSTRAINT a_or_b;\nALTER TABLE t DROP COLUMN b;\n',
    },
    {
      name: 'USING INDEX',
      schema: 'CREATE TABLE t (id int NOT NULL);\nCREATE UNIQUE INDEX t_id_idx ON t (id);',
      up: 'ALTER TABLE t ADD CONSTRAINT t_id_key UNIQUE USING INDEX t_id_idx;',
      down: 'ALTER TABLE t DROP CONSTRAINT t_id_key;\nCREATE UNIQUE INDEX t_id_idx ON t (id);\n',
    },
  ],
  reverse(cmd, ctx) {
    const con = as<Constraint>(cmd.def, 'Constraint');
    if (!con) return irreversible('ADD CONSTRAINT without a constraint');
    const name = ctx.catalog.constraintNameFor(ctx.relation, con);
    if (!name) return irreversible(`the name PostgreSQL gives this constraint on ${rel(ctx.relation)} cannot be determined (the table is not in the schema built from the earlier migrations)`);
    const out: Inverse = { sql: [`ALTER TABLE ${rel(ctx.relation)} DROP CONSTRAINT ${qi(name)}`] };
    const table = ctx.catalog.table(ctx.relation);
    if (con.indexname) {
      const i = ctx.catalog.indexes.get(`${ctx.relation?.schemaname ?? 'public'}.${con.indexname}`);
      const sql = i && indexSql(i);
      if (sql) out.sql.push(sql);
      else out.irreversible = [`index ${con.indexname} used by the constraint is not in the schema built from the earlier migrations`];
    }
    if (con.contype === 'CONSTR_PRIMARY') {
      const cols = con.indexname ? (ctx.catalog.indexes.get(`${ctx.relation?.schemaname ?? 'public'}.${con.indexname}`)?.columns ?? []) : strings(con.keys);
      for (const c of cols) {
        const col = table?.columns.get(c);
        if (col && !col.notNull) out.sql.push(`ALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(c)} DROP NOT NULL`);
      }
    }
    return out;
  },
});
