// THE ORACLE: every lock, rewrite and scan the lock model (server/src/analysis/locks.ts) reports is checked here by
// running the statement on a real PostgreSQL (a throwaway cluster, see server/src/engines/localCluster.ts) against the
// fixture schema test/pg/fixtures/oracle-schema.sql, and reading what it really did with the tracer
// (server/src/engines/trace.ts). Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh; or MG_PG_BIN).
// The model is asked for PostgreSQL 15 (what CI runs); version differences are documented in locks.ts and, where a
// statement's behaviour differs on another version, in the case's `pgOnly`.
//
// How each statement runs
//  - Transactional statements run with traceStatement: BEGIN; statement; inspect; ROLLBACK. The fixture is never
//    changed, so every statement sees the same schema and rows.
//  - Statements the model flags `nonTransactional` are first run with traceStatement and must fail with SQLSTATE 25001
//    (this proves the flag), then run for real with traceConcurrently (committed; a second session stops them at each
//    lock wait and reads their locks). Their `cleanup` SQL undoes the change, and a schema fingerprint proves the
//    fixture is back. Their scans are measured from the shared statistics counters (pg_stat_force_next_flush, 15+).
//  - Every statement must succeed. Each case is its own `it`, named by its SQL.
//
// How pg_locks maps to the model (LOCKS)
//  - Only relation locks count; per relation, the STRONGEST mode PostgreSQL held is compared with the model's mode.
//    Weaker extra modes on the same relation (the ACCESS SHARE of a validation query under an ALTER's lock, the ROW
//    SHARE of the FK check) are implied by the stronger one and ignored.
//  - Compared relations: every pre-existing table, partitioned table, partition, view, materialized view, sequence and
//    foreign table PostgreSQL locked, plus any index the model names (DROP INDEX, REINDEX INDEX, ALTER INDEX). Locks on
//    indexes the model does not name (an ALTER's lock on the table's indexes, a query's locks on the indexes it may
//    use) are ignored. Relations the statement itself created (the new index of CREATE INDEX, the sequence of a serial
//    column, the index an ALTER COLUMN TYPE rebuilds under a new OID) are ignored.
//  - `unreported.locks`: relations PostgreSQL locks that the model cannot know from the statement alone (the table of
//    an index, partitions, a view's base tables, the other side of a foreign key, objects dropped by CASCADE). Each is
//    asserted: PostgreSQL's strongest mode on it is exactly the one listed, and the model does not report it.
//  - `deadIndex`: DROP INDEX CONCURRENTLY and REINDEX … CONCURRENTLY finally take ACCESS EXCLUSIVE on the old index
//    after it is dead (index.c index_drop and ReindexRelationConcurrently: the index was marked not live, then every
//    transaction that could see it was waited out, so no other session can hold or request a lock on it). The tracer
//    may or may not catch that last lock (it comes after the last wait); when it does, it is left out of the
//    comparison. The model does not report it: it blocks nobody. The index's earlier lock (SHARE UPDATE EXCLUSIVE,
//    held while the index is visible) is compared as usual.
//  - `hold`: a non-transactional statement is only observed while it waits, and a statement that takes its locks one
//    transaction at a time (VACUUM of a partitioned table: one partition after the other) may take and release one
//    between two observations. A third session then holds a lock on that relation (and the tracer's second session
//    leaves it alone), so the statement must wait for it in view of the tracer; once it is seen waiting, the third
//    session lets go.
//
// REWRITES (relfilenode changed)
//  - A model entry for a table T is satisfied when T or any of T's indexes got a new relfilenode (a table rewrite
//    rebuilds its indexes; REINDEX TABLE rebuilds only the indexes). An entry for an index is satisfied by that index.
//    An entry for a partitioned table requires every one of its leaf partitions to be satisfied (it has no storage).
//    A sequence entry (ALTER SEQUENCE) requires the sequence's relfilenode to change.
//  - Every observed rewrite must be explained by a model entry in that sense, or be listed in `unreported.rewrites`.
//  - `overstated.rewrites`: the model reports a rewrite that PostgreSQL skips for this fixture, because the model
//    cannot see the deciding state (the old column type, the current tablespace or persistence). Asserted absent.
//
// SCANS (the table's own sequential or index scan counters moved)
//  - Every model scan must be observed (for a partitioned table: on every leaf partition).
//  - Every observed scan must be a model scan, or be read by a rewrite (model or unreported: a rewrite or an index
//    rebuild reads the table), or be listed in `unreported.scans`. Exception: for statements that execute a query
//    (SELECT, INSERT/UPDATE/DELETE/MERGE, CREATE TABLE AS, REFRESH MATERIALIZED VIEW, EXPLAIN, COPY, DO) which
//    relations the plan reads, and how, is the planner's business: the model lists no query reads, and only the
//    first direction is checked.
//  - `overstated.scans`: scans the model reports that PostgreSQL skips here (a valid CHECK proves NOT NULL or the
//    partition bound, the constraint is already valid). Asserted absent.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { initParser, parseFile } from '../../server/src/analysis/parse';
import { modeLabel, NON_VOLATILE_FUNCTIONS, statementEffect, strength, type LockMode, type StatementEffect } from '../../server/src/analysis/locks';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { traceConcurrently, traceStatement, type TraceResult } from '../../server/src/engines/trace';

const PG_VERSION = 15;

interface Case {
  sql: string;
  note?: string;
  /** What PostgreSQL does that the model cannot see (asserted to happen). Relation names as in pg_class (schema-qualified outside public). */
  unreported?: { locks?: Record<string, LockMode>; rewrites?: string[]; scans?: string[]; why: string };
  /** What the model reports that PostgreSQL skips for this fixture (asserted not to happen). */
  overstated?: { rewrites?: string[]; scans?: string[]; why: string };
  /** Session settings before the statement (RESET ALL after). */
  session?: string;
  /** Non-transactional statements: SQL that restores the fixture after the statement committed. */
  cleanup?: string;
  /** Index locked ACCESS EXCLUSIVE after it is dead (see the header). */
  deadIndex?: string;
  /** Non-transactional statements: a relation a third session holds in `mode` until the statement waits for it (see the header). */
  hold?: { relation: string; mode: LockMode };
  /** How other PostgreSQL versions differ for this statement (not observable on 15). */
  pgOnly?: string;
}

const PARTITIONS_AE = { events_2024: 'AccessExclusiveLock', events_2025: 'AccessExclusiveLock' } as const;
const WHY_PARTITIONS = 'the partitions of a partitioned table are in the catalog, not in the statement';
const WHY_FK_OTHER = 'which tables a foreign key links is in the catalog, not in the statement';
const WHY_OLD_TYPE = 'whether the new type can reuse the data depends on the old column type, which is in the catalog';

