/**
 * ALTER TABLE … VALIDATE CONSTRAINT → the constraint as it was: NOT VALID again, by dropping and re-adding it
 * NOT VALID in one statement (no scan). Without its definition it stays validated, which is reported.
 */
import type { AlterTableCmd } from '@pgsql/types';
import { constraintName } from '../../catalog';
import { defineReverser, irreversible, undo } from '../reverser';
import { constraintSql, qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'validate-constraint',
  description: 'A validated constraint is made NOT VALID again.',
  handles: ['AlterTableCmd.AT_ValidateConstraint'],
  examples: [
    {
      schema: 'CREATE TABLE t (n int);\nALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;',
      up: 'ALTER TABLE t VALIDATE CONSTRAINT n_pos;',
      down: 'ALTER TABLE t DROP CONSTRAINT n_pos, ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\n',
    },
    {
      name: 'a constraint the catalog does not know',
      schema: "CREATE TABLE t (n int);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID'; END $$;",
      up: 'ALTER TABLE t VALIDATE CONSTRAINT n_pos;',
      down: '-- IRREVERSIBLE: constraint n_pos on t stays validated: its definition is unknown\n',
      irreversible: ['constraint n_pos on t stays validated: its definition is unknown'],
    },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const k = ctx.catalog.table(ctx.relation)?.constraints.find((x) => constraintName(x) === name);
    if (k?.validated) return undo();
    const sql = k && constraintSql(k);
    if (!sql) return irreversible(`constraint ${qi(name)} on ${rel(ctx.relation)} stays validated: its definition is unknown`);
    return undo(`ALTER TABLE ${rel(ctx.relation)} DROP CONSTRAINT ${qi(name)}, ADD ${sql}`);
  },
});
