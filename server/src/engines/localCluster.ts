// Throwaway PostgreSQL cluster built from local PostgreSQL binaries.
//
// This is the "local PostgreSQL binaries" engine of Migration Guard and the fixture of the
// test/pg suites: `startLocalCluster()` runs `initdb` into a fresh temporary directory, starts
// `postgres` listening on a Unix socket inside that directory only (no TCP), waits until it
// accepts connections and hands back what a `pg.Client` needs. `stop()` shuts it down with
// `pg_ctl stop -m immediate` and deletes the directory. A process 'exit' hook does the same for
// every cluster still running, so a crashed run does not leave a postgres behind.
//
// initdb and postgres refuse to run as root. When we are root (CI containers), every PostgreSQL
// binary is spawned with the uid/gid of an unprivileged account (`nobody`, or a dedicated
// `mgpgtest` system user created with useradd when `nobody` is unusable) and the temporary
// directory is chowned to it.
//
// Dependency-free apart from node builtins and `pg` (kept out of the editor client on purpose:
// no vscode imports here).

import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, type ClientConfig } from 'pg';

export interface LocalClusterOptions {
  /** Directory holding initdb, pg_ctl and postgres. Default: see {@link findPostgresBinDir}. */
  binDir?: string;
  /** Receives progress lines (commands run, timings). */
  log?: (s: string) => void;
  /** How long to wait for the server to accept connections. Default 60 s. */
  startTimeoutMs?: number;
}

export interface LocalCluster {
  /** Directory containing the server's Unix socket (also the cluster's temp dir). */
  readonly socketDir: string;
  readonly port: number;
  readonly binDir: string;
  /** `server_version_num`, e.g. 150013. */
  readonly version: number;
  /** Connection settings for `new pg.Client(...)`: superuser `postgres`, database `postgres`. */
  connectionConfig(database?: string): ClientConfig;
  /** Stops the server (immediate mode) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const REQUIRED_BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const isWindows = process.platform === 'win32';
const exe = (name: string): string => (isWindows ? `${name}.exe` : name);

/** True when `dir` holds the executables the engine needs. */
export function isPostgresBinDir(dir: string | undefined): dir is string {
  if (!dir) return false;
  return REQUIRED_BINARIES.every((b) => {
    try {
      fs.accessSync(path.join(dir, exe(b)), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Sorts version-like directory names ("9.6", "15", "16") highest first. */
function byVersionDesc(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function versionedDirs(parent: string, prefix: string, suffix: string[]): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((n) => n.startsWith(prefix) && /\d/.test(n.slice(prefix.length)));
  } catch {
    return [];
  }
  return names
    .sort((a, b) => byVersionDesc(a.slice(prefix.length), b.slice(prefix.length)))
    .map((n) => path.join(parent, n, ...suffix));
}

/**
 * Finds a directory with the PostgreSQL server binaries. Order: `explicit` argument, env
 * `MG_PG_BIN`, `pg_config --bindir`, `/usr/lib/postgresql/<highest>/bin` (Debian/Ubuntu),
 * `/usr/pgsql-<highest>/bin` (RHEL), then every `PATH` entry. Returns undefined when none fits.
 * An explicit directory or MG_PG_BIN that lacks the binaries is an error (no silent fallback).
 */
export function findPostgresBinDir(explicit?: string): string | undefined {
  for (const [what, dir] of [['binDir option', explicit], ['MG_PG_BIN', process.env.MG_PG_BIN]] as const) {
    if (dir) {
      if (isPostgresBinDir(dir)) return dir;
      throw new Error(`${what} is set to ${dir}, but it does not contain ${REQUIRED_BINARIES.join(', ')}`);
    }
  }
  const candidates: string[] = [];
  try {
    const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0 && r.stdout.trim()) candidates.push(r.stdout.trim());
  } catch {
    // pg_config not installed
  }
  if (!isWindows) {
    candidates.push(...versionedDirs('/usr/lib/postgresql', '', ['bin']));
    candidates.push(...versionedDirs('/usr', 'pgsql-', ['bin']));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return candidates.find((d) => isPostgresBinDir(d));
}

// ---------------------------------------------------------------------------------------------
// Unprivileged account when running as root

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function lookupPasswd(name: string): RunAs | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) {
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid, name };
    }
  }
  return undefined;
}

/** Can `who` run binaries in binDir and traverse into dir (checks "other"/owner/group x bits). */
function accessibleBy(who: RunAs, target: string): boolean {
  let p = path.resolve(target);
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return false;
    }
    const ok =
      st.uid === who.uid ? (st.mode & 0o100) !== 0 : st.gid === who.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!ok) return false;
    const parent = path.dirname(p);
    if (parent === p) return true;
    p = parent;
  }
}

let cachedRunAs: RunAs | null | undefined;

