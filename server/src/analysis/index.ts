/**
 * The Migration Guard analysis library (facade). Pure: text and options in; findings, locks, fixes out.
 * It imports neither `vscode` nor `vscode-languageserver*` and does no I/O (a test enforces this).
 */
export { analyze, type AnalysisResult, type AnalysisContext } from './analyze';
export { Catalog, buildCatalog, type Table, type Column, type TableConstraint, type Index } from './catalog';
export { initParser, parseFile, type ParsedFile, type Statement } from './parse';
export { resolveOptions, DEFAULT_POSTGRES_VERSION, type AnalysisOptions, type ResolvedOptions, type Severity, type RuleSetting } from './options';
export {
  resolveConfig,
  parseConfigFile,
  findConfigFile,
  applyConfig,
  globMatcher,
  relativePath,
  CONFIG_FILE,
  SQUAWK_CONFIG_FILE,
  type ConfigHost,
  type ConfigFile,
  type ConfigProblem,
  type ResolvedConfig,
  type ResolveConfigOptions,
} from './config';
export { RULES, RULES_BY_ID } from './rules';
export type { Finding, Fix, TextEdit, Rule, Category } from './rule';
export { LineIndex, type Span, type Position } from './text';
export { statementEffect, describeBlocking, blocks, modeLabel, type LockMode, type StatementEffect, type RelationLock } from './locks';
export { describeStatementAt, type StatementDescription } from './describe';
export { renderRuleDoc, renderRuleIndex } from './docs';
export * from './project';
export { analyzeMigration, type AnalyzeMigrationOptions, type MigrationAnalysis } from './workspace';
export type { Phase, PhaseKind, FileToCreate, WorkspacePlan } from './plan';
export { classifyMigration, classifyStatements, summarize as summarizePhases, type MigrationClassification, type ClassifiedStatement, type StatementPhase, type MigrationPhase } from './phase';
export { rewritePlansAt, newMigrationPlan, type RewritePlan, type RewritePlanOptions } from './actions';
export { reverseMigration, type ReverseResult } from './reverse';
export { reverseForMigration, type ReversePlan } from './reverse/target';
export { splitMigration, scaffoldPhases, scaffoldChoices, SCAFFOLD_KINDS, type ScaffoldChange, type ScaffoldKind } from './scaffold';
