/**
 * ALTER COLUMN TYPE that rewrites the table → a new column filled by a trigger, a batched backfill, a swap (two
 * renames in one short transaction) and a contract dropping the old-type copy.
 */
import { columnSites } from '../parts';
import { place, soleAlterCommand, primaryKey, reports, tableName } from './helpers';
import { changeColumnTypePhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'change-column-type',
  title: 'Change the type via a new column',
  description: 'Adds a column of the new type kept filled by a trigger, backfills it in batches, swaps the names in one short transaction and drops the old column in a later migration.',
  appliesTo: ['changing-column-type'],
  examples: [
    {
      schema: 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance integer NOT NULL);',
      before: 'ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;',
      phases: [
        `-- [expand] add_balance_new
-- Deploy 1 of 3 (expand): adds \`balance_new\` of type bigint, filled from \`accounts.balance\` by a trigger on every write.
-- Safe while the current release runs.
SET lock_timeout = '5s';
CREATE FUNCTION accounts_balance_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.balance_new := NEW.balance;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER accounts_balance_type_sync BEFORE INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_balance_type_sync();
ALTER TABLE accounts ADD COLUMN balance_new bigint,
  ADD CONSTRAINT accounts_balance_new_not_null CHECK (balance_new IS NOT NULL) NOT VALID;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS accounts_balance_type_sync ON accounts;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS accounts_balance_type_sync();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE accounts DROP COLUMN IF EXISTS balance_new;
`,
        `-- [backfill] backfill_balance_new (no transaction)
-- Deploy 1 of 3 (backfill): fills \`balance_new\` from \`balance\` in batches of 1000, after the expand migration.
DO $$
DECLARE
  next_key accounts.id%TYPE;
  last_key accounts.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM accounts;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM accounts WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE accounts SET balance_new = balance WHERE id BETWEEN next_key AND last_key AND (balance_new IS DISTINCT FROM (balance));
    COMMIT;
    SELECT min(id) INTO next_key FROM accounts WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [validate] validate_accounts_balance_new_not_null
-- Deploy 1 of 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_balance_new_not_null;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [switch] swap_balance
-- Deploy 2 of 3 (switch): swaps the columns, so \`accounts.balance\` has type bigint; \`balance_old\` keeps the old values for a rollback.
-- Run after the backfill, with a release that accepts the new type.
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION accounts_balance_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW.balance_old := NEW.balance;
  EXCEPTION WHEN others THEN
    NEW.balance_old := NULL; -- the value does not fit the old type
  END;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-drop-not-null, ban-mixed-expand-contract: the swap: the old-type copy is filled by the trigger only when the value fits
ALTER TABLE accounts ALTER COLUMN balance_new SET NOT NULL, ALTER COLUMN balance DROP NOT NULL;
-- migration-guard-ignore ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_balance_new_not_null;
-- migration-guard-ignore renaming-column: the swap: both releases use the name it ends with
ALTER TABLE accounts RENAME COLUMN balance TO balance_old;
-- migration-guard-ignore renaming-column: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts RENAME COLUMN balance_new TO balance;

-- down:
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION accounts_balance_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.balance_new := NEW.balance;
  RETURN NEW;
END
$$;
-- migration-guard-ignore renaming-column: rolls back the swap
ALTER TABLE accounts RENAME COLUMN balance TO balance_new;
-- migration-guard-ignore renaming-column, ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts RENAME COLUMN balance_old TO balance;
-- migration-guard-ignore adding-not-nullable-field, ban-rewrite-under-access-exclusive, ban-mixed-expand-contract: a rollback: restores NOT NULL on the original column, reading the table once
ALTER TABLE accounts ALTER COLUMN balance SET NOT NULL;
`,
        `-- [contract] drop_balance_old
-- Deploy 3 of 3 (contract): run once a rollback to the old type is no longer needed.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS accounts_balance_type_sync ON accounts;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS accounts_balance_type_sync();
-- migration-guard-ignore ban-drop-column: the old-type copy kept for a rollback of the swap
ALTER TABLE accounts DROP COLUMN IF EXISTS balance_old;

-- down:
-- IRREVERSIBLE: the old-type copy \`balance_old\` is deleted; \`accounts.balance\` keeps the values in the new type.
`,
      ],
    },
    {
      name: 'USING expression',
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200));',
      before: 'ALTER TABLE users ALTER COLUMN email TYPE text USING lower(email);',
      phases: [
        `-- [expand] add_email_new
-- Deploy 1 of 3 (expand): adds \`email_new\` of type text, filled from \`users.email\` by a trigger on every write.
-- Safe while the current release runs.
SET lock_timeout = '5s';
CREATE FUNCTION users_email_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.email_new := lower(NEW.email);
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_email_type_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_email_type_sync();
ALTER TABLE users ADD COLUMN email_new text;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_email_type_sync ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_email_type_sync();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS email_new;
`,
        `-- [backfill] backfill_email_new (no transaction)
-- Deploy 1 of 3 (backfill): fills \`email_new\` from \`email\` in batches of 1000, after the expand migration.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET email_new = lower(email) WHERE id BETWEEN next_key AND last_key AND (email_new IS DISTINCT FROM (lower(email)));
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [switch] swap_email
-- Deploy 2 of 3 (switch): swaps the columns, so \`users.email\` has type text; \`email_old\` keeps the old values for a rollback.
-- Run after the backfill, with a release that accepts the new type.
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION users_email_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW.email_old := NEW.email;
  EXCEPTION WHEN others THEN
    NEW.email_old := NULL; -- the value does not fit the old type
  END;
  RETURN NEW;
END
$$;
-- migration-guard-ignore renaming-column: the swap: both releases use the name it ends with
ALTER TABLE users RENAME COLUMN email TO email_old;
-- migration-guard-ignore renaming-column, ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE users RENAME COLUMN email_new TO email;

-- down:
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION users_email_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.email_new := lower(NEW.email);
  RETURN NEW;
END
$$;
-- migration-guard-ignore renaming-column: rolls back the swap
ALTER TABLE users RENAME COLUMN email TO email_new;
-- migration-guard-ignore renaming-column, ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE users RENAME COLUMN email_old TO email;
`,
        `-- [contract] drop_email_old
-- Deploy 3 of 3 (contract): run once a rollback to the old type is no longer needed.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_email_type_sync ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_email_type_sync();
-- migration-guard-ignore ban-drop-column: the old-type copy kept for a rollback of the swap
ALTER TABLE users DROP COLUMN IF EXISTS email_old;

-- down:
-- IRREVERSIBLE: the old-type copy \`email_old\` is deleted; \`users.email\` keeps the values in the new type.
`,
      ],
    },
    {
      name: 'binary coercible: nothing to rewrite',
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200));',
      before: 'ALTER TABLE users ALTER COLUMN email TYPE text;',
      phases: [],
    },
  ],
  rewrite(ctx) {
    const sole = soleAlterCommand(ctx, 'AT_AlterColumnType');
    if (!sole?.cmd.name) return undefined;
    const { alter } = sole;
    if (!reports(ctx, 'changing-column-type')) return undefined;
    const column = sole.cmd.name;
    const site = columnSites(ctx.statement).find((s) => s.kind === 'alter' && s.column === column);
    const typeSpan = site?.typeSpan;
    if (!site || !typeSpan) return undefined;
    const text = ctx.file.file.text;
    const type = text.slice(typeSpan.start, typeSpan.end);
    // USING <expr>: everything after the USING keyword that follows the type.
    const rest = text.slice(typeSpan.end, ctx.statement.span.end);
    const using = /^\s*USING\s+([\s\S]+)$/i.exec(rest)?.[1].trim();
    if (rest.trim() && !using) return undefined; // COLLATE …: not handled
    const table = ctx.catalog.table(alter.relation);
    const old = table?.columns.get(column);
    const key = primaryKey(ctx, alter.relation);
    // Indexes, constraints and defaults of the old column are not carried over: offer, but not as preferred.
    const attached =
      !!old?.hasDefault ||
      (table?.constraints ?? []).some((k) => k.columns.includes(column) && !(k.kind === 'check' && k.notNullColumn === column)) ||
      (table ? ctx.catalog.indexesOf(table.key).some((i) => i.columns.includes(column)) : false);
    const phases = changeColumnTypePhases({ ...tableName(alter.relation), column, type, using, key, notNull: !!old?.notNull, ...ctx.options });
    return place(ctx, 'Change the type via a new column', !!old && !!key && !attached, phases, 'ALTER COLUMN TYPE');
  },
});
