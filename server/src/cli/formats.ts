/**
 * Output formats of `migration-guard lint`: text (a code frame per finding), json (our contract), sarif (2.1.0, for
 * code scanning), github (workflow commands that become annotations) and gitlab (Code Quality report).
 * Lines and columns are 1-based; columns count UTF-16 code units (as editors and SARIF's default `columnKind` do).
 */
import { createHash } from 'node:crypto';
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULES, type AnalysisResult, type Finding, type Severity } from '../analysis';
import { DEFAULT_DOCS_BASE_URL } from '../analysis/options';
import type { InputFile } from './files';
import { version } from '../../../package.json';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

export interface FileReport {
  file: InputFile;
  result: AnalysisResult;
}

export interface LintReport {
  files: FileReport[];
  cwd: string;
}

/** One finding with its position, the shape every format starts from. */
interface Located {
  file: InputFile;
  result: AnalysisResult;
  finding: Finding;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function locate(report: LintReport): Located[] {
  return report.files.flatMap(({ file, result }) =>
    result.findings.map((finding) => {
      const s = result.file.lines.positionAt(finding.span.start);
      const e = result.file.lines.positionAt(finding.span.end);
      return { file, result, finding, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    }),
  );
}

/** The path with `/` separators (GitHub, GitLab and URIs want them on every platform). */
function slashed(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function summary(report: LintReport, located: Located[]): string {
  const n = report.files.length;
  const counts = (['error', 'warning', 'info'] as const).map((s) => `${located.filter((x) => x.finding.severity === s).length} ${s}`).join(', ');
  return `${n} file${n === 1 ? '' : 's'} analyzed: ${located.length === 0 ? 'no problems' : counts}`;
}

// --- text -------------------------------------------------------------------------------------------------------

/** Terminal columns of a code point: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
function width(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** A line made safe for a terminal: control characters (escape sequences included) become spaces; tabs stay. */
function printable(s: string): string {
  return s.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ' ');
}

/** Blank padding as wide as `s` on screen (tabs kept, so a tab stop lines up the same way above and below). */
function padLike(s: string): string {
  let out = '';
  for (const ch of s) out += ch === '\t' ? '\t' : ' '.repeat(width(ch.codePointAt(0)!));
  return out;
}

function screenWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch === '\t' ? 4 : width(ch.codePointAt(0)!);
  return w;
}

const MAX_FRAME_LINES = 8;

/** The zero-based lines to show: the statement's, cut down around the finding when the statement is long. */
function frameLines(x: Located): (number | 'gap')[] {
  const lines = x.result.file.lines;
  const stmt = x.finding.statementIndex >= 0 ? x.result.file.statements[x.finding.statementIndex] : undefined;
  const s = x.line - 1;
  const e = x.endLine - 1;
  const first = Math.min(s, stmt ? lines.positionAt(stmt.span.start).line : s);
  const last = Math.max(e, stmt ? lines.positionAt(stmt.span.end).line : e);
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
  if (last - first + 1 <= MAX_FRAME_LINES) return range(first, last);
  const from = Math.max(first, s - 1);
  const to = Math.min(last, e + 1);
  const around: (number | 'gap')[] = to - from + 1 <= MAX_FRAME_LINES ? range(from, to) : [...range(from, from + 3), 'gap', ...range(to - 2, to)];
  return [...(from > first ? ['gap' as const] : []), ...around, ...(to < last ? ['gap' as const] : [])];
}

/** `file:line:col: severity [rule] message`, the statement's lines with `^^^` under the span, then `help:`. */
function codeFrame(x: Located): string {
  const { text, lines } = x.result.file;
  const { span } = x.finding;
  const shown = frameLines(x);
  const gutter = String(Math.max(...shown.map((n) => (n === 'gap' ? 0 : n + 1)))).length;
  const bar = `${' '.repeat(gutter)} |`;
  const out = [`${x.file.display}:${x.line}:${x.column}: ${x.finding.severity} [${x.finding.ruleId}] ${x.finding.message}`, bar];
  for (const n of shown) {
    if (n === 'gap') {
      out.push(`${' '.repeat(gutter)} ⋮`);
      continue;
    }
    const start = lines.lineStart(n);
    const next = n + 1 < lines.lineCount ? lines.lineStart(n + 1) : text.length;
    const content = printable(text.slice(start, next).replace(/\r?\n$|\r$/, ''));
    out.push(`${String(n + 1).padStart(gutter)} | ${content}`.trimEnd());
    const end = start + content.length;
    const a = Math.max(span.start, start);
    const b = Math.min(span.end, end);
    const empty = span.start === span.end;
    if (empty ? span.start < start || span.start > end : a >= b) continue;
    // Continuation lines of a multi-line span are underlined from their first non-blank character.
    let from = a - start;
    if (span.start < start) from = Math.max(from, content.length - content.trimStart().length);
    const to = Math.max(b - start, from);
    if (!empty && to <= from) continue;
    const caret = '^'.repeat(Math.max(1, screenWidth(content.slice(from, to))));
    out.push(`${bar} ${padLike(content.slice(0, from))}${caret}`);
  }
  if (x.finding.help) out.push(`${' '.repeat(gutter)} = help: ${x.finding.help}`);
  return out.join('\n');
}

function text(report: LintReport): string {
  const located = locate(report);
  return [...located.map((x) => `${codeFrame(x)}\n`), summary(report, located)].join('\n');
}

// --- json -------------------------------------------------------------------------------------------------------

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  help: string | null;
  /** The locks the finding's statement takes, per relation (empty for file-level findings). */
  lock: { relation: string; mode: string }[];
}

