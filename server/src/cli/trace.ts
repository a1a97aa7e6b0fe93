/**
 * `migration-guard trace` and `migration-guard verify`: run a migration on a real PostgreSQL engine (embedded PGlite by
 * default, local binaries, or a configured server) after the earlier migrations of its folder.
 *   migration-guard trace FILE [--dir DIR] [--engine pglite|local|url] [--url URL] [--format json|text] [--pg-version N]
 *   migration-guard verify FILE [--dir DIR] [--engine …] [--url URL] [--format json|text] [--pg-version N]
 * `--dir MIGRATIONS_DIR` (as for `reverse`): when FILE is not inside that folder (a new migration kept elsewhere), every
 * forward migration of the folder runs before it; otherwise the folder's migrations before FILE. Exit codes as for `lint`:
 * 0 all confirmed / the down restores the schema, 1 a mismatch, an error the migration would hit, or a rollback
 * difference, 2 usage, I/O or engine errors.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMigration, type AnalysisOptions } from '../analysis';
import type { EngineKind } from '../engines/engine';
import { runnableStatements, traceMigration, verifyMigrationRollback, type MigrationTraceResult, type RollbackVerification } from '../engines/migration';
import { selectEngine } from '../engines/select';
import { CachedDiskHost } from '../host/disk';
import { readText, UsageError } from './files';
import { dirMigrations, parsePgVersion } from './flags';

export interface TraceIo {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

export const TRACE_USAGE = `  migration-guard trace FILE [--dir DIR] [--engine pglite|local|url] [--url URL] [--format json|text] [--pg-version N]
  migration-guard verify FILE [--dir DIR] [--engine pglite|local|url] [--url URL] [--format json|text] [--pg-version N]`;

const OPTIONS = {
  dir: { type: 'string' },
  engine: { type: 'string' },
  url: { type: 'string' },
  format: { type: 'string' },
  'pg-version': { type: 'string' },
  config: { type: 'string' },
} as const;

interface Parsed {
  path: string;
  dir?: string;
  display: string;
  text: string;
  format: 'json' | 'text';
  engine?: EngineKind;
  url?: string;
  overrides: AnalysisOptions;
  configPath?: string;
}

function parse(command: string, args: string[], io: TraceIo): Parsed {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one migration file`);
  const dir = values.dir !== undefined ? resolve(io.cwd, values.dir) : undefined;
  if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) throw new UsageError(`--dir: no such directory: ${values.dir}`);
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${positionals[0]}`);
  const format = values.format ?? 'text';
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, got "${format}"`);
  const engine = values.engine;
  if (engine !== undefined && engine !== 'pglite' && engine !== 'local' && engine !== 'url') throw new UsageError(`--engine must be pglite, local or url, got "${engine}"`);
  if (engine === 'url' && !values.url) throw new UsageError('--engine url needs --url');
  if (values.url && engine !== undefined && engine !== 'url') throw new UsageError('--url is only used with --engine url');
  const postgresVersion = parsePgVersion(values['pg-version']);
  return {
    path,
    dir,
    display: relative(io.cwd, path) || path,
    text: readText(path),
    format,
    engine: values.url && engine === undefined ? 'url' : engine,
    url: values.url,
    overrides: { postgresVersion },
    configPath: values.config !== undefined ? resolve(io.cwd, values.config) : undefined,
  };
}


function context(p: Parsed) {
  const host = new CachedDiskHost({ snapshot: true });
  const a = analyzeMigration(p.path, host, { text: p.text, configPath: p.configPath, overrides: p.overrides });
  if (!a.context) throw new Error(`could not read the project of ${p.display}`);
  const inside = p.dir !== undefined && relative(p.dir, p.path).split(/[\\/]/)[0] !== '..';
  const earlier =
    p.dir !== undefined && !inside ? dirMigrations(p.dir, host, p.path) : a.context.earlier.map((e) => ({ path: e.path, text: e.text }));
  return { ctx: a.context, earlier, postgresVersion: a.options.postgresVersion, assumeInTransaction: a.options.assumeInTransaction ?? a.context.assumeInTransaction };
}

const pg = (v: number) => `${Math.floor(v / 10000)}.${v % 10000}`;

const short = (sql: string) => {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 70 ? `${one.slice(0, 67)}…` : one;
};

function renderTrace(display: string, r: MigrationTraceResult, reason: string): string[] {
  const lines = [
    `${display}: ${r.engine} engine, PostgreSQL ${pg(r.version)} (${reason})`,
    `  earlier migrations: ${r.replay.migrations}${r.replay.reused ? ' (schema reused)' : `, ${r.replay.replayed} replayed in ${r.replay.ms} ms`}${r.replay.note ? `; ${r.replay.note}` : ''}`,
  ];
  if (r.targetVersion !== undefined) lines.push(`  note: the project targets PostgreSQL ${r.targetVersion}; the model was asked about ${r.modelVersion}, the engine's version`);
  for (const s of r.statements) {
    const locks = s.trace.locks.filter((l) => !l.created).map((l) => `${l.mode} on ${l.relation}`);
    const detail =
      s.verdict === 'error'
        ? `${s.trace.error?.message}${s.trace.error?.code ? ` (${s.trace.error.code})` : ''}`
        : s.verdict === 'not-traced' || s.verdict === 'skipped'
          ? (s.trace.note ?? '')
          : [locks.join(', ') || 'no locks on existing relations', s.trace.rewritten.length ? `rewrites ${s.trace.rewritten.join(', ')}` : '', s.trace.created.length ? `creates ${s.trace.created.join(', ')}` : '', s.trace.dropped.length ? `drops ${s.trace.dropped.join(', ')}` : '']
              .filter(Boolean)
              .join('; ');
    lines.push(`  ${display}:${s.line}  ${s.verdict.padEnd(10)}  ${short(s.sql)}`);
    if (detail) lines.push(`      ${detail}`);
    for (const m of s.mismatches) lines.push(`      mismatch: ${m}`);
    for (const u of s.unpredicted) lines.push(`      not in the model (catalog): ${u}`);
  }
  for (const e of r.replay.errors.slice(0, 5)) lines.push(`  warning: earlier migration ${e.path} statement ${e.statement + 1} failed: ${e.message}`);
  if (r.replay.errors.length > 5) lines.push(`  warning: ${r.replay.errors.length - 5} more statements of earlier migrations failed`);
  const s = r.summary;
  lines.push(`  ${s.confirmed} confirmed, ${s.mismatch} mismatch, ${s.error} error, ${s['not-traced']} not traced, ${s.skipped} skipped`);
  return lines;
}

function renderVerify(display: string, downDisplay: string, r: RollbackVerification, reason: string): string[] {
  const lines = [`${display} → ${downDisplay}: ${r.engine} engine, PostgreSQL ${pg(r.version)} (${reason})`];
  if (r.emptyDown) lines.push('  the down is empty');
  for (const e of r.upErrors) lines.push(`  ${display}:${e.line}  error in the up: ${e.message}`);
  for (const e of r.downErrors) lines.push(`  ${downDisplay}:${e.line}  error in the down: ${e.message}`);
  for (const d of r.diffs) lines.push(`  ${d.message}`);
  if (!r.diffs.length && !r.upErrors.length && !r.downErrors.length) lines.push('  the down restores the schema');
  return lines;
}

export async function traceCommand(command: 'trace' | 'verify', args: string[], io: TraceIo): Promise<number> {
  const p = parse(command, args, io);
  const { ctx, earlier, postgresVersion, assumeInTransaction } = context(p);
  // Nothing to run is an error, not a clean result: a CI step must not pass on a file that was never traced.
  if (runnableStatements(ctx.text) === 0) throw new UsageError(`${p.display} holds no SQL statements: nothing to ${command}`);
  const { engine, reason } = selectEngine({ engine: p.engine, url: p.url, postgresVersion });
  try {
    if (command === 'trace') {
      const r = await traceMigration(engine, { earlier, text: ctx.text, analysisOptions: { postgresVersion, assumeInTransaction } });
      if (p.format === 'json') io.out(JSON.stringify({ file: p.display, reason, ...r }, null, 2));
      else io.out(renderTrace(p.display, r, reason).join('\n'));
      if (r.statements.every((s) => s.verdict === 'skipped' || s.trace.note === 'not sent to PostgreSQL')) {
        io.err(`migration-guard: nothing was traced: no statement of ${p.display} parses`);
        return 2;
      }
      return r.summary.mismatch > 0 || r.summary.error > 0 ? 1 : 0;
    }
    if (ctx.downText === undefined) {
      throw new UsageError(`no down migration found for ${p.display} (${ctx.convention.tool ?? 'unknown'} convention)`);
    }
    const downDisplay = ctx.downPath ? relative(io.cwd, ctx.downPath) || ctx.downPath : p.display;
    const r = await verifyMigrationRollback(engine, { earlier, up: ctx.text, down: ctx.downText });
    if (p.format === 'json') io.out(JSON.stringify({ file: p.display, down: downDisplay, reason, ...r }, null, 2));
    else io.out(renderVerify(p.display, downDisplay, r, reason).join('\n'));
    return r.diffs.length || r.upErrors.length || r.downErrors.length ? 1 : 0;
  } finally {
    await engine.close();
  }
}
