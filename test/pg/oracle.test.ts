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
import { modeLabel, NON_VOLATILE_FUNCTIONS, statementEffect, type LockMode } from '../../server/src/analysis/locks';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { traceConcurrently, traceStatement, type TraceResult } from '../../server/src/engines/trace';
import { CASES, CATALOG_SQL, catalogFromRows, compare, sorted, type CatalogRow, type RelInfo } from './fixtures/oracle-statements';

const PG_VERSION = 15;

async function loadCatalog(client: Client): Promise<Map<string, RelInfo>> {
  return catalogFromRows((await client.query<CatalogRow>(CATALOG_SQL)).rows);
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
