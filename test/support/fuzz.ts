/**
 * Fuzzing inputs and the invariants every analysis must keep. Inputs are real corpus statements mutated by
 * fast-check arbitraries (token deletion and duplication, truncation at any UTF-16 index, random bytes, deep nesting,
 * huge identifiers, unbalanced dollar quotes, unterminated strings and comments, NUL, lone surrogates, line-ending
 * mixes, BOM, psql meta lines, COPY data, template placeholders); `checkAnalysis` states what must hold for any text.
 * `FUZZ_RUNS` scales every property (CI default: a few thousand cases in all; `npm run fuzz`: 100,000 and more).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { analyze, describeStatementAt, parseFile, statementEffect, type AnalysisResult, type Finding } from '../../server/src/analysis';
import { codeActionsFor, toDiagnostics } from '../../server/src/lsp/toProto';
import { corpusAvailable, readManifest } from './corpus';

/** Cases per property: `FUZZ_RUNS` (total, spread over properties by `weight`) or the CI default. */
export function runsFor(ciDefault: number, weight = 1): number {
  const total = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(total) && total > 0 ? Math.max(1, Math.round(total * weight)) : ciDefault;
}

/** Seed for every property: `FUZZ_SEED` to replay a run, otherwise fast-check picks one (printed on failure). */
/**
 * The seed: FUZZ_SEED when set (the long mode, `scripts/fuzz.mjs`, passes a fresh one per worker and prints it);
 * otherwise a fixed one, so the suite `npm test` and CI run is deterministic: a new counterexample comes from the
 * long mode and becomes a regression test, never a red CI run that the next run cannot reproduce.
 */
export const DEFAULT_FUZZ_SEED = 20261121;

export function fuzzSeed(): number {
  const s = Number(process.env.FUZZ_SEED);
  return Number.isFinite(s) && process.env.FUZZ_SEED ? s : DEFAULT_FUZZ_SEED;
}

/** Inputs under this size must be analyzed within `SLOW_MS`. */
export const SMALL_INPUT = 100_000;
export const SLOW_MS = Number(process.env.FUZZ_SLOW_MS) || 2_000;

let pool: string[] | undefined;

/**
 * A few hundred real statements (and a few whole small files), sampled deterministically from the corpus: every
 * k-th MANIFEST row, every statement of it under 3,000 characters. `initParser()` must have resolved.
 */
export function corpusStatements(target = 400): string[] {
  if (pool) return pool;
  if (!corpusAvailable()) throw new Error('corpus missing: ../shared/corpus/MANIFEST.tsv');
  const rows = readManifest().filter((r) => !r.flags.has('large') && r.bytes < 40_000);
  const step = Math.max(1, Math.floor(rows.length / 120));
  const out: string[] = [];
  for (let i = 0; i < rows.length && out.length < target; i += step) {
    const text = readFileSync(rows[i].file, 'utf8');
    if (text.length < 1_500 && out.length % 10 === 0) out.push(text);
    const statements = parseFile(text).statements.filter((s) => s.text.length < 3_000);
    // At most 6 per file, spread over the file, so one long file does not dominate.
    const every = Math.max(1, Math.floor(statements.length / 6));
    for (let k = 0; k < statements.length && out.length < target; k += every) out.push(statements[k].text);
  }
  pool = out;
  return out;
}

/** Fragments that stress the lexer, the splitter and the placeholder, psql and COPY handling. */
export const SNIPPETS: readonly string[] = [
  '$$', '$tag$', '$body$', '$1', '$', "'", '"', "E'\\", "E'\\'", "U&'\\", "B'", "X'", '/*', '*/', '/* /* */', '--', '-- x\r',
  '\0', '\ufeff', '\ud800', '\udfff', '\ud83d', '\ude00', '😀', '\u2028', '\r', '\r\n', '\n\r', '\t', '\v', '\f',
  ';', ';;', '(', ')', '[', ']', '::', ':', '.', ',', '\\', '\\\\', '\\.', 'BEGIN', 'COMMIT;', 'END;', 'BEGIN ATOMIC', 'CASE', 'END',
  '\n\\set ON_ERROR_STOP 1\n', '\n\\i other.sql\n', '\n\\connect db\n', '\\gexec', '\n\\if :x\n', '\n\\.\n',
  '\nCOPY t (a, b) FROM stdin;\n1\t2\n\\.\n', '\nCOPY t FROM stdin;\n1\t2\n', 'COPY t FROM STDIN', '\nCOPY x TO stdout;\n',
  '{{', '}}', '{{ .Schema }}', '{{ index .Options "Namespace" }}', '${schema}', '${', ':VAR', ":'name'", ':"name"', ':', '@',
  '-- migration-guard-ignore require-concurrent-index-creation\n', '-- migration-guard-ignore-file\n', '-- squawk-ignore ban-drop-column\n',
  '-- migration-guard-ignore syntax-error\n', '-- migration-guard-ignore\n', '-- +goose Up\n', '-- +goose StatementBegin\n', '-- +migrate Down\n',
  'DO $$ BEGIN EXECUTE ', 'LANGUAGE plpgsql', 'LANGUAGE sql', 'RETURNS trigger AS $$', 'CONCURRENTLY', 'NOT VALID', 'USING',
  'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql BEGIN ATOMIC SELECT 1; END;',
];

