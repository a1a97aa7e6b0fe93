/**
 * Small text helpers of the project layer that do not need the parser: "is this only comments?", blanking a
 * section without moving offsets (UTF-16 length and line breaks are kept), and a content hash for caches.
 */
import type { Span } from '../text';

/** Where the comment or whitespace run starting at `i` ends (`i` itself when there is none). */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else return i;
  }
}

/** True when the text (or its `[start, end)` part) holds only comments and whitespace. */
export function isCommentOnly(text: string, start = 0, end = text.length): boolean {
  const part = start === 0 && end === text.length ? text : text.slice(start, end);
  return skipTrivia(part, 0) >= part.length;
}

/** The text with every character outside `keep` replaced by a space; line breaks stay, so offsets and lines hold. */
export function blankOutside(text: string, keep: Span): string {
  return blank(text, 0, keep.start) + text.slice(keep.start, keep.end) + blank(text, keep.end, text.length);
}

/** The text with `[span.start, span.end)` replaced by spaces (line breaks kept). */
export function blankSpan(text: string, span: Span): string {
  return text.slice(0, span.start) + blank(text, span.start, span.end) + text.slice(span.end);
}

function blank(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/[^\r\n]/g, ' ');
}

/** Comments replaced by spaces (strings are not recognized; good enough for keyword tests on migration text). */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const next = nextCommentStart(text, i);
    if (next < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, next);
    let end = skipTrivia(text, next);
    if (end === next) end = next + 2;
    out += blank(text, next, end);
    i = end;
  }
  return out;
}

function nextCommentStart(text: string, from: number): number {
  const a = text.indexOf('--', from);
  const b = text.indexOf('/*', from);
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

/**
 * A 53-bit content hash for cache keys: two 32-bit multiplicative lanes (one FNV-1a), 21 + 32 bits kept. `seed`
 * chains hashes (the hash of a list is the hash of its last item seeded with the hash of the rest).
 */
export function hash53(text: string, seed = 0): number {
  let a = (0x811c9dc5 ^ seed) >>> 0;
  let b = (0x9e3779b9 ^ Math.floor(seed / 4294967296)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (b >>> 11) * 4294967296 + (a >>> 0);
}

/** A zero-padded decimal, so that numeric versions compare as strings (`"0042"` and `"42"` are equal). */
export function numericKey(digits: string, width = 40): string {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  return trimmed.length >= width ? trimmed : '0'.repeat(width - trimmed.length) + trimmed;
}
