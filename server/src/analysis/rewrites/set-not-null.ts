/**
 * SET NOT NULL → CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in its own migration, then SET NOT NULL,
 * which PostgreSQL 12+ proves from the validated CHECK without scanning, and drop the CHECK.
 */
import { place, soleAlterCommand, reports, tableName } from './helpers';
import { setNotNullPhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'set-not-null',
  title: 'Set NOT NULL through a validated CHECK',
  description: 'Adds CHECK (col IS NOT NULL) NOT VALID, validates it in a separate migration, then sets NOT NULL without a scan and drops the CHECK.',
  appliesTo: ['adding-not-nullable-field'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      before: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      phases: [
        `-- [expand] check_email_not_null
-- Migration 1 of 3 (expand): new and updated rows must have \`users.email\`; existing rows are not checked yet.
SET lock_timeout = '5s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;

-- down:
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null;
`,
        `-- [validate] validate_email_not_null
-- Migration 2 of 3 (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
        `-- [contract] set_email_not_null
-- Migration 3 of 3 (contract): SET NOT NULL uses the validated CHECK instead of scanning (PostgreSQL 12+), then drops it.
SET lock_timeout = '5s';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
-- migration-guard-ignore ban-statements-after-access-exclusive: dropping the now redundant CHECK only changes the catalog
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null;

-- down:
SET lock_timeout = '5s';
-- migration-guard-ignore ban-mixed-expand-contract: a rollback: the CHECK keeps new rows non-null once NOT NULL is dropped
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- migration-guard-ignore ban-drop-not-null, ban-statements-after-access-exclusive: rolls back SET NOT NULL; the CHECK it restores keeps new rows non-null
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
`,
      ],
    },
    {
      name: 'PostgreSQL 11 keeps the validated CHECK',
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      before: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      options: { postgresVersion: 11 },
      phases: [
        `-- [expand] check_email_not_null
-- Migration 1 of 2 (expand): new and updated rows must have \`users.email\`; existing rows are not checked yet.
SET lock_timeout = '5s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;

-- down:
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null;
`,
        `-- [validate] validate_email_not_null
-- Migration 2 of 2 (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.
-- On PostgreSQL 11 SET NOT NULL would scan again under ACCESS EXCLUSIVE: the validated CHECK stands in for it.
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;

-- down:
-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.
`,
      ],
    },
  ],
  rewrite(ctx) {
    const sole = soleAlterCommand(ctx, 'AT_SetNotNull');
    if (!sole?.cmd.name) return undefined;
    if (!reports(ctx, 'adding-not-nullable-field')) return undefined;
    const phases = setNotNullPhases({ ...tableName(sole.alter.relation), column: sole.cmd.name, ...ctx.options });
    return place(ctx, 'Set NOT NULL through a validated CHECK', true, phases, 'SET NOT NULL');
  },
});
