/**
 * Parses a migration file into statements with the real PostgreSQL parser (libpg-query), never failing: a statement
 * the parser rejects becomes a statement with an `error`, and every other statement keeps its syntax tree.
 * Pipeline: sanitize (NUL, lone surrogates) → one hand-lexer pass (comments, psql meta lines, COPY data) → blank what
 * is not SQL (offset-preserving) → parse the whole text; only if that fails, split with the PostgreSQL scanner (or the
 * recovery lexer) and parse each statement alone. Offsets are UTF-16.
 */
import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { splitStatements, splitWithLexer, splitWithScanner, type Comment, type Split } from './split';
import { Lru } from './project/lru';
import { ByteOffsets, LineIndex, sanitize, type Span } from './text';

export interface SyntaxProblem {
  message: string;
  /** Where the parser stopped (UTF-16 offset into the file). */
  offset: number;
}

export interface Statement {
  index: number;
  /** From the statement's first token to its last, without the terminating `;`. */
  span: Span;
  /** Offset just after the terminating `;`, or `span.end` when there is none. */
  end: number;
  /** The statement's text. */
  text: string;
  /** The parse tree (`{ IndexStmt: {…} }`), absent when the statement does not parse. */
  node?: Node;
  /** The node's type name, or `'Invalid'`. */
  kind: string;
  error?: SyntaxProblem;
}

export interface ParsedFile {
  text: string;
  lines: LineIndex;
  statements: Statement[];
  comments: Comment[];
  /** psql meta-command lines (`\set`, `\i`), skipped. */
  psqlLines: Span[];
  /** Set when a literal, dollar body or comment runs to the end of the file. */
  unterminated?: { start: number; what: string };
}

let ready: Promise<void> | undefined;

/** Loads the WASM parser once per process. Every entry point awaits this before parsing. */
export function initParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

/**
 * Template placeholders that migration tools substitute before PostgreSQL sees the text: Flyway `${schema}`, Go
 * templates `{{ index .Options "Namespace" }}` (gobuffalo/pop, supabase/auth), and psql variables `:'name'`,
 * `:"name"` and `:NAME` (upper case only, so `a[1:n]` slices and `::` casts are left alone; graphile-worker's
 * `:GRAPHILE_WORKER_SCHEMA`). Each becomes an identifier of the same length (`_0_______`), so it parses and offsets
 * stay put; `placeholderRestorer` puts the placeholder back into the tree's names so messages show `${schema}.users`.
 */
const PLACEHOLDER = /\$\{[A-Za-z0-9_.:-]+\}|\{\{[^{}\r\n]*\}\}|(?<![:\w]):(?:'[A-Za-z_][A-Za-z0-9_]*'|"[A-Za-z_][A-Za-z0-9_]*"|[A-Z_][A-Z0-9_]*\b)/g;

const HAS_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

/** Whether `text` holds a template placeholder (`${x}`, `{{ x }}`, `:VAR`): its parse saw a stand-in, not this text. */
export function containsPlaceholder(text: string): boolean {
  return HAS_PLACEHOLDER.test(text);
}

/** Replaces each placeholder by a unique same-length stand-in, recording stand-in → placeholder. */
function replacePlaceholders(text: string, standIns: Map<string, string>): string {
  const byPlaceholder = new Map<string, string>();
  return text.replace(PLACEHOLDER, (m) => {
    let s = byPlaceholder.get(m);
    if (s === undefined) {
      const id = `_${byPlaceholder.size.toString(36)}`;
      s = id.length < m.length ? id.padEnd(m.length, '_') : '_'.repeat(m.length);
      byPlaceholder.set(m, s);
      if (id.length < m.length) standIns.set(s, m);
    }
    return s;
  });
}

