/**
 * ADD COLUMN with a volatile default, or NOT NULL without a default → a nullable column whose default applies to new
 * rows only, a batched backfill, then NOT NULL through a validated CHECK.
 */
import type { ColumnDef } from '@pgsql/types';
import { as, columnConstraints } from '../ast';
import { columnSites } from '../parts';
import { place, soleAlterCommand, primaryKey, ruleReports, tableName } from './helpers';
import { addColumnBackfillPhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'add-column-backfill',
  title: 'Add nullable, backfill in batches',
  description: 'Adds the column without a value for existing rows (its default set for new rows only), backfills existing rows in batches, and makes it NOT NULL through a validated CHECK.',
  appliesTo: ['adding-field-with-default', 'adding-required-field'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY);',
      before: 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
      phases: [
        `-- [expand] add_token
-- Migration 1 (expand): adds \`users.token\` without touching existing rows; the default applies to new rows.
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN token uuid,
  ALTER COLUMN token SET DEFAULT gen_random_uuid(),
  ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS token;
`,
        `-- [backfill] backfill_token (no transaction)
-- Migration 2 (backfill): fills \`token\` for existing rows in batches of 1000.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET token = gen_random_uuid() WHERE id BETWEEN next_key AND last_key AND (token IS NULL);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [validate] validate_token_not_null
-- Migration 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue).
ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [contract] set_token_not_null
-- Migration 4 (contract): SET NOT NULL uses the validated CHECK instead of scanning (PostgreSQL 12+), then drops it.
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN token SET NOT NULL;
-- migration-guard-ignore ban-statements-after-access-exclusive: dropping the now redundant CHECK only changes the catalog
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-drop-not-null: rolls back SET NOT NULL; the CHECK it restores keeps new rows non-null
ALTER TABLE users ALTER COLUMN token DROP NOT NULL,
  ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID;
`,
      ],
    },
    {
      name: 'nullable with a volatile default',
      schema: 'CREATE TABLE events (id bigint PRIMARY KEY);',
      before: 'ALTER TABLE events ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();',
      phases: [
        `-- [expand] add_created_at
-- Migration 1 (expand): adds \`events.created_at\` without touching existing rows; the default applies to new rows.
SET lock_timeout = '5s';
ALTER TABLE events ADD COLUMN created_at timestamptz,
  ALTER COLUMN created_at SET DEFAULT clock_timestamp();

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE events DROP COLUMN IF EXISTS created_at;
`,
        `-- [backfill] backfill_created_at (no transaction)
-- Migration 2 (backfill): fills \`created_at\` for existing rows in batches of 1000.
DO $$
DECLARE
  next_key events.id%TYPE;
  last_key events.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM events;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM events WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE events SET created_at = clock_timestamp() WHERE id BETWEEN next_key AND last_key AND (created_at IS NULL);
    COMMIT;
    SELECT min(id) INTO next_key FROM events WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
      ],
    },
  ],
  rewrite(ctx) {
    const sole = soleAlterCommand(ctx, 'AT_AddColumn');
    if (!sole) return undefined;
    const { alter, cmd } = sole;
    const col = as<ColumnDef>(cmd.def, 'ColumnDef');
    const cons = columnConstraints(col);
    // Only DEFAULT and NOT NULL / NULL are carried over.
    if (!col?.colname || cons.some((k) => !['CONSTR_DEFAULT', 'CONSTR_NOTNULL', 'CONSTR_NULL'].includes(k.contype ?? ''))) return undefined;
    const byDefault = ruleReports(ctx, 'adding-field-with-default').some((r) => r.messageId === 'volatile' || r.messageId === 'anyDefault');
    const required = ruleReports(ctx, 'adding-required-field').length > 0;
    if (!byDefault && !required) return undefined;
    const site = columnSites(ctx.statement).find((s) => s.kind === 'add' && s.column === col.colname);
    if (!site?.typeSpan || !site.span) return undefined;
    const text = ctx.file.file.text;
    const type = text.slice(site.typeSpan.start, site.typeSpan.end);
    const rest = text.slice(site.typeSpan.end, site.span.end).replace(/\b(?:NOT\s+)?NULL\s*$/i, '').replace(/^\s*(?:NOT\s+)?NULL\b/i, '');
    const def = /^\s*DEFAULT\s+([\s\S]+?)\s*$/i.exec(rest)?.[1];
    if (cons.some((k) => k.contype === 'CONSTR_DEFAULT') !== !!def) return undefined;
    const notNull = !!col.is_not_null || cons.some((k) => k.contype === 'CONSTR_NOTNULL');
    const key = primaryKey(ctx, alter.relation);
    const phases = addColumnBackfillPhases({
      ...tableName(alter.relation),
      column: col.colname,
      type,
      default: def,
      // Without a default there is no value for existing rows: the backfill must be edited (not preferred).
      backfill: def ?? 'NULL /* FIXME: the value for existing rows */',
      notNull,
      key,
      ...ctx.options,
    });
    return place(ctx, 'Add nullable, backfill in batches', !!def && !!key, phases, 'ADD COLUMN');
  },
});
