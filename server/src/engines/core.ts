/**
 * What every engine does over one connection (`Queryable`): replay migrations, trace statements, read the schema,
 * run an up and its down and compare, read table sizes. Two tracing strategies:
 *  - `traceInOneTransaction` (PGlite, a configured server): BEGIN, then per statement SAVEPOINT → statement → read
 *    pg_locks/relfilenodes → RELEASE, and ROLLBACK at the end, so nothing is ever committed. Locks accumulate over the
 *    transaction, so a statement's own locks are the (relation, mode) pairs that appeared with it; the ones the
 *    transaction already held are reported apart (`heldBefore`), as Eugene does.
 *  - `traceCommitted` (the throwaway local cluster): each statement in its own transaction, committed, so every
 *    statement's locks are seen whole; CONCURRENTLY and VACUUM are traced from a second session.
 * A statement that cannot run in a transaction block is "predicted, not traced" in the first strategy; its
 * non-CONCURRENTLY form runs untraced so that later statements find the schema they expect.
 */
import { createHash } from 'node:crypto';
import type { MigrationInput, ReplayError, StatementInput, StatementTrace, TableSizes } from './engine';
import { diffSchemas, readSchema, type SchemaDiff } from './schema';
import {
  cannotRunInTransactionBlock,
  diffRewrites,
  diffScans,
  inspectionSql,
  locksFromRows,
  rewrittenTables,
  snapshotFromRows,
  traceConcurrently,
  traceStatement,
  type LockRow,
  type Queryable,
  type Snapshot,
  type SnapshotRow,
  type TracedLock,
} from './trace';

/** Hash chain over the migrations: `keys[i]` names the state after migrations 0..i. */
export function migrationKeys(migrations: MigrationInput[]): string[] {
  const keys: string[] = [];
  let prev = '';
  for (const m of migrations) {
    const h = createHash('sha256').update(prev).update('\0').update(m.path).update('\0');
    for (const s of m.statements) h.update(s.sql).update('\0');
    prev = h.digest('hex').slice(0, 32);
    keys.push(prev);
  }
  return keys;
}

/** The key of the empty state (no earlier migrations). */
export const EMPTY_KEY = 'empty';

export function stateKey(migrations: MigrationInput[]): string {
  return migrations.length ? migrationKeys(migrations)[migrations.length - 1] : EMPTY_KEY;
}

function errorOf(e: unknown): { message: string; code?: string } {
  const err = e as { message?: string; code?: string };
  return { message: err?.message ?? String(e), ...(err?.code ? { code: String(err.code) } : {}) };
}

function nonTransactional(s: StatementInput): boolean {
  return s.nonTransactional ?? cannotRunInTransactionBlock(s.sql);
}

/**
 * The same statement without CONCURRENTLY, for keeping the schema in a transaction (CREATE/DROP INDEX, REINDEX,
 * DETACH PARTITION); undefined when there is no such form (VACUUM, CREATE DATABASE, …).
 */
export function withoutConcurrently(sql: string): string | undefined {
  const head = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim().toUpperCase();
  if (!/^(CREATE (UNIQUE )?INDEX|DROP INDEX|REINDEX|ALTER TABLE)\b/.test(head) || !/\bCONCURRENTLY\b/i.test(sql)) return undefined;
  const stripped = sql.replace(/\bCONCURRENTLY\b/i, '');
  // DETACH PARTITION … CONCURRENTLY / FINALIZE: the plain DETACH is the schema change.
  return stripped.replace(/\bFINALIZE\b/i, '');
}

/** SQLSTATE syntax_error: what PostgreSQL would answer for a statement we do not send (`StatementInput.invalid`). */
const SYNTAX_ERROR = '42601';

function invalidTrace(index: number, s: StatementInput): StatementTrace {
  return { ...emptyTrace(index, 'error', 'not sent to PostgreSQL'), error: { message: s.invalid!, code: SYNTAX_ERROR } };
}