/** A function that puts the placeholders back into the names and strings of a parse tree. */
function placeholderRestorer(standIns: Map<string, string>): (node: Node) => Node {
  if (standIns.size === 0) return (node) => node;
  const keys = [...standIns.keys()].sort((a, b) => b.length - a.length);
  // One alternation is fastest, but a RegExp has a size limit (a 64k-character placeholder exceeds it): then one key at a time.
  const re = keys.reduce((n, k) => n + k.length, 0) < 32_768 ? new RegExp(keys.join('|'), 'g') : undefined;
  const restore = (v: string) => (re ? v.replace(re, (m) => standIns.get(m) ?? m) : keys.reduce((t, k) => (t.includes(k) ? t.split(k).join(standIns.get(k)) : t), v));
  const reviver = (_k: string, v: unknown) => (typeof v === 'string' ? restore(v) : v);
  return (node) => JSON.parse(JSON.stringify(node), reviver) as Node;
}

function blank(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\r\n]/g, ' ');
    at = s.end;
  }
  return out + text.slice(at);
}

interface ParseResultJson {
  stmts?: { stmt: Node; stmt_location?: number; stmt_len?: number }[];
}

/**
 * How deep a statement's tree may nest (JSON objects and arrays) before it is reported instead of analyzed. The rules,
 * the lock model and the catalog walk trees recursively; a 1,000-deep nested subquery (7,000 levels) overflows the
 * JavaScript stack. The deepest statement of the real-world corpus nests 46 levels.
 */
export const MAX_TREE_DEPTH = 1_000;
export const TOO_DEEP_MESSAGE = `statement nested too deeply to analyze (more than ${MAX_TREE_DEPTH} levels)`;

/** True when `node` nests more than `limit` levels. Recursion stops at `limit`, so it cannot overflow itself. */
export function deeperThan(node: unknown, limit: number): boolean {
  if (limit <= 0) return true;
  if (Array.isArray(node)) {
    for (const v of node) if (v !== null && typeof v === 'object' && deeperThan(v, limit - 1)) return true;
    return false;
  }
  const o = node as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object' && deeperThan(v, limit - 1)) return true;
  }
  return false;
}

/** libpg-query builds its result with `JSON.parse`, which overflows the stack on very deep trees. */
function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * PostgreSQL quotes the rest of the statement after `at or near`: for an unterminated literal that is the rest of the
 * file, newlines included. Messages end up in diagnostics and in `-- comments` of generated SQL, so keep the quote's
 * first line, at most 40 code points.
 */
