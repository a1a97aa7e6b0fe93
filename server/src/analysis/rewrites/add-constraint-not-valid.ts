/** ADD CHECK / FOREIGN KEY → the same constraint NOT VALID (no scan), then VALIDATE CONSTRAINT in a separate migration. */
import type { Constraint } from '@pgsql/types';
import { as, strings } from '../ast';
import { alterTableCommands, isWord } from '../parts';
import { place, soleAlterCommand, reports, tableName, tokenText } from './helpers';
import { addConstraintPhases } from './phases';
import { defineRewrite } from './rewrite';
import { objectName } from './sql';

export default defineRewrite({
  id: 'add-constraint-not-valid',
  title: 'Add NOT VALID, validate in a separate migration',
  description: 'Adds the CHECK or FOREIGN KEY constraint NOT VALID, which checks only new rows, and validates existing rows in a later migration under a lock that lets reads and writes continue.',
  appliesTo: ['constraint-missing-not-valid', 'adding-foreign-key-constraint'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
      before: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      phases: [
        `-- [expand] add_orders_user_fk
-- Migration 1 of 2: adds \`orders_user_fk\` NOT VALID: new and updated rows are checked at once, existing rows are not.
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;

-- down:
SET lock_timeout = '5s';
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_user_fk;
`,
        `-- [validate] validate_orders_user_fk
-- Migration 2 of 2 (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
      ],
    },
    {
      name: 'unnamed CHECK gets a name',
      schema: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);',
      before: 'ALTER TABLE orders ADD CHECK (total > 0);',
      phases: [
        `-- [expand] add_orders_check
-- Migration 1 of 2: adds \`orders_check\` NOT VALID: new and updated rows are checked at once, existing rows are not.
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_check CHECK (total > 0) NOT VALID;

-- down:
SET lock_timeout = '5s';
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_check;
`,
        `-- [validate] validate_orders_check
-- Migration 2 of 2 (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.
ALTER TABLE orders VALIDATE CONSTRAINT orders_check;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
      ],
    },
  ],
  rewrite(ctx) {
    const sole = soleAlterCommand(ctx, 'AT_AddConstraint');
    if (!sole) return undefined;
    const { alter, cmd } = sole;
    const con = as<Constraint>(cmd.def, 'Constraint');
    if (!con || con.skip_validation || (con.contype !== 'CONSTR_CHECK' && con.contype !== 'CONSTR_FOREIGN')) return undefined;
    if (!reports(ctx, 'constraint-missing-not-valid', 'adding-foreign-key-constraint')) return undefined;
    const part = alterTableCommands(ctx.statement, alter)?.[0];
    if (!part) return undefined;
    // The definition: the subcommand after `ADD [CONSTRAINT name]`.
    let i = isWord(part.tokens[0], 'add') ? 1 : 0;
    if (isWord(part.tokens[i], 'constraint')) i += 2;
    if (i >= part.tokens.length) return undefined;
    const definition = tokenText(ctx, part.tokens, i, part.tokens.length - 1);
    const t = tableName(alter.relation);
    const foreign = con.contype === 'CONSTR_FOREIGN';
    const name = con.conname ?? objectName(t.table, ...(foreign ? strings(con.fk_attrs) : []), foreign ? 'fkey' : 'check');
    const phases = addConstraintPhases({ ...t, name, definition, ...ctx.options });
    return place(ctx, 'Add NOT VALID, validate in a separate migration', true, phases, 'ADD CONSTRAINT');
  },
});
