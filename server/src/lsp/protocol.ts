/**
 * The commands the language server executes (`workspace/executeCommand`) beyond LSP's standard requests, with their
 * argument and result shapes. Shared by the server and the VS Code client; it imports nothing, so the client bundle
 * stays free of the analysis library. Any LSP client can call these; VS Code's language client also registers them
 * as (palette-hidden) commands. Paths and URIs are `file:` URIs.
 */

export const SERVER_COMMANDS = {
  /**
   * [uri, ReverseEngineRequest?] → GenerateReverseResult. Creates the down file / fills the down section; never
   * overwrites. Without a request the `reverse.verify` setting decides whether the down is checked on an engine first.
   */
  generateReverse: 'migrationGuard.server.generateReverse',
  /** [uri] → ApplyPlanResult. Moves the contract statements of a mixed migration into a new migration. */
  splitMigration: 'migrationGuard.server.splitMigration',
  /** [uri, statementStartOffset, rewriteId] → ApplyPlanResult. Applies an expand-contract rewrite. */
  applyRewrite: 'migrationGuard.server.applyRewrite',
  /** [folderOrFileUri] → ScaffoldChoices. */
  scaffoldChoices: 'migrationGuard.server.scaffoldChoices',
  /** [folderOrFileUri, ScaffoldChange] → ApplyPlanResult. */
  scaffold: 'migrationGuard.server.scaffold',
  /** [folderOrFileUri, name] → ApplyPlanResult. */
  newMigration: 'migrationGuard.server.newMigration',
  /** [uri, EngineRequest?] → TraceSummary. */
  trace: 'migrationGuard.server.trace',
  /** [uri, EngineRequest?] → VerifySummary. */
  verifyRollback: 'migrationGuard.server.verifyRollback',
} as const;

/** The client shows a generated text next to an existing file (a plan never overwrites). */
export const SHOW_DIFF_NOTIFICATION = 'migrationGuard/showDiff';
export interface ShowDiffParams {
  /** The existing file. */
  uri: string;
  /** What the generator would have written. */
  generated: string;
  title: string;
}

export interface ApplyPlanResult {
  applied: boolean;
  /** URIs of the files created, in the order to show them. */
  created: string[];
  /** Existing files the plan did not touch; the server sent a `showDiff` for each. */
  conflicts: string[];
  /** Why nothing was applied (no place for the file, client cannot create files, …). */
  message?: string;
}

export interface GenerateReverseResult extends ApplyPlanResult {
  complete: boolean;
  irreversible: string[];
  /** Where the down went (a file, or this file's down section). */
  downUri?: string;
  /** What the engine found, when the reverse was generated and verified on one. */
  engine?: ReverseEngineSummary;
}

/** `generateReverse`'s optional second argument. */
export interface ReverseEngineRequest extends EngineRequest {
  /** Verify on an engine (chosen as for a trace when none is named); false: the static reverse only. */
  verify?: boolean;
}

export interface ReverseEngineSummary {
  engine: string;
  /** Where the schema before the up came from: the earlier migrations, completed from the engine, or the engine alone. */
  source: 'migrations' | 'migrations+engine' | 'engine';
  /** Up → down on the engine gives the schema back and nothing failed. */
  verified: boolean;
  /** Why not, one sentence each (errors, then schema differences; "could not run the engine: …" when it failed). */
  differences: string[];
}

export interface ScaffoldChoices {
  folder: string;
  tables: { name: string; columns: string[] }[];
  kinds: { kind: string; label: string; detail: string; needs: ('column' | 'columns' | 'newName' | 'newType' | 'default')[] }[];
}

export interface ScaffoldChange {
  kind: string;
  table: string;
  column?: string;
  /** Several columns (`split-table`: the columns to move). */
  columns?: string[];
  newName?: string;
  newType?: string;
  default?: string;
}

export interface EngineRequest {
  engine?: 'pglite' | 'local' | 'url';
  /** A connection URL with its password (from SecretStorage); never stored by the server. */
  url?: string;
}

export interface TraceSummary {
  engine: string;
  version?: string;
  statements: { statementIndex: number; line: number; summary: string; status: string }[];
  mismatches: number;
  errors: string[];
}

export interface VerifySummary {
  engine: string;
  downUri?: string;
  differences: string[];
  ok: boolean;
  message?: string;
}