/** Runs migrations for real (autocommit), statement by statement, and reports the statements that failed. */
export async function replayMigrations(q: Queryable, migrations: MigrationInput[]): Promise<ReplayError[]> {
  const errors: ReplayError[] = [];
  for (const m of migrations) {
    for (const [i, s] of m.statements.entries()) {
      if (s.transactionControl) continue;
      if (s.invalid !== undefined) {
        errors.push({ path: m.path, statement: i, message: s.invalid, code: SYNTAX_ERROR });
        continue;
      }
      try {
        await q.query(s.sql);
      } catch (e) {
        errors.push({ path: m.path, statement: i, ...errorOf(e) });
      }
    }
  }
  return errors;
}

/** Named objects, as `kind name`, for "created" and "dropped". */
const OBJECTS_SQL = `
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'S' THEN 'sequence'
                      WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'relation' END
       || ' ' || CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS o
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)' AND c.relkind NOT IN ('t', 'c')
UNION ALL
SELECT 'type ' || CASE WHEN n.nspname = 'public' THEN t.typname ELSE n.nspname || '.' || t.typname END
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype IN ('e', 'd', 'r') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
UNION ALL
SELECT 'function ' || CASE WHEN n.nspname = 'public' THEN p.proname ELSE n.nspname || '.' || p.proname END || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
UNION ALL
SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_(toast|temp)'
UNION ALL
SELECT 'constraint ' || conname || ' on ' || conrelid::regclass::text FROM pg_constraint WHERE conrelid <> 0 AND contype <> 'n' AND conrelid >= 16384
UNION ALL
SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal`;

export async function readObjects(q: Queryable): Promise<Set<string>> {
  return new Set((await q.query<{ o: string }>(OBJECTS_SQL, [])).rows.map((r) => r.o));
}

function objectDiff(before: Set<string>, after: Set<string>): { created: string[]; dropped: string[] } {
  return { created: [...after].filter((o) => !before.has(o)).sort(), dropped: [...before].filter((o) => !after.has(o)).sort() };
}

const lockKey = (l: TracedLock) => `${l.relation}\0${l.mode}`;

function emptyTrace(index: number, status: StatementTrace['status'], note?: string): StatementTrace {
  return { index, status, locks: [], heldBefore: [], otherLocks: [], rewritten: [], rewrittenTables: [], scanned: [], created: [], dropped: [], ms: 0, ...(note ? { note } : {}) };
}

export interface OneTransactionOptions {
  /** lock_timeout for every statement (a configured server: never wait long behind real traffic). */
  lockTimeoutMs?: number;
  /** statement_timeout for every statement. Default 30 s. */
  statementTimeoutMs?: number;
  /** Why non-transactional statements are not traced here (completes "predicted, not traced: …"). */
  notTracedReason: string;
  /** Run the non-CONCURRENTLY form of such a statement, untraced, so that later statements see its schema change. */
  keepSchema: boolean;
}

/**
 * Runs `sql` (one or several statements, simple protocol) and returns the rows of the last one: `pg` answers a
 * multi-statement query with one result per statement, the PGlite adapter with the last one's rows.
 */
async function lastRows<R>(q: Queryable, sql: string): Promise<R[]> {
  const r = (await q.query<R>(sql)) as unknown;
  if (Array.isArray(r)) return ((r[r.length - 1] as { rows?: R[] } | undefined)?.rows ?? []) as R[];
  return (r as { rows: R[] }).rows;
}

interface Inspection {
  rels: Snapshot;
  lockRows: LockRow[];
  objects: Set<string>;
}

const INSPECT_SQL = inspectionSql({ objects: OBJECTS_SQL });

/** `prefix` (statements ending in `;`), then the relations, this backend's locks and the named objects: one round trip. */
async function inspect(q: Queryable, prefix = ''): Promise<Inspection> {
  const [row] = await lastRows<{ rels: string; locks: string; objects: string }>(q, prefix + INSPECT_SQL);
  return {
    rels: snapshotFromRows(JSON.parse(row.rels) as SnapshotRow[]),
    lockRows: JSON.parse(row.locks) as LockRow[],
    objects: new Set((JSON.parse(row.objects) as { o: string }[]).map((r) => r.o)),
  };
}

