/**
 * The `migration-guard` command line: the same analysis as the editor, for CI, with the same configuration (resolved
 * by the analysis library from `.migration-guard.json` or `.squawk.toml`; flags override the file).
 *   migration-guard lint [paths… | -] [--format F] [--pg-version N] [--fail-on S] [--exclude GLOB]… [--config PATH]
 *                        [--stdin-filename NAME] [--stats FILE]
 *   migration-guard locks FILE [--format json|text] [--pg-version N] [--config PATH] [--stats FILE]
 *   migration-guard rules [--format text|json]
 * Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error (including "no files analyzed").
 * Arguments are parsed with Node's built-in util.parseArgs (no dependency needed for this small surface).
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  analyze,
  analyzeMigration,
  initParser,
  RULES,
  type AnalysisOptions,
  type ProjectHost,
  type ConfigProblem,
  type Severity,
} from '../analysis';
import { blocks, describeBlocking } from '../analysis/locks';
import { DEFAULT_DOCS_BASE_URL } from '../analysis/options';
import { describeSize, sizeOf } from '../analysis/sizes';
import { CachedDiskHost } from '../host/disk';
import { collectFiles, excludeMatcher, readStdin, readText, UsageError, type InputFile } from './files';
import { parsePgVersion } from './flags';
import { FORMATS, render, type FileReport } from './formats';
import { traceCommand, TRACE_USAGE } from './trace';
import { reverse, REVERSE_USAGE } from './reverse';

const USAGE = `Usage:
  migration-guard lint [paths… | -] [options]
      --format text|json|sarif|github|gitlab   output (default text)
      --pg-version 10..18                       PostgreSQL major version (overrides the config file)
      --fail-on error|warning|info|never        exit 1 at or above this severity (default warning)
      --exclude GLOB                            skip matching files or directories (repeatable)
      --config PATH                             use this config file instead of searching for one
      --stdin-filename NAME                     name of the text read from "-" (for config and output)
      --stats FILE                              table sizes ({"tables": {"public.users": {"rows": N, "bytes": N}}}):
                                                lock findings on small tables become info, big ones are named
  migration-guard locks FILE [--format json|text] [--pg-version N] [--config PATH] [--stats FILE]
  migration-guard rules [--format text|json]
${TRACE_USAGE}
${REVERSE_USAGE}

Paths may be files or directories (searched recursively for .sql files); "-" reads standard input.
Configuration: the nearest .migration-guard.json (or .squawk.toml) above each file; flags override it.
Exit codes: 0 clean, 1 findings at or above --fail-on (default: warning), 2 usage or I/O error.`;

const RANK: Record<Severity | 'never', number> = { info: 1, warning: 2, error: 3, never: 99 };

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
  /** Standard input, read on demand (tests pass a string). */
  stdin?: () => string;
}


