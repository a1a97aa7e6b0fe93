/**
 * Text positions. Everything in the analysis library speaks UTF-16 code-unit offsets (what JavaScript strings,
 * VS Code and LSP use). libpg-query reports UTF-8 byte offsets; `ByteOffsets` is the one place that converts them.
 * Invariant: `sanitize` never changes a string's UTF-16 length, so offsets into the sanitized text are offsets into
 * the user's text.
 */

/** A half-open range of UTF-16 offsets `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** A zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

const NON_ASCII = /[^\x00-\x7f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes text safe to hand to the C parser without moving any offset: NUL (which would end the C string) and a
 * leading byte order mark become spaces, and a lone UTF-16 surrogate (text decoded from invalid UTF-8 or cut mid-pair) becomes U+FFFD.
 */
export function sanitize(text: string): string {
  let out = text.includes('\0') ? text.replace(/\0/g, ' ') : text;
  if (out.charCodeAt(0) === 0xfeff) out = ` ${out.slice(1)}`; // byte order mark
  if (NON_ASCII.test(out)) out = out.replace(LONE_SURROGATE, '\ufffd');
  return out;
}

/** Byte length of one code point in UTF-8. */
function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Converts UTF-8 byte offsets of a (sanitized) string to UTF-16 offsets. ASCII-only text maps 1:1 at no cost;
 * otherwise one checkpoint is kept per non-ASCII code point and lookups are a binary search.
 */
export class ByteOffsets {
  /** Byte offset where each non-ASCII code point starts. */
  private readonly bytes: number[] = [];
  /** UTF-16 offset of the same code point. */
  private readonly units: number[] = [];
  /** Its UTF-8 length and UTF-16 length. */
  private readonly byteLen: number[] = [];
  private readonly unitLen: number[] = [];

  constructor(text: string) {
    if (!NON_ASCII.test(text)) return;
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp < 0x80) {
        byte++;
        continue;
      }
      const bl = utf8Length(cp);
      const ul = cp > 0xffff ? 2 : 1;
      this.bytes.push(byte);
      this.units.push(i);
      this.byteLen.push(bl);
      this.unitLen.push(ul);
      byte += bl;
      i += ul - 1;
    }
  }

  /** UTF-16 offset of a byte offset (a byte inside a multi-byte character maps to that character's start). */
  toUtf16(byteOffset: number): number {
    const b = this.bytes;
    if (b.length === 0 || byteOffset <= b[0]) return byteOffset;
    let lo = 0;
    let hi = b.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid] <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    const end = b[lo] + this.byteLen[lo];
    if (byteOffset < end) return this.units[lo];
    return this.units[lo] + this.unitLen[lo] + (byteOffset - end);
  }
}

/** Line starts of a text, for offset ↔ line/character conversion. Line breaks are \n, \r\n and \r (as in LSP). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10) {
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    if (pos.line < 0) return 0;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    let o = Math.min(start + Math.max(0, pos.character), next);
    // A character past the end of the line means the end of the line, before its line break (as LSP says).
    while (o > start && (this.text.charCodeAt(o - 1) === 10 || this.text.charCodeAt(o - 1) === 13)) o--;
    return o;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}

/** `x` as a literal inside a regular expression. */
export function escapeRegExp(x: string): string {
  return x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
