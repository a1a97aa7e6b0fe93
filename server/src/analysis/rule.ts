/**
 * The rule format: one module per rule, holding its metadata (id, description, docs with good and bad examples,
 * fixable), its typed messages, and its check. `defineRule` ties message ids to the messages so a typo fails to
 * compile. Rules see one statement at a time plus the file's precomputed facts; they never parse or do I/O.
 * After ESLint's rule modules and squawk's one-file-per-rule layout (ideas only).
 */
import type { Catalog } from './catalog';
import type { FileFacts, StatementFacts } from './context';
import type { Statement } from './parse';
import type { ResolvedOptions, Severity } from './options';
import type { Suppressions } from './suppressions';
import type { Span } from './text';

export type Category = 'locking' | 'compatibility' | 'correctness' | 'style' | 'syntax';

/** A text edit in UTF-16 offsets of the analyzed text. */
export interface TextEdit extends Span {
  newText: string;
}

export interface Fix {
  /** Short imperative: "Add CONCURRENTLY". */
  title: string;
  edits: TextEdit[];
  /** Offered as the preferred quick fix: only when always safe in its context. */
  preferred: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** What to do about it. */
  help?: string;
  span: Span;
  /** Index of the statement the finding is about (-1 for file-level findings). */
  statementIndex: number;
  fix?: Fix;
  docsUrl: string;
}

/**
 * What the migration project says about a file's rollback (see `AnalysisContext.rollback`): whether it is an up or a
 * down, whether its tool expects downs, and the other half of the pair.
 */
export interface RollbackContext {
  role: 'up' | 'down';
  /** For an up: `required` when the tool and the project use downs, `information` for up-only tools. */
  expectation?: 'required' | 'information';
  /** For an up: its down file (for single-file formats, this file itself: then `sameFile`). */
  downPath?: string;
  /** For an up: the down's text (the pair file, or this file with all but the down section blanked). */
  downText?: string;
  /** The down exists but is empty or comments only: a deliberate "irreversible" marker, not a missing down. */
  irreversibleMarker?: boolean;
  /** For a down: the up it rolls back. */
  upPath?: string;
  upText?: string;
  /** The down is a section of the analyzed file (dbmate, goose, node-pg-migrate): `downText` has the file's offsets. */
  sameFile?: boolean;
  /** The migration tool (`golang-migrate`, `prisma`, …), for messages. */
  tool?: string;
}

/**
 * A documented example: a migration's SQL, or, for the rollback rules, the SQL with what the project says of its
 * rollback (an up with its down, or a down with its up).
 */
export type RuleDocExample = string | { sql: string; rollback: RollbackContext };

/** The SQL and rollback context of a documented example. */
export function docExample(e: RuleDocExample): { sql: string; rollback?: RollbackContext } {
  return typeof e === 'string' ? { sql: e } : e;
}

export interface RuleDocs {
  /** Why it matters, in a paragraph or two of Markdown. */
  rationale: string;
  /** Migrations the rule flags. Each runs as a test. */
  bad: RuleDocExample[];
  /** Migrations the rule accepts. Each runs as a test. */
  good: RuleDocExample[];
}

export interface Report<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Defaults to the statement's span. */
  span?: Span;
  fix?: Fix;
  /** Lowers this finding's severity below the rule's configured one (never raises it): "information at most". */
  severity?: Severity;
}

export interface RuleContext<M extends string> {
  statement: Statement;
  facts: StatementFacts;
  file: FileFacts;
  options: ResolvedOptions;
  /**
   * The schema as it stood just before this statement: earlier migrations of the folder (when the caller supplied
   * them), then the earlier statements of this file. Read-only for rules.
   */
  catalog: Catalog;
  /** The file's rollback, when the caller knows its migration project (`AnalysisContext.rollback`). */
  rollback?: RollbackContext;
  report(r: Report<M>): void;
}

export interface RuleDefinition<M extends string> {
  id: string;
  description: string;
  category: Category;
  defaultSeverity: Severity;
  /** In the recommended set (on by default). */
  recommended: boolean;
  fixable: boolean;
  messages: Record<M, string>;
  /** One sentence on what to do instead, shown with every finding. */
  help: string;
  docs: RuleDocs;
  /** Called for each statement that parsed. */
  check?(ctx: RuleContext<M>): void;
  /**
   * Called once per file, for findings not tied to one parsed statement (syntax errors, psql lines) or that compare
   * the whole file with another (the rollback rules: an up with its down).
   */
  checkFile?(ctx: FileRuleContext<M>): void;
  /** Called once per file after every other rule, with what each ignore comment silenced (`unused-ignore`). */
  checkSuppressions?(ctx: SuppressionsRuleContext<M>): void;
}

export interface FileRuleContext<M extends string> {
  file: FileFacts;
  options: ResolvedOptions;
  /** The schema before this file (earlier migrations of the folder); empty when the caller supplied none. Read-only. */
  catalog: Catalog;
  /** The file's rollback, when the caller knows its migration project (`AnalysisContext.rollback`). */
  rollback?: RollbackContext;
  report(r: Report<M> & { span: Span; statementIndex: number }): void;
}

export interface SuppressionsRuleContext<M extends string> extends FileRuleContext<M> {
  /** The file's ignore comments; each records the rule ids whose findings it silenced. */
  suppressions: Suppressions;
  /** Every registered rule id. */
  knownRules: ReadonlySet<string>;
  /** The rules that ran on this file (a comment naming a rule that is off cannot be judged). */
  activeRules: ReadonlySet<string>;
}

export type Rule = RuleDefinition<string>;

export function defineRule<M extends string>(rule: RuleDefinition<M>): RuleDefinition<M> {
  return rule;
}

/** Fills `{name}` placeholders of a message. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}
