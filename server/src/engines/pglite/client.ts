/**
 * The embedded engine as seen by the language server and the CLI: PGlite runs in a worker process
 * (`pglite-worker.js`, see worker.ts), so its ~0.5–0.8 GB and its start-up never touch the caller. The worker starts
 * on the first request, serves requests while busy, and exits after `idleTimeoutMs` without one (its memory goes back
 * to the system). When it dies mid-request (crash, killed), the pending requests reject with a clear error and the
 * next request starts a new worker. `prewarm()` starts it early (e.g. when a trace CodeLens becomes visible).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  abortable,
  type CallOptions,
  type Engine,
  type MigrationInput,
  type ReplayResult,
  type RollbackRun,
  type StatementInput,
  type TableSizes,
  type TraceRun,
} from '../engine';
import type { SchemaSnapshot } from '../schema';
import type { WorkerCall, WorkerResponse } from './protocol';

export interface PgliteEngineOptions {
  /** The bundled worker. Default: `pglite-worker.js` next to this bundle (or in `../dist`, for test bundles). */
  workerPath?: string;
  /** Stop the worker after this long without requests. Default 120 s. */
  idleTimeoutMs?: number;
  /** Receives lifecycle lines (worker started, stopped). */
  log?: (s: string) => void;
  /**
   * Where long replays are kept across worker restarts (a few dumps of ~5 MB). Default: a folder in the system's temp
   * directory, per user; false: nowhere.
   */
  cacheDir?: string | false;
}

/** The default `cacheDir`. */
export function defaultCacheDir(): string {
  return join(tmpdir(), `migration-guard-pglite-${process.getuid?.() ?? 'user'}`);
}

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** Where the bundled worker is, for the default `workerPath`. */
export function defaultWorkerPath(): string {
  const candidates = [join(__dirname, 'pglite-worker.js'), join(__dirname, '..', 'dist', 'pglite-worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  op: string;
}

export class PgliteEngine implements Engine {
  readonly kind = 'pglite' as const;
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private versionNum: number | undefined;
  private closed = false;
  /** How many workers this engine has started (tests: a restart after a crash or an idle stop). */
  starts = 0;

  constructor(private readonly opts: PgliteEngineOptions = {}) {}

  /** The worker's pid while it runs. */
  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker (and PostgreSQL in it) now, so that the first real request does not wait for it. */
  async prewarm(): Promise<void> {
    await this.version();
  }

  private log(s: string): void {
    this.opts.log?.(s);
  }

  private start(): ChildProcess {
    const workerPath = this.opts.workerPath ?? defaultWorkerPath();
    if (!existsSync(workerPath)) throw new Error(`the embedded PostgreSQL worker is missing: ${workerPath}`);
    const cacheDir = this.opts.cacheDir === false ? '' : (this.opts.cacheDir ?? defaultCacheDir());
    const child = fork(workerPath, [cacheDir], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    this.starts++;
    this.stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-2000)));
    child.on('message', (m: WorkerResponse) => this.onMessage(m));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', (e) => this.log(`pglite worker error: ${e.message}`));
    this.log(`pglite worker ${child.pid} started`);
    return child;
  }

  private onMessage(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
    this.settle();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.log(`pglite worker ${child.pid} exited (${signal ?? `code ${code}`})`);
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const tail = this.stderrTail.trim() ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error(`the embedded PostgreSQL worker ${how} during "${p.op}"${tail}; the next request starts a new worker`));
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }

  /** Busy: keep the caller alive and cancel the idle stop; idle: let the caller exit and arm the idle stop. */
  private settle(): void {
    const child = this.child;
    if (!child) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.pending.size > 0) {
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
      return;
    }
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.idleTimer = setTimeout(() => this.stopWorker('idle'), this.opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  private stopWorker(why: string): void {
    const child = this.child;
    if (!child || this.pending.size > 0) return;
    this.log(`pglite worker ${child.pid} stopping (${why})`);
    child.disconnect(); // the worker exits when its IPC channel closes
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 5000).unref();
  }

  private call<T>(msg: WorkerCall, opts?: CallOptions): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the embedded engine is closed'));
    if (!this.child) this.child = this.start();
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, op: msg.op });
    });
    this.settle();
    this.child.send({ ...msg, id });
    return abortable(p, opts?.signal);
  }

  async version(opts?: CallOptions): Promise<number> {
    this.versionNum ??= await this.call<number>({ op: 'version' }, opts);
    return this.versionNum;
  }

  replay(earlier: MigrationInput[], opts?: CallOptions): Promise<ReplayResult> {
    return this.call({ op: 'replay', earlier }, opts);
  }

  async trace(earlier: MigrationInput[], statements: StatementInput[], opts?: CallOptions): Promise<TraceRun> {
    const r = await this.call<Omit<TraceRun, 'version'>>({ op: 'trace', earlier, statements }, opts);
    return { ...r, version: await this.version(opts) };
  }

  schema(earlier: MigrationInput[], opts?: CallOptions): Promise<SchemaSnapshot> {
    return this.call({ op: 'schema', earlier }, opts);
  }

  async verifyRollback(earlier: MigrationInput[], up: StatementInput[], down: StatementInput[], opts?: CallOptions): Promise<RollbackRun> {
    const r = await this.call<Omit<RollbackRun, 'version'>>({ op: 'verify', earlier, up, down }, opts);
    return { ...r, version: await this.version(opts) };
  }

  tableSizes(earlier: MigrationInput[], opts?: CallOptions): Promise<TableSizes> {
    return this.call({ op: 'sizes', earlier }, opts);
  }

  query<R = Record<string, unknown>>(earlier: MigrationInput[], sql: string, opts?: CallOptions): Promise<R[]> {
    return this.call({ op: 'query', earlier, sql }, opts);
  }

  /** The worker's `process.memoryUsage()` (starts it when it is not running). */
  workerMemory(): Promise<NodeJS.MemoryUsage> {
    return this.call({ op: 'memory' });
  }

  /** How the running instance started: from the bundled template, from initdb (no template), from a state dump in memory or on disk. */
  startedFrom(): Promise<'template' | 'initdb' | 'dump' | 'disk' | undefined> {
    return this.call({ op: 'startedFrom' });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.closed = true;
      return;
    }
    // Let a replayed state that is being written to disk finish (a second or two), so the next process loads it.
    if (child.connected && this.opts.cacheDir !== false) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.call({ op: 'flush' }), new Promise((r) => (timer = setTimeout(r, 10_000)))]).catch(() => undefined);
      clearTimeout(timer);
    }
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.connected) child.disconnect();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}