const CASES: Case[] = [
  // ---------------------------------------------------------------- ALTER TABLE … ADD COLUMN
  { sql: 'ALTER TABLE users ADD COLUMN nickname text' },
  { sql: 'ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true', note: 'constant default', pgOnly: 'before 11 any non-NULL default rewrites the table' },
  { sql: 'ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now()', note: 'stable default: evaluated once', pgOnly: 'before 11: rewrite' },
  { sql: 'ALTER TABLE users ADD COLUMN joined date DEFAULT CURRENT_DATE' },
  { sql: "ALTER TABLE users ADD COLUMN prefs jsonb DEFAULT '{}'" },
  { sql: "ALTER TABLE users ADD COLUMN pad text DEFAULT repeat('x', 10)", note: 'immutable function call' },
  { sql: 'ALTER TABLE users ADD COLUMN maybe int DEFAULT NULL', note: 'DEFAULT NULL stores no default: no rewrite on any version' },
  { sql: 'ALTER TABLE users ADD COLUMN r double precision DEFAULT random()', note: 'volatile default: rewrite' },
  { sql: 'ALTER TABLE users ADD COLUMN uid uuid DEFAULT gen_random_uuid()' },
  { sql: 'ALTER TABLE users ADD COLUMN t timestamptz DEFAULT clock_timestamp()' },
  { sql: "ALTER TABLE users ADD COLUMN inv bigint DEFAULT nextval('invoice_seq')", note: 'the sequence is used for every row' },
  { sql: 'ALTER TABLE users ADD COLUMN seq serial' },
  { sql: 'ALTER TABLE users ADD COLUMN big bigserial' },
  { sql: 'ALTER TABLE users ADD COLUMN ident bigint GENERATED ALWAYS AS IDENTITY' },
  { sql: 'ALTER TABLE users ADD COLUMN lower_email text GENERATED ALWAYS AS (lower(email)) STORED', pgOnly: '18+: a VIRTUAL generated column (the default kind from 18) does not rewrite' },
  { sql: "ALTER TABLE users ADD COLUMN st status DEFAULT 'new'", note: 'enum constant' },
  {
    sql: 'ALTER TABLE users ADD COLUMN qty posint',
    unreported: { rewrites: ['users'], why: 'posint is a domain with a CHECK: the catalog says so, the statement does not' },
  },
  { sql: 'ALTER TABLE empty_t ADD COLUMN x int NOT NULL', note: 'NOT NULL without a default checks every row' },
  { sql: 'ALTER TABLE users ADD COLUMN n int UNIQUE', note: 'builds an index' },
  { sql: 'ALTER TABLE users ADD COLUMN n int CHECK (n > 0)' },
  { sql: 'ALTER TABLE orders ADD COLUMN approver_id bigint REFERENCES users (id)', note: 'a new column without a default is all NULL: the FK is not validated' },
  { sql: 'ALTER TABLE orders ADD COLUMN approver_id bigint DEFAULT 1 REFERENCES users (id)', note: 'with a default the FK is validated' },
  { sql: 'ALTER TABLE app.settings ADD COLUMN note text' },
  { sql: 'ALTER TABLE ONLY users ADD COLUMN nickname text' },
  { sql: 'ALTER TABLE IF EXISTS users ADD COLUMN nickname text' },
  { sql: 'ALTER TABLE events ADD COLUMN extra text', unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS } },
  // ---------------------------------------------------------------- DROP COLUMN, defaults, NOT NULL
  { sql: 'ALTER TABLE users DROP COLUMN name', note: 'drops users_name_idx too (index lock not compared)' },
  { sql: 'ALTER TABLE user_tokens DROP COLUMN user_id', unreported: { locks: { users: 'AccessExclusiveLock' }, why: `dropping the FK column drops the key's triggers on users; ${WHY_FK_OTHER}` } },
  { sql: "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'" },
  { sql: 'ALTER TABLE users ALTER COLUMN created_at DROP DEFAULT' },
  { sql: "ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('invoice_seq')", note: 'a default is not evaluated: no lock on the sequence' },
  { sql: 'ALTER TABLE users ALTER COLUMN created_at SET DEFAULT clock_timestamp()' },
  { sql: 'ALTER TABLE users ALTER COLUMN name SET NOT NULL', pgOnly: 'same scan on every version' },
  {
    sql: 'ALTER TABLE kinds ALTER COLUMN nn SET NOT NULL',
    overstated: { scans: ['kinds'], why: 'the valid CHECK (nn IS NOT NULL) proves it (12+), which only the catalog shows' },
    pgOnly: 'before 12 the CHECK does not help: the table is scanned',
  },
  { sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL', overstated: { scans: ['users'], why: 'email is already NOT NULL: nothing to do' } },
  { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL' },
  { sql: 'ALTER TABLE events ALTER COLUMN payload SET NOT NULL', unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS } },
  // ---------------------------------------------------------------- ALTER COLUMN TYPE
  { sql: 'ALTER TABLE kinds ALTER COLUMN v TYPE varchar(40)', note: 'varchar(20) → varchar(40): binary coercible, no rewrite, no scan' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN v TYPE text', note: 'varchar → text' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN t TYPE varchar', note: 'text → unbounded varchar' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN v TYPE varchar(20)', note: 'same type' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN t TYPE varchar(50)', note: 'text → varchar(n) checks every length', unreported: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN v TYPE varchar(10)', note: 'shrinking a varchar', unreported: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN c TYPE text', note: 'char(n) → text strips the padding', unreported: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN i TYPE text', note: 'int → text', unreported: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE orders ALTER COLUMN status TYPE text', note: 'enum → text', unreported: { rewrites: ['orders'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN t TYPE text COLLATE "C"', note: 'a new collation rebuilds the indexes on the column, not the table', unreported: { rewrites: ['kinds_t_key_idx'], why: 'the index on the column is in the catalog' } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN n TYPE numeric(12, 2)', note: 'numeric(10,2) → numeric(12,2)', overstated: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN n TYPE numeric', note: 'numeric(10,2) → numeric', overstated: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN n TYPE numeric(12, 4)', note: 'a new scale rewrites' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN i TYPE bigint', note: 'int → bigint' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN i TYPE int', note: 'same type', overstated: { rewrites: ['kinds'], why: WHY_OLD_TYPE } },
  { sql: 'ALTER TABLE kinds ALTER COLUMN v TYPE int USING length(v)' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN c TYPE char(10)' },
  {
    sql: 'ALTER TABLE kinds ALTER COLUMN ts TYPE timestamptz',
    session: "SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE",
    note: 'timestamp → timestamptz outside UTC',
  },
  {
    sql: 'ALTER TABLE kinds ALTER COLUMN ts TYPE timestamptz',
    session: "SET TimeZone = 'UTC'",
    note: 'timestamp → timestamptz in UTC',
    overstated: { rewrites: ['kinds'], why: 'the old type and the session time zone decide (12+)' },
    pgOnly: 'before 12 this always rewrites',
  },
  {
    sql: 'ALTER TABLE teams ALTER COLUMN id TYPE bigint',
    note: 'the FK from members is dropped, re-created and checked again',
    unreported: { locks: { members: 'AccessExclusiveLock' }, scans: ['members'], why: WHY_FK_OTHER },
  },
  {
    sql: 'ALTER TABLE members ALTER COLUMN team_id TYPE bigint',
    unreported: { locks: { teams: 'AccessExclusiveLock' }, scans: ['teams'], why: WHY_FK_OTHER },
  },
  // ---------------------------------------------------------------- constraints
  { sql: 'ALTER TABLE users ADD CONSTRAINT users_id_pos CHECK (id > 0)' },
  { sql: 'ALTER TABLE users ADD CONSTRAINT users_id_pos CHECK (id > 0) NOT VALID' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id)', note: 'both tables are read' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID' },
  { sql: 'ALTER TABLE members ADD CONSTRAINT members_team_fk3 FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE' },
  { sql: 'ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name)' },
  { sql: 'ALTER TABLE log_child ADD PRIMARY KEY (id)' },
  { sql: 'ALTER TABLE audit ADD CONSTRAINT audit_what_uniq UNIQUE USING INDEX audit_what_key', note: 'reuses a built index: no scan' },
  { sql: 'ALTER TABLE audit ADD CONSTRAINT audit_no_overlap EXCLUDE USING gist (during WITH &&)' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_pos CHECK (id > 0)', unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS } },
  { sql: 'ALTER TABLE kinds VALIDATE CONSTRAINT kinds_p_pos' },
  {
    sql: 'ALTER TABLE members VALIDATE CONSTRAINT members_team_nv',
    note: 'validating a foreign key',
    unreported: { locks: { teams: 'RowShareLock' }, scans: ['teams'], why: `${WHY_FK_OTHER} (the constraint is named, not described)` },
  },
  { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk', overstated: { scans: ['orders'], why: 'the constraint is already valid: nothing is checked' } },
  { sql: 'ALTER TABLE kinds DROP CONSTRAINT kinds_nn_check' },
  { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_user_fk', note: 'dropping a FK locks the referenced table too', unreported: { locks: { users: 'AccessExclusiveLock' }, why: WHY_FK_OTHER } },
  { sql: 'ALTER TABLE users DROP CONSTRAINT users_email_key' },
  {
    sql: 'ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE',
    unreported: { locks: { orders: 'AccessExclusiveLock', user_tokens: 'AccessExclusiveLock' }, why: `CASCADE drops the FKs referencing the key; ${WHY_FK_OTHER}` },
  },
  { sql: 'ALTER TABLE orders ALTER CONSTRAINT orders_user_fk DEFERRABLE' },
  // ---------------------------------------------------------------- renames
  { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name' },
  { sql: 'ALTER TABLE audit RENAME TO audit_log' },
  { sql: 'ALTER TABLE kinds RENAME CONSTRAINT kinds_p_pos TO kinds_p_positive' },
  { sql: 'ALTER TABLE users RENAME CONSTRAINT users_email_key TO users_email_uniq', note: 'renames the index too' },
  // ---------------------------------------------------------------- column and table options
  { sql: 'ALTER TABLE users ALTER COLUMN name SET STATISTICS 500' },
  { sql: 'ALTER TABLE users ALTER COLUMN name SET (n_distinct = 100)' },
  { sql: 'ALTER TABLE users ALTER COLUMN name RESET (n_distinct)' },
  { sql: 'ALTER TABLE users ALTER COLUMN name SET STORAGE EXTERNAL' },
  { sql: 'ALTER TABLE users ALTER COLUMN name SET COMPRESSION pglz', pgOnly: '14+' },
  { sql: 'ALTER TABLE users SET (fillfactor = 70)' },
  { sql: 'ALTER TABLE users SET (autovacuum_enabled = false)' },
  { sql: 'ALTER TABLE users RESET (fillfactor)' },
  { sql: 'ALTER TABLE users SET (parallel_workers = 2)' },
  { sql: 'ALTER TABLE users SET (toast.autovacuum_enabled = false)' },
  { sql: 'ALTER TABLE users SET (toast_tuple_target = 256)' },
  { sql: 'ALTER TABLE users SET (vacuum_truncate = false)' },
  { sql: 'ALTER TABLE users SET (log_autovacuum_min_duration = 0)' },
  { sql: 'ALTER TABLE users SET (user_catalog_table = true)' },
  { sql: 'ALTER TABLE users SET (fillfactor = 70, user_catalog_table = true)', note: 'the strongest option wins' },
  { sql: 'ALTER TABLE audit SET UNLOGGED' },
  { sql: 'ALTER TABLE scratch SET LOGGED', note: 'scratch is unlogged' },
  { sql: 'ALTER TABLE audit SET LOGGED', overstated: { rewrites: ['audit'], why: 'audit is already logged (the catalog says so)' } },
  { sql: 'ALTER TABLE audit SET TABLESPACE mg_space' },
  { sql: 'ALTER TABLE audit SET TABLESPACE pg_default', overstated: { rewrites: ['audit'], why: 'audit is already in pg_default' } },
  {
    sql: 'ALTER TABLE users SET ACCESS METHOD heap',
    overstated: { rewrites: ['users'], why: 'users already uses heap (core PostgreSQL has no other table access method to switch to)' },
    pgOnly: '15+',
  },
  { sql: 'ALTER TABLE users CLUSTER ON users_pkey' },
  { sql: 'ALTER TABLE users SET WITHOUT CLUSTER' },
  { sql: 'ALTER TABLE users REPLICA IDENTITY FULL' },
  { sql: 'ALTER TABLE users REPLICA IDENTITY USING INDEX users_email_key' },
  { sql: 'ALTER TABLE users OWNER TO CURRENT_USER' },
  { sql: 'ALTER TABLE orders SET SCHEMA app' },
  { sql: 'ALTER TABLE log_base DISABLE RULE log_base_keep' },
  // ---------------------------------------------------------------- triggers, row security
  { sql: 'ALTER TABLE orders DISABLE TRIGGER orders_touch' },
  { sql: 'ALTER TABLE orders ENABLE TRIGGER orders_touch' },
  { sql: 'ALTER TABLE orders DISABLE TRIGGER ALL' },
  { sql: 'ALTER TABLE orders DISABLE TRIGGER USER' },
  { sql: 'ALTER TABLE orders ENABLE REPLICA TRIGGER orders_touch' },
  { sql: 'ALTER TABLE orders ENABLE ALWAYS TRIGGER orders_touch' },
  { sql: 'ALTER TABLE users ENABLE ROW LEVEL SECURITY' },
  { sql: 'ALTER TABLE users DISABLE ROW LEVEL SECURITY' },
  { sql: 'ALTER TABLE users FORCE ROW LEVEL SECURITY' },
  // ---------------------------------------------------------------- partitions and inheritance
  { sql: "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", note: 'the partition is read to check the bound', pgOnly: 'before 12 the parent is locked ACCESS EXCLUSIVE' },
  {
    sql: "ALTER TABLE events ATTACH PARTITION events_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
    note: 'a valid CHECK implies the bound',
    overstated: { scans: ['events_2027'], why: 'the CHECK constraint that proves the bound is in the catalog' },
  },
  { sql: "ALTER TABLE events ATTACH PARTITION events_2028 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')", note: 'no matching index: events_at_idx is built on the partition' },
  {
    sql: "ALTER TABLE metrics ATTACH PARTITION metrics_mem FOR VALUES IN ('mem')",
    note: 'the DEFAULT partition is checked too',
    unreported: { locks: { metrics_default: 'AccessExclusiveLock' }, scans: ['metrics_default'], why: WHY_PARTITIONS },
  },
  { sql: 'ALTER TABLE events DETACH PARTITION events_2024' },
  { sql: 'ALTER TABLE metrics DETACH PARTITION metrics_cpu', unreported: { locks: { metrics_default: 'AccessExclusiveLock' }, why: WHY_PARTITIONS } },
  {
    sql: 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY',
    note: 'two transactions: SHARE UPDATE EXCLUSIVE on both, then ACCESS EXCLUSIVE on the partition',
    cleanup:
      "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'); " +
      'ALTER TABLE events_2024 DROP CONSTRAINT events_2024_at_check', // DETACH CONCURRENTLY leaves the bound as a CHECK
    pgOnly: '14+',
  },
  { sql: 'ALTER TABLE log_child INHERIT log_base' },
  { sql: 'ALTER TABLE log_inheritor NO INHERIT log_base', note: 'the parent only gets ACCESS SHARE' },
  {
    sql: 'ALTER INDEX metrics_id_idx ATTACH PARTITION metrics_cpu_id',
    unreported: { locks: { metrics: 'AccessShareLock', metrics_cpu: 'AccessShareLock' }, why: "the indexes' tables are in the catalog (the model says so in a note)" },
  },
  // ---------------------------------------------------------------- several sub-commands
  { sql: 'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int' },
  { sql: 'ALTER TABLE users ADD COLUMN a int DEFAULT random(), ALTER COLUMN name SET NOT NULL', note: 'the NOT NULL check happens during the rewrite' },
  { sql: 'ALTER TABLE orders ADD COLUMN a int, ADD CONSTRAINT orders_fk3 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN p SET STATISTICS 100, ALTER COLUMN i SET STATISTICS 100' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN i SET DEFAULT 1, ALTER COLUMN i SET NOT NULL' },
  { sql: 'ALTER TABLE users SET (fillfactor = 70), ALTER COLUMN name SET NOT NULL' },
  // ---------------------------------------------------------------- identity, generated
  { sql: 'ALTER TABLE users ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY', note: 'no rewrite: existing values stay' },
  { sql: 'ALTER TABLE kinds ALTER COLUMN i DROP EXPRESSION IF EXISTS', pgOnly: '13+' },
  // ---------------------------------------------------------------- CREATE INDEX
  { sql: 'CREATE INDEX ON users (created_at)' },
  { sql: 'CREATE UNIQUE INDEX users_lower_email ON users (lower(email))' },
  { sql: "CREATE INDEX orders_open ON orders (id) WHERE status = 'new'" },
  {
    sql: 'CREATE INDEX events_payload_idx ON events (payload)',
    unreported: { locks: { events_2024: 'ShareLock', events_2025: 'ShareLock' }, why: WHY_PARTITIONS },
  },
  { sql: 'CREATE INDEX ON ONLY events (payload)', note: 'builds nothing' },
  { sql: 'CREATE INDEX ON order_totals (total)', note: 'materialized view' },
  { sql: 'CREATE INDEX CONCURRENTLY users_created_idx ON users (created_at)', cleanup: 'DROP INDEX users_created_idx' },
  { sql: 'CREATE UNIQUE INDEX CONCURRENTLY users_created_uniq ON users (id, created_at)', cleanup: 'DROP INDEX users_created_uniq' },
  // ---------------------------------------------------------------- DROP INDEX, REINDEX, ALTER INDEX
  { sql: 'DROP INDEX users_name_idx', unreported: { locks: { users: 'AccessExclusiveLock' }, why: "the index's table is in the catalog (the model says so in a note)" } },
  {
    sql: 'DROP INDEX events_at_idx',
    note: 'a partitioned index',
    unreported: { locks: { events: 'AccessExclusiveLock', ...PARTITIONS_AE }, why: `the index's table is in the catalog; ${WHY_PARTITIONS}` },
  },
  {
    sql: 'DROP INDEX CONCURRENTLY users_name_idx',
    deadIndex: 'users_name_idx',
    cleanup: 'CREATE INDEX users_name_idx ON users (name)',
    unreported: { locks: { users: 'ShareUpdateExclusiveLock' }, why: "the index's table is in the catalog (the model says so in a note)" },
  },
  { sql: 'REINDEX INDEX users_name_idx', unreported: { locks: { users: 'ShareLock' }, why: "the index's table is in the catalog (the model says so in a note)" } },
  { sql: 'REINDEX TABLE users', note: 'rebuilds the indexes, not the table' },
  {
    sql: 'REINDEX INDEX CONCURRENTLY users_name_idx',
    deadIndex: 'users_name_idx',
    unreported: { locks: { users: 'ShareUpdateExclusiveLock' }, why: "the index's table is in the catalog (the model says so in a note)" },
    pgOnly: '12+',
  },
  { sql: 'REINDEX TABLE CONCURRENTLY users', pgOnly: '12+' },
  { sql: 'ALTER INDEX users_name_idx RENAME TO users_name_ix', pgOnly: 'before 12: ACCESS EXCLUSIVE' },
  { sql: 'ALTER INDEX users_name_idx SET TABLESPACE mg_space', note: 'the index is copied; the table is not locked' },
  { sql: 'ALTER INDEX users_name_idx SET (fillfactor = 80)' },
  { sql: 'ALTER INDEX users_name_idx RESET (fillfactor)' },
  { sql: 'ALTER INDEX users_name_idx OWNER TO CURRENT_USER' },
  // ---------------------------------------------------------------- triggers, policies, rules, statistics
  { sql: 'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()' },
  { sql: 'CREATE OR REPLACE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()', pgOnly: '14+' },
  { sql: 'CREATE CONSTRAINT TRIGGER users_ct AFTER INSERT ON users DEFERRABLE FOR EACH ROW EXECUTE FUNCTION touch()' },
  { sql: 'DROP TRIGGER orders_touch ON orders' },
  { sql: 'ALTER TRIGGER orders_touch ON orders RENAME TO orders_touched' },
  { sql: 'CREATE POLICY users_read ON users FOR SELECT USING (true)' },
  { sql: 'DROP POLICY users_self ON users' },
  { sql: 'ALTER POLICY users_self ON users USING (id > 1)' },
  { sql: 'ALTER POLICY users_self ON users RENAME TO users_me' },
  { sql: 'CREATE RULE audit_keep AS ON INSERT TO audit DO INSTEAD NOTHING' },
  { sql: 'DROP RULE log_base_keep ON log_base' },
  { sql: 'CREATE STATISTICS users_stats ON name, email FROM users' },
  // ---------------------------------------------------------------- views and materialized views
  { sql: 'CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100', note: 'the query\'s tables get ACCESS SHARE' },
  { sql: 'CREATE VIEW settings_orders AS SELECT o.* FROM orders o JOIN app.settings s ON s.key = o.note' },
  { sql: 'CREATE VIEW v2 AS SELECT * FROM active_users', note: 'a view on a view locks the view, not its tables' },
  { sql: 'CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE id > 1' },
  { sql: 'DROP VIEW active_users' },
  { sql: 'ALTER VIEW active_users RENAME TO live_users' },
  { sql: "ALTER VIEW active_users ALTER COLUMN email SET DEFAULT 'x'" },
  { sql: 'ALTER VIEW active_users SET SCHEMA app' },
  { sql: 'CREATE MATERIALIZED VIEW user_names AS SELECT id, name FROM users' },
  { sql: 'CREATE MATERIALIZED VIEW user_names AS SELECT id, name FROM users WITH NO DATA' },
  {
    sql: 'CREATE MATERIALIZED VIEW event_count AS SELECT count(*) FROM events',
    unreported: { locks: { events_2024: 'AccessShareLock', events_2025: 'AccessShareLock' }, why: WHY_PARTITIONS },
  },
  {
    sql: 'REFRESH MATERIALIZED VIEW order_totals',
    unreported: { locks: { users: 'AccessShareLock', orders: 'AccessShareLock' }, why: "the view's query is in the catalog (the model says so in a note)" },
  },
  {
    sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals',
    note: 'needs the unique index order_totals_user_id',
    unreported: { locks: { users: 'AccessShareLock', orders: 'AccessShareLock' }, why: "the view's query is in the catalog (the model says so in a note)" },
  },
  { sql: 'DROP MATERIALIZED VIEW order_totals' },
  { sql: 'ALTER MATERIALIZED VIEW order_totals RENAME TO totals' },
  // ---------------------------------------------------------------- DROP TABLE, TRUNCATE
  { sql: 'DROP TABLE audit' },
  { sql: 'DROP TABLE kinds, audit' },
  { sql: 'DROP TABLE app.settings' },
  { sql: 'DROP TABLE user_tokens', note: 'a table with a FK to users', unreported: { locks: { users: 'AccessExclusiveLock' }, why: `the FK's triggers on users are dropped; ${WHY_FK_OTHER}` } },
  {
    sql: 'DROP TABLE users CASCADE',
    note: 'referenced by two FKs, a view and a materialized view',
    unreported: {
      locks: { orders: 'AccessExclusiveLock', user_tokens: 'AccessExclusiveLock', active_users: 'AccessExclusiveLock', order_totals: 'AccessExclusiveLock' },
      why: 'the dependent objects CASCADE drops are in the catalog (the model says so in a note)',
    },
  },
  { sql: 'DROP TABLE events', unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS } },
  { sql: 'DROP TABLE events_2024', note: 'dropping a partition locks its parent', unreported: { locks: { events: 'AccessExclusiveLock' }, why: WHY_PARTITIONS } },
  { sql: 'TRUNCATE audit' },
  { sql: 'TRUNCATE ONLY audit' },
  { sql: 'TRUNCATE user_tokens, orders' },
  { sql: 'TRUNCATE audit RESTART IDENTITY' },
  {
    sql: 'TRUNCATE users CASCADE',
    unreported: { locks: { orders: 'AccessExclusiveLock', user_tokens: 'AccessExclusiveLock' }, rewrites: ['orders', 'user_tokens'], why: WHY_FK_OTHER },
  },
  { sql: 'TRUNCATE events', unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS } },
  // ---------------------------------------------------------------- maintenance
  { sql: 'VACUUM audit' },
  { sql: 'VACUUM (ANALYZE) audit' },
  { sql: 'VACUUM FULL audit' },
  {
    sql: 'VACUUM events',
    note: 'each partition in its own transaction',
    hold: { relation: 'events_2025', mode: 'ShareUpdateExclusiveLock' },
    unreported: { locks: { events_2024: 'ShareUpdateExclusiveLock', events_2025: 'ShareUpdateExclusiveLock' }, why: WHY_PARTITIONS },
  },
  {
    sql: 'VACUUM FULL events',
    hold: { relation: 'events_2025', mode: 'AccessShareLock' },
    unreported: { locks: { ...PARTITIONS_AE }, why: WHY_PARTITIONS },
  },
  { sql: 'ANALYZE audit' },
  { sql: 'ANALYZE events', unreported: { locks: { events_2024: 'ShareUpdateExclusiveLock', events_2025: 'ShareUpdateExclusiveLock' }, why: WHY_PARTITIONS } },
  { sql: 'CLUSTER users USING users_pkey' },
  { sql: 'CLUSTER audit USING audit_pkey' },
  // ---------------------------------------------------------------- LOCK TABLE
  { sql: 'LOCK TABLE users IN ACCESS SHARE MODE' },
  { sql: 'LOCK TABLE users IN ROW SHARE MODE' },
  { sql: 'LOCK TABLE users IN ROW EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE users IN SHARE MODE' },
  { sql: 'LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE users IN EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE users', note: 'ACCESS EXCLUSIVE by default' },
  { sql: 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT' },
  { sql: 'LOCK users, orders IN EXCLUSIVE MODE' },
  { sql: 'LOCK TABLE events IN SHARE MODE', unreported: { locks: { events_2024: 'ShareLock', events_2025: 'ShareLock' }, why: WHY_PARTITIONS } },
  { sql: 'LOCK TABLE ONLY events IN SHARE MODE' },
  { sql: 'LOCK TABLE active_users IN SHARE MODE', unreported: { locks: { users: 'ShareLock' }, why: "the view's tables are in the catalog" }, pgOnly: '11+ (LOCK on a view)' },
  // ---------------------------------------------------------------- DML
  { sql: "INSERT INTO audit (id, what) VALUES (1000, 'x')" },
  { sql: 'INSERT INTO orders (id, user_id) VALUES (100000, 1)', note: 'the FK check locks the referenced row', unreported: { locks: { users: 'RowShareLock' }, why: WHY_FK_OTHER } },
  { sql: 'INSERT INTO audit (id, what) SELECT id + 1000, email FROM users' },
  { sql: "INSERT INTO audit (id, what) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET what = excluded.what" },
  { sql: "INSERT INTO events VALUES (1, '2024-02-02', 'x')", unreported: { locks: { events_2024: 'RowExclusiveLock' }, why: WHY_PARTITIONS } },
  { sql: "UPDATE audit SET what = 'y' WHERE id = 1" },
  { sql: "UPDATE orders SET note = 'n' WHERE id = 1", note: 'the key does not change: no FK check' },
  { sql: 'UPDATE audit a SET what = u.email FROM users u WHERE u.id = a.id' },
  {
    sql: "UPDATE events SET payload = 'x' WHERE id = 1",
    unreported: { locks: { events_2024: 'RowExclusiveLock', events_2025: 'RowExclusiveLock' }, why: WHY_PARTITIONS },
  },
  { sql: 'DELETE FROM audit WHERE id = 1' },
  { sql: 'DELETE FROM users WHERE id = 100000', note: 'no row deleted: no FK action' },
  { sql: 'DELETE FROM audit a USING users u WHERE u.id = a.id AND u.id < 10' },
  { sql: 'DELETE FROM orders' },
  { sql: 'MERGE INTO audit a USING users u ON a.id = u.id WHEN MATCHED THEN UPDATE SET what = u.email', pgOnly: '15+' },
  { sql: 'WITH d AS (DELETE FROM audit WHERE id < 5 RETURNING id, what) INSERT INTO log_child SELECT id, what FROM d' },
  // ---------------------------------------------------------------- SELECT, EXPLAIN, COPY
  { sql: 'SELECT * FROM users' },
  { sql: 'SELECT * FROM users WHERE id = 1' },
  { sql: 'SELECT count(*) FROM events', unreported: { locks: { events_2024: 'AccessShareLock', events_2025: 'AccessShareLock' }, why: WHY_PARTITIONS } },
  { sql: 'SELECT * FROM ONLY events' },
  { sql: 'SELECT * FROM active_users', unreported: { locks: { users: 'AccessShareLock' }, why: "the view's tables are in the catalog" } },
  { sql: 'SELECT * FROM order_totals' },
  { sql: 'SELECT * FROM users FOR UPDATE' },
  { sql: 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id FOR SHARE OF u' },
  { sql: 'WITH x AS (SELECT id FROM users) SELECT * FROM x' },
  { sql: 'SELECT * FROM users WHERE id IN (SELECT user_id FROM orders)' },
  { sql: 'SELECT * FROM app.settings' },
  { sql: "SELECT nextval('invoice_seq')" },
  { sql: "SELECT setval('invoice_seq', 10)" },
  { sql: "SELECT nextval('invoice_seq'), currval('invoice_seq')" },
  { sql: 'SELECT 1' },
  { sql: 'EXPLAIN SELECT * FROM users', note: 'planning locks the tables' },
  { sql: 'EXPLAIN (ANALYZE) DELETE FROM audit WHERE id = 1' },
  { sql: 'SELECT id INTO user_ids FROM users' },
  { sql: 'CREATE TABLE user_emails AS SELECT id, email FROM users' },
  { sql: "COPY audit TO '/dev/null'" },
  { sql: "COPY audit FROM '/dev/null'" },
  { sql: "COPY (SELECT * FROM users) TO '/dev/null'" },
  // ---------------------------------------------------------------- COMMENT, GRANT
  { sql: "COMMENT ON TABLE users IS 'people'" },
  { sql: "COMMENT ON COLUMN users.name IS 'the name'" },
  { sql: "COMMENT ON INDEX users_name_idx IS 'x'" },
  { sql: "COMMENT ON VIEW active_users IS 'x'" },
  { sql: "COMMENT ON MATERIALIZED VIEW order_totals IS 'x'" },
  { sql: "COMMENT ON SEQUENCE invoice_seq IS 'x'" },
  { sql: "COMMENT ON COLUMN active_users.email IS 'x'" },
  { sql: "COMMENT ON CONSTRAINT users_email_key ON users IS 'x'" },
  { sql: "COMMENT ON TRIGGER orders_touch ON orders IS 'x'" },
  { sql: "COMMENT ON POLICY users_self ON users IS 'x'" },
  { sql: 'GRANT SELECT ON users TO PUBLIC', note: 'no relation lock' },
  { sql: 'REVOKE SELECT ON users FROM PUBLIC' },
  { sql: 'GRANT SELECT ON ALL TABLES IN SCHEMA app TO PUBLIC' },
  { sql: 'GRANT USAGE ON SEQUENCE invoice_seq TO PUBLIC' },
  // ---------------------------------------------------------------- CREATE TABLE
  { sql: 'CREATE TABLE t_new (id int)' },
  { sql: 'CREATE TABLE payments (id int PRIMARY KEY, order_id bigint REFERENCES orders (id))', note: 'a new table with a FK: no validation scan' },
  { sql: 'CREATE TABLE payments (id int PRIMARY KEY, order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id))' },
  { sql: 'CREATE TABLE t_new (id serial PRIMARY KEY, u bigint REFERENCES users, CONSTRAINT t_new_pos CHECK (id > 0))' },
  { sql: "CREATE TABLE t_new (id int DEFAULT nextval('invoice_seq'))", note: 'a default is not evaluated' },
  { sql: "CREATE TABLE events_2029 PARTITION OF events FOR VALUES FROM ('2029-01-01') TO ('2030-01-01')" },
  {
    sql: "CREATE TABLE metrics_disk PARTITION OF metrics FOR VALUES IN ('disk')",
    unreported: { locks: { metrics_default: 'AccessExclusiveLock' }, scans: ['metrics_default'], why: WHY_PARTITIONS },
  },
  { sql: "CREATE TABLE events_2030 PARTITION OF events FOR VALUES FROM ('2030-01-01') TO ('2031-01-01') PARTITION BY LIST (payload)" },
  { sql: 'CREATE TABLE log_more () INHERITS (log_base)' },
  { sql: 'CREATE TABLE users_copy (LIKE users INCLUDING ALL)' },
  { sql: 'CREATE TABLE kinds_copy (LIKE kinds)' },
  { sql: 'CREATE TEMP TABLE tmp (id int)' },
  { sql: 'CREATE UNLOGGED TABLE fast (id int)' },
  // ---------------------------------------------------------------- sequences
  { sql: 'ALTER SEQUENCE invoice_seq RESTART WITH 100' },
  { sql: 'ALTER SEQUENCE invoice_seq INCREMENT BY 2' },
  { sql: 'ALTER SEQUENCE invoice_seq AS int' },
  { sql: 'ALTER SEQUENCE invoice_seq START WITH 5' },
  { sql: 'ALTER SEQUENCE invoice_seq CACHE 10' },
  { sql: 'ALTER SEQUENCE invoice_seq NO CYCLE' },
  { sql: 'ALTER SEQUENCE invoice_seq MAXVALUE 1000000' },
  { sql: 'ALTER SEQUENCE invoice_seq OWNED BY users.id', note: 'no new relfilenode' },
  { sql: 'ALTER SEQUENCE invoice_seq RENAME TO inv_seq' },
  { sql: 'ALTER SEQUENCE invoice_seq OWNER TO CURRENT_USER' },
  { sql: 'ALTER SEQUENCE invoice_seq SET SCHEMA app' },
  { sql: 'CREATE SEQUENCE s2' },
  { sql: 'DROP SEQUENCE invoice_seq' },
  // ---------------------------------------------------------------- types and domains
  { sql: "ALTER TYPE status ADD VALUE 'refunded'", pgOnly: 'before 12 ADD VALUE cannot run inside a transaction block (the model flags it nonTransactional there)' },
  { sql: "ALTER TYPE status RENAME VALUE 'new' TO 'fresh'" },
  { sql: "CREATE TYPE mood AS ENUM ('happy')" },
  { sql: 'DROP TYPE doomed_kind' },
  { sql: 'DROP TYPE status CASCADE', unreported: { locks: { orders: 'AccessExclusiveLock' }, why: 'CASCADE drops the columns of that type (the model says so in a note)' } },
  { sql: 'CREATE DOMAIN small_int AS int CHECK (VALUE < 100)' },
  {
    sql: 'ALTER DOMAIN posint ADD CONSTRAINT posint_small CHECK (VALUE < 100000)',
    unreported: { locks: { stock: 'ShareLock' }, scans: ['stock'], why: 'the columns using the domain are in the catalog (the model says so in a note)' },
  },
  { sql: 'ALTER DOMAIN posint ADD CONSTRAINT posint_small CHECK (VALUE < 100000) NOT VALID' },
  {
    sql: 'ALTER DOMAIN posint SET NOT NULL',
    unreported: { locks: { stock: 'ShareLock' }, scans: ['stock'], why: 'the columns using the domain are in the catalog (the model says so in a note)' },
  },
  // ---------------------------------------------------------------- functions, schemas, DO, settings
  {
    sql: "CREATE FUNCTION user_count() RETURNS int LANGUAGE sql AS 'SELECT count(*)::int FROM users'",
    unreported: { locks: { users: 'AccessShareLock' }, why: 'the body of a SQL function is parsed to validate it (check_function_bodies): it is a string to the model' },
  },
  { sql: 'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$' },
  { sql: 'DROP FUNCTION doomed_fn()' },
  { sql: 'DROP FUNCTION touch() CASCADE', unreported: { locks: { orders: 'AccessExclusiveLock' }, why: 'CASCADE drops the trigger using it (the model says so in a note)' } },
  { sql: 'CREATE SCHEMA reporting' },
  { sql: 'DROP SCHEMA empty_schema' },
  { sql: 'DROP SCHEMA app CASCADE', unreported: { locks: { 'app.settings': 'AccessExclusiveLock' }, why: 'the schema\'s tables are in the catalog (the model says so in a note)' } },
  { sql: 'ALTER SCHEMA app RENAME TO application' },
  {
    sql: "DO $$ BEGIN EXECUTE 'ALTER TABLE users ADD COLUMN x int'; END $$",
    note: 'the model reports nothing for DO blocks and says so in a note',
    unreported: { locks: { users: 'AccessExclusiveLock' }, why: 'the code of a DO block is a string to the model' },
  },
  { sql: 'DO $$ BEGIN PERFORM 1; END $$' },
  { sql: "SET lock_timeout = '1s'" },
];

/** Statements that execute a query: which relations the plan reads is not modelled (see the header). */
const QUERY_KINDS = new Set([
  'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt', 'RefreshMatViewStmt', 'ExplainStmt', 'CopyStmt', 'DoStmt',
]);

// ---------------------------------------------------------------------------------------------------------------------
// The fixture's catalog, by relation name (as the tracer names relations: schema-qualified outside public)

interface RelInfo {
  relkind: string;
  /** The table of an index. */
  table?: string;
  /** Partitioned ancestors of a partition, nearest first. */
  ancestors: string[];
  /** Leaf partitions of a partitioned table. */
  leaves: string[];
  /** Indexes of a table. */
  indexes: string[];
}

const CATALOG_SQL = `
WITH rels AS (
  SELECT c.oid, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name, c.relkind::text AS relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)' AND c.relkind NOT IN ('t', 'c')
)
SELECT r.name, r.relkind,
       (SELECT t.name FROM pg_index i JOIN rels t ON t.oid = i.indrelid WHERE i.indexrelid = r.oid) AS tbl,
       COALESCE((SELECT array_agg(a.name ORDER BY p.level) FROM pg_partition_ancestors(r.oid) WITH ORDINALITY AS p(relid, level)
                   JOIN rels a ON a.oid = p.relid WHERE p.relid <> r.oid AND r.relkind IN ('r', 'p')), '{}') AS ancestors,
       COALESCE((SELECT array_agg(l.name ORDER BY l.name) FROM pg_partition_tree(r.oid) t JOIN rels l ON l.oid = t.relid
                  WHERE t.isleaf AND t.relid <> r.oid AND r.relkind = 'p'), '{}') AS leaves,
       COALESCE((SELECT array_agg(x.name ORDER BY x.name) FROM pg_index i JOIN rels x ON x.oid = i.indexrelid WHERE i.indrelid = r.oid), '{}') AS indexes
  FROM rels r`;

async function loadCatalog(client: Client): Promise<Map<string, RelInfo>> {
  const r = await client.query<{ name: string; relkind: string; tbl: string | null; ancestors: string[]; leaves: string[]; indexes: string[] }>(CATALOG_SQL);
  return new Map(r.rows.map((x) => [x.name, { relkind: x.relkind, table: x.tbl ?? undefined, ancestors: x.ancestors, leaves: x.leaves, indexes: x.indexes }]));
}

/** Everything a committed statement could leave behind, minus physical identity (OIDs, relfilenodes). */
const FINGERPRINT_SQL = `
SELECT string_agg(x, E'\\n' ORDER BY x) AS f FROM (
  SELECT format('rel %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence) AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
  UNION ALL SELECT format('index %s on %s valid=%s ready=%s live=%s', indexrelid::regclass, indrelid::regclass, indisvalid, indisready, indislive)
    FROM pg_index WHERE indrelid >= 16384
  UNION ALL SELECT format('inherits %s %s', inhrelid::regclass, inhparent::regclass) FROM pg_inherits
  UNION ALL SELECT format('constraint %s %s %s', conrelid::regclass, conname, convalidated) FROM pg_constraint WHERE conrelid >= 16384
) s`;

// ---------------------------------------------------------------------------------------------------------------------
// Running statements

/** Per table: its own scan counter plus its indexes', from the shared statistics (flushed by the backends). */
const SCAN_COUNTERS_SQL = `
SELECT CASE WHEN n.nspname = 'public' THEN t.relname ELSE n.nspname || '.' || t.relname END AS name,
       (pg_stat_get_numscans(t.oid) + COALESCE((SELECT sum(pg_stat_get_numscans(i.indexrelid)) FROM pg_index i WHERE i.indrelid = t.oid), 0))::int8::text AS scans
  FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'`;

async function scanCounters(reader: Client): Promise<Map<string, number>> {
  await reader.query('SELECT pg_stat_clear_snapshot()');
  const r = await reader.query<{ name: string; scans: string }>(SCAN_COUNTERS_SQL);
  return new Map(r.rows.map((x) => [x.name, Number(x.scans)]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `hold` (see the header): a third session locks the relation before the statement starts (and the tracer's second
 * session leaves it alone), so that the statement must wait for it where the tracer records the awaited lock; once
 * the statement is seen waiting, and the tracer had time to record it, the third session lets go.
 */
async function holdRelation(holder: Client, relation: string, mode: LockMode): Promise<string> {
  const oid = (await holder.query<{ oid: string }>('SELECT $1::regclass::oid::text AS oid', [relation])).rows[0].oid;
  await holder.query(`BEGIN; LOCK TABLE ONLY ${relation} IN ${modeLabel(mode)} MODE`);
  return oid;
}

async function releaseWhenAwaited(holder: Client, oid: string, pidA: number, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  try {
    while (Date.now() < deadline) {
      const w = await holder.query<{ awaiting: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'relation' AND relation = $2::oid AND NOT granted) AS awaiting",
        [pidA, oid],
      );
      if (w.rows[0].awaiting) {
        await sleep(300); // the tracer polls continuously: let it record the awaited lock
        return true;
      }
      await sleep(2);
    }
    return false;
  } finally {
    await holder.query('COMMIT');
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Comparison

const normal = (name: string) => (name.startsWith('public.') ? name.slice('public.'.length) : name);
const sorted = <T>(xs: Iterable<T>) => [...xs].sort();

function strongestOf(modes: string[]): string | undefined {
  return [...modes].sort((x, y) => strength(y as LockMode) - strength(x as LockMode))[0];
}

function compare(c: Case, effect: StatementEffect, kind: string, trace: TraceResult, catalog: Map<string, RelInfo>): void {
  const info = (n: string) => catalog.get(n);
  const isIndex = (n: string) => ['i', 'I'].includes(info(n)?.relkind ?? '');

  // ---- locks
  const modelLocks = new Map(effect.locks.map((l) => [normal(l.key), l.mode as string]));
  let rows = trace.locks.filter((l) => !l.created && !l.relation.startsWith('pg_temp.'));
  if (c.deadIndex) rows = rows.filter((l) => !(l.relation === c.deadIndex && l.mode === 'AccessExclusiveLock'));
  for (const [rel, mode] of Object.entries(c.unreported?.locks ?? {})) {
    const actual = strongestOf(rows.filter((l) => l.relation === rel).map((l) => l.mode));
    assert.equal(actual, mode, `unreported lock on ${rel}: PostgreSQL's strongest mode is ${actual ?? 'none'}`);
    assert.ok(!modelLocks.has(rel), `${rel} is listed as unreported but the model reports it`);
    rows = rows.filter((l) => l.relation !== rel);
  }
  rows = rows.filter((l) => modelLocks.has(l.relation) || !isIndex(l.relation));
  const observedLocks = new Map<string, string>();
  for (const rel of new Set(rows.map((l) => l.relation))) observedLocks.set(rel, strongestOf(rows.filter((l) => l.relation === rel).map((l) => l.mode))!);
  assert.deepEqual(
    Object.fromEntries(sorted(modelLocks.entries())),
    Object.fromEntries(sorted(observedLocks.entries())),
    `locks: model (actual) vs PostgreSQL (expected); all traced: ${JSON.stringify(trace.locks)}`,
  );

  // ---- rewrites
  const rewritten = new Set(trace.rewritten);
  const modelRewrites = new Set(effect.rewrites.map(normal));
  const unreportedRewrites = new Set(c.unreported?.rewrites ?? []);
  for (const r of unreportedRewrites) assert.ok(rewritten.has(r), `unreported rewrite of ${r} did not happen: ${JSON.stringify(trace.rewritten)}`);
  for (const r of c.overstated?.rewrites ?? []) {
    assert.ok(modelRewrites.has(r), `${r} is listed as overstated but the model does not report its rewrite`);
    modelRewrites.delete(r);
  }
  /** A table (or matview, sequence, index) "is rewritten" when it or one of its indexes got a new relfilenode. */
  const satisfied = (n: string) => rewritten.has(n) || (info(n)?.indexes ?? []).some((i) => rewritten.has(i));
  for (const r of modelRewrites) {
    const leaves = info(r)?.relkind === 'p' ? info(r)!.leaves : [r];
    for (const leaf of leaves) assert.ok(satisfied(leaf), `the model says ${r} is rewritten but ${leaf} kept its files: ${JSON.stringify(trace.rewritten)}`);
  }
  for (const r of c.overstated?.rewrites ?? []) assert.ok(!satisfied(r), `${r} is listed as overstated but PostgreSQL rewrote it`);
  const explains = (n: string): boolean => {
    const owner = isIndex(n) ? (info(n)?.table ?? n) : n;
    const candidates = [n, owner, ...(info(owner)?.ancestors ?? [])];
    return candidates.some((x) => modelRewrites.has(x) || unreportedRewrites.has(x));
  };
  for (const n of rewritten) assert.ok(explains(n), `PostgreSQL rewrote ${n}, the model does not say so (model: ${JSON.stringify(effect.rewrites)})`);

  // ---- scans
  const scanned = new Set(trace.scanned);
  const modelScans = new Set(effect.scans.map(normal));
  const unreportedScans = new Set(c.unreported?.scans ?? []);
  for (const s of unreportedScans) assert.ok(scanned.has(s), `unreported scan of ${s} did not happen: ${JSON.stringify(trace.scanned)}`);
  for (const s of c.overstated?.scans ?? []) {
    assert.ok(modelScans.has(s), `${s} is listed as overstated but the model does not report a scan`);
    assert.ok(!scanned.has(s), `${s} is listed as overstated but PostgreSQL read it`);
    modelScans.delete(s);
  }
  for (const s of modelScans) {
    const leaves = info(s)?.relkind === 'p' ? info(s)!.leaves : [s];
    for (const leaf of leaves) assert.ok(scanned.has(leaf), `the model says ${s} is read but PostgreSQL did not read ${leaf}: ${JSON.stringify(trace.scanned)}`);
  }
  if (!QUERY_KINDS.has(kind)) {
    /** Tables read by a rewrite: the rewritten tables, the tables of rebuilt indexes, the leaves of a partitioned table. */
    const readByRewrite = new Set<string>();
    for (const r of [...modelRewrites, ...unreportedRewrites]) {
      const owner = isIndex(r) ? (info(r)?.table ?? r) : r;
      readByRewrite.add(owner);
      for (const leaf of info(owner)?.leaves ?? []) readByRewrite.add(leaf);
    }
    for (const s of scanned) {
      const explained = modelScans.has(s) || (info(s)?.ancestors ?? []).some((a) => modelScans.has(a)) || readByRewrite.has(s) || unreportedScans.has(s);
      assert.ok(explained, `PostgreSQL read ${s}, the model does not say so (model scans: ${JSON.stringify(effect.scans)}, rewrites: ${JSON.stringify(effect.rewrites)})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------

describe('lock model oracle (PostgreSQL)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let a: Client; // runs the statements
  let b: Client; // tracer's second session
  let h: Client; // holds dead indexes
  let reader: Client; // reads shared statistics and the catalog
  let pidA = 0;
  let catalog: Map<string, RelInfo>;
  let fingerprint = '';

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
    a = new Client(cluster.connectionConfig());
    b = new Client(cluster.connectionConfig());
    h = new Client(cluster.connectionConfig());
    reader = new Client(cluster.connectionConfig());
    for (const c of [a, b, h, reader]) await c.connect();
    pidA = (await a.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    // A second tablespace (ALTER … SET TABLESPACE): an empty directory owned by the server's account.
    const tsDir = path.join(cluster.socketDir, 'tablespace');
    fs.mkdirSync(tsDir);
    const owner = fs.statSync(cluster.socketDir);
    if (process.getuid?.() === 0) fs.chownSync(tsDir, owner.uid, owner.gid);
    await a.query(`CREATE TABLESPACE mg_space LOCATION '${tsDir}'`);
    await a.query(fs.readFileSync(path.resolve(process.cwd(), 'test/pg/fixtures/oracle-schema.sql'), 'utf8'));
    catalog = await loadCatalog(reader);
    fingerprint = (await reader.query<{ f: string }>(FINGERPRINT_SQL)).rows[0].f;
  });

  after(async () => {
    for (const c of [a, b, h, reader]) await c?.end().catch(() => {});
    await cluster?.stop();
  });

  it(`has a table of at least 150 statements (${CASES.length})`, () => {
    assert.ok(CASES.length >= 150, `${CASES.length} statements`);
  });

  it('runs on the PostgreSQL version the model is asked about', () => {
    assert.equal(Math.floor(cluster.version / 10000), PG_VERSION, `server_version_num ${cluster.version}`);
  });

  it('every function the model treats as non-volatile in defaults is IMMUTABLE or STABLE in pg_proc', async () => {
    const r = await reader.query<{ proname: string; volatile: boolean }>(
      `SELECT proname, bool_or(provolatile = 'v') AS volatile FROM pg_proc
        WHERE pronamespace = 'pg_catalog'::regnamespace AND proname = ANY ($1) GROUP BY proname`,
      [[...NON_VOLATILE_FUNCTIONS]],
    );
    const found = new Map(r.rows.map((x) => [x.proname, x.volatile]));
    for (const f of NON_VOLATILE_FUNCTIONS) {
      assert.ok(found.has(f), `${f} is not a pg_catalog function`);
      assert.equal(found.get(f), false, `${f} has a VOLATILE overload`);
    }
  });

  const titles = new Map<string, number>();
  for (const c of CASES) {
    let title = c.session ? `${c.sql} [${c.session}]` : c.sql;
    const n = titles.get(title) ?? 0;
    titles.set(title, n + 1);
    if (n) title += ` (#${n + 1})`;

    it(title, async function () {
      const file = parseFile(c.sql);
      assert.equal(file.statements.length, 1, 'one statement per case');
      const stmt = file.statements[0];
      assert.ok(stmt.node, `does not parse: ${stmt.error?.message}`);
      const effect = statementEffect(stmt.node, { postgresVersion: PG_VERSION });

      let trace: TraceResult;
      if (effect.nonTransactional) {
        const refused = await traceStatement(a, c.sql);
        assert.equal(refused.errorCode, '25001', `the model says it cannot run in a transaction block, PostgreSQL ran it: ${refused.error ?? 'no error'}`);
        assert.ok(c.cleanup !== undefined || !/^(CREATE|DROP|ALTER)\b/i.test(c.sql) || /^REINDEX/i.test(c.sql), 'a committed DDL statement needs a cleanup');
        await a.query('SELECT pg_stat_force_next_flush()');
        const before = await scanCounters(reader);
        const held = c.hold ? await holdRelation(h, c.hold.relation, c.hold.mode) : undefined;
        const watching = held ? releaseWhenAwaited(h, held, pidA, 60_000) : undefined;
        const tables = c.hold ? [...catalog].filter(([n, r]) => ['r', 'p'].includes(r.relkind) && n !== c.hold!.relation).map(([n]) => n) : undefined;
        trace = await traceConcurrently(a, b, c.sql, { timeoutMs: 90_000, tables });
        if (watching) assert.ok(await watching, `the statement never waited for ${c.hold!.relation}`);
        await a.query('SELECT pg_stat_force_next_flush()');
        const after = await scanCounters(reader);
        trace.scanned = sorted([...after].filter(([name, n]) => before.has(name) && n > before.get(name)!).map(([name]) => name));
        if (c.cleanup) await a.query(c.cleanup);
        const now = (await reader.query<{ f: string }>(FINGERPRINT_SQL)).rows[0].f;
        assert.equal(now, fingerprint, 'the cleanup did not restore the fixture');
        catalog = await loadCatalog(reader);
      } else {
        if (c.session) await a.query(c.session);
        try {
          trace = await traceStatement(a, c.sql);
        } finally {
          if (c.session) await a.query('RESET ALL');
        }
      }
      assert.equal(trace.error, undefined, `PostgreSQL: ${trace.error}`);
      compare(c, effect, stmt.kind, trace, catalog);
    });
  }
});