/** A string of `n` characters that is one identifier (bare or quoted). */
function identifier(n: number, quoted: boolean): string {
  return quoted ? `"${'ß'.repeat(n)}"` : `a${'b'.repeat(Math.max(0, n - 1))}`;
}

export type NestShape = 'parens' | 'subquery' | 'case' | 'plus' | 'unbalanced' | 'do-if' | 'array' | 'not';

/** A statement nested `depth` deep in the given way. */
export function nested(shape: NestShape, depth: number, inner = '1'): string {
  switch (shape) {
    case 'parens': return `SELECT ${'('.repeat(depth)}${inner}${')'.repeat(depth)};`;
    case 'subquery': return `SELECT ${'(SELECT '.repeat(depth)}${inner}${')'.repeat(depth)};`;
    case 'case': return `SELECT ${'CASE WHEN true THEN '.repeat(depth)}${inner}${' END'.repeat(depth)};`;
    case 'plus': return `UPDATE t SET a = ${Array(depth + 1).fill(inner).join(' + ')};`;
    case 'unbalanced': return `ALTER TABLE t ADD CONSTRAINT c CHECK ${'('.repeat(depth)}a > 0;`;
    case 'do-if': return `DO $$ BEGIN ${'IF true THEN '.repeat(depth)}ALTER TABLE t ADD COLUMN c int;${' END IF;'.repeat(depth)} END $$;`;
    case 'array': return `SELECT ${'ARRAY['.repeat(depth)}${inner}${']'.repeat(depth)};`;
    case 'not': return `SELECT ${'NOT '.repeat(depth)}true;`;
  }
}

export type Mutation =
  | { kind: 'deleteToken'; at: number }
  | { kind: 'duplicateToken'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; length: number; text: string }
  | { kind: 'nest'; shape: NestShape; depth: number }
  | { kind: 'hugeIdentifier'; at: number; length: number; quoted: boolean }
  | { kind: 'lineEndings'; style: '\r\n' | '\r' | 'mixed' }
  | { kind: 'bom' }
  | { kind: 'swapCase'; at: number };

const TOKEN = /\s+|[A-Za-z_\x80-\uffff][\w$\x80-\uffff]*|\d+(?:\.\d*)?|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\$\w*\$|--[^\n]*|\/\*|\*\/|::|[^]/g;

function tokenSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(TOKEN)) if (m[0].length) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Applies one mutation. Positions are taken modulo the text length, so any number is valid for any text. */
export function mutate(text: string, m: Mutation): string {
  const pos = (at: number) => at % (text.length + 1);
  switch (m.kind) {
    case 'deleteToken':
    case 'duplicateToken': {
      const tokens = tokenSpans(text);
      if (tokens.length === 0) return text;
      const [s, e] = tokens[m.at % tokens.length];
      return m.kind === 'deleteToken' ? text.slice(0, s) + text.slice(e) : text.slice(0, e) + text.slice(s, e) + text.slice(e);
    }
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'insert':
      return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'replace': {
      const s = pos(m.at);
      return text.slice(0, s) + m.text + text.slice(Math.min(text.length, s + m.length));
    }
    case 'nest': {
      const statement = nested(m.shape, m.depth);
      return `${text}\n${statement}\n`;
    }
    case 'hugeIdentifier': {
      const tokens = tokenSpans(text).filter(([s]) => /[A-Za-z_"]/.test(text[s]));
      const id = identifier(m.length, m.quoted);
      if (tokens.length === 0) return `${text} ${id}`;
      const [s, e] = tokens[m.at % tokens.length];
      return text.slice(0, s) + id + text.slice(e);
    }
    case 'lineEndings': {
      let i = 0;
      return text.replace(/\r?\n/g, () => (m.style === 'mixed' ? ['\n', '\r\n', '\r'][i++ % 3] : m.style));
    }
    case 'bom':
      return `\ufeff${text}`;
    case 'swapCase': {
      const s = pos(m.at);
      return text.slice(0, s) + text.slice(s, s + 40).replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())) + text.slice(s + 40);
    }
  }
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const randomBytes = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 24 }), fc.constantFrom<BufferEncoding>('utf8', 'latin1'))
  .map(([b, enc]) => Buffer.from(b).toString(enc));

