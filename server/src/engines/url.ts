/**
 * The configured-server engine (`migrationGuard.database.url` / `--url`): a `pg` connection to a database that already
 * holds the schema, used only on an explicit request. Everything runs inside a transaction that is rolled back, under
 * `lock_timeout` and `statement_timeout`, so a trace never changes the database and never waits long behind real
 * traffic. The earlier migrations are not replayed (the database is taken as it is), and statements that cannot run in
 * a transaction block (CONCURRENTLY, VACUUM) are never run: they are "predicted, not traced".
 */
import { Client } from 'pg';
import { readOnlyQuery, readTableSizes, stateKey, traceInOneTransaction, verifyInTransaction } from './core';
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
import { readSchema, type SchemaSnapshot } from './schema';

export interface UrlEngineOptions {
  url: string;
  /** lock_timeout of every traced statement. Default 2 s. */
  lockTimeoutMs?: number;
  /** statement_timeout of every traced statement. Default 30 s. */
  statementTimeoutMs?: number;
}

const NOT_REPLAYED = 'a configured database is taken as it is: the earlier migrations are not replayed';

export class UrlEngine implements Engine {
  readonly kind = 'url' as const;
  private client: Promise<Client> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: UrlEngineOptions) {}

  private connected(): Promise<Client> {
    this.client ??= (async () => {
      const c = new Client({ connectionString: this.opts.url, application_name: 'migration-guard' });
      await c.connect();
      return c;
    })();
    return this.client;
  }

  private serial<T>(fn: (c: Client) => Promise<T>, opts?: CallOptions): Promise<T> {
    const run = this.queue.then(async () => fn(await this.connected()));
    this.queue = run.catch(() => undefined);
    return abortable(run, opts?.signal);
  }

  private replayNote(earlier: MigrationInput[]): ReplayResult {
    return { key: stateKey(earlier), replayed: 0, migrations: earlier.length, reused: true, errors: [], ms: 0, note: NOT_REPLAYED };
  }

  private get timeouts() {
    return { lockTimeoutMs: this.opts.lockTimeoutMs ?? 2000, statementTimeoutMs: this.opts.statementTimeoutMs ?? 30_000 };
  }

  version(opts?: CallOptions): Promise<number> {
    return this.serial(async (c) => Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v), opts);
  }

  async replay(earlier: MigrationInput[]): Promise<ReplayResult> {
    return this.replayNote(earlier);
  }

  trace(earlier: MigrationInput[], statements: StatementInput[], opts?: CallOptions): Promise<TraceRun> {
    return this.serial(async (c) => {
      const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
      const traced = await traceInOneTransaction(c, statements, {
        ...this.timeouts,
        notTracedReason: 'a configured database is only used inside a transaction that is rolled back, and this statement cannot run in one',
        keepSchema: false,
      });
      return { replay: this.replayNote(earlier), statements: traced, version };
    }, opts);
  }

  schema(_earlier: MigrationInput[], opts?: CallOptions): Promise<SchemaSnapshot> {
    return this.serial(async (c) => {
      await c.query('BEGIN READ ONLY');
      try {
        return await readSchema(c);
      } finally {
        await c.query('ROLLBACK');
      }
    }, opts);
  }

  verifyRollback(earlier: MigrationInput[], up: StatementInput[], down: StatementInput[], opts?: CallOptions): Promise<RollbackRun> {
    return this.serial(async (c) => {
      const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
      return { replay: this.replayNote(earlier), ...(await verifyInTransaction(c, up, down, { ...this.timeouts, keepSchema: false })), version };
    }, opts);
  }

  tableSizes(_earlier: MigrationInput[], opts?: CallOptions): Promise<TableSizes> {
    return this.serial((c) => readTableSizes(c), opts);
  }

  query<R = Record<string, unknown>>(_earlier: MigrationInput[], sql: string, opts?: CallOptions): Promise<R[]> {
    return this.serial((c) => readOnlyQuery<R>(c, sql), opts);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await this.queue;
    if (c) await (await c.catch(() => undefined))?.end().catch(() => undefined);
  }
}
