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
import { BIG_TABLE_ROWS, formatRows, sizeOf } from './sizes';
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

/**
 * How table sizes scale a locking finding, from the locks its statement takes (`statementEffect`, so no rule needs to
 * name its tables): when every locked table is known and smaller than `smallTableRows`, the finding is brief and
 * becomes `info`; tables known to be big are named. Tables created earlier in the file and tables of unknown size
 * change nothing (one unknown table keeps the severity).
 */
function scaleBySize(stmt: FileFacts['statements'][number] | undefined, options: ResolvedOptions): { small: boolean; suffix: string } | undefined {
  if (!stmt || Object.keys(options.tableSizes).length === 0) return undefined;
  const locked = stmt.effect.locks.filter((l) => !stmt.createdBefore.has(l.key));
  if (locked.length === 0) return undefined;
  const sized = locked.map((l) => ({ name: l.relation, size: sizeOf(options.tableSizes, l.key) }));
  const has = (t: { name: string; size?: { rows: number } }) => `\`${t.name}\` has ≈ ${formatRows(t.size!.rows, true)} rows`;
  if (sized.every((t) => t.size && t.size.rows < options.smallTableRows)) {
    return { small: true, suffix: `(${sized.map(has).join(', ')}: brief)` };
  }
  const big = sized.filter((t) => t.size && t.size.rows >= BIG_TABLE_ROWS);
  return big.length ? { small: false, suffix: `(${big.map(has).join(', ')})` } : undefined;
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
    const reported = r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[severity] ? r.severity : severity;
    const message = formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data);
    const scaled = rule.category === 'locking' ? scaleBySize(facts.statements[statementIndex], resolved) : undefined;
    findings.push({
      ruleId: rule.id,
      severity: scaled?.small ? 'info' : reported,
      message: scaled ? `${message} ${scaled.suffix}` : message,
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