/** Text to insert: snippets, random code points (all planes), random bytes decoded, lone surrogates, huge runs. */
export const insertion: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SNIPPETS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) },
  { weight: 2, arbitrary: randomBytes },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...SNIPPETS), { minLength: 2, maxLength: 6 }).map((a) => a.join('')) },
);

const nestShape = fc.constantFrom<NestShape>('parens', 'subquery', 'case', 'plus', 'unbalanced', 'do-if', 'array', 'not');

/** One mutation; the expensive ones (10k-deep nesting, 64k identifiers) are rare. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deleteToken' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('duplicateToken' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertion }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.nat({ max: 30 }), text: insertion }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      shape: nestShape,
      // Deep ones cost up to a second each: rare here, and every shape runs 10,000 deep as a regression test.
      depth: fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(150, 400, 1_000, 3_000, 10_000) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hugeIdentifier' as const),
      at: fc.nat(),
      length: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(63, 64, 65, 200) }, { weight: 1, arbitrary: fc.constantFrom(10_000, 65_536) }),
      quoted: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lineEndings' as const), style: fc.constantFrom<'\r\n' | '\r' | 'mixed'>('\r\n', '\r', 'mixed') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapCase' as const), at: fc.nat() }) },
);

/** A fuzzed document: the text and how it was made (for the failure report). */
export interface FuzzDoc {
  text: string;
  statements: number[];
  separator: string;
  mutations: Mutation[];
}

function describeDoc(d: FuzzDoc): string {
  const shown = d.text.length > 2_000 ? `${JSON.stringify(d.text.slice(0, 1_000))} … (${d.text.length} chars)` : JSON.stringify(d.text);
  return `FuzzDoc(${shown}, mutations=${JSON.stringify(d.mutations, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v))})`;
}

/** Documents of 1–5 corpus statements with 0–5 mutations applied in order. */
export function fuzzDocument(statements: string[] = corpusStatements()): fc.Arbitrary<FuzzDoc> {
  return fc
    .record({
      statements: fc.array(fc.nat({ max: statements.length - 1 }), { minLength: 1, maxLength: 5 }),
      separator: fc.constantFrom(';\n', ';\n\n', ';', '\n', ';\r\n', ' ', ';\n-- note\n', ';\n/* c */\n'),
      mutations: fc.array(mutation, { maxLength: 5 }),
    })
    .map(({ statements: picks, separator, mutations }) => {
      let text = picks.map((i) => statements[i]).join(separator);
      for (const m of mutations) text = mutate(text, m);
      const doc: FuzzDoc = { text, statements: picks, separator, mutations };
      Object.defineProperty(doc, fc.toStringMethod, { value: () => describeDoc(doc), enumerable: false });
      return doc;
    });
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when `offset` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

/** Throws unless `[start, end)` is a span of `text` on code-point boundaries. */
export function assertSpan(text: string, start: number, end: number, what: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    throw new Error(`${what}: span [${start}, ${end}) is not inside the text (length ${text.length})`);
  }
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) {
    throw new Error(`${what}: span [${start}, ${end}) splits a surrogate pair`);
  }
  // Between \r and \n is no position in LSP: the client cannot show or apply a range that ends there.
  if ([start, end].some((o) => o > 0 && text[o - 1] === '\r' && text[o] === '\n')) {
    throw new Error(`${what}: span [${start}, ${end}) splits a CRLF line break`);
  }
}

