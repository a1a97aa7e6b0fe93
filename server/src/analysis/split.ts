/**
 * Statement splitting for text the parser rejects as a whole. The primary splitter reads libpg-query's scanner tokens
 * (the real PostgreSQL lexer); a small hand lexer takes over only when the scanner itself gives up (an unterminated
 * quote, dollar body or comment), so that everything before the broken spot is still analyzed.
 * Both understand `BEGIN ATOMIC … END` bodies, whose inner semicolons do not end the statement.
 * Offsets are UTF-16.
 */
import { scanSync } from 'libpg-query';
import { ByteOffsets, type Span } from './text';

export interface Comment extends Span {
  /** The comment text including its `--` or `/* *\/` markers. */
  text: string;
}

export interface Split {
  /** Statement spans from the first token to the last token before `;` (comments outside statements excluded). */
  statements: Span[];
  comments: Comment[];
  /** Set when the hand lexer found a literal or comment running to the end of the text. */
  unterminated?: { start: number; what: string };
}

interface LexerSplit extends Split {
  /** psql meta-command lines, from the backslash to the end of the line. */
  psql: Span[];
  /** Inline data of `COPY … FROM stdin;` up to and including its `\.` line (pg_dump output). */
  copyData: Span[];
}

const COPY_FROM_STDIN = /^COPY\b[\s\S]*\bFROM\s+STDIN\b/i;

/** Tracks `BEGIN ATOMIC … END` nesting from a stream of upper-cased words. */
class AtomicTracker {
  private depth = 0;
  private previous = '';

  /** Feeds one word; returns nothing. */
  word(w: string): void {
    const u = w.toUpperCase();
    if (u === 'ATOMIC' && this.previous === 'BEGIN') this.depth = 1;
    else if (this.depth > 0 && u === 'CASE') this.depth++;
    else if (this.depth > 0 && u === 'END') this.depth--;
    this.previous = u;
  }

  other(): void {
    this.previous = '';
  }

  get inside(): boolean {
    return this.depth > 0;
  }
}

/** Splits with the PostgreSQL scanner. Throws when the scanner cannot tokenize the text. */
export function splitWithScanner(text: string): Split {
  const tokens = scanSync(text).tokens;
  const offsets = new ByteOffsets(text);
  const statements: Span[] = [];
  const comments: Comment[] = [];
  const atomic = new AtomicTracker();
  let start = -1;
  let end = -1;
  for (const t of tokens) {
    const s = offsets.toUtf16(t.start);
    const e = offsets.toUtf16(t.end);
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') {
      comments.push({ start: s, end: e, text: text.slice(s, e) });
      continue;
    }
    if (t.text === ';' && !atomic.inside) {
      if (start >= 0) statements.push({ start, end });
      start = -1;
      atomic.other();
      continue;
    }
    if (/^[A-Za-z_]/.test(t.text)) atomic.word(t.text);
    else atomic.other();
    if (start < 0) start = s;
    end = e;
  }
  if (start >= 0) statements.push({ start, end });
  return { statements, comments };
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * The recovery lexer: enough of PostgreSQL's lexical rules to find statement ends, comments and the place where a
 * literal is left open. Used when `scanSync` throws.
 */
export function splitWithLexer(text: string): LexerSplit {
  const statements: Span[] = [];
  const psql: Span[] = [];
  const copyData: Span[] = [];
  const comments: Comment[] = [];
  const atomic = new AtomicTracker();
  let start = -1;
  let end = -1;
  let unterminated: Split['unterminated'];
  const n = text.length;
  let i = 0;
  const token = (s: number, e: number) => {
    if (start < 0) start = s;
    end = e;
  };
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      // PostgreSQL's scanner ends a `--` comment at \n or \r (scan.l: newline [\n\r]), so a CR-only file's comment
      // ends at its line's CR.
      let e = i + 2;
      while (e < n && text[e] !== '\n' && text[e] !== '\r') e++;
      comments.push({ start: i, end: e, text: text.slice(i, e) });
      i = e;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) unterminated ??= { start: i, what: 'comment' };
      comments.push({ start: i, end: j, text: text.slice(i, j) });
      i = j;
    } else if (c === "'" || c === '"') {
      const backslash = c === "'" && i > 0 && (text[i - 1] === 'E' || text[i - 1] === 'e') && !WORD_PART.test(text[i - 2] ?? ' ');
      let j = i + 1;
      for (;;) {
        if (j >= n) {
          unterminated ??= { start: i, what: c === "'" ? 'string literal' : 'quoted identifier' };
          break;
        }
        if (backslash && text[j] === '\\') j += 2;
        else if (text[j] === c) {
          if (text[j + 1] === c) j += 2;
          else {
            j++;
            break;
          }
        } else j++;
      }
      token(i, Math.min(j, n));
      atomic.other();
      i = Math.min(j, n);
    } else if (c === '$') {
      DOLLAR_TAG.lastIndex = i;
      const m = i > 0 && WORD_PART.test(text[i - 1]) ? null : DOLLAR_TAG.exec(text);
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        const e = close < 0 ? n : close + m[0].length;
        if (close < 0) unterminated ??= { start: i, what: `dollar-quoted body ${m[0]}` };
        token(i, e);
        atomic.other();
        i = e;
      } else {
        token(i, i + 1);
        i++;
      }
    } else if (c === '\\' && /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i))) {
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      if (text[e - 1] === '\r') e--;
      psql.push({ start: i, end: e });
      i = e;
    } else if (c === ';') {
      if (atomic.inside) {
        token(i, i + 1);
      } else {
        if (start >= 0) statements.push({ start, end });
        atomic.other();
        if (start >= 0 && COPY_FROM_STDIN.test(text.slice(start, end))) {
          // The data starts on the next line and ends with a line holding only `\.`.
          let dataStart = text.indexOf('\n', i);
          dataStart = dataStart < 0 ? n : dataStart + 1;
          const m = /^\\\.[ \t]*$/m.exec(text.slice(dataStart));
          const dataEnd = m ? dataStart + m.index + m[0].length : n;
          copyData.push({ start: dataStart, end: dataEnd });
          start = -1;
          i = dataEnd;
          continue;
        }
        start = -1;
      }
      i++;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(text[j])) j++;
      atomic.word(text.slice(i, j));
      token(i, j);
      i = j;
    } else {
      token(i, i + 1);
      atomic.other();
      i++;
    }
  }
  if (start >= 0) statements.push({ start, end });
  return { statements, comments, unterminated, psql, copyData };
}

/** Splits text into statements: the scanner when it can, the recovery lexer when it cannot. */
export function splitStatements(text: string): Split {
  try {
    return splitWithScanner(text);
  } catch {
    return splitWithLexer(text);
  }
}
