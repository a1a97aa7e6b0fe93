/**
 * ALTER COLUMN TYPE that rewrites the table → a new column filled by a trigger (with the column's constraints NOT
 * VALID, then validated, and its indexes built CONCURRENTLY), a batched backfill, a swap (two renames in one short
 * transaction, the DEFAULT and NOT NULL moved) and a contract dropping the old-type copy, whose indexes and
 * constraints' names the copies take.
 */
import { relationKey } from '../ast';
import { columnSites } from '../parts';
import { deparse } from '../reverse/sql';
import { carriedFrom } from './carry';
import { place, soleAlterCommand, primaryKey, reports, tableName } from './helpers';
import { changeColumnTypePhases } from './phases';
import { defineRewrite } from './rewrite';
import { objectName } from './sql';

export default defineRewrite({
  id: 'change-column-type',
  title: 'Change the type via a new column',
  description: 'Adds a column of the new type kept filled by a trigger and given the column\'s constraints and indexes without long locks, backfills it in batches, swaps the names in one short transaction and drops the old column in a later migration.',
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
      name: 'DEFAULT, CHECK, foreign key, UNIQUE, index and comment carried to the new column',
      schema:
        "CREATE TABLE owners (id bigint PRIMARY KEY);\nCREATE TABLE accounts (id bigint PRIMARY KEY, owner_id integer NOT NULL DEFAULT 1 CHECK (owner_id > 0) REFERENCES owners (id), UNIQUE (owner_id, id));\nCREATE INDEX accounts_owner_id_idx ON accounts (owner_id) WHERE owner_id > 10;\nCOMMENT ON COLUMN accounts.owner_id IS 'who owns it';",
      before: 'ALTER TABLE accounts ALTER COLUMN owner_id TYPE bigint;',
      phases: [
        `-- [expand] add_owner_id_new
-- Deploy 1 of 3 (expand): adds \`owner_id_new\` of type bigint, filled from \`accounts.owner_id\` by a trigger on every write.
-- Safe while the current release runs.
-- The indexes and constraints of \`owner_id\` are rebuilt on \`owner_id_new\` before the swap and take their names in the contract.
SET lock_timeout = '5s';
CREATE FUNCTION accounts_owner_id_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.owner_id_new := NEW.owner_id;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER accounts_owner_id_type_sync BEFORE INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_owner_id_type_sync();
ALTER TABLE accounts ADD COLUMN owner_id_new bigint,
  ADD CONSTRAINT accounts_owner_id_new_not_null CHECK (owner_id_new IS NOT NULL) NOT VALID,
  ADD CONSTRAINT accounts_owner_id_new_check CHECK (owner_id_new > 0) NOT VALID,
  ADD CONSTRAINT accounts_owner_id_new_fkey FOREIGN KEY (owner_id_new) REFERENCES owners (id) NOT VALID;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS accounts_owner_id_type_sync ON accounts;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS accounts_owner_id_type_sync();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE accounts DROP COLUMN IF EXISTS owner_id_new;
`,
        `-- [backfill] backfill_owner_id_new (no transaction)
-- Deploy 1 of 3 (backfill): fills \`owner_id_new\` from \`owner_id\` in batches of 1000, after the expand migration.
DO $$
DECLARE
  next_key accounts.id%TYPE;
  last_key accounts.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM accounts;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM accounts WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE accounts SET owner_id_new = owner_id WHERE id BETWEEN next_key AND last_key AND (owner_id_new IS DISTINCT FROM (owner_id));
    COMMIT;
    SELECT min(id) INTO next_key FROM accounts WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [validate] validate_owner_id_new
-- Deploy 1 of 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_id_new_not_null;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_id_new_check;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_id_new_fkey;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [expand] index_accounts_owner_id_new_idx (no transaction)
-- Deploy 1 of 3 (index): builds \`accounts_owner_id_new_idx\` on \`owner_id_new\` as \`accounts_owner_id_idx\` is on \`owner_id\`, without blocking reads or writes;
-- outside a transaction, after the backfill (dropping first what a failed build left).
DROP INDEX CONCURRENTLY IF EXISTS accounts_owner_id_new_idx;
CREATE INDEX CONCURRENTLY accounts_owner_id_new_idx ON accounts (owner_id_new) WHERE owner_id_new > 10;

-- down:
DROP INDEX CONCURRENTLY IF EXISTS accounts_owner_id_new_idx;
`,
        `-- [expand] index_accounts_owner_id_new_id_key (no transaction)
-- Deploy 1 of 3 (index): builds \`accounts_owner_id_new_id_key\` on \`owner_id_new\` as \`accounts_owner_id_id_key\` is on \`owner_id\`, without blocking reads or writes;
-- outside a transaction, after the backfill (dropping first what a failed build left).
DROP INDEX CONCURRENTLY IF EXISTS accounts_owner_id_new_id_key;
CREATE UNIQUE INDEX CONCURRENTLY accounts_owner_id_new_id_key ON accounts (owner_id_new, id);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS accounts_owner_id_new_id_key;
`,
        `-- [switch] swap_owner_id
-- Deploy 2 of 3 (switch): swaps the columns, so \`accounts.owner_id\` has type bigint; \`owner_id_old\` keeps the old values for a rollback.
-- Run after the backfill, with a release that accepts the new type.
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION accounts_owner_id_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW.owner_id_old := NEW.owner_id;
  EXCEPTION WHEN others THEN
    NEW.owner_id_old := NULL; -- the value does not fit the old type
  END;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-drop-not-null, ban-mixed-expand-contract: the swap: the old-type copy is filled by the trigger only when the value fits
ALTER TABLE accounts ALTER COLUMN owner_id_new SET NOT NULL, ALTER COLUMN owner_id DROP NOT NULL,
  ALTER COLUMN owner_id_new SET DEFAULT 1;
-- migration-guard-ignore ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_owner_id_new_not_null;
-- migration-guard-ignore renaming-column: the swap: both releases use the name it ends with
ALTER TABLE accounts RENAME COLUMN owner_id TO owner_id_old;
-- migration-guard-ignore renaming-column: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts RENAME COLUMN owner_id_new TO owner_id;
COMMENT ON COLUMN accounts.owner_id IS 'who owns it';

-- down:
SET lock_timeout = '5s';
CREATE OR REPLACE FUNCTION accounts_owner_id_type_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.owner_id_new := NEW.owner_id;
  RETURN NEW;
END
$$;
-- migration-guard-ignore renaming-column: rolls back the swap
ALTER TABLE accounts RENAME COLUMN owner_id TO owner_id_new;
-- migration-guard-ignore renaming-column, ban-statements-after-access-exclusive: the swap is two catalog-only renames that must commit together
ALTER TABLE accounts RENAME COLUMN owner_id_old TO owner_id;
-- migration-guard-ignore adding-not-nullable-field, ban-rewrite-under-access-exclusive, ban-mixed-expand-contract: a rollback: restores NOT NULL on the original column, reading the table once
ALTER TABLE accounts ALTER COLUMN owner_id_new DROP DEFAULT,
  ALTER COLUMN owner_id SET NOT NULL;
`,
        `-- [contract] drop_owner_id_old
-- Deploy 3 of 3 (contract): run once a rollback to the old type is no longer needed.
-- Dropping \`owner_id_old\` drops its indexes and constraints; their copies on \`owner_id\` take their names.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: the copies on \`owner_id\` take the names of the indexes and constraints dropped with \`owner_id_old\`
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS accounts_owner_id_type_sync ON accounts;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS accounts_owner_id_type_sync();
-- migration-guard-ignore ban-drop-column: the old-type copy kept for a rollback of the swap
ALTER TABLE accounts DROP COLUMN IF EXISTS owner_id_old;
ALTER INDEX accounts_owner_id_new_idx RENAME TO accounts_owner_id_idx;
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_id_id_key UNIQUE USING INDEX accounts_owner_id_new_id_key;
ALTER TABLE accounts RENAME CONSTRAINT accounts_owner_id_new_check TO accounts_owner_id_check;
ALTER TABLE accounts RENAME CONSTRAINT accounts_owner_id_new_fkey TO accounts_owner_id_fkey;

-- down:
-- IRREVERSIBLE: the old-type copy \`owner_id_old\` is deleted; \`accounts.owner_id\` keeps the values in the new type.
`,
      ],
    },
    {
      name: 'USING expression, a DEFAULT on a nullable column',
      schema: "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200) DEFAULT '');",
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
ALTER TABLE users ALTER COLUMN email_new SET DEFAULT '';
-- migration-guard-ignore renaming-column, ban-statements-after-access-exclusive: the swap: both releases use the name it ends with
ALTER TABLE users RENAME COLUMN email TO email_old;
-- migration-guard-ignore renaming-column: the swap is two catalog-only renames that must commit together
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
-- migration-guard-ignore ban-mixed-expand-contract: a rollback: the DEFAULT stays with \`email\`
ALTER TABLE users ALTER COLUMN email_new DROP DEFAULT;
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
    const old = ctx.catalog.column(alter.relation, column);
    const key = primaryKey(ctx, alter.relation);
    const carry = carriedFrom(ctx.catalog, relationKey(alter.relation), column, objectName(column, 'new'));
    const phases = changeColumnTypePhases({
      ...tableName(alter.relation),
      column,
      type,
      using,
      key,
      notNull: !!old?.notNull,
      default: old ? (old.defaultExpr ? deparse(old.defaultExpr) : null) : undefined,
      carry,
      ...ctx.options,
    });
    // Preferred only when everything on the column is known and carried.
    return place(ctx, 'Change the type via a new column', !!old && !!key && carry?.notCarried.length === 0, phases, 'ALTER COLUMN TYPE');
  },
});
