/** ALTER COLUMN … SET DEFAULT / DROP DEFAULT → the old default (or none) from the schema before the up. */
import type { AlterTableCmd } from '@pgsql/types';
import { defineReverser, irreversible, undo } from '../reverser';
import { deparse, qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'column-default',
  description: 'A changed or dropped default is set back to the old default.',
  handles: ['AlterTableCmd.AT_ColumnDefault'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;', down: 'ALTER TABLE t ALTER COLUMN a DROP DEFAULT;\n' },
    { schema: "CREATE TABLE t (s text DEFAULT 'new');", up: "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'newer';", down: "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'new';\n" },
    { schema: 'CREATE TABLE t (at timestamptz DEFAULT now());', up: 'ALTER TABLE t ALTER COLUMN at DROP DEFAULT;', down: 'ALTER TABLE t ALTER COLUMN at SET DEFAULT now();\n' },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const col = ctx.catalog.column(ctx.relation, name);
    if (!col) return irreversible(`the default of ${rel(ctx.relation)}.${qi(name)} before this migration is unknown`);
    const head = `ALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(name)}`;
    return undo(col.defaultExpr ? `${head} SET DEFAULT ${deparse(col.defaultExpr)}` : `${head} DROP DEFAULT`);
  },
});
