/**
 * RENAME COLUMN → expand (new column kept equal to the old one by a two-way trigger, its constraints NOT VALID),
 * batched backfill, VALIDATE and the old column's indexes built CONCURRENTLY on the new one, contract (drop the
 * trigger and the old column; NOT NULL through the validated CHECK): both releases work at every step.
 */
import type { RenameStmt } from '@pgsql/types';
import { as, relationKey } from '../ast';
import { deparse } from '../reverse/sql';
import { carriedFrom } from './carry';
import { place, primaryKey, reports, tableName } from './helpers';
import { renameColumnPhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'rename-column',
  title: 'Rename via expand-contract',
  description: 'Replaces RENAME COLUMN by a new column synced both ways by a trigger and given the old one\'s constraints and indexes without long locks, a batched backfill and a later migration dropping the old column.',
  appliesTo: ['renaming-column'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, name text);',
      before: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
      phases: [
        `-- [expand] add_full_name
-- Deploy 1 of 3 (expand): adds \`full_name\` next to \`users.name\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`name\`.
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_name_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.full_name IS NULL THEN NEW.full_name := NEW.name; ELSIF NEW.name IS NULL THEN NEW.name := NEW.full_name; END IF;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN
    NEW.name := NEW.full_name;
  ELSIF NEW.name IS DISTINCT FROM OLD.name THEN
    NEW.full_name := NEW.name;
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_sync_name_full_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_name_full_name();
ALTER TABLE users ADD COLUMN full_name text;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS full_name;
`,
        `-- [backfill] backfill_full_name (no transaction)
-- Deploy 1 of 3 (backfill): copies \`name\` into \`full_name\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`full_name\` only.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET full_name = name WHERE id BETWEEN next_key AND last_key AND (full_name IS DISTINCT FROM name);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [contract] drop_name
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.name\`.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`full_name\`; the code no longer uses it
ALTER TABLE users DROP COLUMN IF EXISTS name;

-- down:
-- IRREVERSIBLE: the values of \`users.name\` are deleted; \`full_name\` still holds them.
`,
      ],
    },
    {
      name: 'quoted mixed-case names in a schema',
      schema: 'CREATE TABLE app."Users" ("Id" bigint PRIMARY KEY, "Name" text);',
      before: 'ALTER TABLE app."Users" RENAME COLUMN "Name" TO "FullName";',
      phases: [
        `-- [expand] add_FullName
-- Deploy 1 of 3 (expand): adds \`FullName\` next to \`app.Users.Name\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`Name\`.
SET lock_timeout = '5s';
CREATE FUNCTION app."Users_sync_Name_FullName"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."FullName" IS NULL THEN NEW."FullName" := NEW."Name"; ELSIF NEW."Name" IS NULL THEN NEW."Name" := NEW."FullName"; END IF;
  ELSIF NEW."FullName" IS DISTINCT FROM OLD."FullName" THEN
    NEW."Name" := NEW."FullName";
  ELSIF NEW."Name" IS DISTINCT FROM OLD."Name" THEN
    NEW."FullName" := NEW."Name";
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER "Users_sync_Name_FullName" BEFORE INSERT OR UPDATE ON app."Users" FOR EACH ROW EXECUTE FUNCTION app."Users_sync_Name_FullName"();
ALTER TABLE app."Users" ADD COLUMN "FullName" text;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS "Users_sync_Name_FullName" ON app."Users";
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS app."Users_sync_Name_FullName"();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE app."Users" DROP COLUMN IF EXISTS "FullName";
`,
        `-- [backfill] backfill_FullName (no transaction)
-- Deploy 1 of 3 (backfill): copies \`Name\` into \`FullName\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`FullName\` only.
DO $$
DECLARE
  next_key app."Users"."Id"%TYPE;
  last_key app."Users"."Id"%TYPE;
BEGIN
  SELECT min("Id") INTO next_key FROM app."Users";
  WHILE next_key IS NOT NULL LOOP
    SELECT max("Id") INTO last_key FROM (SELECT "Id" FROM app."Users" WHERE "Id" >= next_key ORDER BY "Id" LIMIT 1000) AS batch;
    UPDATE app."Users" SET "FullName" = "Name" WHERE "Id" BETWEEN next_key AND last_key AND ("FullName" IS DISTINCT FROM "Name");
    COMMIT;
    SELECT min("Id") INTO next_key FROM app."Users" WHERE "Id" > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [contract] drop_Name
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`app.Users.Name\`.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS "Users_sync_Name_FullName" ON app."Users";
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS app."Users_sync_Name_FullName"();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`FullName\`; the code no longer uses it
ALTER TABLE app."Users" DROP COLUMN IF EXISTS "Name";

-- down:
-- IRREVERSIBLE: the values of \`app.Users.Name\` are deleted; \`FullName\` still holds them.
`,
      ],
    },
    {
      name: 'a DEFAULT on the old column moves into the trigger, then to the new column',
      schema: "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '');",
      before: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
      phases: [
        `-- [expand] add_full_name
-- Deploy 1 of 3 (expand): adds \`full_name\` next to \`users.name\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`name\`.
-- The DEFAULT of \`name\` moves into the trigger (applied when an insert gives neither column), so that an insert
-- giving only \`full_name\` copies its value into \`name\`.
-- \`users_full_name_not_null\` holds for new and updated rows now (NOT VALID), for the backfilled rows once validated.
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_name_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.name IS NULL AND NEW.full_name IS NULL THEN NEW.name := ''; END IF;
    IF NEW.full_name IS NULL THEN NEW.full_name := NEW.name; ELSIF NEW.name IS NULL THEN NEW.name := NEW.full_name; END IF;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN
    NEW.name := NEW.full_name;
  ELSIF NEW.name IS DISTINCT FROM OLD.name OR NEW.full_name IS NULL THEN
    NEW.full_name := NEW.name;
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_sync_name_full_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_name_full_name();
-- migration-guard-ignore ban-mixed-expand-contract: the DEFAULT of \`name\` moves into the sync trigger, which fills it in for the current release
ALTER TABLE users ALTER COLUMN name DROP DEFAULT,
  ADD COLUMN full_name text,
  ADD CONSTRAINT users_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: a rollback: the DEFAULT goes back from the trigger to \`name\`
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added and puts the DEFAULT back on \`name\`
ALTER TABLE users ALTER COLUMN name SET DEFAULT '',
  DROP COLUMN IF EXISTS full_name;
`,
        `-- [backfill] backfill_full_name (no transaction)
-- Deploy 1 of 3 (backfill): copies \`name\` into \`full_name\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`full_name\` only.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET full_name = name WHERE id BETWEEN next_key AND last_key AND (full_name IS DISTINCT FROM name);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [validate] validate_full_name
-- Deploy 1 of 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.
ALTER TABLE users VALIDATE CONSTRAINT users_full_name_not_null;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [contract] drop_name
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.name\`.
-- \`full_name\` takes over the DEFAULT the trigger applied.
-- SET NOT NULL uses the validated \`users_full_name_not_null\` instead of scanning (PostgreSQL 12+), which is then dropped.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: the DEFAULT passes from the trigger to \`full_name\` as the trigger goes
ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`full_name\`; the code no longer uses it, and its DEFAULT passes to \`full_name\`
ALTER TABLE users ALTER COLUMN full_name SET DEFAULT '',
  DROP COLUMN IF EXISTS name;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_full_name_not_null;

-- down:
-- IRREVERSIBLE: the values of \`users.name\` are deleted; \`full_name\` still holds them.
`,
      ],
    },
    {
      name: 'NOT NULL, UNIQUE, CHECK and an index carried to the new column',
      schema: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE CHECK (email <> ''));\nCREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE email LIKE '%@%';",
      before: 'ALTER TABLE users RENAME COLUMN email TO login;',
      phases: [
        `-- [expand] add_login
-- Deploy 1 of 3 (expand): adds \`login\` next to \`users.email\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`email\`.
-- \`users_login_not_null\`, \`users_login_check\` hold for new and updated rows now (NOT VALID), for the backfilled rows once validated.
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_email_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.login IS NULL THEN NEW.login := NEW.email; ELSIF NEW.email IS NULL THEN NEW.email := NEW.login; END IF;
  ELSIF NEW.login IS DISTINCT FROM OLD.login THEN
    NEW.email := NEW.login;
  ELSIF NEW.email IS DISTINCT FROM OLD.email OR NEW.login IS NULL THEN
    NEW.login := NEW.email;
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_sync_email_login BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_email_login();
ALTER TABLE users ADD COLUMN login text,
  ADD CONSTRAINT users_login_not_null CHECK (login IS NOT NULL) NOT VALID,
  ADD CONSTRAINT users_login_check CHECK (login <> '') NOT VALID;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_email_login ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_email_login();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS login;
`,
        `-- [backfill] backfill_login (no transaction)
-- Deploy 1 of 3 (backfill): copies \`email\` into \`login\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`login\` only.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET login = email WHERE id BETWEEN next_key AND last_key AND (login IS DISTINCT FROM email);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [validate] validate_login
-- Deploy 1 of 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.
ALTER TABLE users VALIDATE CONSTRAINT users_login_not_null;
ALTER TABLE users VALIDATE CONSTRAINT users_login_check;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [expand] index_users_lower_login_idx (no transaction)
-- Deploy 1 of 3 (index): builds \`users_lower_login_idx\` on \`login\` as \`users_lower_email_idx\` is on \`email\`, without blocking reads or writes;
-- outside a transaction, after the backfill (dropping first what a failed build left).
DROP INDEX CONCURRENTLY IF EXISTS users_lower_login_idx;
CREATE INDEX CONCURRENTLY users_lower_login_idx ON users ((lower(login))) WHERE login LIKE '%@%';

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_lower_login_idx;
`,
        `-- [expand] index_users_login_key (no transaction)
-- Deploy 1 of 3 (index): builds \`users_login_key\` on \`login\` as \`users_email_key\` is on \`email\`, without blocking reads or writes;
-- outside a transaction, after the backfill (dropping first what a failed build left).
DROP INDEX CONCURRENTLY IF EXISTS users_login_key;
CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (login);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_login_key;
`,
        `-- [contract] drop_email
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.email\`.
-- SET NOT NULL uses the validated \`users_login_not_null\` instead of scanning (PostgreSQL 12+), which is then dropped.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: the UNIQUE constraint of \`login\` takes over from \`users_email_key\`, dropped with \`email\`
ALTER TABLE users ALTER COLUMN login SET NOT NULL;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_email_login ON users;
DROP FUNCTION IF EXISTS users_sync_email_login();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`login\`; the code no longer uses it
ALTER TABLE users DROP COLUMN IF EXISTS email;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_login_not_null,
  ADD CONSTRAINT users_login_key UNIQUE USING INDEX users_login_key;

-- down:
-- IRREVERSIBLE: the values of \`users.email\` are deleted; \`login\` still holds them.
`,
      ],
    },
    {
      name: 'a foreign key of another table referencing the column: said in the headers, not preferred',
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_code text REFERENCES users (code));',
      before: 'ALTER TABLE users RENAME COLUMN code TO handle;',
      phases: [
        `-- [expand] add_handle
-- Deploy 1 of 3 (expand): adds \`handle\` next to \`users.code\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`code\`.
-- Not carried to \`handle\` (recreate by hand before the contract, which drops them with \`code\`): the foreign key \`orders_user_code_fkey\` of \`orders\` referencing it.
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_code_handle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.handle IS NULL THEN NEW.handle := NEW.code; ELSIF NEW.code IS NULL THEN NEW.code := NEW.handle; END IF;
  ELSIF NEW.handle IS DISTINCT FROM OLD.handle THEN
    NEW.code := NEW.handle;
  ELSIF NEW.code IS DISTINCT FROM OLD.code THEN
    NEW.handle := NEW.code;
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_sync_code_handle BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_code_handle();
ALTER TABLE users ADD COLUMN handle text;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_code_handle ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_code_handle();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS handle;
`,
        `-- [backfill] backfill_handle (no transaction)
-- Deploy 1 of 3 (backfill): copies \`code\` into \`handle\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`handle\` only.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET handle = code WHERE id BETWEEN next_key AND last_key AND (handle IS DISTINCT FROM code);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [expand] index_users_handle_key (no transaction)
-- Deploy 1 of 3 (index): builds \`users_handle_key\` on \`handle\` as \`users_code_key\` is on \`code\`, without blocking reads or writes;
-- outside a transaction, after the backfill (dropping first what a failed build left).
DROP INDEX CONCURRENTLY IF EXISTS users_handle_key;
CREATE UNIQUE INDEX CONCURRENTLY users_handle_key ON users (handle);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_handle_key;
`,
        `-- [contract] drop_code
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.code\`.
-- Not carried to \`handle\` (recreate by hand before the contract, which drops them with \`code\`): the foreign key \`orders_user_code_fkey\` of \`orders\` referencing it.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: the UNIQUE constraint of \`handle\` takes over from \`users_code_key\`, dropped with \`code\`
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_code_handle ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_code_handle();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`handle\`; the code no longer uses it
ALTER TABLE users DROP COLUMN IF EXISTS code;
ALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE USING INDEX users_handle_key;

-- down:
-- IRREVERSIBLE: the values of \`users.code\` are deleted; \`handle\` still holds them.
`,
      ],
    },
    {
      name: 'type unknown: read from the database',
      before: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
      phases: [
        `-- [expand] add_full_name
-- Deploy 1 of 3 (expand): adds \`full_name\` next to \`users.name\`, kept equal both ways by a trigger.
-- Safe while the current release runs: it still reads and writes \`name\`.
-- If \`users.name\` has a DEFAULT (not known from earlier migrations), move it by hand: drop it here and assign it in the
-- trigger when both columns are NULL on INSERT, or rows inserted with only \`full_name\` get the default in \`name\`.
-- The indexes and constraints of \`users.name\` are not known from earlier migrations: create those \`full_name\` needs
-- before the contract, which drops them with \`name\`.
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_name_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.full_name IS NULL THEN NEW.full_name := NEW.name; ELSIF NEW.name IS NULL THEN NEW.name := NEW.full_name; END IF;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN
    NEW.name := NEW.full_name;
  ELSIF NEW.name IS DISTINCT FROM OLD.name THEN
    NEW.full_name := NEW.name;
  END IF;
  RETURN NEW;
END
$$;
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout
CREATE TRIGGER users_sync_name_full_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_name_full_name();
-- migration-guard-ignore prefer-static-sql-in-do-block: the type of \`name\` is not known from earlier migrations, so it is read from the database
DO $$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'users'::regclass, 'full_name',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name'));
END
$$;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: rolls back the column this migration added
ALTER TABLE users DROP COLUMN IF EXISTS full_name;
`,
        `-- [backfill] backfill_full_name (no transaction)
-- Deploy 1 of 3 (backfill): copies \`name\` into \`full_name\` in batches of 1000, after the expand migration.
-- Then deploy 2: the release that reads and writes \`full_name\` only.
DO $$
DECLARE
  next_key users.id%TYPE;
  last_key users.id%TYPE;
BEGIN
  SELECT min(id) INTO next_key FROM users;
  WHILE next_key IS NOT NULL LOOP
    SELECT max(id) INTO last_key FROM (SELECT id FROM users WHERE id >= next_key ORDER BY id LIMIT 1000) AS batch;
    UPDATE users SET full_name = name WHERE id BETWEEN next_key AND last_key AND (full_name IS DISTINCT FROM name);
    COMMIT;
    SELECT min(id) INTO next_key FROM users WHERE id > last_key;
  END LOOP;
END
$$;

-- down:
-- Nothing to undo: the backfill only copies values into the new column.
`,
        `-- [contract] drop_name
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.name\`.
-- The indexes and constraints of \`users.name\` are not known from earlier migrations: create those \`full_name\` needs
-- before the contract, which drops them with \`name\`.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`full_name\`; the code no longer uses it
ALTER TABLE users DROP COLUMN IF EXISTS name;

-- down:
-- IRREVERSIBLE: the values of \`users.name\` are deleted; \`full_name\` still holds them.
`,
      ],
    },
    {
      name: 'table created in this file: nothing to rewrite',
      before: 'CREATE TABLE users (id bigint, name text);\nALTER TABLE users RENAME COLUMN $0name TO full_name;',
      phases: [],
    },
  ],
  rewrite(ctx) {
    const r = as<RenameStmt>(ctx.statement.node, 'RenameStmt');
    if (r?.renameType !== 'OBJECT_COLUMN' || !r.subname || !r.newname || !reports(ctx, 'renaming-column')) return undefined;
    const column = ctx.catalog.column(r.relation, r.subname);
    const key = primaryKey(ctx, r.relation);
    const carry = carriedFrom(ctx.catalog, relationKey(r.relation), r.subname, r.newname);
    const phases = renameColumnPhases({
      ...tableName(r.relation),
      column: r.subname,
      newName: r.newname,
      type: column?.type,
      // Known column: its DEFAULT or none (null); unknown column: unknown default.
      default: column ? (column.defaultExpr ? deparse(column.defaultExpr) : null) : undefined,
      notNull: column?.notNull,
      carry,
      key,
      ...ctx.options,
    });
    return place(ctx, 'Rename via expand-contract', !!column && !!key && carry?.notCarried.length === 0, phases, 'RENAME COLUMN');
  },
});
