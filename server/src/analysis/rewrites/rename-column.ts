/**
 * RENAME COLUMN → expand (new column kept equal to the old one by a two-way trigger), batched backfill, contract
 * (drop the trigger and the old column): both releases work at every step.
 */
import type { RenameStmt } from '@pgsql/types';
import { as } from '../ast';
import { deparse } from '../reverse/sql';
import { place, primaryKey, reports, tableName } from './helpers';
import { renameColumnPhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'rename-column',
  title: 'Rename via expand-contract',
  description: 'Replaces RENAME COLUMN by a new column synced both ways by a trigger, a batched backfill and a later migration dropping the old column.',
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
SET lock_timeout = '5s';
CREATE FUNCTION users_sync_name_full_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.name IS NULL AND NEW.full_name IS NULL THEN NEW.name := ''; END IF;
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
-- migration-guard-ignore ban-mixed-expand-contract: the DEFAULT of \`name\` moves into the sync trigger, which fills it in for the current release
ALTER TABLE users ALTER COLUMN name DROP DEFAULT,
  ADD COLUMN full_name text;

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
        `-- [contract] drop_name
-- Deploy 3 of 3 (contract): run only after no running release reads or writes \`users.name\`.
-- \`full_name\` takes over the DEFAULT the trigger applied.
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: the DEFAULT passes from the trigger to \`full_name\` as the trigger goes
-- migration-guard-ignore ban-trigger-ddl-on-existing-table: removes the expand-contract sync trigger; catalog-only, with lock_timeout
DROP TRIGGER IF EXISTS users_sync_name_full_name ON users;
-- migration-guard-ignore ban-statements-after-access-exclusive: catalog-only statements of one short transaction
DROP FUNCTION IF EXISTS users_sync_name_full_name();
-- migration-guard-ignore ban-drop-column: the contract step of renaming it to \`full_name\`; the code no longer uses it, and its DEFAULT passes to \`full_name\`
ALTER TABLE users ALTER COLUMN full_name SET DEFAULT '',
  DROP COLUMN IF EXISTS name;

-- down:
-- IRREVERSIBLE: the values of \`users.name\` are deleted; \`full_name\` still holds them.
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
    const phases = renameColumnPhases({
      ...tableName(r.relation),
      column: r.subname,
      newName: r.newname,
      type: column?.type,
      // Known column: its DEFAULT or none (null); unknown column: unknown default.
      default: column ? (column.defaultExpr ? deparse(column.defaultExpr) : null) : undefined,
      key,
      ...ctx.options,
    });
    return place(ctx, 'Rename via expand-contract', !!column && !!key, phases, 'RENAME COLUMN');
  },
});
