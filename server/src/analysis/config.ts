/**
 * Project configuration, resolved here so that the CLI and the language server read it the same way (squawk's server
 * ignores its CLI's config file, squawk #679; we do not repeat that). Pure: files are read through a `ConfigHost`
 * that the caller passes, never from disk directly.
 *
 * One file applies to a migration: the nearest `.migration-guard.json` walking up from the migration's directory, or,
 * in a directory without one, squawk's `.squawk.toml` (so a squawk user switches in one step). Precedence, lowest
 * first: built-in defaults, `defaults` (editor settings), the file, `overrides` (CLI flags). A bad part of the file
 * becomes a `ConfigProblem` with its place in the file, and that part falls back; the rest still applies.
 * Offsets are UTF-16; lines and characters are zero-based, as elsewhere in the library.
 */
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { AnalysisOptions, RuleSetting } from './options';
import { canonicalRuleId, RULES, RULES_BY_ID } from './rules';
import { LineIndex, type Position, type Span } from './text';

export const CONFIG_FILE = '.migration-guard.json';
export const SQUAWK_CONFIG_FILE = '.squawk.toml';
/** The PostgreSQL major versions the lock model knows. */
export const MIN_POSTGRES_VERSION = 10;
export const MAX_POSTGRES_VERSION = 18;

/** File access, supplied by the caller (the CLI reads the disk; the server may also see unsaved editors). */
export interface ConfigHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
}

export interface ConfigProblem {
  /** The config file. */
  path: string;
  message: string;
  /** Where in the config file (UTF-16 offsets). */
  span: Span;
  /** The same place as zero-based line and character. */
  range: { start: Position; end: Position };
}

/** What one config file says, parsed and checked. Only what the file sets is present. */
export interface ConfigFile {
  path: string;
  kind: 'migration-guard' | 'squawk';
  options: AnalysisOptions;
  /** Globs relative to the file's directory. */
  include?: string[];
  exclude?: string[];
  problems: ConfigProblem[];
  /** Where the file names its stats file (`"stats": "…"`), for problems reading that file. */
  statsAt?: StatsReference;
}

/** The place in a config file that names the stats file (`options.statsFile`). */
export interface StatsReference {
  path: string;
  span: Span;
  range: { start: Position; end: Position };
}

export interface ResolveConfigOptions {
  /** Use this config file instead of searching (the CLI's `--config`). */
  configPath?: string;
  /** Below the file: the editor's settings. */
  defaults?: AnalysisOptions;
  /** Above the file: the CLI's flags. */
  overrides?: AnalysisOptions;
}

export interface ResolvedConfig {
  /** Options to pass to `analyze`. */
  options: AnalysisOptions;
  /** The config file that applied, if any. */
  configPath?: string;
  problems: ConfigProblem[];
  /** Where the config file names `options.statsFile`, when the stats file in effect is the config file's. */
  statsAt?: StatsReference;
  /** Whether the file's include / exclude globs leave a path out (always false without a config file). */
  isExcluded(path: string): boolean;
}

const SEVERITIES: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

// ---------------------------------------------------------------------------------------------------------------
// A JSON parser that keeps offsets, so a problem can point at the bad value (JSON.parse cannot say where a value is).