export function tidyParserMessage(message: string): string {
  return message.replace(/(at or near ")([\s\S]*)"$/, (_m, lead: string, near: string) => {
    const first = Array.from(near.split(/\r\n|\r|\n/)[0]);
    const clipped = first.slice(0, 40).join('');
    return `${lead}${clipped}${first.length > 40 || clipped.length < near.length ? '…' : ''}"`;
  });
}

function kindOf(node: Node): string {
  return Object.keys(node)[0] ?? 'Unknown';
}

/** Byte length of a string in UTF-8, without allocating. */
function utf8ByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Trims whitespace and comments at both ends of `[start, end)`, using the file's comment list. */
function trimSpan(text: string, start: number, end: number, comments: Comment[]): Span {
  let s = start;
  let e = end;
  for (let changed = true; changed; ) {
    changed = false;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    const lead = findComment(comments, s);
    if (lead && lead.start === s && lead.end <= e) {
      s = lead.end;
      changed = true;
    }
    const trail = findCommentEndingAt(comments, e);
    if (trail && trail.start >= s) {
      e = trail.start;
      changed = true;
    }
  }
  return { start: s, end: e };
}

function findComment(comments: Comment[], start: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].start === start) return comments[mid];
    if (comments[mid].start < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function findCommentEndingAt(comments: Comment[], end: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end === end) return comments[mid];
    if (comments[mid].end < end) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Offset just after the `;` that ends a statement ending at `end`, if the next non-blank character is one. */
function terminatorEnd(text: string, end: number): number {
  let i = end;
  while (i < text.length && /\s/.test(text[i])) i++;
  return text[i] === ';' ? i + 1 : end;
}

/** UTF-16 offset of the `n`-th code point of `s` (clamped to its length). */
function codePointsToUtf16(s: string, n: number): number {
  let unit = 0;
  for (let cp = 0; cp < n && unit < s.length; cp++) unit += s.codePointAt(unit)! > 0xffff ? 2 : 1;
  return Math.min(unit, s.length);
}

/**
 * What parsing one statement's text alone gave, with offsets relative to the statement: typing re-parses the one
 * statement being edited, the others come from here (keyed by the statement's text, bounded).
 */
interface StatementParse {
  node?: Node;
  kind: string;
  error?: SyntaxProblem;
}
const statementParses = new Lru<string, StatementParse>(512);
/** Statements longer than this are not kept (their trees are big, and big documents are not typed in statement by statement). */
const MAX_CACHED_STATEMENT = 64 * 1024;

function parseOne(text: string, span: Span, index: number, source: string): Statement {
  const sql = text.slice(span.start, span.end);
  const cacheable = sql.length <= MAX_CACHED_STATEMENT;
  let parsed = cacheable ? statementParses.get(sql) : undefined;
  if (!parsed) {
    parsed = parseStatementText(sql);
    if (cacheable) statementParses.set(sql, parsed);
  }
  const base = { index, span, end: terminatorEnd(text, span.end), text: source.slice(span.start, span.end) };
  if (parsed.node) return { ...base, node: parsed.node, kind: parsed.kind };
  return { ...base, kind: parsed.kind, error: parsed.error && { message: parsed.error.message, offset: span.start + parsed.error.offset } };
}

/** Parses one statement's text alone; error offsets are relative to it. */
function parseStatementText(sql: string): StatementParse {
  try {
    const result = parseSync(sql) as ParseResultJson;
    const stmts = result.stmts ?? [];
    if (stmts.length === 1 && deeperThan(stmts[0].stmt, MAX_TREE_DEPTH)) return { kind: 'Invalid', error: { message: TOO_DEEP_MESSAGE, offset: 0 } };
    if (stmts.length === 1) return { node: stmts[0].stmt, kind: kindOf(stmts[0].stmt) };
    // A split that produced zero or several statements: the scanner and the parser disagree; report, do not guess.
    return { kind: 'Invalid', error: { message: `expected one statement, found ${stmts.length}`, offset: 0 } };
  } catch (e) {
    if (isStackOverflow(e)) return { kind: 'Invalid', error: { message: TOO_DEEP_MESSAGE, offset: 0 } };
    const err = e as { message?: string; sqlDetails?: { cursorPosition?: number } };
    // PostgreSQL reports the error position in characters (code points), not bytes: pg_mbstrlen_with_len in scan.l.
    return { kind: 'Invalid', error: { message: tidyParserMessage(err.message ?? String(e)), offset: codePointsToUtf16(sql, err.sqlDetails?.cursorPosition ?? 0) } };
  }
}

/** Parses a file. `initParser()` must have resolved. */
export function parseFile(source: string): ParsedFile {
  // The same text is often parsed twice in a row (the project layer counts a file's statements to know whether the
  // tool runs it as one implicit transaction, then `analyze` parses it): keep the last result. A ParsedFile is never
  // modified after it is built, and caches derived from it are keyed by objects created per analysis.
  // Kept for a few texts: the CLI parses a file for its analysis and again for the next files' catalog, and the
  // server parses the same down migration on every keystroke in its up.
  const cacheable = source.length <= MAX_CACHED_FILE;
  const hit = cacheable ? parsedFiles.get(source) : undefined;
  if (hit) return hit;
  const file = parseFresh(source);
  if (cacheable) parsedFiles.set(source, file);
  return file;
}

const parsedFiles = new Lru<string, ParsedFile>(16);
/** Bigger texts are not kept (a 3 MB dump's trees are hundreds of megabytes). */
const MAX_CACHED_FILE = 256 * 1024;

/**
 * The scanner's statement split of `text`, computed chunk by chunk: the hand lexer proposes statement starts, and the
 * scanner splits each chunk between two of them (cached by the chunk's text, so an edit rescans one chunk). The
 * result is the whole-text scanner split: a proposed start inside something the scanner reads as one token (a
 * literal, a comment) leaves that token unterminated in its chunk, where the scanner throws. Undefined (use the
 * whole-text split) for text with psql lines or COPY data (which the lexer skips), `BEGIN ATOMIC` bodies (whose
 * inner semicolons depend on state across chunks), or when a chunk does not scan.
 */
function chunkedScannerSplit(text: string): Span[] | undefined {
  if (/atomic/i.test(text)) return undefined;
  const lex = splitWithLexer(text);
  if (lex.unterminated || lex.psql.length || lex.copyData.length) return undefined;
  const out: Span[] = [];
  // Chunk k runs from the lexer's statement k to its statement k+1 (the first from 0, the last to the end).
  const starts = lex.statements.length ? lex.statements.map((s) => s.start) : [0];
  for (let k = 0; k < starts.length; k++) {
    const from = k === 0 ? 0 : starts[k];
    const to = k + 1 < starts.length ? starts[k + 1] : text.length;
    const chunk = text.slice(from, to);
    let spans = chunkSplits.get(chunk);
    if (!spans) {
      let split: Split;
      try {
        split = splitWithScanner(chunk);
      } catch {
        return undefined;
      }
      // Every chunk but the last must end after a `;` the scanner saw, or the cut was not a statement boundary.
      if (to < text.length && !endsTerminated(chunk, split)) return undefined;
      spans = split.statements;
      if (chunk.length <= MAX_CACHED_STATEMENT) chunkSplits.set(chunk, spans);
    }
    for (const s of spans) out.push({ start: s.start + from, end: s.end + from });
  }
  return out;
}
const chunkSplits = new Lru<string, Span[]>(1024);

/**
 * True when the scanner's last token in `chunk` (comments aside) is a `;`, and no `--` comment runs into the cut
 * (the scanner ends it at a line break, which the next chunk may not start with).
 */
function endsTerminated(chunk: string, split: Split): boolean {
  const last = split.comments[split.comments.length - 1];
  if (last && last.end === chunk.length && last.text.startsWith('--')) return false;
  const from = split.statements.length ? split.statements[split.statements.length - 1].end : 0;
  let at = from;
  for (const c of split.comments) {
    if (c.end <= from) continue;
    if (chunk.slice(at, c.start).includes(';')) return true;
    at = c.end;
  }
  return chunk.slice(at).includes(';');
}

function parseFresh(source: string): ParsedFile {
  const lines = new LineIndex(source);
  const clean = sanitize(source);
  const lex = splitWithLexer(clean);
  const notSql = [...lex.psql, ...lex.copyData].sort((a, b) => a.start - b.start);
  const standIns = new Map<string, string>();
  const text = replacePlaceholders(blank(clean, notSql), standIns);
  const restore = placeholderRestorer(standIns);
  const file: ParsedFile = { text: source, lines, statements: [], comments: lex.comments, psqlLines: lex.psql, unterminated: lex.unterminated };
  if (lex.statements.length === 0) return file;

  let whole: ParseResultJson | undefined;
  try {
    whole = parseSync(text) as ParseResultJson;
  } catch {
    whole = undefined;
  }
  if (whole) {
    const offsets = new ByteOffsets(text);
    const totalBytes = utf8ByteLength(text);
    (whole.stmts ?? []).forEach((s, index) => {
      const startByte = s.stmt_location ?? 0;
      const endByte = s.stmt_len ? startByte + s.stmt_len : totalBytes;
      const span = trimSpan(text, offsets.toUtf16(startByte), offsets.toUtf16(endByte), lex.comments);
      const base = { index, span, end: terminatorEnd(text, span.end), text: source.slice(span.start, span.end) };
      if (deeperThan(s.stmt, MAX_TREE_DEPTH)) {
        file.statements.push({ ...base, kind: 'Invalid', error: { message: TOO_DEEP_MESSAGE, offset: span.start } });
      } else {
        file.statements.push({ ...base, node: restore(s.stmt), kind: kindOf(s.stmt) });
      }
    });
    return file;
  }

  const spans = lex.unterminated ? lex.statements : chunkedScannerSplit(text) ?? splitStatements(text).statements;
  file.statements = spans.map((span, index) => {
    const st = parseOne(text, span, index, source);
    return st.node ? { ...st, node: restore(st.node) } : st;
  });
  return file;
}
