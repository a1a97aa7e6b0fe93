/**
 * The local-binaries engine: a throwaway cluster (`localCluster.ts`) started on the first request and stopped by
 * `close()`. The earlier migrations are replayed, committed, into database `mg_base` (only the new ones when the
 * previous list is a prefix). A trace copies it (`CREATE DATABASE mg_work TEMPLATE mg_base`) and commits each
 * statement there in its own transaction, so every statement's locks are seen whole, and CONCURRENTLY / VACUUM are
 * traced from a second session (`traceConcurrently`); the copy is dropped afterwards. Schema, rollback verification
 * and sizes run on `mg_base` inside transactions that are rolled back.
 */
import { Client } from 'pg';
import {
  migrationKeys,
  readOnlyQuery,
  readTableSizes,
  replayMigrations,
  stateKey,
  traceCommitted,
  verifyInTransaction,
} from './core';
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
} from './engine';
import { startLocalCluster, type LocalCluster } from './localCluster';
import { readSchema, type SchemaSnapshot } from './schema';

export interface LocalEngineOptions {
  /** Directory with initdb, pg_ctl and postgres; default: `findPostgresBinDir()`. */
  binDir?: string;
  log?: (s: string) => void;
}

const BASE = 'mg_base';
const WORK = 'mg_work';

export class LocalEngine implements Engine {
  readonly kind = 'local' as const;
  private cluster: Promise<LocalCluster> | undefined;
  private admin: Client | undefined;
  private base: Client | undefined;
  private chain: string[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: LocalEngineOptions = {}) {}

  /** Runs `fn` after every earlier call (one database, one request at a time). */
  private serial<T>(fn: () => Promise<T>, opts?: CallOptions): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return abortable(run, opts?.signal);
  }

  private async started(): Promise<LocalCluster> {
    this.cluster ??= startLocalCluster({ binDir: this.opts.binDir, log: this.opts.log });
    const cluster = await this.cluster;
    if (!this.admin) {
      this.admin = new Client(cluster.connectionConfig());
      await this.admin.connect();
    }
    return cluster;
  }

  private async baseClient(): Promise<Client> {
    const cluster = await this.started();
    if (!this.base) {
      const c = new Client(cluster.connectionConfig(BASE));
      await c.connect();
      this.base = c;
    }
    return this.base;
  }

  private async dropBaseClient(): Promise<void> {
    const c = this.base;
    this.base = undefined;
    await c?.end().catch(() => undefined);
  }

  private async ensure(earlier: MigrationInput[]): Promise<ReplayResult> {
    const t0 = Date.now();
    await this.started();
    const keys = migrationKeys(earlier);
    const key = stateKey(earlier);
    const chain = this.chain;
    const isPrefix = !!chain && chain.length <= keys.length && chain.every((k, i) => keys[i] === k);
    if (chain && isPrefix && chain.length === keys.length) {
      return { key, replayed: 0, migrations: keys.length, reused: true, errors: [], ms: Date.now() - t0 };
    }
    let from = chain && isPrefix ? chain.length : 0;
    if (!isPrefix) {
      await this.dropBaseClient();
      await this.admin!.query(`DROP DATABASE IF EXISTS ${BASE}`);
      await this.admin!.query(`CREATE DATABASE ${BASE}`);
      from = 0;
    }
    const todo = earlier.slice(from);
    const errors = await replayMigrations(await this.baseClient(), todo);
    this.chain = keys;
    return { key, replayed: todo.length, migrations: keys.length, reused: todo.length === 0, errors, ms: Date.now() - t0 };
  }

  version(opts?: CallOptions): Promise<number> {
    return this.serial(async () => (await this.started()).version, opts);
  }

  replay(earlier: MigrationInput[], opts?: CallOptions): Promise<ReplayResult> {
    return this.serial(() => this.ensure(earlier), opts);
  }

  trace(earlier: MigrationInput[], statements: StatementInput[], opts?: CallOptions): Promise<TraceRun> {
    return this.serial(async () => {
      const replay = await this.ensure(earlier);
      const cluster = await this.started();
      await this.dropBaseClient(); // a template database must have no other connections
      await this.admin!.query(`DROP DATABASE IF EXISTS ${WORK}`);
      await this.admin!.query(`CREATE DATABASE ${WORK} TEMPLATE ${BASE}`);
      const a = new Client(cluster.connectionConfig(WORK));
      const b = new Client(cluster.connectionConfig(WORK));
      try {
        await a.connect();
        await b.connect();
        return { replay, statements: await traceCommitted(a, b, statements), version: cluster.version };
      } finally {
        await a.end().catch(() => undefined);
        await b.end().catch(() => undefined);
        await this.admin!.query(`DROP DATABASE IF EXISTS ${WORK}`).catch(() => undefined);
      }
    }, opts);
  }

  schema(earlier: MigrationInput[], opts?: CallOptions): Promise<SchemaSnapshot> {
    return this.serial(async () => {
      await this.ensure(earlier);
      return readSchema(await this.baseClient());
    }, opts);
  }

  verifyRollback(earlier: MigrationInput[], up: StatementInput[], down: StatementInput[], opts?: CallOptions): Promise<RollbackRun> {
    return this.serial(async () => {
      const replay = await this.ensure(earlier);
      const r = await verifyInTransaction(await this.baseClient(), up, down);
      return { replay, ...r, version: (await this.started()).version };
    }, opts);
  }

  tableSizes(earlier: MigrationInput[], opts?: CallOptions): Promise<TableSizes> {
    return this.serial(async () => {
      await this.ensure(earlier);
      return readTableSizes(await this.baseClient());
    }, opts);
  }

  query<R = Record<string, unknown>>(earlier: MigrationInput[], sql: string, opts?: CallOptions): Promise<R[]> {
    return this.serial(async () => {
      await this.ensure(earlier);
      return readOnlyQuery<R>(await this.baseClient(), sql);
    }, opts);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.dropBaseClient();
    await this.admin?.end().catch(() => undefined);
    this.admin = undefined;
    const c = this.cluster;
    this.cluster = undefined;
    this.chain = undefined;
    if (c) await (await c.catch(() => undefined))?.stop();
  }
}
