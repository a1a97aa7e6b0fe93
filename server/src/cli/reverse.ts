/**
 * `migration-guard reverse FILE [--dir MIGRATIONS_DIR] [--pg-version N] [--config PATH] [--engine pglite|local|url]
 * [--url URL] [--verify]`: prints the generated down migration of FILE. The schema before FILE comes from the earlier
 * migrations of its folder (as `lint` sees them); with --dir, from every forward migration of that folder when FILE is
 * not one of them (a new migration kept elsewhere). With --engine or --verify, the earlier migrations are also replayed
 * on a real PostgreSQL: definitions they hide from the static catalog (DO blocks, EXECUTE) are read there, and the down
 * is run after the up and the schema compared with the one before (`engines/reverse.ts`); what differs goes to stderr.
 * Exit codes: 0 fully reversible (and, with an engine, verified), 3 some part is irreversible (the SQL is still printed
 * with its `-- IRREVERSIBLE:` lines) or the verification found a difference or an error (the down is printed all the
 * same: it is the best the generator has, and the user must see why it is not trusted), 2 usage, I/O or engine error,
 * or a file none of whose statements parse.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCatalogCache, parseFile, resolveConfig } from '../analysis';
import type { Catalog } from '../analysis/catalog';
import { reverseMigration, type ReverseResult } from '../analysis/reverse';
import { reverseForMigration } from '../analysis/reverse/target';
import { migrationContext } from '../analysis/project/context';
import type { EngineKind } from '../engines/engine';
import { reverseOnEngine, type EngineReverseResult } from '../engines/reverse';
import { selectEngine } from '../engines/select';
import { CachedDiskHost } from '../host/disk';
import { readText, UsageError } from './files';
import { dirMigrations, parsePgVersion } from './flags';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

export const REVERSE_USAGE = `  migration-guard reverse FILE [--dir MIGRATIONS_DIR] [--pg-version N] [--config PATH]   print the down migration (exit 3: partly irreversible)
      [--engine pglite|local|url] [--url URL] [--verify]   replay the earlier migrations on PostgreSQL: read what they
                                                        hide from the static catalog, run up → down and compare the
                                                        schema (exit 3 when it differs; differences on stderr)`;

const pg = (v: number) => `${Math.floor(v / 10000)}.${v % 10000}`;

/** The engine's findings, for stderr. */
function engineReport(display: string, r: EngineReverseResult, reason: string): string[] {
  const lines: string[] = [];
  const v = r.verification;
  lines.push(`migration-guard: ${display}: ${v ? `${v.engine} engine, PostgreSQL ${pg(v.version)}` : 'engine'} (${reason})`);
  for (const e of (v?.replay.errors ?? []).slice(0, 5)) lines.push(`migration-guard: warning: earlier migration ${e.path} statement ${e.statement + 1} failed on the engine: ${e.message}`);
  if (r.source !== 'migrations') {
    lines.push(
      `migration-guard: the schema before the up was read from the engine${r.source === 'migrations+engine' ? ' where the earlier migrations do not show it' : ' (the one built from the earlier migrations did not verify)'}`,
    );
  }
  if (!v) return lines;
  for (const e of v.upErrors) lines.push(`migration-guard: verification: the up failed at line ${e.line}: ${e.message}`);
  for (const e of v.downErrors) lines.push(`migration-guard: verification: the generated down failed at line ${e.line}: ${e.message}`);
  for (const d of v.diffs) lines.push(`migration-guard: verification: ${d.message}`);
  lines.push(r.verified ? 'migration-guard: verified: up → down restores the schema on the engine' : 'migration-guard: NOT verified: up → down does not restore the schema on the engine (see above)');
  return lines;
}