/** `sql`, then the savepoint moved past it: what runs a statement and keeps its effects (the separators survive a trailing `--` comment). */
const andKeep = (sql: string) => `${sql}\n;\nRELEASE SAVEPOINT mg_stmt; SAVEPOINT mg_stmt;\n`;
const UNDO = 'ROLLBACK TO SAVEPOINT mg_stmt;\n';

/**
 * See the module comment. Nothing is committed. One round trip per statement: the statement, the savepoint moved past
 * it and the inspection travel together, and the inspection after a statement is the one before the next (nothing
 * runs in between); a failed statement costs one more (rolling back to the savepoint and inspecting again).
 */
export async function traceInOneTransaction(q: Queryable, statements: StatementInput[], opts: OneTransactionOptions): Promise<StatementTrace[]> {
  const out: StatementTrace[] = [];
  const settings =
    `SET LOCAL statement_timeout = ${Math.floor(opts.statementTimeoutMs ?? 30_000)};\n` +
    (opts.lockTimeoutMs !== undefined ? `SET LOCAL lock_timeout = ${Math.floor(opts.lockTimeoutMs)};\n` : '');
  try {
    let cur = await inspect(q, `BEGIN;\n${settings}SAVEPOINT mg_stmt;\n`);
    for (const [index, s] of statements.entries()) {
      if (s.transactionControl) {
        out.push(emptyTrace(index, 'skipped', 'transaction control: the tracer runs the statements in its own transaction'));
        continue;
      }
      if (s.invalid !== undefined) {
        out.push(invalidTrace(index, s));
        continue;
      }
      if (nonTransactional(s)) {
        const plain = withoutConcurrently(s.sql);
        const trace = emptyTrace(index, 'not-traced', `predicted, not traced: ${opts.notTracedReason}`);
        if (plain && opts.keepSchema) {
          try {
            cur = await inspect(q, andKeep(plain));
            trace.note += '; its non-CONCURRENTLY form ran untraced so that later statements see its schema change';
          } catch (e) {
            cur = await inspect(q, UNDO);
            trace.error = errorOf(e);
            trace.status = 'error';
          }
        }
        out.push(trace);
        continue;
      }
      const t0 = Date.now();
      let after: Inspection;
      try {
        after = await inspect(q, andKeep(s.sql));
      } catch (e) {
        cur = await inspect(q, UNDO);
        out.push({ ...emptyTrace(index, 'error'), error: errorOf(e), ms: Date.now() - t0 });
        continue;
      }
      const held = locksFromRows(cur.lockRows, cur.rels).locks;
      const now = locksFromRows(after.lockRows, cur.rels, after.rels);
      const heldKeys = new Set(held.map(lockKey));
      out.push({
        index,
        status: 'traced',
        locks: now.locks.filter((l) => !heldKeys.has(lockKey(l))),
        heldBefore: held,
        otherLocks: now.otherLocks,
        rewritten: diffRewrites(cur.rels, after.rels),
        rewrittenTables: rewrittenTables(cur.rels, after.rels),
        scanned: diffScans(cur.rels, after.rels),
        ...objectDiff(cur.objects, after.objects),
        ms: Date.now() - t0,
      });
      cur = after;
    }
  } finally {
    await q.query('ROLLBACK');
  }
  return out;
}

/** See the module comment: every statement is committed; `b` is a second session on the same database. */
export async function traceCommitted(a: Queryable, b: Queryable, statements: StatementInput[]): Promise<StatementTrace[]> {
  const out: StatementTrace[] = [];
  for (const [index, s] of statements.entries()) {
    if (s.transactionControl) {
      out.push(emptyTrace(index, 'skipped', 'transaction control: the tracer runs each statement in its own transaction'));
      continue;
    }
    if (s.invalid !== undefined) {
      out.push(invalidTrace(index, s));
      continue;
    }
    const t0 = Date.now();
    const objectsBefore = await readObjects(a);
    const r = nonTransactional(s) ? await traceConcurrently(a, b, s.sql, { timeoutMs: 60_000 }) : await traceStatement(a, s.sql, { commit: true });
    const trace: StatementTrace = {
      index,
      status: r.error ? 'error' : 'traced',
      locks: r.locks,
      heldBefore: [],
      otherLocks: r.otherLocks,
      rewritten: r.rewritten,
      rewrittenTables: r.rewrittenTables ?? [],
      scanned: r.scanned,
      ...objectDiff(objectsBefore, await readObjects(a)),
      ms: Date.now() - t0,
    };
    if (r.error) trace.error = { message: r.error, ...(r.errorCode ? { code: r.errorCode } : {}) };
    if (nonTransactional(s)) trace.note = 'traced from a second session (it cannot run in a transaction block)';
    out.push(trace);
  }
  return out;
}

