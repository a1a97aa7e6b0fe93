/**
 * The analysis entry point: text and options in, findings out. Pure: no I/O, no editor types. The CLI and the
 * language server both call `analyze`, so the editor and CI always agree.
 */
import { computeFacts, type FileFacts } from './context';
import { resolveOptions, type AnalysisOptions, type ResolvedOptions, type Severity } from './options';
import { parseFile, type ParsedFile } from './parse';
import { formatMessage, type Finding, type Report, type Rule } from './rule';
import { RULES } from './rules';
import { collectSuppressions, type Suppressions } from './suppressions';
import type { Span } from './text';

export interface AnalysisResult {
  file: ParsedFile;
  facts: FileFacts;
  findings: Finding[];
  suppressions: Suppressions;
  options: ResolvedOptions;
}

function severityOf(rule: Rule, options: ResolvedOptions): Severity | undefined {
  const setting = options.rules[rule.id];
  if (setting === 'off') return undefined;
  if (setting) return setting;
  return rule.recommended ? rule.defaultSeverity : undefined;
}

/** Analyzes one migration file. `initParser()` must have resolved. */
export function analyze(text: string, options: AnalysisOptions = {}): AnalysisResult {
  const resolved = resolveOptions(options);
  const file = parseFile(text);
  const facts = computeFacts(file, resolved);
  const suppressions = collectSuppressions(file.comments, file.statements);
  const findings: Finding[] = [];

  for (const rule of RULES) {
    const severity = severityOf(rule, resolved);
    if (!severity) continue;
    const emit = (r: Report<string>, span: Span, statementIndex: number) => {
      if (suppressions.isSuppressed(rule.id, statementIndex)) return;
      findings.push({
        ruleId: rule.id,
        severity,
        message: formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data),
        help: rule.help,
        span,
        statementIndex,
        fix: r.fix,
        docsUrl: `${resolved.docsBaseUrl}${rule.id}.md`,
      });
    };
    if (rule.checkFile) {
      rule.checkFile({ file: facts, options: resolved, report: (r) => emit(r, r.span, r.statementIndex) });
    }
    if (rule.check) {
      for (const statement of file.statements) {
        if (!statement.node) continue;
        const stmtFacts = facts.statements[statement.index];
        rule.check({
          statement,
          facts: stmtFacts,
          file: facts,
          options: resolved,
          report: (r) => emit(r, r.span ?? statement.span, statement.index),
        });
      }
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { file, facts, findings, suppressions, options: resolved };
}
