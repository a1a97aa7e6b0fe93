/**
 * `analyzeMigration`: the one way the CLI and the language server analyze a migration file, so that editor and CI
 * always agree. It resolves the configuration (`.migration-guard.json` / `.squawk.toml`), reads the migration's
 * project (convention, earlier migrations → catalog, the tool's transaction behaviour), and calls `analyze`.
 * File access goes through the host the caller passes; nothing here does I/O itself.
 * Precedence of `assumeInTransaction`: a CLI flag, then the config file, then the migration tool's behaviour.
 */
import { analyze, type AnalysisResult } from './analyze';
import { as, relationKey } from './ast';
import { parseFile } from './parse';
import type { CreateStmt } from '@pgsql/types';
import { resolveConfig, type ConfigProblem, type ResolveConfigOptions } from './config';
import type { AnalysisOptions } from './options';
import { migrationContext, type MigrationContext, type ProjectHost } from './project';
import { basename } from './project/host';

export interface AnalyzeMigrationOptions extends ResolveConfigOptions {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  /** Read the folder's earlier migrations and the tool's conventions (default true). */
  project?: boolean;
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
  const config = resolveConfig(path, host, opts);
  const base = { options: config.options, configPath: config.configPath, configProblems: config.problems };
  if (config.isExcluded(path)) return { ...base, excluded: true };
  const text = opts.text ?? host.readFile(path) ?? '';
  if (opts.project === false) {
    return { ...base, excluded: false, result: analyze(text, config.options) };
  }
  const context = migrationContext(path, host, { text });
  // config.options already merges the flags over the file; the tool's behaviour applies when neither says.
  const options: AnalysisOptions = { ...config.options, assumeInTransaction: config.options.assumeInTransaction ?? context.assumeInTransaction };
  const result = analyze(context.text, options, { catalog: context.catalog(), createdInUnit: createdInSameUnit(context) });
  return { ...base, excluded: false, context, result };
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