export function reverse(args: string[], io: Io): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'pg-version': { type: 'string' },
      config: { type: 'string' },
      engine: { type: 'string' },
      url: { type: 'string' },
      verify: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('reverse needs exactly one migration file');
  const engineKind = values.engine ?? (values.url ? 'url' : undefined);
  if (engineKind !== undefined && engineKind !== 'pglite' && engineKind !== 'local' && engineKind !== 'url') throw new UsageError(`--engine must be pglite, local or url, got "${engineKind}"`);
  if (engineKind === 'url' && !values.url) throw new UsageError('--engine url needs --url');
  if (values.url && engineKind !== 'url') throw new UsageError('--url is only used with --engine url');
  const useEngine = engineKind !== undefined || values.verify === true;
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${positionals[0]}`);
  const host = new CachedDiskHost({ snapshot: true });
  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = resolve(io.cwd, values.config);
    if (!existsSync(configPath) || !statSync(configPath).isFile()) throw new UsageError(`--config: no such file: ${values.config}`);
  }
  const config = resolveConfig(path, host, { configPath, overrides: { postgresVersion: parsePgVersion(values['pg-version']) } });
  for (const p of config.problems) io.err(`migration-guard: warning: ${relative(io.cwd, p.path) || p.path}:${p.range.start.line + 1}: ${p.message}`);
  const postgresVersion = config.options.postgresVersion;
  const text = readText(path);

  const statements = parseFile(text).statements;
  // Nothing to reverse is an error, not an empty down: a CI step must not pass on a file that holds no migration.
  if (statements.every((s) => s.kind === 'TransactionStmt')) {
    io.err(`migration-guard: ${positionals[0]} holds no SQL statements: nothing to reverse`);
    return 2;
  }
  if (statements.every((s) => s.error)) {
    io.err(`migration-guard: ${positionals[0]}: no statement parses (${statements[0].error?.message ?? 'syntax error'})`);
    return 2;
  }

  let result: ReverseResult;
  let where: string | undefined;
  const dir = values.dir === undefined ? undefined : resolve(io.cwd, values.dir);
  if (dir !== undefined && (!existsSync(dir) || !statSync(dir).isDirectory())) throw new UsageError(`--dir: no such directory: ${values.dir}`);
  const plan = reverseForMigration(path, host, { text, postgresVersion });
  const inside = dir !== undefined && plan.result && relative(dir, path).split(/[\\/]/)[0] !== '..' && plan.downPath !== undefined;
  // The up, and the earlier migrations with their catalog, as the static reverse saw them (the engine replays the same).
  let input: { text: string; earlier: { path: string; text: string }[]; catalog: Catalog; assumeInTransaction: boolean };
  if (dir !== undefined && !inside) {
    const earlier = dirMigrations(dir, host, path);
    const catalog = defaultCatalogCache.catalogFor(earlier);
    const assumeInTransaction = config.options.assumeInTransaction ?? false;
    result = reverseMigration(text, { catalog, postgresVersion, assumeInTransaction });
    input = { text, earlier, catalog, assumeInTransaction };
  } else {
    result = plan.result;
    where = plan.downPath ?? plan.reason;
    const ctx = migrationContext(path, host, { text });
    input = { text: ctx.text, earlier: ctx.earlier.map((e) => ({ path: e.path, text: e.text })), catalog: ctx.catalog(), assumeInTransaction: ctx.assumeInTransaction };
  }
  const display = relative(io.cwd, path) || path;
  const finish = (r: ReverseResult, verified: boolean | undefined): number => {
    io.out(r.sql.replace(/\n$/, ''));
    if (where) io.err(`migration-guard: down migration for ${display}: ${plan.downPath ? relative(io.cwd, plan.downPath) || plan.downPath : where}`);
    if (!r.complete) io.err(`migration-guard: ${r.irreversible.length} part(s) cannot be undone (see the -- IRREVERSIBLE lines)`);
    return !r.complete || verified === false ? 3 : 0;
  };
  if (!useEngine) return finish(result, undefined);

  return (async () => {
    let selected: ReturnType<typeof selectEngine>;
    try {
      selected = selectEngine({ engine: engineKind as EngineKind | undefined, url: values.url, postgresVersion });
    } catch (e) {
      io.err(`migration-guard: ${(e as Error).message}`);
      return 2;
    }
    try {
      const r = await reverseOnEngine(selected.engine, { ...input, postgresVersion });
      for (const line of engineReport(display, r, selected.reason)) io.err(line);
      return finish(r.result, r.verified);
    } catch (e) {
      io.err(`migration-guard: the engine failed: ${(e as Error).message}`);
      return 2;
    } finally {
      await selected.engine.close().catch(() => undefined);
    }
  })();
}