type JsonNode =
  | { type: 'object'; span: Span; members: { key: string; keySpan: Span; value: JsonNode }[] }
  | { type: 'array'; span: Span; items: JsonNode[] }
  | { type: 'string'; span: Span; value: string }
  | { type: 'number'; span: Span; value: number }
  | { type: 'boolean'; span: Span; value: boolean }
  | { type: 'null'; span: Span };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function parseJson(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `unexpected end of file, expected ${what}` : `expected ${what}`, i);
  };
  const string = (): { value: string; span: Span } => {
    const start = i;
    if (text[i] !== '"') fail('a string');
    const end = (() => {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text.charCodeAt(j) < 0x20) break;
        j++;
      }
      return j;
    })();
    if (text[end] !== '"') {
      i = end;
      fail('the closing quote of the string');
    }
    let value: string;
    try {
      value = JSON.parse(text.slice(start, end + 1)) as string;
    } catch {
      throw new JsonSyntaxError('invalid escape in string', start);
    }
    i = end + 1;
    return { value, span: { start, end: i } };
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: { key: string; keySpan: Span; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', span: { start, end: i }, members };
      }
      for (;;) {
        ws();
        const k = string();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        members.push({ key: k.value, keySpan: k.span, value: value() });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', span: { start, end: i }, members };
        }
        fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'array', span: { start, end: i }, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'array', span: { start, end: i }, items };
        }
        fail('"," or "]"');
      }
    }
    if (c === '"') {
      const s = string();
      return { type: 'string', span: s.span, value: s.value };
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail('a value');
    i += m![0].length;
    const span = { start, end: i };
    if (m![0] === 'true' || m![0] === 'false') return { type: 'boolean', span, value: m![0] === 'true' };
    if (m![0] === 'null') return { type: 'null', span };
    return { type: 'number', span, value: Number(m![0]) };
  };
  const root = value();
  ws();
  if (i < text.length) fail('the end of the file');
  return root;
}

// ---------------------------------------------------------------------------------------------------------------

function problemAt(path: string, lines: LineIndex, span: Span, message: string): ConfigProblem {
  return { path, message, span, range: { start: lines.positionAt(span.start), end: lines.positionAt(span.end) } };
}

function describeType(n: JsonNode): string {
  return n.type === 'null' ? 'null' : n.type === 'array' ? 'an array' : n.type === 'object' ? 'an object' : `a ${n.type}`;
}

/** Postgres major from a number (`15`) or a squawk version string (`"11.0"`, `"15"`). */
function majorVersion(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string') {
    const m = /^\s*(\d+)(?:\.\d+)*\s*$/.exec(v);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

/** Parses and checks `.migration-guard.json`. */
function parseMigrationGuardJson(path: string, text: string): ConfigFile {
  const lines = new LineIndex(text);
  const out: ConfigFile = { path, kind: 'migration-guard', options: {}, problems: [] };
  const problem = (span: Span, message: string) => out.problems.push(problemAt(path, lines, span, message));
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const at = Math.min(e.offset, text.length);
    problem({ start: at, end: Math.min(at + 1, text.length) }, `invalid JSON: ${e.message}; the file is ignored`);
    return out;
  }
  if (root.type !== 'object') {
    problem(root.span, `the configuration must be a JSON object, got ${describeType(root)}`);
    return out;
  }
  const globs = (n: JsonNode, key: string): string[] | undefined => {
    if (n.type !== 'array') {
      problem(n.span, `${key} must be an array of glob strings, got ${describeType(n)}`);
      return undefined;
    }
    const list: string[] = [];
    for (const item of n.items) {
      if (item.type === 'string' && item.value.trim() !== '') {
        const bad = invalidGlob(item.value);
        if (bad) problem(item.span, `${key} entry is not a usable glob (${bad}); it is ignored`);
        else list.push(item.value);
      } else problem(item.span, `${key} entries must be non-empty glob strings, got ${item.type === 'string' ? 'an empty string' : describeType(item)}`);
    }
    return list;
  };
  const seen = new Set<string>();
  for (const m of root.members) {
    if (seen.has(m.key)) problem(m.keySpan, `duplicate key "${m.key}": the last one applies`);
    seen.add(m.key);
    const v = m.value;
    switch (m.key) {
      case '$schema':
        break;
      case 'rules': {
        if (v.type !== 'object') {
          problem(v.span, `rules must be an object of rule id to "off", "info", "warning" or "error", got ${describeType(v)}`);
          break;
        }
        const rules: Record<string, RuleSetting> = {};
        for (const r of v.members) {
          const id = canonicalRuleId(r.key);
          if (!RULES_BY_ID.has(id)) {
            problem(r.keySpan, `unknown rule "${r.key}"`);
            continue;
          }
          if (r.value.type !== 'string' || !SEVERITIES.includes(r.value.value as RuleSetting)) {
            problem(r.value.span, `the setting of rule "${r.key}" must be "off", "info", "warning" or "error", got ${r.value.type === 'string' ? JSON.stringify(r.value.value) : describeType(r.value)}`);
            continue;
          }
          rules[id] = r.value.value as RuleSetting;
        }
        out.options.rules = rules;
        break;
      }
      case 'postgresVersion': {
        const n = v.type === 'number' ? v.value : undefined;
        if (n === undefined || !Number.isInteger(n) || n < MIN_POSTGRES_VERSION || n > MAX_POSTGRES_VERSION) {
          problem(v.span, `postgresVersion must be a PostgreSQL major version from ${MIN_POSTGRES_VERSION} to ${MAX_POSTGRES_VERSION}, got ${v.span.end - v.span.start > 40 ? describeType(v) : text.slice(v.span.start, v.span.end)}`);
        } else out.options.postgresVersion = n;
        break;
      }
      case 'assumeInTransaction':
        if (v.type !== 'boolean') problem(v.span, `assumeInTransaction must be true or false, got ${describeType(v)}`);
        else out.options.assumeInTransaction = v.value;
        break;
      case 'stats':
        if (v.type !== 'string' || v.value.trim() === '') {
          problem(v.span, `stats must be the path of a table-size stats JSON file, relative to this file, got ${v.type === 'string' ? 'an empty string' : describeType(v)}`);
        } else {
          out.options.statsFile = isAbsolute(v.value) ? v.value : join(dirname(path), v.value);
          out.statsAt = { path, span: v.span, range: { start: lines.positionAt(v.span.start), end: lines.positionAt(v.span.end) } };
        }
        break;
      case 'smallTableRows':
        if (v.type !== 'number' || !Number.isInteger(v.value) || v.value < 0) {
          problem(v.span, `smallTableRows must be a non-negative integer (rows), got ${v.type === 'number' ? v.value : describeType(v)}`);
        } else out.options.smallTableRows = v.value;
        break;
      case 'include':
      case 'exclude': {
        const list = globs(v, m.key);
        if (list) out[m.key] = list;
        break;
      }
      default:
        problem(m.keySpan, `unknown setting "${m.key}" (known: rules, postgresVersion, assumeInTransaction, stats, smallTableRows, include, exclude)`);
    }
  }
  return out;
}

