/**
 * Ignore comments that silence nothing: a rule id that does not exist (usually a typo, so the finding it meant to
 * silence is still reported), or a rule that reports nothing where the comment applies (the code changed and the
 * comment stayed). Runs after every other rule, from the record `isSuppressed` keeps of what each comment silenced.
 * squawk's `squawk-ignore` comments are not judged: they may name squawk rules, or serve squawk itself.
 * After ESLint's `--report-unused-disable-directives` (idea only).
 */
import { defineRule, type Fix } from '../rule';
import type { IgnoreDirective } from '../suppressions';
import type { ParsedFile } from '../parse';

/** "`a`", "`a` or `b`", "`a`, `b` or `c`". */
function list(ids: string[]): string {
  const q = ids.map((id) => `\`${id}\``);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** Deletes the comment; with its whole line when nothing else is on that line. */
function removeComment(file: ParsedFile, d: IgnoreDirective, preferred: boolean): Fix {
  const text = file.text;
  let start = d.comment.start;
  let end = d.comment.end;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const lineStart = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  const lineEnd = end === text.length || text[end] === '\n' || text[end] === '\r';
  if (lineStart && lineEnd) {
    if (text.startsWith('\r\n', end)) end += 2;
    else if (end < text.length) end++;
  } else if (!lineEnd) {
    start = d.comment.start; // keep the spacing before what follows on the line
  }
  return { title: 'Remove the ignore comment', edits: [{ start, end, newText: '' }], preferred };
}

/** Rewrites the rule list without the dead ids. */
function removeIds(d: IgnoreDirective, dead: Set<string>, preferred: boolean): Fix {
  const kept = d.rules.filter((id) => !dead.has(id));
  const start = d.ruleSpans[0].start;
  const end = d.ruleSpans[d.ruleSpans.length - 1].end;
  return { title: 'Remove the unneeded rule ids', edits: [{ start, end, newText: kept.join(', ') }], preferred };
}

export default defineRule({
  id: 'unused-ignore',
  description: 'An ignore comment that silences nothing, because it names an unknown rule or a rule that reports nothing there.',
  category: 'style',
  defaultSeverity: 'info',
  recommended: true,
  fixable: true,
  messages: {
    unknown: 'No rule is called {rules}: ignoring it silences nothing.',
    unused: 'Nothing {where} is reported by {rules}: ignoring it is not needed.',
    both: 'No rule is called {unknown}, and nothing {where} is reported by {rules}: ignoring them is not needed.',
    unusedAll: 'Nothing {where} is reported by any rule: this ignore comment is not needed.',
    noStatement: 'No statement follows this ignore comment, so it silences nothing.',
  },
  help: 'Remove the ignore comment or the rule ids it does not need; if a rule id is misspelled, correct it.',
  docs: {
    rationale:
      'An ignore comment is a reviewed exception. When it names a rule that does not exist, usually a typo, the finding it was meant to silence is still reported, or worse, someone later adds a real problem that a correct comment would have hidden from review. When the statement changed and the rule no longer reports anything there, the stale comment would silently hide a new finding of that rule. Rules that are switched off are not judged, and neither are squawk\'s `squawk-ignore` comments, which may name squawk-only rules. Its findings belong to the file, so only `-- migration-guard-ignore-file unused-ignore` silences them; a comment without a rule list does not.',
    bad: [
      '-- migration-guard-ignore renaming-column: the old release is gone\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      "SET lock_timeout = '5s';\n-- migration-guard-ignore require-concurrent-index-creaton: tiny table\nCREATE INDEX users_email_idx ON users (email);",
    ],
    good: [
      '-- migration-guard-ignore renaming-column: the old release is gone\nALTER TABLE users RENAME COLUMN name TO full_name;',
      '-- squawk-ignore prefer-robust-stmts\nCREATE TABLE users (id bigint);',
    ],
  },
  checkSuppressions({ file, suppressions, knownRules, activeRules, report }) {
    const parsed = file.file;
    const broken = parsed.statements.some((s) => !s.node);
    for (const d of suppressions.directives) {
      if (d.tool === 'squawk') continue;
      const span = { start: d.comment.start, end: d.comment.end };
      if (d.scope === 'statement' && d.statementIndex === undefined) {
        report({ messageId: 'noStatement', span, statementIndex: -1, fix: removeComment(parsed, d, true) });
        continue;
      }
      const where = d.scope === 'file' ? 'in this file' : 'on the next statement';
      // A rule cannot have run on a statement that does not parse: only syntax-error can be judged there.
      const unparsed = d.scope === 'file' ? broken : !parsed.statements[d.statementIndex!].node;
      const judged = (id: string) => activeRules.has(id) && (!unparsed || id === 'syntax-error' || id === 'psql-meta-command');
      if (d.rules.length === 0) {
        if (d.suppressed.size === 0 && !unparsed) {
          report({ messageId: 'unusedAll', data: { where }, span, statementIndex: -1, fix: removeComment(parsed, d, true) });
        }
        continue;
      }
      const unknown = [...new Set(d.rules.filter((id) => !knownRules.has(id)))];
      const unused = [...new Set(d.rules.filter((id) => id !== 'unused-ignore' && knownRules.has(id) && judged(id) && !d.suppressed.has(id)))];
      if (unknown.length === 0 && unused.length === 0) continue;
      const dead = new Set([...unknown, ...unused]);
      const preferred = unknown.length === 0;
      const fix = d.rules.every((id) => dead.has(id)) ? removeComment(parsed, d, preferred) : removeIds(d, dead, preferred);
      if (unknown.length && unused.length) {
        report({ messageId: 'both', data: { unknown: list(unknown), rules: list(unused), where }, span, statementIndex: -1, fix });
      } else if (unknown.length) {
        report({ messageId: 'unknown', data: { rules: list(unknown) }, span, statementIndex: -1, fix });
      } else {
        report({ messageId: 'unused', data: { rules: list(unused), where }, span, statementIndex: -1, fix });
      }
    }
  },
});