/** `--stats FILE`: an existing file, absolute (overrides the config file's `stats`). */
function statsFile(v: string | undefined, cwd: string): string | undefined {
  if (v === undefined) return undefined;
  const p = resolve(cwd, v);
  if (!existsSync(p) || !statSync(p).isFile()) throw new UsageError(`--stats: no such file: ${v}`);
  return p;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** The run's file host and `--config`, and config problems printed once each on stderr. */
class Configs {
  readonly host: ProjectHost = new CachedDiskHost({ snapshot: true });
  private readonly reported = new Set<string>();
  readonly configPath?: string;

  constructor(
    private readonly io: Io,
    configFlag: string | undefined,
  ) {
    if (configFlag !== undefined) {
      const p = resolve(io.cwd, configFlag);
      if (!existsSync(p) || !statSync(p).isFile()) throw new UsageError(`--config: no such file: ${configFlag}`);
      this.configPath = p;
    }
  }

  report(problems: ConfigProblem[]): void {
    for (const p of problems) {
      const key = `${p.path}\0${p.span.start}\0${p.message}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      const shown = relative(this.io.cwd, p.path) || p.path;
      this.io.err(`migration-guard: warning: ${shown}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
    }
  }
}

/** The inputs named on the command line: files and directories, then standard input when `-` is among them. */
function inputs(positionals: string[], stdinName: string | undefined, exclude: string[], io: Io): { files: InputFile[]; excluded: number } {
  const stdinCount = positionals.filter((p) => p === '-').length;
  if (stdinCount > 1) throw new UsageError('"-" (standard input) may be given only once');
  if (stdinName !== undefined && stdinCount === 0) throw new UsageError('--stdin-filename needs "-" among the paths');
  const paths = positionals.filter((p) => p !== '-');
  const { files, excluded } = paths.length ? collectFiles(paths, io.cwd, exclude) : { files: [], excluded: 0 };
  if (stdinCount === 0) return { files, excluded };
  // Without --stdin-filename the text is taken to live in the working directory (for finding its config).
  const path = resolve(io.cwd, stdinName ?? 'stdin.sql');
  if (stdinName !== undefined && excludeMatcher(exclude, io.cwd)(path)) return { files, excluded: excluded + 1 };
  const display = stdinName === undefined ? '<stdin>' : relative(io.cwd, path) || path;
  return { files: [...files, { path, display, text: (io.stdin ?? readStdin)() }], excluded };
}

function lint(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      'pg-version': { type: 'string' },
      'fail-on': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      config: { type: 'string' },
      'stdin-filename': { type: 'string' },
      stats: { type: 'string' },
    },
  });
  const format = oneOf('format', values.format, FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], ['error', 'warning', 'info', 'never'] as const, 'warning');
  const overrides: AnalysisOptions = { postgresVersion: parsePgVersion(values['pg-version']), statsFile: statsFile(values.stats, io.cwd) };
  if (positionals.length === 0) throw new UsageError('lint needs at least one file or directory ("-" for standard input)');
  const configs = new Configs(io, values.config);
  const found = inputs(positionals, values['stdin-filename'], values.exclude ?? [], io);
  let excluded = found.excluded;
  const reports: FileReport[] = [];
  let worst = 0;
  for (const file of found.files) {
    const a = analyzeMigration(file.path, configs.host, {
      text: file.text ?? readText(file.path),
      configPath: configs.configPath,
      overrides,
      rememberCatalog: true,
    });
    configs.report(a.configProblems);
    if (!a.result) {
      excluded++;
      continue;
    }
    const result = a.result;
    reports.push({ file, result });
    for (const f of result.findings) worst = Math.max(worst, RANK[f.severity]);
  }
  if (reports.length === 0) {
    const where = positionals.join(', ');
    if (excluded > 0) {
      throw new UsageError(`every .sql file in ${where} is excluded (${excluded} by --exclude or the config's include/exclude): nothing was analyzed`);
    }
    throw new UsageError(`no .sql files found in ${where}: nothing was analyzed`);
  }
  io.out(render(format, { files: reports, cwd: io.cwd }));
  return worst >= RANK[failOn] ? 1 : 0;
}

