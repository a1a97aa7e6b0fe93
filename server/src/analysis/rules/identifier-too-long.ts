/** Identifiers longer than 63 bytes: PostgreSQL silently truncates them, so the object gets another name than written. */
import { statementTokens } from '../parts';
import { tokenize } from '../tokens';
import { containsPlaceholder } from '../parse';
import { defineRule } from '../rule';

/** NAMEDATALEN - 1 (src/include/pg_config_manual.h). */
const MAX_BYTES = 63;

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `s` that fits in `max` UTF-8 bytes without cutting a character (as pg_mbcliplen does). */
function clip(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    bytes += utf8Bytes(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

export default defineRule({
  id: 'identifier-too-long',
  description: 'Identifiers longer than 63 bytes are silently truncated by PostgreSQL.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    tooLong: '`{name}` is {bytes} bytes long: PostgreSQL silently truncates identifiers to 63 bytes, so the name used is `{truncated}`.',
  },
  help: 'Choose a name of at most 63 bytes (UTF-8: non-ASCII letters take 2 to 4 bytes each).',
  docs: {
    rationale:
      'Names are stored in 64-byte fields (NAMEDATALEN), so PostgreSQL cuts every longer identifier to 63 bytes with only a NOTICE, at a character boundary. The object then has a name nobody wrote: tools and later migrations that look it up by the full name do not find it, and two long names with the same first 63 bytes collide (the second CREATE fails, or an ALTER hits the wrong object). The limit is in bytes of UTF-8, not characters: a name of 55 characters with 10 accented letters is already 65 bytes.\n\n' +
      'Every identifier in a statement is checked, quoted or not. The fix writes the name PostgreSQL actually uses, so it never changes what the statement does; it is preferred, though a shorter name chosen by hand usually reads better. Same id as squawk. On by default as a warning, as in squawk.',
    bad: [
      'CREATE INDEX index_on_customer_orders_by_customer_id_and_created_at_and_status ON orders (customer_id, created_at, status);',
      'ALTER TABLE users ADD COLUMN "éléments_de_préférence_sélectionnés_récemment_à_répéter" text;',
    ],
    good: ['CREATE INDEX orders_customer_created_status_idx ON orders (customer_id, created_at, status);'],
  },
  check({ statement, report }) {
    // Cheap first look: scan only statements with a word or quoted name over 63 bytes somewhere in their text.
    const words = statement.text.match(/"(?:[^"]|"")*"|[^\s(),;.'"]{16,}/g) ?? [];
    if (!words.some((w) => utf8Bytes(w) > MAX_BYTES)) return;
    const tokens = statementTokens(statement);
    for (const t of tokens) {
      const quoted = t.text.startsWith('"');
      if (!quoted && !/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(t.text)) continue;
      // Unquoted names are folded to lower case, ASCII letters only (PostgreSQL's downcase_identifier for UTF-8).
      const name = quoted ? t.word : t.text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const bytes = utf8Bytes(name);
      if (bytes <= MAX_BYTES) continue;
      const truncated = clip(name, MAX_BYTES);
      const newText = quoted ? `"${truncated.replace(/"/g, '""')}"` : clip(t.text, MAX_BYTES);
      // The edit must leave the other tokens as they were, and the statement must hold no template placeholder (its
      // parse saw a stand-in: truncating a name can cut the placeholder out, `:"x"` inside a quoted name): else no fix.
      const at = t.start - statement.span.start;
      const edited = `${statement.text.slice(0, at)}${newText}${statement.text.slice(t.end - statement.span.start)}`;
      const after = tokenize(edited);
      const index = tokens.indexOf(t);
      const safe = at >= 0 && !containsPlaceholder(statement.text) && after.length === tokens.length && after[index]?.text === newText && after.every((x, i) => i === index || x.text === tokens[i].text);
      report({
        messageId: 'tooLong',
        data: { name, bytes, truncated },
        span: { start: t.start, end: t.end },
        fix: safe ? { title: 'Use the truncated name', edits: [{ start: t.start, end: t.end, newText }], preferred: true } : undefined,
      });
    }
  },
});