/** The span of `key = value` in a TOML text's top-level table (before any `[table]` header); for problems only. */
function tomlValueSpan(text: string, key: string): Span | undefined {
  const re = new RegExp(`^[ \\t]*["']?${key.replace(/[-_]/g, '[-_]')}["']?[ \\t]*=[ \\t]*`, 'm');
  const header = /^[ \t]*\[/m.exec(text);
  const m = re.exec(text);
  if (!m || (header && header.index < m.index)) return undefined;
  const start = m.index + m[0].length;
  let end = text.indexOf('\n', start);
  if (text[start] === '[') {
    const close = text.indexOf(']', start);
    if (close >= 0) end = close + 1;
  }
  if (end < 0) end = text.length;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** Parses squawk's `.squawk.toml`: pg_version, excluded_rules, assume_in_transaction, excluded_paths. */
function parseSquawkToml(path: string, text: string): ConfigFile {
  const lines = new LineIndex(text);
  const out: ConfigFile = { path, kind: 'squawk', options: {}, problems: [] };
  const problem = (span: Span, message: string) => out.problems.push(problemAt(path, lines, span, message));
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const at = Math.min(lines.offsetAt({ line: e.line - 1, character: e.column - 1 }), text.length);
    const message = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    problem({ start: at, end: Math.min(at + 1, text.length) }, `invalid TOML: ${message}; the file is ignored`);
    return out;
  }
  const where = (key: string): Span => tomlValueSpan(text, key) ?? { start: 0, end: 0 };
  if ('pg_version' in doc) {
    const major = majorVersion(doc.pg_version);
    if (major === undefined || major < MIN_POSTGRES_VERSION || major > MAX_POSTGRES_VERSION) {
      problem(where('pg_version'), `pg_version must be a PostgreSQL version from ${MIN_POSTGRES_VERSION} to ${MAX_POSTGRES_VERSION} such as "16.0", got ${JSON.stringify(doc.pg_version)}`);
    } else out.options.postgresVersion = major;
  }
  if ('assume_in_transaction' in doc) {
    if (typeof doc.assume_in_transaction !== 'boolean') problem(where('assume_in_transaction'), 'assume_in_transaction must be true or false');
    else out.options.assumeInTransaction = doc.assume_in_transaction;
  }
  const strings = (key: string): string[] | undefined => {
    const v = doc[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problem(where(key), `${key} must be an array of strings`);
      return undefined;
    }
    return v as string[];
  };
  if ('excluded_rules' in doc) {
    const list = strings('excluded_rules');
    if (list) {
      // squawk has rules Migration Guard does not implement: excluding those is not a problem here.
      out.options.rules = Object.fromEntries(list.map(canonicalRuleId).filter((id) => RULES_BY_ID.has(id)).map((id) => [id, 'off' as const]));
    }
  }
  if ('excluded_paths' in doc) {
    const list = strings('excluded_paths');
    if (list) out.exclude = list.filter((g) => !invalidGlob(g));
  }
  // Other keys (`[upload_to_github]`, …) are squawk's own business.
  return out;
}

/** Parses one config file by its name: `*.toml` is squawk's format, anything else `.migration-guard.json`. */
export function parseConfigFile(path: string, source: string): ConfigFile {
  const text = source.charCodeAt(0) === 0xfeff ? ` ${source.slice(1)}` : source; // a byte order mark, offsets kept
  return /\.toml$/i.test(path) ? parseSquawkToml(path, text) : parseMigrationGuardJson(path, text);
}

/**
 * The nearest config file from `startDir` upwards: in each directory `.migration-guard.json` first, then
 * `.squawk.toml`; the first directory holding either wins.
 */
export function findConfigFile(startDir: string, host: ConfigHost): { path: string; text: string } | undefined {
  let dir = startDir;
  for (;;) {
    for (const name of [CONFIG_FILE, SQUAWK_CONFIG_FILE]) {
      const path = join(dir, name);
      const text = host.readFile(path);
      if (text !== undefined) return { path, text };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * A matcher over paths relative to a base directory, with `/` separators. A glob without a slash matches a name at any
 * depth (`*.down.sql`, `vendor`); a glob that matches a directory matches everything under it.
 */
/** Why picomatch cannot compile `glob` (a pattern too large for a regular expression, …), or undefined when it can. */
function invalidGlob(glob: string): string | undefined {
  try {
    // Compiling is lazy in places: match once so a pattern too large for a RegExp fails here, not in analysis.
    picomatch(glob, { dot: true })('a/b');
    picomatch(glob, { dot: true, basename: true })('b');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function globMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  if (globs.length === 0) return () => false;
  // picomatch's own `basename` option also applies globs with a slash to the base name, so the two kinds are split.
  const named = globs.filter((g) => !g.replace(/\/+$/, '').includes('/'));
  const anchored = globs.filter((g) => !named.includes(g)).map((g) => g.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, ''));
  const matchName = named.length ? picomatch(named.map((g) => g.replace(/\/+$/, '')), { dot: true }) : () => false;
  const matchPath = anchored.length ? picomatch(anchored, { dot: true }) : () => false;
  return (rel) => {
    const parts = rel.split('/');
    try {
      for (let i = parts.length; i > 0; i--) {
        if (matchName(parts[i - 1]) || matchPath(parts.slice(0, i).join('/'))) return true;
      }
    } catch {
      // A pattern picomatch cannot compile (reported as a config problem when it came from a config file) matches nothing.
    }
    return false;
  };
}

/** `path` relative to `base`, with `/` separators. */
export function relativePath(base: string, path: string): string {
  const rel = relative(base, path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

function mergeOptions(...layers: (AnalysisOptions | undefined)[]): AnalysisOptions {
  const out: AnalysisOptions = {};
  for (const l of layers) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l) as [keyof AnalysisOptions, unknown][]) {
      if (v === undefined) continue;
      if (k === 'rules') out.rules = { ...(out.rules ?? {}), ...(v as Record<string, RuleSetting>) };
      else (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** Builds the resolved view of one parsed config file (or none). */
export function applyConfig(file: ConfigFile | undefined, opts: Omit<ResolveConfigOptions, 'configPath'> = {}): ResolvedConfig {
  const options = mergeOptions(opts.defaults, file?.options, opts.overrides);
  if (!file) return { options, problems: [], isExcluded: () => false };
  const base = dirname(file.path);
  const include = file.include && file.include.length > 0 ? globMatcher(file.include) : undefined;
  const exclude = globMatcher(file.exclude ?? []);
  const statsFromFile = file.statsAt && options.statsFile === file.options.statsFile && opts.overrides?.statsFile === undefined;
  return {
    options,
    configPath: file.path,
    problems: file.problems,
    statsAt: statsFromFile ? file.statsAt : undefined,
    isExcluded(path) {
      const rel = relativePath(base, path);
      return (include !== undefined && !include(rel)) || exclude(rel);
    },
  };
}

/**
 * The configuration for one migration file: the config file that applies to it (searched from its directory, or
 * `configPath`), merged between `defaults` and `overrides`. Paths are the host's (absolute file system paths for the
 * CLI and the server).
 */
export function resolveConfig(migrationPath: string, host: ConfigHost, opts: ResolveConfigOptions = {}): ResolvedConfig {
  let found: { path: string; text: string } | undefined;
  if (opts.configPath !== undefined) {
    const text = host.readFile(opts.configPath);
    if (text === undefined) {
      const resolved = applyConfig(undefined, opts);
      const empty = { start: 0, end: 0 };
      const zero = { line: 0, character: 0 };
      return { ...resolved, problems: [{ path: opts.configPath, message: 'cannot read the config file; defaults apply', span: empty, range: { start: zero, end: zero } }] };
    }
    found = { path: opts.configPath, text };
  } else {
    found = findConfigFile(dirname(migrationPath), host);
  }
  return applyConfig(found && parseConfigFile(found.path, found.text), opts);
}

/**
 * The JSON schema of `.migration-guard.json` (shipped as schemas/migration-guard.schema.json and contributed to VS
 * Code's JSON validation), generated from the rule registry so that completions list every rule. A test keeps the
 * file in sync.
 */
export function configJsonSchema(): Record<string, unknown> {
  const severity = { enum: SEVERITIES };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/migration-guard/migration-guard/blob/main/schemas/migration-guard.schema.json',
    title: 'Migration Guard configuration (.migration-guard.json)',
    description:
      'Settings for Migration Guard, read by the CLI and the editor alike from the nearest .migration-guard.json above a migration. CLI flags override it; it overrides editor settings.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON schema of this file.' },
      rules: {
        type: 'object',
        description: 'Severity per rule id: "off" disables a rule, "info", "warning" or "error" enables it at that severity.',
        additionalProperties: false,
        properties: Object.fromEntries(
          [...RULES]
            .sort((a, b) => a.id.localeCompare(b.id))
            .map((r) => [r.id, { ...severity, description: `${r.description} Default: ${r.recommended ? r.defaultSeverity : 'off'}.` }]),
        ),
      },
      postgresVersion: {
        type: 'integer',
        minimum: MIN_POSTGRES_VERSION,
        maximum: MAX_POSTGRES_VERSION,
        description: 'The PostgreSQL major version the migrations run on. Lock behaviour and rewrites depend on it.',
      },
      assumeInTransaction: {
        type: 'boolean',
        description: 'Treat each file as running inside one transaction (migration tools that wrap every migration in BEGIN … COMMIT).',
      },
      stats: {
        type: 'string',
        minLength: 1,
        description:
          'Path, relative to this file, of a table-size stats JSON file ({"tables": {"public.users": {"rows": 50000000, "bytes": 123}}}: rows as pg_class.reltuples estimates them, bytes as pg_total_relation_size). Lock findings on tables smaller than smallTableRows become info; on tables of a million rows or more they say so; hover shows the sizes.',
      },
      smallTableRows: {
        type: 'integer',
        minimum: 0,
        description: 'Tables with fewer estimated rows than this (from the stats file) are small: their lock findings become info. Default: 10000.',
      },
      include: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description:
          'Globs, relative to this file, of the migrations to check; others are skipped. A glob without a slash matches a name at any depth; a glob matching a directory covers everything in it.',
      },
      exclude: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Globs, relative to this file, of files to skip (same matching as include).',
      },
    },
  };
}