/** Applies non-overlapping edits (UTF-16 offsets into `text`). Throws when they overlap or leave the text. */
export function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Runs `f`, failing when an input under `SMALL_INPUT` characters takes longer than `SLOW_MS`. */
export function timed<T>(what: string, size: number, f: () => T): T {
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  if (size < SMALL_INPUT && ms > SLOW_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms on ${size} characters (bound ${SLOW_MS} ms)`);
  return value;
}

/** Statements without a tree, i.e. those that get a syntax-error finding. */
function brokenStatements(r: AnalysisResult): number {
  return r.file.statements.filter((s) => !s.node).length;
}

/**
 * What must hold for any analysis of any text: statement and finding spans inside the text and on code-point
 * boundaries, every statement either parsed or reported as a syntax error, hover and lock effects for any offset,
 * LSP conversion and code actions, and every fix applies and leaves text that analyzes without new syntax errors.
 */
export function checkAnalysis(text: string, r: AnalysisResult, opts: { fixes?: boolean; maxFixes?: number } = {}): void {
  if (r.file.text !== text) throw new Error('the analysis is not of the given text');
  let previousEnd = 0;
  for (const s of r.file.statements) {
    assertSpan(text, s.span.start, s.span.end, `statement ${s.index}`);
    if (s.end < s.span.end || s.end > text.length) throw new Error(`statement ${s.index}: end ${s.end} outside [${s.span.end}, ${text.length}]`);
    if (s.span.start < previousEnd) throw new Error(`statement ${s.index} starts at ${s.span.start}, before the previous one ends (${previousEnd})`);
    previousEnd = s.span.end;
    if (s.text !== text.slice(s.span.start, s.span.end)) throw new Error(`statement ${s.index}: text is not the span's text`);
    if (!s.node === !s.error) throw new Error(`statement ${s.index}: must have exactly one of node and error`);
    if (s.error) {
      const reported = r.findings.some((f) => f.ruleId === 'syntax-error' && f.statementIndex === s.index);
      const off = r.options.rules['syntax-error'] === 'off';
      if (!reported && !off && !r.suppressions.isSuppressed('syntax-error', s.index)) {
        throw new Error(`statement ${s.index} does not parse (${s.error.message}) and has no syntax-error finding`);
      }
    }
    statementEffect(s.node, r.options);
  }
  for (const f of r.findings) checkFinding(text, r, f);
  for (const s of r.file.statements) {
    for (const at of [s.span.start, s.span.end, s.end, (s.span.start + s.span.end) >> 1]) describeStatementAt(r, at);
  }
  for (const at of [-1, 0, text.length, text.length + 10]) describeStatementAt(r, at);
  const diagnostics = toDiagnostics(r);
  for (const d of diagnostics) codeActionsFor('file:///fuzz/migrations/0001_fuzz.sql', d);
  if (opts.fixes === false) return;
  // Each fix re-analyzes the whole text: a sample of them (first, last, and spread between) unless told otherwise.
  const fixable = r.findings.filter((f) => f.fix);
  const limit = opts.maxFixes ?? (process.env.FUZZ_RUNS ? 6 : 3);
  const step = fixable.length <= limit ? 1 : (fixable.length - 1) / (limit - 1);
  const sample = fixable.length <= limit ? fixable : [...new Set(Array.from({ length: limit }, (_, i) => fixable[Math.round(i * step)]))];
  for (const f of sample) {
    if (!f.fix) continue;
    const fixed = applyEdits(text, f.fix.edits);
    const again = timed(`analyze after fix "${f.fix.title}"`, fixed.length, () => analyze(fixed, r.options));
    checkAnalysis(fixed, again, { fixes: false });
    if (brokenStatements(again) > brokenStatements(r)) {
      throw new Error(`fix "${f.fix.title}" (${f.ruleId}) breaks the syntax: ${JSON.stringify(fixed.slice(0, 600))}`);
    }
  }
}

function checkFinding(text: string, r: AnalysisResult, f: Finding): void {
  const what = `finding ${f.ruleId}`;
  assertSpan(text, f.span.start, f.span.end, what);
  if (f.statementIndex < -1 || f.statementIndex >= r.file.statements.length) throw new Error(`${what}: statement index ${f.statementIndex} out of range`);
  if (typeof f.message !== 'string' || f.message.length === 0) throw new Error(`${what}: empty message`);
  if (f.fix) {
    if (f.fix.edits.length === 0) throw new Error(`${what}: fix "${f.fix.title}" has no edits`);
    for (const e of f.fix.edits) {
      assertSpan(text, e.start, e.end, `${what} fix edit`);
      if (typeof e.newText !== 'string') throw new Error(`${what}: fix edit without text`);
    }
  }
}