/** Runs statements inside the current transaction, each under a savepoint; returns the ones that failed. */
async function runAll(q: Queryable, statements: StatementInput[], keepSchema: boolean): Promise<{ statement: number; message: string; code?: string }[]> {
  const errors: { statement: number; message: string; code?: string }[] = [];
  for (const [i, s] of statements.entries()) {
    if (s.transactionControl) continue;
    if (s.invalid !== undefined) {
      errors.push({ statement: i, message: s.invalid, code: SYNTAX_ERROR });
      continue;
    }
    const sql = nonTransactional(s) ? (keepSchema ? withoutConcurrently(s.sql) : undefined) : s.sql;
    if (sql === undefined) continue; // VACUUM and the like change no schema
    try {
      await q.query(`SAVEPOINT mg_run;\n${sql}\n;\nRELEASE SAVEPOINT mg_run`);
    } catch (e) {
      await q.query('ROLLBACK TO SAVEPOINT mg_run');
      errors.push({ statement: i, ...errorOf(e) });
    }
  }
  return errors;
}

/**
 * up → down → compare with the schema before the up, inside one transaction that is rolled back. Statements that
 * cannot run in a transaction block run in their non-CONCURRENTLY form (`keepSchema`, default) or not at all.
 */
export async function verifyInTransaction(
  q: Queryable,
  up: StatementInput[],
  down: StatementInput[],
  opts: { lockTimeoutMs?: number; statementTimeoutMs?: number; keepSchema?: boolean } = {},
): Promise<{ upErrors: { statement: number; message: string; code?: string }[]; downErrors: { statement: number; message: string; code?: string }[]; diffs: SchemaDiff[] }> {
  await q.query('BEGIN');
  try {
    await q.query(`SET LOCAL statement_timeout = ${Math.floor(opts.statementTimeoutMs ?? 30_000)}`);
    if (opts.lockTimeoutMs !== undefined) await q.query(`SET LOCAL lock_timeout = ${Math.floor(opts.lockTimeoutMs)}`);
    const before = await readSchema(q);
    const upErrors = await runAll(q, up, opts.keepSchema ?? true);
    const downErrors = await runAll(q, down, opts.keepSchema ?? true);
    const after = await readSchema(q);
    return { upErrors, downErrors, diffs: diffSchemas(before, after) };
  } finally {
    await q.query('ROLLBACK');
  }
}

const SIZES_SQL = `
SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT COALESCE(sum(GREATEST(pc.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t JOIN pg_class pc ON pc.oid = t.relid WHERE t.isleaf)
            ELSE c.reltuples END::float8 AS rows,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT COALESCE(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t WHERE t.isleaf)
            ELSE pg_total_relation_size(c.oid) END::int8::text AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'`;

/** Row estimates (`pg_class.reltuples`) and `pg_total_relation_size` of every user table. */
export async function readTableSizes(q: Queryable): Promise<TableSizes> {
  const r = await q.query<{ name: string; rows: number; bytes: string }>(SIZES_SQL, []);
  const out: TableSizes = {};
  for (const row of r.rows.sort((x, y) => (x.name < y.name ? -1 : 1))) out[row.name] = { rows: Number(row.rows), bytes: Number(row.bytes) };
  return out;
}

/** A read-only query inside a transaction that is rolled back. */
export async function readOnlyQuery<R>(q: Queryable, sql: string): Promise<R[]> {
  await q.query('BEGIN');
  try {
    return (await q.query<R>(sql, [])).rows;
  } finally {
    await q.query('ROLLBACK');
  }
}
