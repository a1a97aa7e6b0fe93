// Real lock tracer: runs a migration statement against a (throwaway) PostgreSQL and reports what
// it actually did — the relation locks it took, the relations it rewrote and the tables it read
// in full — instead of what a rule table says it should do.
//
// Three mechanisms, all verified against PostgreSQL 15.18 (see test/pg/engine.test.ts):
//
// 1. Locks — `traceStatement` runs `BEGIN; <sql>; <inspect>; ROLLBACK` on one connection. Locks
//    are held until the end of the transaction, so after the statement `pg_locks` filtered on
//    `pid = pg_backend_pid()` lists every lock it took (fast-path locks included). Our own catalog
//    queries only lock catalog relations (OIDs < 16384 in pg_catalog), which are filtered out by
//    keeping only relations that live in user schemas. Relation OIDs are resolved against a
//    snapshot taken *before* the statement as well, because a dropped relation (DROP TABLE, the
//    old index that ALTER COLUMN TYPE drops and rebuilds) is locked but no longer in pg_class.
//    Observed: CREATE INDEX → ShareLock on the table + AccessExclusiveLock on the new index;
//    ADD COLUMN → AccessExclusiveLock; ADD FOREIGN KEY → ShareRowExclusiveLock on both tables
//    (plus AccessShareLock on both and RowShareLock on the referenced table from the validation
//    query; with NOT VALID the RowShareLock and the scans disappear).
//
// 2. Rewrites — `pg_class.relfilenode` of every user relation is snapshotted before the statement
//    and compared after it, inside the same transaction (the new relfilenode is visible to the
//    transaction that assigned it). A relation is "rewritten" when, under the same OID or the
//    same name, it now has a different relfilenode: a table rewrite (volatile DEFAULT,
//    int→bigint) changes the table's file and rebuilds its indexes (ALTER COLUMN TYPE drops and
//    recreates the indexes on the column, so those come back under a new OID and the same name).
//    Observed: varchar→text and ADD COLUMN with a constant or no default keep the relfilenode.
//    TOAST tables are ignored (they are rewritten together with their table).
//
// 3. Scans — a validation scan (ADD CHECK / FOREIGN KEY without NOT VALID, VALIDATE CONSTRAINT,
//    SET NOT NULL) leaves no trace in pg_locks (it is the same AccessExclusiveLock either way), so
//    it is measured with the backend's per-table statistics counters:
//    `pg_stat_get_xact_numscans(oid)` (what pg_stat_xact_user_tables.seq_scan shows for a table;
//    idx_scan is the sum over its indexes). On PG 15 these read the backend's *pending* counters,
//    which are bumped immediately by heap_beginscan/index scans and are only flushed to shared
//    stats between transactions — so inside one transaction a before/after delta is exact, while
//    the absolute value may include earlier, not-yet-flushed transactions (we never use it).
//    Observed deltas: ADD CHECK +1 seq scan on the table, NOT VALID +0; SET NOT NULL +1 (+0 when
//    a valid CHECK (col IS NOT NULL) already proves it); ADD FOREIGN KEY +1 on the referencing
//    table and scans of the referenced table/its pkey; VALIDATE CONSTRAINT +1. Table rewrites
//    (+1, or +2 with index rebuilds) and CREATE INDEX (+1) read the table too, so they also show
//    up in `scanned`: the caller decides whether a scan is subsumed by a rewrite. Needs
//    track_counts = on (the default; the local cluster sets it explicitly).

/**
 * What the tracer needs from a connection: `pg.Client` is one; the embedded engine adapts PGlite to it. A query
 * without parameters may hold several statements (simple protocol), one with parameters exactly one.
 */
