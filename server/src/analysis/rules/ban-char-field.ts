/** char(n) / character(n): blank-padded strings with surprising comparison rules and no speed advantage. */
import { relationName } from '../ast';
import { arraySuffix, baseTypeName, columnSites, inTypeCase, isCatalogType, typmodValues } from '../parts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-char-field',
  description: 'Columns should not be char(n), which pads values with spaces and is no faster than text or varchar.',
  category: 'style',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    padded: '`{table}.{column}` is `{type}`: every value is padded with spaces to {length}, the padding is ignored by `=` but not by LIKE, regular expressions or clients, and it is no faster than text.',
    unbounded: '`{table}.{column}` is `bpchar`: trailing spaces are ignored by `=` but not by LIKE, regular expressions or clients, and it is no faster than text.',
  },
  help: 'Use text (or varchar(n) when the length limit matters, or text with a CHECK on char_length).',
  docs: {
    rationale:
      '`char(n)` (`character(n)`, `bpchar`) stores every value padded with spaces to n characters. Comparisons with `=` ignore the trailing spaces, but LIKE, regular expressions, `||` and most clients see them, which makes bugs that are hard to spot. The PostgreSQL manual notes that it has no performance advantage over text or varchar; it only costs the padding. A bare `char` is `char(1)`, which is rarely what was meant.\n\n' +
      'The fix (as in squawk) turns `char(n)` into `varchar(n)`, which keeps the limit, and a bare `char` or `bpchar` into `text`. It is not preferred: trailing spaces become significant, and a bare `char` loses its one-character limit. The quoted type `"char"` (PostgreSQL\'s one-byte internal type) is not flagged. On by default as a warning, as in squawk (where every rule but require-table-schema is on).',
    bad: ['CREATE TABLE countries (code char(2) PRIMARY KEY);', 'ALTER TABLE users ADD COLUMN gender character;'],
    good: ['CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2));', 'CREATE TABLE countries (code varchar(2) PRIMARY KEY);'],
  },
  check({ statement, report }) {
    for (const site of columnSites(statement)) {
      if (baseTypeName(site.typeName) !== 'bpchar' || !isCatalogType(site.typeName)) continue;
      const mods = typmodValues(site.typeName);
      const written = mods.length === 1 && mods[0].written;
      const length = mods.length === 1 ? mods[0].value : undefined;
      const replacement = written ? `varchar(${length})` : 'text';
      const table = relationName(site.relation);
      report({
        messageId: length === undefined ? 'unbounded' : 'padded',
        data:
          length === undefined
            ? { table, column: site.column }
            : { table, column: site.column, type: written ? `char(${length})` : 'char', length: `${length} character${length === 1 ? '' : 's'}` },
        span: site.typeSpan ?? site.span,
        fix: site.typeSpan
          ? { title: `Use ${replacement}`, edits: [{ ...site.typeSpan, newText: `${inTypeCase(site, replacement)}${arraySuffix(site.typeName)}` }], preferred: false }
          : undefined,
      });
    }
  },
});
