/**
 * Engine choice. An explicit `engine` wins (`url` needs a URL; a configured server is never chosen implicitly: it is
 * used only on an explicit request). Otherwise the local binaries are preferred when they are installed and their
 * major version is the one the project targets (`postgresVersion`), since they trace CONCURRENTLY too and run the
 * user's version; the embedded PGlite (PostgreSQL 18) is the zero-setup default.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Engine, EngineKind } from './engine';
import { LocalEngine } from './local';
import { findPostgresBinDir } from './localCluster';
import { PgliteEngine, type PgliteEngineOptions } from './pglite/client';
import { UrlEngine } from './url';

export interface SelectEngineOptions {
  engine?: EngineKind;
  url?: string;
  /** The PostgreSQL major version the project targets. */
  postgresVersion?: number;
  /** Local binaries; default: `findPostgresBinDir()`. */
  binDir?: string;
  pglite?: PgliteEngineOptions;
  log?: (s: string) => void;
}

export interface SelectedEngine {
  engine: Engine;
  /** Why this engine, in one sentence (for the output and logs). */
  reason: string;
}

/** The major version of the `postgres` binary in `binDir` (`postgres --version`), or undefined. */
export function localMajorVersion(binDir: string): number | undefined {
  const r = spawnSync(join(binDir, process.platform === 'win32' ? 'postgres.exe' : 'postgres'), ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : undefined;
}

export function selectEngine(opts: SelectEngineOptions = {}): SelectedEngine {
  if (opts.engine === 'url') {
    if (!opts.url) throw new Error('the url engine needs a database URL (--url or migrationGuard.database.url)');
    return { engine: new UrlEngine({ url: opts.url }), reason: 'the configured database (inside a transaction that is rolled back)' };
  }
  if (opts.engine === 'local') {
    const binDir = findPostgresBinDir(opts.binDir);
    if (!binDir) throw new Error('the local engine needs PostgreSQL server binaries (initdb, pg_ctl, postgres); set MG_PG_BIN or install PostgreSQL');
    return { engine: new LocalEngine({ binDir, log: opts.log }), reason: `local PostgreSQL binaries in ${binDir}` };
  }
  if (opts.engine === 'pglite') return { engine: new PgliteEngine({ log: opts.log, ...opts.pglite }), reason: 'the embedded engine (PGlite), as asked' };
  let binDir: string | undefined;
  try {
    binDir = findPostgresBinDir(opts.binDir);
  } catch {
    binDir = undefined;
  }
  const major = binDir ? localMajorVersion(binDir) : undefined;
  if (binDir && major !== undefined && opts.postgresVersion !== undefined && major === opts.postgresVersion) {
    return { engine: new LocalEngine({ binDir, log: opts.log }), reason: `local PostgreSQL ${major} binaries match the targeted version` };
  }
  const why = !binDir
    ? 'no local PostgreSQL binaries were found'
    : opts.postgresVersion === undefined
      ? 'no PostgreSQL version is targeted'
      : `the local binaries are PostgreSQL ${major ?? '?'}, the project targets ${opts.postgresVersion}`;
  return { engine: new PgliteEngine({ log: opts.log, ...opts.pglite }), reason: `the embedded engine (PGlite, PostgreSQL 18): ${why}` };
}
