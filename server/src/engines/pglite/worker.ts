/**
 * The embedded engine's worker process (bundled to `dist/pglite-worker.js`, started by `client.ts` with
 * `child_process.fork`): one PGlite (PostgreSQL 18, WASM, single backend) kept at the state after the last earlier
 * migrations it was asked about, so a second trace of the same folder does not replay. Switching to other earlier
 * migrations replays only the new ones when the old list is a prefix; otherwise the current state is dumped
 * (`dumpDataDir`, kept in a small LRU) and the instance is rebuilt from the best matching dump or from scratch.
 * Requests are served one at a time (PGlite has one connection). Protocol: see `protocol.ts`.
 * A fresh instance starts from `pglite-template.tar.gz` (an initialized data directory that the build dumps next to
 * this bundle) instead of running initdb: measured 1.3 s and ~400 MB instead of 4–5 s and ~730 MB.
 * A long replay (a folder of hundreds of migrations takes 10–15 s) is also dumped to the cache directory the client
 * names (argv[2]), after the answer is sent, so that the worker started after an idle stop loads it instead of
 * replaying again; the newest few states are kept.
 */
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EMPTY_KEY,
  migrationKeys,
  readOnlyQuery,
  readTableSizes,
  replayMigrations,
  traceInOneTransaction,
  verifyInTransaction,
} from '../core';
import type { MigrationInput, ReplayResult } from '../engine';
import { readSchema } from '../schema';
import type { Queryable } from '../trace';
import type { WorkerRequest, WorkerResponse } from './protocol';

const MAX_DUMPS = 2;

let db: PGlite | undefined;
/** Keys of the migrations applied to `db`, in order. */
let chain: string[] = [];
const dumps = new Map<string, { blob: Blob; chain: string[] }>();

/** PGlite as a `Queryable`: without parameters through the simple protocol (several statements allowed). */
function queryable(p: PGlite): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      if (params !== undefined) return { rows: (await p.query<R>(sql, params)).rows };
      const results = await p.exec(sql);
      return { rows: (results[results.length - 1]?.rows ?? []) as R[] };
    },
  };
}

const TEMPLATE = join(__dirname, 'pglite-template.tar.gz');

/** How the current instance started (tests and the benchmark check the template and the disk cache are used). */
let startedFrom: 'template' | 'initdb' | 'dump' | 'disk' | undefined;

const MAX_DISK_STATES = 4;
/** A replay of at least this many migrations, or this long, is kept on disk. */
const PERSIST_MIGRATIONS = 20;
const PERSIST_MS = 1000;
/** Loading a state from disk beats replaying this many migrations. */
const DISK_WORTH_MIGRATIONS = 10;

/** Where replayed states go: a folder per PGlite build (a dump belongs to the PostgreSQL that wrote it); none without argv[2]. */
const STATE_DIR = (() => {
  if (!process.argv[2]) return undefined;
  const stamp = ['pglite.wasm', 'pglite.data'].map((f) => (existsSync(join(__dirname, f)) ? statSync(join(__dirname, f)).size : 0)).join('-');
  return join(process.argv[2], `states-${stamp}`);
})();

/** The longest prefix of `keys` whose state is on disk. */
function diskState(keys: string[]): { path: string; chain: string[] } | undefined {
  if (!STATE_DIR || !existsSync(STATE_DIR)) return undefined;
  for (let i = keys.length - 1; i >= 0; i--) {
    const path = join(STATE_DIR, `${keys[i]}.tar.gz`);
    if (existsSync(path)) return { path, chain: keys.slice(0, i + 1) };
  }
  return undefined;
}

/** The chain to dump to disk once the current answer is sent. */
let persistPending: string[] | undefined;