/** undefined when not root (run binaries as ourselves); otherwise the unprivileged account. */
function unprivilegedAccount(log: (s: string) => void): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  if (cachedRunAs) return cachedRunAs;
  const suitable = (a: RunAs | undefined): a is RunAs => !!a && a.uid !== 0 && a.gid !== 0;
  let account = lookupPasswd('nobody');
  if (!suitable(account)) {
    account = lookupPasswd('mgpgtest');
    if (!suitable(account)) {
      log('creating system user mgpgtest to run PostgreSQL (nobody is unusable)');
      const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'mgpgtest'], {
        encoding: 'utf8',
      });
      account = lookupPasswd('mgpgtest');
      if (!suitable(account)) {
        throw new Error(
          `running as root, and no unprivileged user is available to run PostgreSQL (useradd mgpgtest: ${
            r.error?.message ?? r.stderr.trim()
          })`,
        );
      }
    }
  }
  cachedRunAs = account;
  return account;
}

// ---------------------------------------------------------------------------------------------
// Process helpers

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function spawnOpts(runAs: RunAs | undefined, cwd: string): SpawnOptions {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC', PGTZ: 'UTC' };
  // Stray libpq variables must not redirect pg_ctl's readiness probe elsewhere.
  for (const k of Object.keys(env)) if (/^PG(HOST|PORT|USER|DATABASE|PASSWORD|SERVICE|OPTIONS)/.test(k)) delete env[k];
  env.HOME = cwd;
  const o: SpawnOptions = { cwd, env, windowsHide: true };
  if (runAs) {
    o.uid = runAs.uid;
    o.gid = runAs.gid;
  }
  return o;
}

