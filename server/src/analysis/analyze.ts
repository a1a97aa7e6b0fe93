/**
 * The analysis entry point: text and options in, findings out. Pure: no I/O, no editor types. The CLI and the
 * language server both call `analyze`, so the editor and CI always agree.
 */
import { Catalog } from './catalog';
import { computeFacts, type FileFacts } from './context';
import { resolveOptions, type AnalysisOptions, type ResolvedOptions, type Severity } from './options';
import { parseFile, type ParsedFile } from './parse';
import { formatMessage, type Finding, type Report, type RollbackContext, type Rule } from './rule';
import { RULES } from './rules';
import { collectSuppressions, type Suppressions } from './suppressions';
import type { Span } from './text';

/** What the caller knows beyond the file's text. */
export interface AnalysisContext {
  /** The schema built from the earlier migrations of the folder (see `buildCatalog`). Not modified. */
  catalog?: Catalog;
  /**
   * Relations created by earlier files of the same deploy unit (Ory popx splits one migration into many files that
   * run together): they are as new as tables created earlier in this file, so lock rules exempt them.
   */
  createdInUnit?: Iterable<string>;
  /**
   * The file's rollback as the migration project defines it (filled by `analyzeMigration`): for an up, its down and
   * whether the tool expects one; for a down, its up. The rollback rules stay quiet without it.
   */
  rollback?: RollbackContext;
  /**
   * Called with the schema after this file's statements (a copy of `catalog` with them applied), so a caller can
   * cache it as the next file's starting point instead of applying the file again. Not modified afterwards.
   */
  catalogAfter?: (catalog: Catalog) => void;
}

export interface AnalysisResult {
  file: ParsedFile;
  facts: FileFacts;
  findings: Finding[];
  suppressions: Suppressions;
  options: ResolvedOptions;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function severityOf(rule: Rule, options: ResolvedOptions): Severity | undefined {
  const setting = options.rules[rule.id];
  if (setting === 'off') return undefined;
  if (setting) return setting;
  return rule.recommended ? rule.defaultSeverity : undefined;
}

/** Analyzes one migration file. `initParser()` must have resolved. */
export function analyze(text: string, options: AnalysisOptions = {}, context: AnalysisContext = {}): AnalysisResult {
  const resolved = resolveOptions(options);
  const file = parseFile(text);
  const facts = computeFacts(file, resolved, context.createdInUnit);
  const suppressions = collectSuppressions(file.comments, file.statements);
  const findings: Finding[] = [];

  const active = RULES.map((rule) => ({ rule, severity: severityOf(rule, resolved) })).filter(
    (r): r is { rule: Rule; severity: Severity } => r.severity !== undefined,
  );
  const emitter = (rule: Rule, severity: Severity) => (r: Report<string>, span: Span, statementIndex: number) => {
    if (suppressions.isSuppressed(rule.id, statementIndex)) return;
    findings.push({
      ruleId: rule.id,
      severity: r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[severity] ? r.severity : severity,
      message: formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data),
      help: rule.help,
      span,
      statementIndex,
      fix: r.fix,
      docsUrl: `${resolved.docsBaseUrl}${rule.id}.md`,
    });
  };

  const before = context.catalog ?? new Catalog();
  for (const { rule, severity } of active) {
    if (!rule.checkFile) continue;
    const emit = emitter(rule, severity);
    rule.checkFile({ file: facts, options: resolved, catalog: before, rollback: context.rollback, report: (r) => emit(r, r.span, r.statementIndex) });
  }

  // Statement by statement, so that every rule sees the catalog as it stood just before the statement.
  const statementRules = active.filter((r) => r.rule.check).map((r) => ({ ...r, emit: emitter(r.rule, r.severity) }));
  const catalog = context.catalog ? context.catalog.clone() : new Catalog();
  for (const statement of file.statements) {
    if (!statement.node) continue;
    const stmtFacts = facts.statements[statement.index];
    for (const { rule, emit } of statementRules) {
      rule.check!({
        statement,
        facts: stmtFacts,
        file: facts,
        options: resolved,
        catalog,
        rollback: context.rollback,
        report: (r) => emit(r, r.span ?? statement.span, statement.index),
      });
    }
    catalog.apply(statement.node);
  }

  context.catalogAfter?.(catalog);

  // Last, once every other rule has reported: which ignore comments silenced nothing.
  const knownRules = new Set(RULES.map((r) => r.id));
  const activeRules = new Set(active.map((r) => r.rule.id));
  for (const { rule, severity } of active) {
    if (!rule.checkSuppressions) continue;
    const emit = emitter(rule, severity);
    rule.checkSuppressions({ file: facts, options: resolved, catalog: before, rollback: context.rollback, suppressions, knownRules, activeRules, report: (r) => emit(r, r.span, r.statementIndex) });
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { file, facts, findings, suppressions, options: resolved };
}
