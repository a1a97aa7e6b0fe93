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

export interface RuleDocs {
  /** Why it matters, in a paragraph or two of Markdown. */
  rationale: string;
  /** Migrations the rule flags. Each runs as a test. */
  bad: string[];
  /** Migrations the rule accepts. Each runs as a test. */
  good: string[];
}

export interface Report<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Defaults to the statement's span. */
  span?: Span;
  fix?: Fix;
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
  /** Called once per file, for findings not tied to one parsed statement (syntax errors, psql lines). */
  checkFile?(ctx: FileRuleContext<M>): void;
  /** Called once per file after every other rule, with what each ignore comment silenced (`unused-ignore`). */
  checkSuppressions?(ctx: SuppressionsRuleContext<M>): void;
}

export interface FileRuleContext<M extends string> {
  file: FileFacts;
  options: ResolvedOptions;
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