async function persist(): Promise<void> {
  const keys = persistPending;
  persistPending = undefined;
  if (!STATE_DIR || !db || !keys?.length || chain.length !== keys.length || chain[chain.length - 1] !== keys[keys.length - 1]) return;
  try {
    mkdirSync(STATE_DIR, { recursive: true });
    const blob = (await db.dumpDataDir('gzip')) as Blob;
    const file = join(STATE_DIR, `${keys[keys.length - 1]}.tar.gz`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, file);
    const kept = readdirSync(STATE_DIR)
      .filter((f) => f.endsWith('.tar.gz'))
      .map((f) => ({ f, t: statSync(join(STATE_DIR, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const x of kept.slice(MAX_DISK_STATES)) rmSync(join(STATE_DIR, x.f), { force: true });
  } catch (e) {
    process.stderr.write(`pglite worker: cannot keep the replayed state on disk (${e instanceof Error ? e.message : String(e)}); it is replayed again next time\n`);
  }
}

/** An instance started from a data directory dumped to `path`; undefined, said on stderr, when the file does not load. */
async function load(path: string, instead: string): Promise<PGlite | undefined> {
  try {
    return await PGlite.create({ loadDataDir: new Blob([readFileSync(path)]), relaxedDurability: true });
  } catch (e) {
    process.stderr.write(`pglite worker: cannot load ${path} (${e instanceof Error ? e.message : String(e)}); ${instead}\n`);
    return undefined;
  }
}

async function open(from?: Blob): Promise<PGlite> {
  if (from) {
    startedFrom = 'dump';
    return PGlite.create({ loadDataDir: from, relaxedDurability: true });
  }
  // A damaged template costs the initdb time, never the request.
  const fromTemplate = existsSync(TEMPLATE) ? await load(TEMPLATE, 'running initdb') : undefined;
  if (fromTemplate) {
    startedFrom = 'template';
    return fromTemplate;
  }
  startedFrom = 'initdb';
  return PGlite.create({ relaxedDurability: true });
}

function remember(key: string, blob: Blob, keys: string[]): void {
  dumps.delete(key);
  dumps.set(key, { blob, chain: keys });
  while (dumps.size > MAX_DUMPS) dumps.delete(dumps.keys().next().value as string);
}

/** Brings `db` to the state after `earlier`. */
async function ensure(earlier: MigrationInput[]): Promise<ReplayResult> {
  const t0 = Date.now();
  const keys = migrationKeys(earlier);
  const key = keys[keys.length - 1] ?? EMPTY_KEY;
  const isPrefix = (c: string[]) => c.length <= keys.length && c.every((k, i) => keys[i] === k);
  if (db && chain.length === keys.length && isPrefix(chain)) {
    return { key, replayed: 0, migrations: keys.length, reused: true, errors: [], ms: Date.now() - t0 };
  }
  const usable = db && isPrefix(chain) ? chain.length : 0;
  // A state on disk that saves more than a few migrations' replay is worth loading (~1–2 s) even over a running instance.
  const disk = diskState(keys);
  const fromDisk = disk && disk.chain.length - usable >= DISK_WORTH_MIGRATIONS ? disk : undefined;
  if (!db || !isPrefix(chain) || fromDisk) {
    if (db) {
      if (chain.length) remember(chain[chain.length - 1], (await db.dumpDataDir('none')) as Blob, chain);
      await db.close();
      db = undefined;
    }
    let best: { blob: Blob; chain: string[] } | undefined;
    for (const d of dumps.values()) if (isPrefix(d.chain) && (!best || d.chain.length > best.chain.length)) best = d;
    if (fromDisk && fromDisk.chain.length > (best?.chain.length ?? 0)) {
      db = await load(fromDisk.path, 'replaying instead');
      if (db) {
        startedFrom = 'disk';
        chain = fromDisk.chain;
        const now = new Date();
        utimesSync(fromDisk.path, now, now); // the newest few are kept
      } else rmSync(fromDisk.path, { force: true });
    }
    if (!db) {
      db = await open(best?.blob);
      chain = best ? [...best.chain] : [];
    }
  }
  const todo = earlier.slice(chain.length);
  const errors = await replayMigrations(queryable(db), todo);
  chain = keys;
  if (todo.length >= PERSIST_MIGRATIONS || (todo.length > 0 && Date.now() - t0 >= PERSIST_MS)) persistPending = keys;
  return { key, replayed: todo.length, migrations: keys.length, reused: todo.length === 0, errors, ms: Date.now() - t0 };
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'version': {
      // Known from an earlier worker of this PGlite build: no need to start PostgreSQL just to say it (the next request
      // may load a replayed state from disk instead of the template).
      const known = STATE_DIR ? join(STATE_DIR, 'server_version_num') : undefined;
      if (!db && known && existsSync(known)) {
        const v = Number(readFileSync(known, 'utf8'));
        if (v > 0) return v;
      }
      if (!db) {
        db = await open();
        chain = [];
      }
      const v = Number((await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
      if (known) {
        try {
          mkdirSync(STATE_DIR!, { recursive: true });
          writeFileSync(known, String(v));
        } catch {
          // only a shortcut
        }
      }
      return v;
    }
    case 'replay':
      return ensure(req.earlier);
    case 'trace': {
      const replay = await ensure(req.earlier);
      const statements = await traceInOneTransaction(queryable(db!), req.statements, {
        notTracedReason: 'the embedded engine has a single backend, so a statement that runs outside a transaction cannot be watched while it runs',
        keepSchema: true,
      });
      return { replay, statements };
    }
    case 'schema':
      await ensure(req.earlier);
      return readSchema(queryable(db!));
    case 'verify': {
      const replay = await ensure(req.earlier);
      return { replay, ...(await verifyInTransaction(queryable(db!), req.up, req.down)) };
    }
    case 'sizes':
      await ensure(req.earlier);
      return readTableSizes(queryable(db!));
    case 'query':
      await ensure(req.earlier);
      return readOnlyQuery(queryable(db!), req.sql);
    case 'memory':
      return process.memoryUsage();
    case 'startedFrom':
      return startedFrom;
    case 'flush':
      return null;
  }
  throw new Error(`unknown request ${(req as { op: string }).op}`);
}

let queue: Promise<unknown> = Promise.resolve();

process.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    let res: WorkerResponse;
    try {
      res = { id: req.id, ok: true, result: await handle(req) };
    } catch (e) {
      const err = e as { message?: string; code?: string };
      res = { id: req.id, ok: false, error: { message: err?.message ?? String(e), ...(err?.code ? { code: String(err.code) } : {}) } };
    }
    process.send!(res);
    if (persistPending) await persist();
  });
});

// The parent going away (IPC closed) ends the worker: it must never outlive the language server or CLI.
process.on('disconnect', () => process.exit(0));
