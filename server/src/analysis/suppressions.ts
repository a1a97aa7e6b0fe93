/**
 * Ignore comments. `-- migration-guard-ignore rule-a, rule-b: reason` silences those rules on the next statement;
 * `-- migration-guard-ignore-file rule-a: reason` on the whole file. squawk's `-- squawk-ignore` and
 * `-- squawk-ignore-file` are honoured the same way so existing comments carry over. No rule list means all rules.
 * Each directive records which rules it actually silenced (`isSuppressed` marks it), so `unused-ignore` can report the
 * ones that silence nothing (a blanket comment does not silence that rule). Offsets are UTF-16.
 */
import { canonicalRuleId } from './rules/aliases';
import type { Comment } from './split';
import type { Statement } from './parse';
import type { Span } from './text';

export interface IgnoreDirective {
  comment: Comment;
  /** `migration-guard-ignore…` or squawk's `squawk-ignore…`. */
  tool: 'migration-guard' | 'squawk';
  scope: 'statement' | 'file';
  /** Rule ids named; empty means every rule. */
  rules: string[];
  /** Where each of `rules` is written (offsets into the file), in the same order. */
  ruleSpans: Span[];
  reason?: string;
  /** The statement it applies to (statement scope); undefined when no statement follows the comment. */
  statementIndex?: number;
  /** Rule ids of the findings this directive silenced during the analysis. */
  suppressed: Set<string>;
}

export interface Suppressions {
  directives: IgnoreDirective[];
  /**
   * True when a directive silences `ruleId` on the statement (`-1` for file-level findings, which only the file form
   * silences). Every matching directive is marked as used, so call it only for findings that were really reported.
   */
  isSuppressed(ruleId: string, statementIndex: number): boolean;
}

const UNUSED_IGNORE = 'unused-ignore';

const DIRECTIVE = /^(?:--|\/\*)\s*(migration-guard|squawk)-ignore(-file)?\b([^\n]*?)(?:\*\/)?\s*$/d;

/** Parses one comment; offsets in `ruleSpans` are relative to the file (the comment's own `start` is added). */
export function parseDirective(comment: Comment): Omit<IgnoreDirective, 'statementIndex' | 'suppressed'> | undefined {
  const lead = comment.text.length - comment.text.trimStart().length;
  const m = DIRECTIVE.exec(comment.text.trim());
  if (!m) return undefined;
  const bodyStart = comment.start + lead + m.indices![3][0];
  const body = m[3];
  const colon = body.indexOf(':');
  const list = colon >= 0 ? body.slice(0, colon) : body;
  const reason = colon >= 0 ? body.slice(colon + 1).trim() : undefined;
  const rules: string[] = [];
  const ruleSpans: Span[] = [];
  for (const r of list.matchAll(/[^\s,]+/g)) {
    rules.push(canonicalRuleId(r[0]));
    ruleSpans.push({ start: bodyStart + r.index, end: bodyStart + r.index + r[0].length });
  }
  return {
    comment,
    tool: m[1] === 'squawk' ? 'squawk' : 'migration-guard',
    scope: m[2] ? 'file' : 'statement',
    rules,
    ruleSpans,
    reason: reason || undefined,
  };
}

export function collectSuppressions(comments: Comment[], statements: Statement[]): Suppressions {
  const directives: IgnoreDirective[] = [];
  let si = 0;
  for (const c of comments) {
    const d = parseDirective(c);
    if (!d) continue;
    if (d.scope === 'file') {
      directives.push({ ...d, suppressed: new Set() });
      continue;
    }
    while (si < statements.length && statements[si].span.start < c.end) si++;
    directives.push({ ...d, statementIndex: si < statements.length ? statements[si].index : undefined, suppressed: new Set() });
  }
  // A comment without a rule list silences every rule but `unused-ignore`: an unused blanket comment would otherwise
  // silence its own report. `unused-ignore` is silenced only by naming it.
  const matches = (d: IgnoreDirective, ruleId: string, statementIndex: number) =>
    (d.rules.length === 0 ? ruleId !== UNUSED_IGNORE : d.rules.includes(ruleId)) &&
    (d.scope === 'file' || (d.statementIndex !== undefined && d.statementIndex === statementIndex));
  return {
    directives,
    isSuppressed(ruleId, statementIndex) {
      let hit = false;
      for (const d of directives) {
        if (!matches(d, ruleId, statementIndex)) continue;
        d.suppressed.add(ruleId);
        hit = true;
      }
      return hit;
    },
  };
}