function locks(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, 'pg-version': { type: 'string' }, config: { type: 'string' }, stats: { type: 'string' } },
  });
  const format = oneOf('format', values.format, ['json', 'text'] as const, 'json');
  const overrides: AnalysisOptions = { postgresVersion: parsePgVersion(values['pg-version']), statsFile: statsFile(values.stats, io.cwd) };
  if (positionals.length !== 1) throw new UsageError('locks needs exactly one file');
  const configs = new Configs(io, values.config);
  const found = collectFiles(positionals, io.cwd).files;
  if (found.length !== 1) throw new UsageError(`locks needs exactly one .sql file; ${positionals[0]} holds ${found.length}`);
  const [file] = found;
  const text = readText(file.path);
  const a = analyzeMigration(file.path, configs.host, { text, configPath: configs.configPath, overrides });
  configs.report(a.configProblems);
  // `locks` describes the file it is given even when the config excludes it from linting.
  const result = a.result ?? analyze(text, a.options);
  if (result.file.statements.length === 0) throw new UsageError(`${file.display} holds no SQL statements: no locks to describe`);
  const lines = result.file.lines;
  const sizes = result.options.tableSizes;
  const statements = result.file.statements.map((s) => {
    const facts = result.facts.statements[s.index];
    const effect = facts.effect;
    return {
      line: lines.positionAt(s.span.start).line + 1,
      endLine: lines.positionAt(s.span.end).line + 1,
      sql: s.text,
      locks: effect.locks.map((l) => {
        // A table created earlier in this file is empty and unseen by other sessions, whatever the stats say.
        const createdInFile = facts.createdBefore.has(l.key);
        const size = createdInFile ? undefined : sizeOf(sizes, l.key);
        return {
          relation: l.relation,
          mode: l.mode,
          blocks: blocks(l.mode),
          ...(createdInFile ? { createdInFile } : {}),
          ...(size ? { table: { rows: size.rows, ...(size.bytes !== undefined ? { bytes: size.bytes } : {}) } } : {}),
        };
      }),
      rewrites: effect.rewrites,
      scans: effect.scans,
      /** How long the locks are held: to the end of the statement, or to COMMIT when the statement runs in a transaction. */
      heldUntil: facts.inTransaction ? ('commit' as const) : ('statement' as const),
      nonTransactional: effect.nonTransactional,
      notes: effect.notes,
      ...(s.node ? {} : { parseError: s.error?.message ?? 'does not parse' }),
    };
  });
  if (format === 'json') io.out(JSON.stringify({ statements, tableSizes: Object.keys(sizes ?? {}).length > 0 }, null, 2));
  else {
    for (const s of statements) {
      if (s.parseError) {
        io.out(`${file.display}:${s.line}: does not parse: ${s.parseError}`);
        continue;
      }
      const l =
        s.locks
          .map((x) => {
            const size = x.createdInFile ? 'created in this file' : x.table ? describeSize(x.table) : '';
            return `${x.mode} on ${x.relation}${size ? ` (${size})` : ''}, ${describeBlocking(x.mode)}`;
          })
          .join('; ') || 'no table locks';
      const held = s.locks.length ? (s.heldUntil === 'commit' ? ' until COMMIT' : ' until the end of the statement') : '';
      io.out(
        `${file.display}:${s.line}: ${l}${held}${s.rewrites.length ? `; rewrites ${s.rewrites.join(', ')}` : ''}${s.scans.length ? `; scans ${s.scans.join(', ')}` : ''}${s.nonTransactional ? '; cannot run in a transaction block' : ''}`,
      );
    }
  }
  return 0;
}

/** `migration-guard rules`: the catalogue, for people (text) and for tools (json). */
function rules(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' } } });
  if (positionals.length) throw new UsageError(`rules takes no arguments, got ${positionals.join(' ')}`);
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const list = RULES.map((r) => ({
    id: r.id,
    description: r.description,
    category: r.category,
    defaultSeverity: r.defaultSeverity,
    recommended: r.recommended,
    fixable: r.fixable,
    docsUrl: `${DEFAULT_DOCS_BASE_URL}${r.id}.md`,
  })).sort((a, b) => a.id.localeCompare(b.id));
  if (format === 'json') {
    io.out(JSON.stringify({ rules: list }, null, 2));
    return 0;
  }
  const idWidth = Math.max(...list.map((r) => r.id.length));
  const catWidth = Math.max(...list.map((r) => r.category.length));
  for (const r of list) {
    const flags = [r.recommended ? 'recommended' : 'off by default', r.fixable ? 'fixable' : ''].filter(Boolean).join(', ');
    io.out(`${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.defaultSeverity.padEnd(7)}  ${r.description} (${flags})`);
  }
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'rules') return rules(rest, io);
    await initParser();
    if (command === 'lint') return lint(rest, io);
    if (command === 'locks') return locks(rest, io);
    if (command === 'trace' || command === 'verify') return await traceCommand(command, rest, io);
    if (command === 'reverse') return await reverse(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`migration-guard: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`migration-guard: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
