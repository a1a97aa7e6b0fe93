/** ALTER COLUMN … DROP NOT NULL → SET NOT NULL, which fails if NULLs were written since. */
import type { AlterTableCmd } from '@pgsql/types';
import { defineReverser, irreversible, undo } from '../reverser';
import { qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'drop-not-null',
  description: 'DROP NOT NULL is undone by SET NOT NULL, which fails if NULLs were written since.',
  handles: ['AlterTableCmd.AT_DropNotNull'],
  examples: [
    { schema: 'CREATE TABLE t (a int NOT NULL);', up: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;', down: '-- fails if NULLs were written to t.a since\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\n' },
    { name: 'was nullable', schema: 'CREATE TABLE t (a int);', up: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;', down: '' },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const col = ctx.catalog.column(ctx.relation, name);
    const shown = `${rel(ctx.relation)}.${qi(name)}`;
    if (!col) return irreversible(`whether ${shown} was NOT NULL before this migration is unknown`);
    if (!col.notNull) return undo();
    return undo(`-- fails if NULLs were written to ${shown} since\nALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(name)} SET NOT NULL`);
  },
});
