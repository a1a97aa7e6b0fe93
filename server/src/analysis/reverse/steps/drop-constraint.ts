/**
 * ALTER TABLE … DROP CONSTRAINT → ADD CONSTRAINT with the old definition (NOT VALID if it was not validated), and
 * with CASCADE the foreign keys that depended on a dropped key.
 */
import type { AlterTableCmd } from '@pgsql/types';
import { constraintName } from '../../catalog';
import { defineReverser, irreversible, type Inverse } from '../reverser';
import { constraintSql, keySql, qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'drop-constraint',
  description: 'A dropped constraint is added back with its old definition.',
  handles: ['AlterTableCmd.AT_DropConstraint'],
  examples: [
    { schema: 'CREATE TABLE t (n int CONSTRAINT n_positive CHECK (n > 0));', up: 'ALTER TABLE t DROP CONSTRAINT n_positive;', down: 'ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0);\n' },
    { name: 'a generated name', schema: 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE);', up: 'ALTER TABLE b DROP CONSTRAINT b_a_id_fkey;', down: 'ALTER TABLE b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a ON DELETE CASCADE;\n' },
    { name: 'not validated', schema: 'CREATE TABLE t (n int);\nALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;', up: 'ALTER TABLE t DROP CONSTRAINT n_pos;', down: 'ALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\n' },
    { name: 'unknown', up: 'ALTER TABLE IF EXISTS t DROP CONSTRAINT IF EXISTS n_pos;', down: '-- IRREVERSIBLE: constraint n_pos on t is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['constraint n_pos on t is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const table = ctx.catalog.table(ctx.relation);
    const k = table?.constraints.find((x) => constraintName(x) === name);
    if (!table || !k) return irreversible(`constraint ${qi(name)} on ${rel(ctx.relation)} is not in the schema built from the earlier migrations: its definition is unknown`);
    const sql = constraintSql(k);
    if (!sql || k.node?.indexname) return irreversible(`the definition of constraint ${qi(name)} on ${rel(ctx.relation)} cannot be rebuilt`);
    const out: Inverse = { sql: [`ALTER TABLE ${rel(ctx.relation)} ADD ${sql}`] };
    if (cmd.behavior === 'DROP_CASCADE' && (k.kind === 'primary' || k.kind === 'unique')) {
      for (const other of ctx.catalog.tables.values()) {
        for (const fk of other.constraints) {
          if (fk.kind !== 'foreign' || fk.refTable !== table.key) continue;
          const s = constraintSql(fk);
          if (s) out.sql.push(`ALTER TABLE ${keySql(other.key)} ADD ${s}`);
        }
      }
    }
    return out;
  },
});
