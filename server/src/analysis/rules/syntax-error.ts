/** Statements the PostgreSQL parser rejects. The rest of the file is still analyzed. */
import { defineRule } from '../rule';

export default defineRule({
  id: 'syntax-error',
  description: 'A statement that PostgreSQL cannot parse.',
  category: 'syntax',
  defaultSeverity: 'error',
  recommended: true,
  fixable: false,
  messages: {
    syntax: 'Syntax error: {message}. This statement is skipped; the rest of the file is still checked.',
    unterminated: 'The {what} that starts here is never closed, so everything after it is part of it.',
  },
  help: 'Fix the statement; Migration Guard parses with the PostgreSQL 18 grammar.',
  docs: {
    rationale:
      'Migration Guard parses every statement with the real PostgreSQL parser (libpg-query). A statement that does not parse would fail on the database too. Only that statement is skipped: the others are still checked.',
    bad: ['ALTER TABLE users ADD COLUMN;'],
    good: ['ALTER TABLE users ADD COLUMN nickname text;'],
  },
  checkFile({ file, report }) {
    const text = file.file.text;
    const u = file.file.unterminated;
    for (const s of file.file.statements) {
      if (!s.error) continue;
      // The statement holding an unclosed literal gets the clearer "never closed" finding below, not a second one.
      if (u && u.start >= s.span.start && u.start < s.span.end) continue;
      // The statement's last code point when the parser stopped at its end; never half of a surrogate pair.
      const lastUnit = s.span.end - 1;
      const last = lastUnit > s.span.start && /[\udc00-\udfff]/.test(text[lastUnit]) && /[\ud800-\udbff]/.test(text[lastUnit - 1]) ? lastUnit - 1 : lastUnit;
      const at = Math.min(s.error.offset, Math.max(last, s.span.start));
      let end = at;
      while (end < s.span.end && /[\w$]/.test(text[end])) end++;
      report({ messageId: 'syntax', data: { message: s.error.message }, span: { start: at, end: Math.max(end, at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1)) }, statementIndex: s.index });
    }
    if (!u) return;
    const holder = file.file.statements.find((s) => u.start >= s.span.start && u.start < s.span.end);
    report({ messageId: 'unterminated', data: { what: u.what }, span: { start: u.start, end: u.start + 1 }, statementIndex: holder?.index ?? -1 });
  },
});
