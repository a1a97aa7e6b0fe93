/**
 * PostgreSQL's own scanner over one statement's text, for rules that place a fix on a keyword or a type name: the
 * parse tree's `location`s are byte offsets whose base depends on how the file parsed (whole file or one statement),
 * so rules find words with the scanner instead. Offsets are UTF-16, relative to the scanned text; comments are dropped.
 * Also quotes identifiers for generated SQL.
 */
import { scanSync } from 'libpg-query';
import { ByteOffsets } from './text';

export interface Token {
  start: number;
  end: number;
  /** As written. */
  text: string;
  /** The word as PostgreSQL folds it: lower case, or as written (without the quotes) when double-quoted. */
  word: string;
  /** 0 not a keyword, 1 unreserved, 2 column name, 3 type or function name, 4 reserved. */
  keywordKind: number;
}

interface ScanToken {
  start: number;
  end: number;
  text?: string;
  tokenName?: string;
  keywordKind?: number;
}

/** The tokens of `text` without comments; empty when the scanner rejects it (an unterminated literal). */
export function tokenize(text: string): Token[] {
  let scanned: ScanToken[];
  try {
    // The scanner reads a C string: a NUL would end the text early. A space keeps every offset.
    scanned = (scanSync(text.includes('\0') ? text.replace(/\0/g, ' ') : text) as unknown as { tokens?: ScanToken[] }).tokens ?? [];
  } catch {
    return [];
  }
  const offsets = new ByteOffsets(text);
  const out: Token[] = [];
  for (const t of scanned) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
    const start = offsets.toUtf16(t.start);
    const end = offsets.toUtf16(t.end);
    const raw = text.slice(start, end);
    const word = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
    out.push({ start, end, text: raw, word, keywordKind: t.keywordKind ?? 0 });
  }
  return out;
}

/** Index of the first token at or after `from` where the given words follow one another, or -1. */
export function findWords(tokens: readonly Token[], words: readonly string[], from = 0): number {
  for (let i = from; i + words.length <= tokens.length; i++) {
    if (words.every((w, k) => tokens[i + k].word === w && !tokens[i + k].text.startsWith('"'))) return i;
  }
  return -1;
}

/**
 * An identifier as SQL text: bare when PostgreSQL would fold it to itself and it is not a reserved word, else
 * double-quoted (`"Users"`, `"order"`).
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    const kind = tokenize(name)[0]?.keywordKind ?? 0;
    if (kind !== 3 && kind !== 4) return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}
