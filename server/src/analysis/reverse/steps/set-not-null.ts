/** ALTER COLUMN … SET NOT NULL ↔ DROP NOT NULL (nothing when the column was NOT NULL already). */
import type { AlterTableCmd } from '@pgsql/types';
import { defineReverser, irreversible, undo } from '../reverser';
import { qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'set-not-null',
  description: 'SET NOT NULL is undone by DROP NOT NULL.',
  handles: ['AlterTableCmd.AT_SetNotNull'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;', down: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;\n' },
    { name: 'already NOT NULL', schema: 'CREATE TABLE t (a int NOT NULL);', up: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;', down: '' },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const col = ctx.catalog.column(ctx.relation, name);
    if (!col) return irreversible(`whether ${rel(ctx.relation)}.${qi(name)} was NOT NULL before this migration is unknown`);
    if (col.notNull) return undo();
    return undo(`ALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(name)} DROP NOT NULL`);
  },
});