function run(file: string, args: string[], opts: SpawnOptions, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** A TCP port nobody listens on right now. Only used as the socket-file number: no TCP listener is opened. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', () => resolve(20000 + Math.floor(Math.random() * 30000)));
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 20000 + Math.floor(Math.random() * 30000);
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readTail(file: string, max = 4000): string {
  try {
    const s = fs.readFileSync(file, 'utf8');
    return s.length > max ? s.slice(-max) : s;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Crash safety: stop whatever is still running when the process exits.

interface Live {
  binDir: string;
  dataDir: string;
  baseDir: string;
  runAs: RunAs | undefined;
  postmasterPid: number | undefined;
  /** Set once killed synchronously (exit hook or failed start). */
  stopped: boolean;
}

const live = new Set<Live>();
let exitHookInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A postmaster we spawned stays a zombie until node reaps it, which cannot happen while we
  // block (exit handler): treat zombies as dead.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Synchronous (exit handlers cannot await): immediate shutdown, then delete the directory. */
function killSync(l: Live): void {
  l.stopped = true;
  try {
    const pid = l.postmasterPid;
    if (pid) {
      // SIGQUIT to the postmaster = immediate shutdown; it takes its backends down with it and
      // removes postmaster.pid on the way out.
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
      const pidFile = path.join(l.dataDir, 'postmaster.pid');
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && isAlive(pid) && fs.existsSync(pidFile)) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // synchronous 10 ms sleep
      }
    }
  } finally {
    try {
      fs.rmSync(l.baseDir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

/**
 * Immediately stops every cluster this process started and deletes their directories,
 * synchronously. Runs automatically on process 'exit'; exported for hosts that handle signals.
 */
export function stopAllLocalClustersSync(): void {
  for (const l of live) killSync(l);
  live.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', stopAllLocalClustersSync);
}

/**
 * The exit hook cannot run when this process is killed (SIGKILL, an editor that gives up on its language server): a
 * detached shell then outlives it and, once it is gone, stops the postmaster (immediate shutdown, only if that pid is
 * still this cluster's postmaster) and deletes the cluster's directory. When the cluster is stopped normally the
 * postmaster goes first and the shell just exits.
 */
function startWatchdog(ownerPid: number, postmasterPid: number, dataDir: string, baseDir: string): void {
  const script = [
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done',
    'if kill -0 "$2" 2>/dev/null && tr "\\0" " " < "/proc/$2/cmdline" 2>/dev/null | grep -qF -- "$3"; then',
    '  kill -QUIT "$2"; i=0',
    '  while kill -0 "$2" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    'fi',
    'rm -rf -- "$4"',
  ].join('\n');
  try {
    spawn('/bin/sh', ['-c', script, 'mg-pg-watchdog', String(ownerPid), String(postmasterPid), dataDir, baseDir], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    // Without it the exit hook still covers every ordinary exit.
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Creates and starts a throwaway cluster. Throws an Error with initdb's/postgres's output when
 * something fails, and a clear "binaries not found" error when PostgreSQL is not installed
 * (CI installs it with scripts/ensure-postgres.sh).
 */
export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const binDir = findPostgresBinDir(opts.binDir);
  if (!binDir) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install PostgreSQL ' +
        '(CI: scripts/ensure-postgres.sh), or set MG_PG_BIN to the directory that contains them ' +
        '(e.g. /usr/lib/postgresql/16/bin).',
    );
  }
  const runAs = unprivilegedAccount(log);

  // The socket path must stay under ~107 bytes, and when we run as someone else every ancestor
  // directory must be traversable by them: fall back to /tmp when os.tmpdir() is not.
  let tmpRoot = os.tmpdir();
  if (!isWindows && (tmpRoot.length > 60 || (runAs && !accessibleBy(runAs, tmpRoot)))) tmpRoot = '/tmp';
  const baseDir = fs.mkdtempSync(path.join(tmpRoot, 'mg-pg-'));
  const dataDir = path.join(baseDir, 'data');
  const logFile = path.join(baseDir, 'postgres.log');
  const entry: Live = { binDir, dataDir, baseDir, runAs, postmasterPid: undefined, stopped: false };
  installExitHook();
  live.add(entry);

  try {
    if (runAs) {
      fs.chownSync(baseDir, runAs.uid, runAs.gid);
      if (!accessibleBy(runAs, path.join(binDir, exe('postgres')))) {
        throw new Error(`user ${runAs.name} cannot execute the PostgreSQL binaries in ${binDir}`);
      }
    }
    const so = spawnOpts(runAs, baseDir);

    const init = await run(
      path.join(binDir, exe('initdb')),
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      so,
      120_000,
    );
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code ?? init.signal}):\n${init.output.trim()}`);
    log(`initdb done in ${Date.now() - t0} ms`);

    const port = await freePort();
    const settings: Record<string, string> = {
      listen_addresses: isWindows ? '127.0.0.1' : '',
      port: String(port),
      fsync: 'off',
      full_page_writes: 'off',
      synchronous_commit: 'off',
      max_connections: '20',
      shared_buffers: '16MB',
      max_wal_senders: '0',
      wal_level: 'minimal',
      track_counts: 'on', // the tracer's scan detection relies on per-table counters
      autovacuum: 'off', // keeps the only sessions in pg_locks our own
      jit: 'off',
      logging_collector: 'off',
      log_min_messages: 'warning',
      TimeZone: 'UTC',
    };
    if (!isWindows) settings.unix_socket_directories = baseDir;
    const args = ['-D', dataDir];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);

    const logFd = fs.openSync(logFile, 'a');
    if (runAs) fs.fchownSync(logFd, runAs.uid, runAs.gid);
    // Not detached: a Ctrl-C in a terminal reaches the postmaster too (SIGINT = fast shutdown).
    const child = spawn(path.join(binDir, exe('postgres')), args, { ...so, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    entry.postmasterPid = child.pid;
    if (!isWindows && child.pid) startWatchdog(process.pid, child.pid, dataDir, baseDir);
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
    child.on('error', (e) => (exited = e.message));
    child.unref();

    const host = isWindows ? '127.0.0.1' : baseDir;
    const config = (database = 'postgres'): ClientConfig => ({
      host,
      port,
      user: 'postgres',
      database,
      application_name: 'migration-guard',
    });

    // Ready when postmaster.pid says so and a connection succeeds.
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    let version = 0;
    for (;;) {
      if (exited) throw new Error(`postgres stopped during startup (${exited}):\n${readTail(logFile).trim()}`);
      const pidFile = readTail(path.join(dataDir, 'postmaster.pid'));
      if (/^ready\s*$/m.test(pidFile)) {
        const c = new Client(config());
        try {
          await c.connect();
          const r = await c.query<{ v: string }>('SELECT current_setting(\'server_version_num\') AS v');
          version = Number(r.rows[0].v);
          break;
        } catch {
          // not accepting yet
        } finally {
          await c.end().catch(() => {});
        }
      }
      if (Date.now() > deadline) throw new Error(`postgres did not become ready in time:\n${readTail(logFile).trim()}`);
      await sleep(20);
    }
    log(`PostgreSQL ${version} ready on ${host}:${port} in ${Date.now() - t0} ms`);

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        try {
          if (!exited && !entry.stopped) {
            const r = await run(
              path.join(binDir, exe('pg_ctl')),
              ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'],
              so,
              60_000,
            ).catch(() => undefined);
            if ((!r || r.code !== 0) && child.pid) {
              try {
                process.kill(child.pid, 'SIGQUIT');
              } catch {
                // already gone
              }
            }
            // Wait for the postmaster itself to be gone before deleting its directory.
            const until = Date.now() + 10_000;
            while (!exited && Date.now() < until) await sleep(10);
          }
        } finally {
          fs.rmSync(baseDir, { recursive: true, force: true });
          live.delete(entry);
          log('PostgreSQL stopped');
        }
      })());

    return { socketDir: baseDir, port, binDir, version, connectionConfig: config, stop };
  } catch (e) {
    live.delete(entry);
    killSync(entry);
    throw e;
  }
}
