/**
 * The engine interface: one shape for the three ways Migration Guard runs migrations on a real PostgreSQL — the
 * embedded PGlite (in its own worker process), a throwaway cluster from local binaries, and a configured server
 * (`url`, only inside transactions that are rolled back). Every call is self-contained: it names the earlier
 * migrations of the folder, and the engine brings its database to the state after them (replaying only what it has
 * not replayed already, keyed by a hash of their texts), then works on top of that state without changing it.
 * Inputs and results are plain JSON (they cross a process boundary); statements arrive already split (the caller has
 * the parser). Calls take an optional `AbortSignal`: an aborted call rejects at once (the engine may finish the work
 * in the background).
 */
import type { SchemaDiff, SchemaSnapshot } from './schema';
import type { OtherLock, TracedLock } from './trace';

export type EngineKind = 'pglite' | 'local' | 'url';

export interface StatementInput {
  sql: string;
  /** Cannot run inside a transaction block (CONCURRENTLY, VACUUM, …): the lock model's `nonTransactional`. */
  nonTransactional?: boolean;
  /** BEGIN / COMMIT / ROLLBACK / SAVEPOINT written in the file: the engine manages transactions itself and skips it. */
  transactionControl?: boolean;
  /**
   * Why the statement is never sent (it does not parse, or holds a NUL character PostgreSQL's protocol cannot carry):
   * engines report it as an error of that statement (SQLSTATE 42601) and go on with the next one.
   */
  invalid?: string;
}

export interface MigrationInput {
  path: string;
  statements: StatementInput[];
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ReplayError {
  path: string;
  /** Index of the statement in its migration. */
  statement: number;
  message: string;
  code?: string;
}

export interface ReplayResult {
  /** Hash of the earlier migrations' paths and texts: the state the work ran on. */
  key: string;
  /** How many earlier migrations were replayed for this call (0 when the state was reused). */
  replayed: number;
  /** How many earlier migrations the state holds. */
  migrations: number;
  reused: boolean;
  errors: ReplayError[];
  ms: number;
  /** Set when the engine does not replay (a configured server is taken as it is). */
  note?: string;
}

export type StatementStatus = 'traced' | 'error' | 'not-traced' | 'skipped';

export interface StatementTrace {
  /** Position in the input list. */
  index: number;
  status: StatementStatus;
  /** Relation locks this statement took (not those the transaction already held). */
  locks: TracedLock[];
  /** Relation locks the tracing transaction already held from earlier statements (one-transaction engines). */
  heldBefore: TracedLock[];
  otherLocks: OtherLock[];
  /** Relations whose relfilenode changed. */
  rewritten: string[];
  /** The tables behind `rewritten` (a rebuilt index counts for its table). */
  rewrittenTables: string[];
  /** Pre-existing tables the statement read. */
  scanned: string[];
  /** Objects that exist after the statement and not before, as `kind name` ("table users_copy", "index users_x"). */
  created: string[];
  dropped: string[];
  error?: { message: string; code?: string };
  /** Why a statement was not traced or skipped ("predicted, not traced: …"). */
  note?: string;
  ms: number;
}

export interface TraceRun {
  replay: ReplayResult;
  statements: StatementTrace[];
  /** server_version_num of the engine. */
  version: number;
}

export interface RollbackRun {
  replay: ReplayResult;
  /** Errors of the up and the down, by statement index. */
  upErrors: { statement: number; message: string; code?: string }[];
  downErrors: { statement: number; message: string; code?: string }[];
  diffs: SchemaDiff[];
  version: number;
}

export interface TableSize {
  /** Estimated rows (pg_class.reltuples; -1 when never analyzed). */
  rows: number;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  bytes: number;
}

/** By relation name, schema-qualified only outside `public` (as the lock model's keys without `public.`). */
export type TableSizes = Record<string, TableSize>;

export interface Engine {
  readonly kind: EngineKind;
  /** server_version_num, e.g. 180001. Starts the engine if needed. */
  version(opts?: CallOptions): Promise<number>;
  /** Brings the engine to the state after `earlier` (replaying only what is new) and reports it. */
  replay(earlier: MigrationInput[], opts?: CallOptions): Promise<ReplayResult>;
  /** Runs `statements` one by one on top of `earlier`, reading each one's locks, rewrites and new objects; leaves nothing behind. */
  trace(earlier: MigrationInput[], statements: StatementInput[], opts?: CallOptions): Promise<TraceRun>;
  /** The schema after `earlier`. */
  schema(earlier: MigrationInput[], opts?: CallOptions): Promise<SchemaSnapshot>;
  /** Runs up then down on top of `earlier` (rolled back afterwards) and compares the schema with the one before the up. */
  verifyRollback(earlier: MigrationInput[], up: StatementInput[], down: StatementInput[], opts?: CallOptions): Promise<RollbackRun>;
  /** Row estimates and sizes of the tables (after `earlier` for engines that replay). */
  tableSizes(earlier: MigrationInput[], opts?: CallOptions): Promise<TableSizes>;
  /** A read-only query on top of `earlier`, inside a transaction that is rolled back (catalog inspection, tests). */
  query<R = Record<string, unknown>>(earlier: MigrationInput[], sql: string, opts?: CallOptions): Promise<R[]>;
  close(): Promise<void>;
}

/** Rejects with an AbortError when `signal` is (or becomes) aborted before `p` settles. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  const e = new Error('the engine call was cancelled');
  e.name = 'AbortError';
  return e;
}
