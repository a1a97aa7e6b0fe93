/**
 * The `migration-guard` command line: the same analysis as the editor, for CI.
 *   migration-guard lint [paths…] [--format text|json] [--pg-version N] [--fail-on error|warning|info|never]
 *   migration-guard locks FILE [--format json|text] [--pg-version N]
 * Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error (including "no files analyzed").
 * Arguments are parsed with Node's built-in util.parseArgs (no dependency needed for this small surface).
 */
import { parseArgs } from 'node:util';
import { analyze, initParser, statementEffect, type AnalysisOptions, type Finding, type Severity } from '../analysis';
import { collectFiles, readText, UsageError, type InputFile } from './files';

const USAGE = `Usage:
  migration-guard lint [paths…] [--format text|json] [--pg-version N] [--fail-on error|warning|info|never]
  migration-guard locks FILE [--format json|text] [--pg-version N]

Paths may be files or directories (searched recursively for .sql files).
Exit codes: 0 clean, 1 findings at or above --fail-on (default: warning), 2 usage or I/O error.`;

const RANK: Record<Severity | 'never', number> = { info: 1, warning: 2, error: 3, never: 99 };

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

function pgVersion(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 10 || n > 18) throw new UsageError(`--pg-version must be a major version from 10 to 18, got "${v}"`);
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
}

function lint(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, 'pg-version': { type: 'string' }, 'fail-on': { type: 'string' } },
  });
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], ['error', 'warning', 'info', 'never'] as const, 'warning');
  const options: AnalysisOptions = { postgresVersion: pgVersion(values['pg-version']) };
  if (positionals.length === 0) throw new UsageError('lint needs at least one file or directory');
  const files = collectFiles(positionals, io.cwd);
  if (files.length === 0) {
    throw new UsageError(`no .sql files found in ${positionals.join(', ')}: nothing was analyzed`);
  }
  const all: JsonFinding[] = [];
  let worst = 0;
  for (const f of files) {
    const result = analyze(readText(f.path), options);
    for (const finding of result.findings) {
      all.push(toJson(f, finding, result.file.lines));
      worst = Math.max(worst, RANK[finding.severity]);
      if (format === 'text') io.out(textLine(f, finding, result.file.lines));
    }
  }
  if (format === 'json') io.out(JSON.stringify({ files: files.length, findings: all }, null, 2));
  else {
    const counts = (['error', 'warning', 'info'] as const).map((s) => `${all.filter((x) => x.severity === s).length} ${s}`).join(', ');
    io.out(`${files.length} file${files.length === 1 ? '' : 's'} analyzed: ${all.length === 0 ? 'no problems' : counts}`);
  }
  return worst >= RANK[failOn] ? 1 : 0;
}

type Lines = ReturnType<typeof analyze>['file']['lines'];

function toJson(f: InputFile, finding: Finding, lines: Lines): JsonFinding {
  const s = lines.positionAt(finding.span.start);
  const e = lines.positionAt(finding.span.end);
  return {
    file: f.display,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    rule: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
  };
}

function textLine(f: InputFile, finding: Finding, lines: Lines): string {
  const s = lines.positionAt(finding.span.start);
  const help = finding.help ? `\n    help: ${finding.help}` : '';
  return `${f.display}:${s.line + 1}:${s.character + 1}: ${finding.severity} [${finding.ruleId}] ${finding.message}${help}`;
}

function locks(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, 'pg-version': { type: 'string' } },
  });
  const format = oneOf('format', values.format, ['json', 'text'] as const, 'json');
  if (positionals.length !== 1) throw new UsageError('locks needs exactly one file');
  const found = collectFiles(positionals, io.cwd);
  if (found.length !== 1) throw new UsageError(`locks needs exactly one .sql file; ${positionals[0]} holds ${found.length}`);
  const [file] = found;
  const result = analyze(readText(file.path), { postgresVersion: pgVersion(values['pg-version']) });
  const lines = result.file.lines;
  const statements = result.file.statements.map((s) => {
    const effect = statementEffect(s.node, result.options);
    return {
      line: lines.positionAt(s.span.start).line + 1,
      endLine: lines.positionAt(s.span.end).line + 1,
      sql: s.text,
      locks: effect.locks.map((l) => ({ relation: l.relation, mode: l.mode })),
      rewrites: effect.rewrites,
      scans: effect.scans,
    };
  });
  if (format === 'json') io.out(JSON.stringify({ statements }, null, 2));
  else {
    for (const s of statements) {
      const l = s.locks.map((x) => `${x.mode} on ${x.relation}`).join(', ') || 'no table locks';
      io.out(`${file.display}:${s.line}: ${l}${s.rewrites.length ? `; rewrites ${s.rewrites.join(', ')}` : ''}${s.scans.length ? `; scans ${s.scans.join(', ')}` : ''}`);
    }
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
    await initParser();
    if (command === 'lint') return lint(rest, io);
    if (command === 'locks') return locks(rest, io);
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
