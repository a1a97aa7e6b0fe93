/**
 * Ignore comments. `-- migration-guard-ignore rule-a, rule-b: reason` silences those rules on the next statement;
 * `-- migration-guard-ignore-file rule-a: reason` on the whole file. squawk's `-- squawk-ignore` and
 * `-- squawk-ignore-file` are honoured the same way so existing comments carry over. No rule list means all rules.
 */
import type { Comment } from './split';
import type { Statement } from './parse';

export interface IgnoreDirective {
  comment: Comment;
  scope: 'statement' | 'file';
  /** Rule ids named; empty means every rule. */
  rules: string[];
  reason?: string;
  /** The statement it applies to (statement scope). */
  statementIndex?: number;
}

export interface Suppressions {
  directives: IgnoreDirective[];
  isSuppressed(ruleId: string, statementIndex: number): boolean;
}

const DIRECTIVE = /^(?:--|\/\*)\s*(migration-guard|squawk)-ignore(-file)?\b([^\n]*?)(?:\*\/)?\s*$/;

export function parseDirective(comment: Comment): Omit<IgnoreDirective, 'statementIndex'> | undefined {
  const m = DIRECTIVE.exec(comment.text.trim());
  if (!m) return undefined;
  const body = m[3].trim();
  const colon = body.indexOf(':');
  const list = colon >= 0 ? body.slice(0, colon) : body;
  const reason = colon >= 0 ? body.slice(colon + 1).trim() : undefined;
  const rules = list.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);
  return { comment, scope: m[2] ? 'file' : 'statement', rules, reason: reason || undefined };
}

export function collectSuppressions(comments: Comment[], statements: Statement[]): Suppressions {
  const directives: IgnoreDirective[] = [];
  let si = 0;
  for (const c of comments) {
    const d = parseDirective(c);
    if (!d) continue;
    if (d.scope === 'file') {
      directives.push(d);
      continue;
    }
    while (si < statements.length && statements[si].span.start < c.end) si++;
    directives.push({ ...d, statementIndex: si < statements.length ? statements[si].index : undefined });
  }
  const matches = (d: IgnoreDirective, ruleId: string) => d.rules.length === 0 || d.rules.includes(ruleId);
  return {
    directives,
    isSuppressed(ruleId, statementIndex) {
      return directives.some(
        (d) => matches(d, ruleId) && (d.scope === 'file' || (d.statementIndex !== undefined && d.statementIndex === statementIndex)),
      );
    },
  };
}
