/** ALTER TABLE … ADD COLUMN ↔ DROP COLUMN (which also drops the column's constraints, indexes and owned sequence). */
import type { AlterTableCmd, ColumnDef } from '@pgsql/types';
import { as } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { qi, rel } from '../sql';

export default defineReverser<AlterTableCmd>({
  id: 'add-column',
  description: 'An added column is dropped.',
  handles: ['AlterTableCmd.AT_AddColumn'],
  examples: [
    { schema: 'CREATE TABLE users (id int);', up: 'ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT \'\';', down: 'ALTER TABLE users DROP COLUMN email;\n' },
    {
      name: 'several subcommands are undone last first',
      schema: 'CREATE TABLE users (id int);',
      up: 'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b serial;',
      down: 'ALTER TABLE users DROP COLUMN b;\nALTER TABLE users DROP COLUMN a;\n',
    },
    { name: 'IF NOT EXISTS on an existing column', schema: 'CREATE TABLE users (id int, a int);', up: 'ALTER TABLE users ADD COLUMN IF NOT EXISTS a int;', down: '' },
  ],
  reverse(cmd, ctx) {
    const def = as<ColumnDef>(cmd.def, 'ColumnDef');
    const name = def?.colname ?? '?';
    if (cmd.missing_ok && ctx.catalog.column(ctx.relation, name)) return undo();
    return undo(`ALTER TABLE ${rel(ctx.relation)} DROP COLUMN ${qi(name)}`);
  },
});
