/**
 * `analyzeMigration`: the one way the CLI and the language server analyze a migration file, so that editor and CI
 * always agree. It resolves the configuration (`.migration-guard.json` / `.squawk.toml`), reads the migration's
 * project (convention, earlier migrations → catalog, the tool's transaction behaviour), and calls `analyze`.
 * File access goes through the host the caller passes; nothing here does I/O itself.
 * A stats file (`statsFile`: the config's `stats`, the CLI's `--stats`, the editor's setting) is read here into
 * `tableSizes`; a missing or bad one is a config problem and the sizes it could not give are simply unknown.
 * Precedence of `assumeInTransaction`: a CLI flag, then the config file, then the migration tool's behaviour.
 */
import { analyze, type AnalysisResult } from './analyze';
import { as, relationKey } from './ast';
import { parseFile } from './parse';
import type { CreateStmt } from '@pgsql/types';
import { resolveConfig, type ConfigProblem, type ResolveConfigOptions, type ResolvedConfig } from './config';
import { parseSizesJson, type SizesParseResult } from './sizes';
import type { AnalysisOptions } from './options';
import { migrationContext, migrationSequence, type MigrationContext, type ProjectHost } from './project';
import { basename, readText } from './project/host';
import type { RollbackContext } from './rule';

export interface AnalyzeMigrationOptions extends ResolveConfigOptions {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  /** Read the folder's earlier migrations and the tool's conventions (default true). */
  project?: boolean;
  /**
   * Cache the schema after this file as the next file's starting point (the CLI, linting a folder in order); off
   * by default, since typing in an editor would fill the cache with one such catalog per keystroke.
   */
  rememberCatalog?: boolean;
}

export interface MigrationAnalysis {
  /** Undefined when the config's include/exclude leaves the file out. */
  result?: AnalysisResult;
  excluded: boolean;
  /** The options the configuration resolved to (also for an excluded file). */
  options: AnalysisOptions;
  configPath?: string;
  configProblems: ConfigProblem[];
  context?: MigrationContext;
}

export function analyzeMigration(path: string, host: ProjectHost, opts: AnalyzeMigrationOptions = {}): MigrationAnalysis {
  const config = withTableSizes(resolveConfig(path, host, opts), host);
  const base = { options: config.options, configPath: config.configPath, configProblems: config.problems };
  if (config.isExcluded(path)) return { ...base, excluded: true };
  const text = opts.text ?? host.readFile(path) ?? '';
  if (opts.project === false) {
    return { ...base, excluded: false, result: analyze(text, config.options) };
  }
  const context = migrationContext(path, host, { text });
  // config.options already merges the flags over the file; the tool's behaviour applies when neither says.
  const options: AnalysisOptions = { ...config.options, assumeInTransaction: config.options.assumeInTransaction ?? context.assumeInTransaction };
  const result = analyze(context.text, options, {
    catalog: context.catalog(),
    createdInUnit: createdInSameUnit(context),
    rollback: rollbackOf(context, host, text),
    catalogAfter: opts.rememberCatalog ? (after) => context.rememberCatalogAfter(after) : undefined,
  });
  return { ...base, excluded: false, context, result };
}

/** The last stats file parsed: a folder's migrations all name the same file, so it is parsed once per change. */
let lastStats: { path: string; text: string; parsed: SizesParseResult } | undefined;

/**
 * `config` with its stats file (`options.statsFile`) read through the host into `options.tableSizes`. Problems
 * point at the config file's `stats` value when the file came from there, otherwise at the stats file itself.
 * Sizes given directly (`tableSizes` in the defaults or overrides) are kept; the file's entries win per table.
 */
function withTableSizes(config: ResolvedConfig, host: ProjectHost): ResolvedConfig {
  const file = config.options.statsFile;
  if (file === undefined) return config;
  const zero = { line: 0, character: 0 };
  const at = config.statsAt ?? { path: file, span: { start: 0, end: 0 }, range: { start: zero, end: zero } };
  const problem = (message: string): ConfigProblem => ({ ...at, message });
  const text = host.readFile(file);
  if (text === undefined) {
    return { ...config, problems: [...config.problems, problem(`cannot read the stats file ${file}; table sizes are unknown`)] };
  }
  if (lastStats?.path !== file || lastStats.text !== text) lastStats = { path: file, text, parsed: parseSizesJson(text) };
  const { tables, problems } = lastStats.parsed;
  return {
    ...config,
    options: { ...config.options, tableSizes: { ...(config.options.tableSizes ?? {}), ...tables } },
    problems: [...config.problems, ...problems.map((p) => problem(`stats file ${file}: ${p}`))],
  };
}

/** Relations created by the earlier files of this file's deploy unit (an Ory popx timestamp group). */
function createdInSameUnit(context: MigrationContext): string[] {
  const group = context.convention.rollbackGroup;
  if (!group) return [];
  const keys: string[] = [];
  for (const e of context.earlier) {
    if (!basename(e.path).startsWith(group)) continue;
    for (const s of parseFile(e.text).statements) {
      const c = as<CreateStmt>(s.node, 'CreateStmt');
      if (c?.relation) keys.push(relationKey(c.relation));
    }
  }
  return keys;
}

/**
 * The file's rollback for the rollback rules: for an up, its down (text, or none) and whether the project expects
 * one; for a down, its up. Ory popx downs roll back a whole timestamp group, so there the group's downs (or ups) are
 * read together. Files the tool does not run, and files outside a migration sequence, get none.
 */
function rollbackOf(context: MigrationContext, host: ProjectHost, text: string): RollbackContext | undefined {
  const conv = context.convention;
  if (conv.excluded || conv.tool === 'none' || conv.order === undefined) return undefined;
  const base = { tool: conv.tool, irreversibleMarker: conv.irreversibleMarker || undefined };
  if (conv.role === 'down' || conv.role === 'revert') {
    const upText = conv.rollbackGroup ? groupTexts(context, host, text, 'forward') : context.upPath ? readText(host, context.upPath) : undefined;
    return { role: 'down', ...base, upPath: context.upPath, upText };
  }
  if (conv.role !== 'up' && conv.role !== 'deploy' && conv.role !== 'single') return undefined;
  const sameFile = context.downPath !== undefined && context.downPath === context.path;
  const downText = conv.rollbackGroup && context.downText !== undefined ? groupTexts(context, host, text, 'backward') : context.downText;
  // In a popx group one down may do the work of all: the group is irreversible only when every down of it is empty.
  const marker = conv.rollbackGroup ? downText !== undefined && parseFile(downText).statements.length === 0 : conv.irreversibleMarker;
  return { role: 'up', ...base, irreversibleMarker: marker || undefined, expectation: conv.downExpectation, downPath: context.downPath, downText, sameFile: sameFile || undefined };
}

/** The forward (or backward) files of this file's popx timestamp group, joined in order. */
function groupTexts(context: MigrationContext, host: ProjectHost, text: string, side: 'forward' | 'backward'): string | undefined {
  const group = context.convention.rollbackGroup!;
  const seq = migrationSequence(context.path, host, text);
  const texts = (seq?.steps ?? [])
    .filter((s) => s.version?.startsWith(group) && s[side])
    .map((s) => (s[side] === context.path ? text : readText(host, s[side]!)))
    .filter((t): t is string => t !== undefined);
  return texts.length ? texts.join('\n;\n') : undefined;
}
