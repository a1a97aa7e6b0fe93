/**
 * The rewrite format: one module per rewrite, turning one dangerous statement into the safe sequence of migrations
 * (expand → backfill → validate / switch → contract). A rewrite is pure: the statement and what is known around it
 * (the catalog before it, the file's transaction facts, the options) in, phases out. Its documented examples run as
 * tests (after rust-analyzer's assists, whose doc example is also the test; ideas only).
 */
import type { Catalog } from '../catalog';
import type { FileFacts, StatementFacts } from '../context';
import type { Statement } from '../parse';
import type { Phase } from '../plan';

/** What the caller knows and chooses beyond the text. */
export interface RewriteOptions {
  /** The schema built from the folder's earlier migrations (column types, primary keys, indexes). */
  catalog?: Catalog;
  /** The migration tool wraps the file in a transaction. */
  assumeInTransaction?: boolean;
  /** Target PostgreSQL major version (default 16). */
  postgresVersion?: number;
  /** `SET lock_timeout` value of the generated prologues (default `5s`). */
  lockTimeout?: string;
  /** `SET statement_timeout` value; no statement_timeout line when absent. */
  statementTimeout?: string;
  /** Rows per backfill batch (default 1000). */
  batchSize?: number;
}

export interface ResolvedRewriteOptions {
  postgresVersion: number;
  lockTimeout: string;
  statementTimeout?: string;
  batchSize: number;
}

export interface RewriteContext {
  statement: Statement;
  facts: StatementFacts;
  file: FileFacts;
  /** The schema just before the statement: the caller's catalog, then the earlier statements of the file. */
  catalog: Catalog;
  options: ResolvedRewriteOptions;
}

export interface RewriteResult {
  /** Short imperative: "Rename via expand-contract (3 migrations)". */
  title: string;
  /** Safe in its context without review. */
  preferred: boolean;
  /** Text replacing the statement (through its `;`) in the current file: the expand phase. */
  replacement: string;
  /** `phases[0]` stays in the current file; later phases become new migration files, in order. */
  phases: Phase[];
}

export interface RewriteExample {
  name?: string;
  /** Earlier migrations: the schema the rewrite sees (column types, keys). */
  schema?: string;
  /** The migration; `$0` marks the cursor (default: the start of the first statement). */
  before: string;
  options?: Omit<RewriteOptions, 'catalog'>;
  /** The phases, each rendered by `renderPhase`; empty when the rewrite must not apply. */
  phases: string[];
}

export interface RewriteDefinition {
  /** kebab-case, equal to the file name. */
  id: string;
  /** The code action title stem. */
  title: string;
  /** One sentence: what it produces and why it is safe. */
  description: string;
  /** Ids of the rules whose findings this rewrite fixes. */
  appliesTo: string[];
  examples: RewriteExample[];
  rewrite(ctx: RewriteContext): RewriteResult | undefined;
}

export function defineRewrite(r: RewriteDefinition): RewriteDefinition {
  return r;
}

/** A phase as one text: its kind, name and transaction mode, the header, the up SQL, then the down SQL. */
export function renderPhase(p: Phase): string {
  const head = `-- [${p.kind}] ${p.name}${p.inTransaction ? '' : ' (no transaction)'}`;
  const down = p.down === undefined ? '' : `\n-- down:\n${p.down}`;
  return `${head}\n${p.header}\n${p.up}${down}`;
}