export interface Queryable {
  query<R = any>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
type Client = Queryable;

/** Table-level lock modes, weakest first (PostgreSQL's numbering 1..8). */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** Strength 1..8 of a lock mode (0 for anything unknown). */
export function lockStrength(mode: string): number {
  return LOCK_MODES.indexOf(mode as LockMode) + 1;
}

export interface TracedLock {
  /** Relation name, schema-qualified only when the schema is not `public`. */
  relation: string;
  /** pg_class.relkind: r table, p partitioned table, i index, I partitioned index, S sequence, v view, m matview, f foreign table. */
  relkind: string;
  /** Mode as spelled in pg_locks, e.g. `AccessExclusiveLock`. */
  mode: string;
  /** The relation did not exist before the statement (a lock on it blocks nobody). */
  created?: boolean;
  /** Concurrent traces only: the lock was observed while still being waited for (requested, not yet granted). */
  waiting?: boolean;
}

export interface OtherLock {
  /** pg_locks.locktype other than relation/virtualxid/transactionid, e.g. `object`, `advisory`, `tuple`. */
  locktype: string;
  mode: string;
  /** pg_describe_object(...) when the object still exists. */
  object?: string;
}

export interface TraceResult {
  locks: TracedLock[];
  /** Relations whose relfilenode changed (table rewrites and the index rebuilds that come with them). */
  rewritten: string[];
  /** The same, with each index replaced by its table (see `rewrittenTables`). */
  rewrittenTables?: string[];
  /** Pre-existing tables the statement read (sequential or index scans on it or its indexes). */
  scanned: string[];
  /** Locks on non-relation objects (types, constraints…), for information. */
  otherLocks: OtherLock[];
  /** The statement's error message; locks/rewritten/scanned are then empty. */
  error?: string;
  /** SQLSTATE of `error` (25001 = cannot run inside a transaction block → use traceConcurrently). */
  errorCode?: string;
}

export interface TraceOptions {
  /** statement_timeout for the statement. Default 30 s. */
  timeoutMs?: number;
  /** COMMIT the statement after inspecting it instead of rolling it back (a statement that failed is rolled back). */
  commit?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Catalog snapshots

export interface RelInfo {
  oid: string;
  name: string;
  relkind: string;
  filenode: string;
  /** Table OID an index belongs to (scans on an index count as scans of its table). */
  table?: string;
  scans: number;
}

export type Snapshot = Map<string, RelInfo>; // by OID

const SNAPSHOT_SQL = `
SELECT c.oid::int8::text AS oid, n.nspname, c.relname, c.relkind::text AS relkind,
       c.relfilenode::int8::text AS filenode, i.indrelid::int8::text AS tbl,
       pg_stat_get_xact_numscans(c.oid)::int8::text AS scans
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_index i ON i.indexrelid = c.oid
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_toast'
   AND c.relkind NOT IN ('t', 'c')`;

function displayName(nspname: string, relname: string): string {
  if (nspname === 'public') return relname;
  if (/^pg_temp_\d+$/.test(nspname)) return `pg_temp.${relname}`;
  return `${nspname}.${relname}`;
}

export interface SnapshotRow {
  oid: string;
  nspname: string;
  relname: string;
  relkind: string;
  filenode: string;
  tbl: string | null;
  scans: string;
}

/** All user relations with their relfilenode and this backend's pending scan counters. */
export async function snapshotRelations(client: Client): Promise<Snapshot> {
  return snapshotFromRows((await client.query<SnapshotRow>(SNAPSHOT_SQL)).rows);
}

export function snapshotFromRows(rows: SnapshotRow[]): Snapshot {
  const m: Snapshot = new Map();
  for (const row of rows) {
    m.set(row.oid, {
      oid: row.oid,
      name: displayName(row.nspname, row.relname),
      relkind: row.relkind,
      filenode: row.filenode,
      table: row.tbl ?? undefined,
      scans: Number(row.scans),
    });
  }
  return m;
}

/** Relations present before and after under the same OID or the same name with a different relfilenode. */
export function diffRewrites(before: Snapshot, after: Snapshot): string[] {
  const beforeByName = new Map([...before.values()].map((r) => [r.name, r]));
  const out = new Set<string>();
  for (const a of after.values()) {
    if (a.filenode === '0') continue; // partitioned tables/indexes, views: no storage
    const b = before.get(a.oid) ?? beforeByName.get(a.name);
    if (b && b.filenode !== '0' && b.filenode !== a.filenode) out.add(a.name);
  }
  return [...out].sort();
}

/** The tables (and materialized views, sequences) behind `diffRewrites`: a rewritten index counts for its table. */
export function rewrittenTables(before: Snapshot, after: Snapshot): string[] {
  const byName = new Map([...after.values()].map((r) => [r.name, r]));
  const out = new Set<string>();
  for (const name of diffRewrites(before, after)) {
    const r = byName.get(name);
    const owner = r?.table ? (after.get(r.table) ?? before.get(r.table)) : undefined;
    out.add(owner ? owner.name : name);
  }
  return [...out].sort();
}

/** Pre-existing tables whose own (seq) or index scan counters moved. */
export function diffScans(before: Snapshot, after: Snapshot): string[] {
  const out = new Set<string>();
  for (const a of after.values()) {
    const b = before.get(a.oid);
    if (!b || a.scans <= b.scans) continue;
    const tableOid = a.table ?? a.oid;
    const table = before.get(tableOid);
    if (table) out.add(table.name);
  }
  return [...out].sort();
}

function sortLocks(locks: TracedLock[]): TracedLock[] {
  return locks.sort((x, y) =>
    x.relation === y.relation ? lockStrength(y.mode) - lockStrength(x.mode) : x.relation < y.relation ? -1 : 1,
  );
}

export interface LockRow {
  locktype: string;
  oid: string | null;
  mode: string;
  granted: boolean;
  nspname: string | null;
  relname: string | null;
  relkind: string | null;
  object: string | null;
}

const LOCKS_SQL = `
SELECT l.locktype, l.relation::int8::text AS oid, l.mode, l.granted,
       n.nspname, c.relname, c.relkind::text AS relkind,
       CASE WHEN l.locktype = 'object' AND l.classid IS NOT NULL
            THEN pg_describe_object(l.classid, l.objid, l.objsubid::int) END AS object
  FROM pg_locks l
  LEFT JOIN pg_class c ON c.oid = l.relation
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE l.pid = $1
   AND (l.database IS NULL OR l.database IN (0, (SELECT oid FROM pg_database WHERE datname = current_database())))`;

/**
 * Turns pg_locks rows into traced locks: relation locks on user relations (known from either
 * snapshot, or currently in a user schema), deduplicated; other lock types except the
 * transaction's own virtualxid/transactionid go to `other`.
 */
function collectLocks(
  rows: LockRow[],
  before: Snapshot,
  after: Snapshot | undefined,
  into: Map<string, TracedLock>,
  other: Map<string, OtherLock>,
): void {
  for (const row of rows) {
    if (row.locktype === 'relation' && row.oid) {
      const known = before.get(row.oid) ?? after?.get(row.oid);
      let relation: string;
      let relkind: string;
      if (known) {
        relation = known.name;
        relkind = known.relkind;
      } else if (
        row.relname &&
        row.nspname &&
        row.nspname !== 'pg_catalog' &&
        row.nspname !== 'information_schema' &&
        !row.nspname.startsWith('pg_toast')
      ) {
        relation = displayName(row.nspname, row.relname);
        relkind = row.relkind ?? '';
      } else {
        continue; // catalog relation (our own inspection queries) or a relation we cannot name
      }
      const key = `${relation}\u0000${row.mode}`;
      const prev = into.get(key);
      const lock: TracedLock = { relation, relkind, mode: row.mode };
      if (!before.has(row.oid)) lock.created = true;
      if (!row.granted) lock.waiting = true;
      if (!prev) into.set(key, lock);
      else if (prev.waiting && row.granted) delete prev.waiting;
    } else if (row.locktype !== 'virtualxid' && row.locktype !== 'transactionid' && row.locktype !== 'relation') {
      const o: OtherLock = { locktype: row.locktype, mode: row.mode };
      if (row.object) o.object = row.object;
      other.set(`${o.locktype}\u0000${o.mode}\u0000${o.object ?? ''}`, o);
    }
  }
}

function errorOf(e: unknown): { error: string; errorCode?: string } {
  const err = e as { message?: string; code?: string };
  return { error: err?.message ?? String(e), ...(err?.code ? { errorCode: err.code } : {}) };
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs `sql` inside `BEGIN … ROLLBACK` on `client` and reports the relation locks it holds at
 * the end, the relations it rewrote and the tables it scanned. Nothing is committed. An SQL error
 * in the statement is returned as `error` (never thrown); connection failures still throw.
 * `sql` must not end the transaction itself (COMMIT/ROLLBACK): that is reported as an error.
 */
export async function traceStatement(client: Client, sql: string, opts: TraceOptions = {}): Promise<TraceResult> {
  const timeout = Math.max(1, Math.floor(opts.timeoutMs ?? 30_000));
  await client.query('BEGIN');
  let end = 'ROLLBACK';
  try {
    const tx = await client.query<{ pid: number; xs: string }>(
      'SELECT pg_backend_pid() AS pid, now()::text AS xs',
    );
    const { pid, xs } = tx.rows[0];
    const before = await snapshotRelations(client);
    await client.query(`SET LOCAL statement_timeout = ${timeout}`);
    try {
      await client.query(sql);
    } catch (e) {
      return { locks: [], rewritten: [], scanned: [], otherLocks: [], ...errorOf(e) };
    }
    await client.query('SET LOCAL statement_timeout = 0');
    const still = await client.query<{ xs: string }>('SELECT now()::text AS xs');
    if (still.rows[0].xs !== xs) {
      return {
        locks: [],
        rewritten: [],
        scanned: [],
        otherLocks: [],
        error: 'the statement ended the tracing transaction (COMMIT/ROLLBACK inside the traced SQL)',
      };
    }
    const after = await snapshotRelations(client);
    const { locks, otherLocks } = locksFromRows((await client.query<LockRow>(LOCKS_SQL, [pid])).rows, before, after);
    if (opts.commit) end = 'COMMIT';
    return {
      locks,
      rewritten: diffRewrites(before, after),
      rewrittenTables: rewrittenTables(before, after),
      scanned: diffScans(before, after),
      otherLocks,
    };
  } finally {
    await client.query(end);
  }
}

/**
 * The relation locks (and other locks) in rows of `LOCKS_SQL` the caller read, named against the snapshots taken before
 * (and after) the statement: the building block of tracers that keep a transaction open across statements.
 */
export function locksFromRows(rows: LockRow[], before: Snapshot, after?: Snapshot): { locks: TracedLock[]; otherLocks: OtherLock[] } {
  const locks = new Map<string, TracedLock>();
  const other = new Map<string, OtherLock>();
  collectLocks(rows, before, after, locks, other);
  return { locks: sortLocks([...locks.values()]), otherLocks: [...other.values()] };
}

/**
 * One query returning, as JSON text, the relation snapshot (`rels`: `SnapshotRow`s) and this backend's locks
 * (`locks`: `LockRow`s) plus `extra` named subqueries: tracers that keep one transaction open read everything about a
 * statement in one round trip. Our own catalog reads take no locks on user relations, so reading both in one
 * statement sees the same as reading them one after the other.
 */
export function inspectionSql(extra: Record<string, string> = {}): string {
  const cols = [
    `(SELECT coalesce(json_agg(s), '[]') FROM (${SNAPSHOT_SQL}) s)::text AS rels`,
    `(SELECT coalesce(json_agg(l), '[]') FROM (${LOCKS_SQL.replace('$1', 'pg_backend_pid()')}) l)::text AS locks`,
    ...Object.entries(extra).map(([name, sql]) => `(SELECT coalesce(json_agg(x), '[]') FROM (${sql}) x)::text AS ${name}`),
  ];
  return `SELECT ${cols.join(',\n       ')}`;
}

// ---------------------------------------------------------------------------------------------
// Statements that cannot run in a transaction block

/**
 * Heuristic: statements PostgreSQL refuses inside BEGIN (SQLSTATE 25001), which must be traced
 * with {@link traceConcurrently}. Comments are ignored.
 */
export function cannotRunInTransactionBlock(sql: string): boolean {
  const s = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
  return (
    /^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/.test(s) ||
    /^DROP INDEX CONCURRENTLY\b/.test(s) ||
    /^REINDEX\b.*\bCONCURRENTLY\b/.test(s) ||
    /^ALTER TABLE\b.*\bDETACH PARTITION\b.*\b(CONCURRENTLY|FINALIZE)\b/.test(s) ||
    /^VACUUM\b/.test(s) ||
    /^(CREATE|DROP) (DATABASE|TABLESPACE)\b/.test(s) ||
    /^ALTER SYSTEM\b/.test(s) ||
    /^CREATE SUBSCRIPTION\b/.test(s)
  );
}

export interface ConcurrentTraceOptions {
  /** Tables (as `schema.name` or `name`) session B may block on. Default: every user table. */
  tables?: string[];
  /** Give up (cancel session A) after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface ConcurrentTraceResult extends TraceResult {
  /** How many times session A was caught waiting on session B (each one a guaranteed look at its locks). */
  observations: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Traces a statement that cannot run inside a transaction block (CREATE/DROP INDEX CONCURRENTLY,
 * REINDEX … CONCURRENTLY, DETACH PARTITION … CONCURRENTLY, VACUUM). Session A runs it for real
 * (it is committed); session B makes A stop at well-defined points and reads A's locks from
 * pg_locks (`pid = A`) while it is stopped.
 *
 * How A is stopped. Before A starts, B opens a transaction and takes, on the candidate tables:
 *  - an outer ROW EXCLUSIVE lock on every ordinary (leaf) table (`LOCK TABLE ONLY`), then
 *  - one savepoint per table holding SHARE UPDATE EXCLUSIVE, partitions first and partitioned
 *    parents last (innermost), so that ROLLBACK TO SAVEPOINT can release them one table at a time
 *    (locks taken after a savepoint are released when it is rolled back to).
 * B then polls `pg_locks`/`pg_blocking_pids(A)` continuously. Whenever A is blocked by B it
 * records A's granted *and awaited* locks (the awaited one is the mode A asks for), then unblocks
 * it: if A waits for a relation lock held at a savepoint level, B rolls back to that savepoint;
 * otherwise (A waits for B's whole transaction — the virtualxid wait of WaitForLockers — or for
 * the outer lock) B commits. After that B keeps polling until A finishes (best effort).
 *
 * Observed on PG 15:
 *  - CREATE INDEX CONCURRENTLY: A first waits for ShareUpdateExclusiveLock on the table (ladder),
 *    then — holding it as a session lock — waits in WaitForLockers(ShareLock) on B's virtualxid
 *    because of B's ROW EXCLUSIVE lock: ShareUpdateExclusiveLock on the table is seen both times.
 *  - DROP INDEX CONCURRENTLY: ShareUpdateExclusiveLock on table and index (session locks), then
 *    WaitForLockers(AccessExclusiveLock) on B. Its final AccessExclusiveLock on the (already
 *    dead) index comes after the last wait and is only caught by the best-effort polling.
 *  - REINDEX … CONCURRENTLY: ShareUpdateExclusiveLock on the table, the old and the `_ccnew`
 *    indexes; the index comes back with a new relfilenode under the same name (→ rewritten).
 *  - DETACH PARTITION CONCURRENTLY: parent ShareUpdateExclusiveLock, then the partition's
 *    ShareUpdateExclusiveLock (parent released first by the ladder); after its first commit it
 *    waits for lockers of the parent (B holds none then), and its second transaction asks for
 *    AccessExclusiveLock on the partition, which B's outer ROW EXCLUSIVE lock makes it wait for.
 *
 * `scanned` is always empty here: A's statistics counters live in A's backend. `rewritten` is
 * computed by B from relfilenodes before and after.
 */
export async function traceConcurrently(
  clientA: Client,
  clientB: Client,
  sql: string,
  opts: ConcurrentTraceOptions = {},
): Promise<ConcurrentTraceResult> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const pidA = (await clientA.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const pidB = (await clientB.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const before = await snapshotRelations(clientB);

  // Candidate tables with their partition depth; only those named in opts.tables when given.
  const tablesRes = await clientB.query<{ oid: string; q: string; relkind: string; depth: number; name: string }>(`
    SELECT c.oid::int8::text AS oid, format('%I.%I', n.nspname, c.relname) AS q, c.relkind::text AS relkind,
           (SELECT count(*) FROM pg_partition_ancestors(c.oid))::int AS depth,
           CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_(toast|temp)'
     ORDER BY depth DESC, 2`);
  const wanted = opts.tables?.map((t) => t.replace(/"/g, '').replace(/^public\./, ''));
  const tables = tablesRes.rows.filter((t) => !wanted || wanted.includes(t.name));

  // Ladder levels, outermost first; index i ↔ savepoint mg_i.
  let levels = tables.map((t) => t.oid);
  let bOpen = true;
  await clientB.query('BEGIN');
  try {
    const leaves = tables.filter((t) => t.relkind === 'r').map((t) => `ONLY ${t.q}`);
    if (leaves.length) await clientB.query(`LOCK TABLE ${leaves.join(', ')} IN ROW EXCLUSIVE MODE`);
    if (tables.length) {
      await clientB.query(
        tables.map((t, i) => `SAVEPOINT mg_${i}; LOCK TABLE ONLY ${t.q} IN SHARE UPDATE EXCLUSIVE MODE`).join('; '),
      );
    }
  } catch (e) {
    await clientB.query('ROLLBACK').catch(() => {});
    throw e;
  }

  const locks = new Map<string, TracedLock>();
  const other = new Map<string, OtherLock>();
  let observations = 0;
  let done = false;
  let failure: unknown;
  const running = clientA.query(sql).then(
    () => void (done = true),
    (e) => {
      done = true;
      failure = e;
    },
  );

  let timedOut = false;
  try {
    while (!done) {
      if (Date.now() > deadline) {
        timedOut = true;
        await clientB.query('SELECT pg_cancel_backend($1)', [pidA]);
        break;
      }
      const rows = (await clientB.query<LockRow>(LOCKS_SQL, [pidA])).rows;
      collectLocks(rows, before, undefined, locks, other);
      if (!bOpen) {
        await sleep(1);
        continue;
      }
      const blockers = (await clientB.query<{ b: number[] }>('SELECT pg_blocking_pids($1) AS b', [pidA])).rows[0].b;
      if (!blockers.includes(pidB)) continue;
      // A is stopped by B: look again now that it is certainly waiting, then release it.
      const stopped = (await clientB.query<LockRow>(LOCKS_SQL, [pidA])).rows;
      collectLocks(stopped, before, undefined, locks, other);
      observations++;
      const awaited = stopped.find((r) => !r.granted && r.locktype === 'relation' && r.oid);
      const level = awaited?.oid ? levels.indexOf(awaited.oid) : -1;
      if (level >= 0) {
        await clientB.query(`ROLLBACK TO SAVEPOINT mg_${level}`);
        levels = levels.slice(0, level);
      } else {
        await clientB.query('COMMIT');
        bOpen = false;
      }
    }
  } finally {
    if (bOpen) await clientB.query('ROLLBACK').catch(() => {});
    await running;
  }

  const base = { otherLocks: [...other.values()], observations };
  if (timedOut) {
    return { locks: [], rewritten: [], scanned: [], ...base, error: 'timed out while tracing the statement' };
  }
  if (failure) return { locks: [], rewritten: [], scanned: [], ...base, ...errorOf(failure) };
  const after = await snapshotRelations(clientB);
  return {
    locks: sortLocks([...locks.values()]),
    rewritten: diffRewrites(before, after),
    rewrittenTables: rewrittenTables(before, after),
    scanned: [],
    ...base,
  };
}