function lockOf(x: Located): JsonFinding['lock'] {
  const facts = x.finding.statementIndex >= 0 ? x.result.facts.statements[x.finding.statementIndex] : undefined;
  return (facts?.effect.locks ?? []).map((l) => ({ relation: l.relation, mode: l.mode }));
}

function json(report: LintReport): string {
  const findings: JsonFinding[] = locate(report).map((x) => ({
    file: x.file.display,
    line: x.line,
    column: x.column,
    endLine: x.endLine,
    endColumn: x.endColumn,
    rule: x.finding.ruleId,
    severity: x.finding.severity,
    message: x.finding.message,
    help: x.finding.help ?? null,
    lock: lockOf(x),
  }));
  return JSON.stringify({ files: report.files.length, findings }, null, 2);
}

// --- fingerprints -----------------------------------------------------------------------------------------------

/**
 * A fingerprint that survives lines moving: file, rule and the flagged text (whitespace-normalized), plus an
 * occurrence number for identical ones. Used by GitLab to match findings across pipelines, and in SARIF.
 */
function fingerprints(located: Located[]): string[] {
  const seen = new Map<string, number>();
  return located.map((x) => {
    const flagged = x.result.file.text.slice(x.finding.span.start, x.finding.span.end).replace(/\s+/g, ' ').trim();
    const key = JSON.stringify([slashed(x.file.display), x.finding.ruleId, flagged]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}\n${n}`).digest('hex');
  });
}

// --- sarif ------------------------------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** Tool metadata for every registered rule. */
export function sarifRules(): ReportingDescriptor[] {
  return RULES.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    fullDescription: { text: r.docs.rationale },
    help: { text: r.help },
    helpUri: `${DEFAULT_DOCS_BASE_URL}${r.id}.md`,
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity], enabled: r.recommended },
    properties: { category: r.category, tags: [r.category], fixable: r.fixable },
  }));
}

function artifactLocation(file: InputFile): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file.display)) return { uri: pathToFileURL(file.display).href };
  return { uri: slashed(file.display).split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function sarif(report: LintReport): string {
  const rules = sarifRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const located = locate(report);
  const prints = fingerprints(located);
  const results: Result[] = located.map((x, i) => ({
    ruleId: x.finding.ruleId,
    ruleIndex: index.get(x.finding.ruleId),
    level: SARIF_LEVEL[x.finding.severity],
    message: { text: x.finding.help ? `${x.finding.message}\n${x.finding.help}` : x.finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(x.file),
          region: { startLine: x.line, startColumn: x.column, endLine: x.endLine, endColumn: x.endColumn },
        },
      },
    ],
    partialFingerprints: { 'migrationGuard/v1': prints[i] },
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'migration-guard',
            informationUri: 'https://github.com/migration-guard/migration-guard',
            version,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(report.cwd).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

// --- github -----------------------------------------------------------------------------------------------------

/** Escaping of workflow command data (after @actions/core's `escapeData`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow command property values (after @actions/core's `escapeProperty`). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function github(report: LintReport): string {
  const located = locate(report);
  const lines = located.map((x) => {
    const props = [
      ['file', slashed(x.file.display)],
      ['line', String(x.line)],
      ['col', String(x.column)],
      ['endLine', String(x.endLine)],
      ['endColumn', String(x.endColumn)],
      ['title', x.finding.ruleId],
    ]
      .map(([k, v]) => `${k}=${escapeProperty(v)}`)
      .join(',');
    const message = x.finding.help ? `${x.finding.message}\nhelp: ${x.finding.help}` : x.finding.message;
    return `::${GITHUB_COMMAND[x.finding.severity]} ${props}::${escapeData(message)}`;
  });
  return [...lines, summary(report, located)].join('\n');
}

// --- gitlab -----------------------------------------------------------------------------------------------------

const GITLAB_SEVERITY: Record<Severity, 'info' | 'major' | 'critical'> = { info: 'info', warning: 'major', error: 'critical' };

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

function gitlab(report: LintReport): string {
  const located = locate(report);
  const prints = fingerprints(located);
  const issues: GitlabIssue[] = located.map((x, i) => ({
    description: x.finding.message,
    check_name: x.finding.ruleId,
    fingerprint: prints[i],
    severity: GITLAB_SEVERITY[x.finding.severity],
    location: { path: slashed(x.file.display), lines: { begin: x.line } },
  }));
  return JSON.stringify(issues, null, 2);
}

export function render(format: Format, report: LintReport): string {
  switch (format) {
    case 'text':
      return text(report);
    case 'json':
      return json(report);
    case 'sarif':
      return sarif(report);
    case 'github':
      return github(report);
    case 'gitlab':
      return gitlab(report);
  }
}
