/** ADD UNIQUE / PRIMARY KEY → CREATE UNIQUE INDEX CONCURRENTLY (no transaction), then ADD CONSTRAINT … USING INDEX. */
import type { Constraint } from '@pgsql/types';
import { as, strings } from '../ast';
import { place, soleAlterCommand, reports, tableName } from './helpers';
import { addUniquePhases } from './phases';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'add-unique-using-index',
  title: 'Build the index concurrently, then add the constraint',
  description: 'Builds the unique index with CREATE UNIQUE INDEX CONCURRENTLY outside a transaction, then attaches it with ADD CONSTRAINT … USING INDEX, which only changes the catalog.',
  appliesTo: ['disallowed-unique-constraint', 'adding-serial-primary-key-field'],
  examples: [
    {
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      before: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      phases: [
        `-- [expand] create_index_users_email_key (no transaction)
-- Migration 1 of 2: builds the unique index \`users_email_key\` without blocking reads or writes; outside a transaction.
DROP INDEX CONCURRENTLY IF EXISTS users_email_key;
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_email_key;
`,
        `-- [expand] add_users_email_key
-- Migration 2 of 2: turns the index into the UNIQUE constraint \`users_email_key\` (catalog only, a brief lock).
SET lock_timeout = '5s';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- down:
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;
`,
      ],
    },
    {
      name: 'in a transaction: the index build moves to a new migration',
      schema: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      before: 'ALTER TABLE users ADD UNIQUE (email);',
      options: { assumeInTransaction: true },
      phases: [
        `-- [standalone] moved
-- Deploy 1: this migration.
-- ADD UNIQUE moved to the next migration: it cannot run inside a transaction block.
`,
        `-- [expand] create_index_users_email_key (no transaction)
-- Migration 1 of 2: builds the unique index \`users_email_key\` without blocking reads or writes; outside a transaction.
DROP INDEX CONCURRENTLY IF EXISTS users_email_key;
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);

-- down:
DROP INDEX CONCURRENTLY IF EXISTS users_email_key;
`,
        `-- [expand] add_users_email_key
-- Migration 2 of 2: turns the index into the UNIQUE constraint \`users_email_key\` (catalog only, a brief lock).
SET lock_timeout = '5s';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- down:
SET lock_timeout = '5s';
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;
`,
      ],
    },
  ],
  rewrite(ctx) {
    const sole = soleAlterCommand(ctx, 'AT_AddConstraint');
    if (!sole) return undefined;
    const { alter, cmd } = sole;
    const con = as<Constraint>(cmd.def, 'Constraint');
    const primaryKey = con?.contype === 'CONSTR_PRIMARY';
    if (!con || (con.contype !== 'CONSTR_UNIQUE' && !primaryKey) || con.indexname) return undefined;
    // Only plain column lists: INCLUDE, WITH (…), USING INDEX TABLESPACE, NULLS NOT DISTINCT and DEFERRABLE are not carried over.
    if (con.including?.length || con.options?.length || con.indexspace || con.nulls_not_distinct || con.deferrable) return undefined;
    const columns = strings(con.keys);
    if (columns.length === 0 || !reports(ctx, 'disallowed-unique-constraint', 'adding-serial-primary-key-field')) return undefined;
    const t = tableName(alter.relation);
    const table = ctx.catalog.table(alter.relation);
    // A primary key on columns not known to be NOT NULL makes ADD CONSTRAINT … USING INDEX scan for NULLs.
    const safe = !primaryKey || columns.every((c) => table?.columns.get(c)?.notNull);
    const phases = addUniquePhases({ ...t, columns, name: con.conname, primaryKey, ...ctx.options });
    return place(ctx, 'Build the index concurrently, then add the constraint', safe && !ctx.facts.inTransaction, phases, primaryKey ? 'ADD PRIMARY KEY' : 'ADD UNIQUE');
  },
});
