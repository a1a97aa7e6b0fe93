/**
 * Trace and verify whole migration files: the API the CLI, the language server and the CodeLens call. Texts in
 * (the earlier migrations of the folder, in the tool's order, and this file), plain JSON out. `traceMigration` runs
 * the file statement by statement on an engine and compares each statement with the static lock model
 * (`statementEffect`, asked about the engine's PostgreSQL version): `confirmed`, or `mismatch` with sentences and a
 * report to copy into an issue. Errors PostgreSQL raises (missing table, duplicate column, CONCURRENTLY inside a
 * transaction) come back with the statement's offsets, ready to become diagnostics. `verifyMigrationRollback` runs
 * up → down and lists what the down does not restore. Needs `initParser()` to have resolved.
 */
import { parseFile, type Statement } from '../analysis/parse';
import { strength, statementEffect, type LockMode, type StatementEffect } from '../analysis/locks';
import type { AnalysisOptions } from '../analysis/options';
import type { CallOptions, Engine, EngineKind, MigrationInput, ReplayResult, StatementInput, StatementTrace } from './engine';
import type { SchemaDiff } from './schema';

export interface MigrationText {
  path: string;
  text: string;
}

export type Verdict = 'confirmed' | 'mismatch' | 'not-traced' | 'error' | 'skipped';

export interface Located {
  /** Statement index in the file. */
  index: number;
  /** UTF-16 offsets of the statement in the file's text. */
  start: number;
  end: number;
  /** 1-based line of the statement's start. */
  line: number;
}

export interface TracedStatement extends Located {
  sql: string;
  verdict: Verdict;
  predicted: { locks: { relation: string; mode: LockMode }[]; rewrites: string[]; scans: string[]; nonTransactional: boolean; notes: string[] };
  trace: StatementTrace;
  /** Where the trace contradicts the model, one sentence each (verdict `mismatch`). */
  mismatches: string[];
  /** What PostgreSQL did on relations the statement does not name (partitions, the other side of a foreign key, …): the model cannot know these from the statement alone. */
  unpredicted: string[];
  /** A text to paste into a bug report (verdict `mismatch`). */
  report?: string;
}

export interface EngineError extends Located {
  message: string;
  code?: string;
}

export interface MigrationTraceResult {
  engine: EngineKind;
  /** server_version_num of the engine. */
  version: number;
  /** The major version the model was asked about (the engine's). */
  modelVersion: number;
  /** The major version the project targets, when it differs from the engine's. */
  targetVersion?: number;
  replay: ReplayResult;
  statements: TracedStatement[];
  errors: EngineError[];
  summary: Record<Verdict, number>;
}

export interface TraceMigrationInput {
  earlier: MigrationText[];
  text: string;
  analysisOptions?: AnalysisOptions;
}

/**
 * The statements of a migration as engines take them: transaction control flagged (the engine skips it), and
 * statements that cannot run in a transaction block flagged — unless the file runs them inside one (after its own
 * BEGIN, or `inTransaction`: the tool wraps the file), where they go to PostgreSQL as they are, so that its error
 * ("cannot run inside a transaction block") is what the user sees.
 */
export function statementInputs(text: string, postgresVersion: number, inTransaction = false): { statements: Statement[]; inputs: StatementInput[] } {
  const statements = parseFile(text).statements;
  let open = inTransaction;
  const inputs = statements.map((s) => {
    const input: StatementInput = { sql: s.text };
    if (s.text.includes('\u0000')) input.invalid = 'the statement holds a NUL character (binary data?), which PostgreSQL cannot receive: not sent';
    else if (!s.node) input.invalid = `does not parse: ${s.error?.message ?? 'syntax error'} (not sent to PostgreSQL)`;
    else if (s.kind === 'TransactionStmt') {
      input.transactionControl = true;
      const kind = (s.node as { TransactionStmt?: { kind?: string } } | undefined)?.TransactionStmt?.kind;
      // TRANS_STMT_BEGIN is the enum's 0, which the JSON tree leaves out.
      if (kind === undefined || kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = true;
      else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') open = inTransaction;
    } else if (s.node && statementEffect(s.node, { postgresVersion }).nonTransactional) input.nonTransactional = !open;
    return input;
  });
  return { statements, inputs };
}

export function migrationInputs(earlier: MigrationText[], postgresVersion: number): MigrationInput[] {
  return earlier.map((m) => ({ path: m.path, statements: statementInputs(m.text, postgresVersion).inputs }));
}

const normal = (name: string) => (name.startsWith('public.') ? name.slice('public.'.length) : name);

/** Relations the statement names (every RangeVar in its tree), as the tracer names them. */
function namedRelations(node: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if (k === 'RangeVar' && v && typeof v === 'object') {
        const rv = v as { relname?: string; schemaname?: string };
        if (rv.relname) out.add(normal(rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname));
      }
      walk(v);
    }
  };
  walk(node);
  return out;
}

function strongest(modes: string[]): string | undefined {
  return [...modes].sort((x, y) => strength(y as LockMode) - strength(x as LockMode))[0];
}

/** Compares one traced statement with the model; see `TracedStatement`. */
export function compareWithModel(effect: StatementEffect, node: unknown, trace: StatementTrace): { mismatches: string[]; unpredicted: string[] } {
  const mismatches: string[] = [];
  const unpredicted: string[] = [];
  const named = namedRelations(node);
  const model = new Map(effect.locks.map((l) => [normal(l.key), l.mode as string]));
  const taken = trace.locks.filter((l) => !l.created && !l.relation.startsWith('pg_temp.'));
  const relkind = new Map([...trace.locks, ...trace.heldBefore].map((l) => [l.relation, l.relkind]));

  for (const [rel, mode] of model) {
    const observed = strongest(taken.filter((l) => l.relation === rel).map((l) => l.mode));
    if (observed === mode) continue;
    const held = trace.heldBefore.some((l) => l.relation === rel && l.mode === mode);
    if (held && (!observed || strength(observed as LockMode) < strength(mode as LockMode))) continue; // already held by the transaction
    mismatches.push(
      observed
        ? `the model predicts ${mode} on ${rel}; PostgreSQL took ${observed}`
        : `the model predicts ${mode} on ${rel}; PostgreSQL took no lock on it`,
    );
  }
  for (const rel of new Set(taken.map((l) => l.relation))) {
    if (model.has(rel)) continue;
    const kind = relkind.get(rel) ?? '';
    if ((kind === 'i' || kind === 'I') && !named.has(rel)) continue; // an index of a locked table
    const mode = strongest(taken.filter((l) => l.relation === rel).map((l) => l.mode))!;
    if (named.has(rel)) mismatches.push(`PostgreSQL took ${mode} on ${rel}; the model predicts no lock on it`);
    else unpredicted.push(`${mode} on ${rel}`);
  }

  const rewritten = new Set(trace.rewritten);
  const modelRewrites = new Set(effect.rewrites.map(normal));
  for (const r of modelRewrites) {
    const satisfied = rewritten.has(r) || trace.rewrittenTables.includes(r) || (relkind.get(r) === 'p' && rewritten.size > 0);
    if (!satisfied) mismatches.push(`the model predicts a rewrite of ${r}; its files were kept (same relfilenode)`);
  }
  for (const t of trace.rewrittenTables ?? []) {
    if (modelRewrites.has(t)) continue;
    if (named.has(t)) mismatches.push(`PostgreSQL rewrote ${t}; the model predicts no rewrite`);
    else if ([...modelRewrites].every((m) => relkind.get(m) !== 'p')) unpredicted.push(`rewrite of ${t}`);
  }
  return { mismatches, unpredicted };
}

function locate(s: Statement, lines: { positionAt(o: number): { line: number } }): Located {
  return { index: s.index, start: s.span.start, end: s.span.end, line: lines.positionAt(s.span.start).line + 1 };
}

function reportText(engine: EngineKind, version: number, modelVersion: number, t: Omit<TracedStatement, 'report'>): string {
  const locks = (ls: { relation: string; mode: string }[]) => ls.map((l) => `${l.mode} on ${l.relation}`).join(', ') || 'none';
  return [
    'Migration Guard: lock model mismatch',
    `Engine: ${engine}, PostgreSQL ${version}; model asked about PostgreSQL ${modelVersion}`,
    `Statement: ${t.sql.replace(/\s+/g, ' ').trim()}`,
    `Predicted: locks ${locks(t.predicted.locks)}; rewrites ${t.predicted.rewrites.join(', ') || 'none'}`,
    `Traced: locks ${locks(t.trace.locks)}${t.trace.heldBefore.length ? ` (already held: ${locks(t.trace.heldBefore)})` : ''}; rewritten ${t.trace.rewritten.join(', ') || 'none'}`,
    'Differences:',
    ...t.mismatches.map((m) => `- ${m}`),
  ].join('\n');
}

/** How many statements of `text` an engine would run (transaction control and comments left out). */
export function runnableStatements(text: string): number {
  return parseFile(text).statements.filter((s) => s.kind !== 'TransactionStmt').length;
}

/** See the module comment. */
export async function traceMigration(engine: Engine, input: TraceMigrationInput, opts?: CallOptions): Promise<MigrationTraceResult> {
  const version = await engine.version(opts);
  const modelVersion = Math.floor(version / 10000);
  const parsed = parseFile(input.text);
  const { statements, inputs } = statementInputs(input.text, modelVersion, input.analysisOptions?.assumeInTransaction ?? false);
  const run = await engine.trace(migrationInputs(input.earlier, modelVersion), inputs, opts);
  const summary: Record<Verdict, number> = { confirmed: 0, mismatch: 0, 'not-traced': 0, error: 0, skipped: 0 };
  const errors: EngineError[] = [];
  const out: TracedStatement[] = statements.map((s, i) => {
    const trace = run.statements[i];
    const effect = statementEffect(s.node, { postgresVersion: modelVersion });
    const predicted = {
      locks: effect.locks.map((l) => ({ relation: normal(l.key), mode: l.mode })),
      rewrites: effect.rewrites.map(normal),
      scans: effect.scans.map(normal),
      nonTransactional: effect.nonTransactional,
      notes: effect.notes,
    };
    const where = locate(s, parsed.lines);
    let verdict: Verdict = trace.status === 'traced' ? 'confirmed' : trace.status;
    let mismatches: string[] = [];
    let unpredicted: string[] = [];
    if (trace.status === 'traced') {
      ({ mismatches, unpredicted } = compareWithModel(effect, s.node, trace));
      if (mismatches.length) verdict = 'mismatch';
    }
    if (trace.error) errors.push({ ...where, message: trace.error.message, ...(trace.error.code ? { code: trace.error.code } : {}) });
    summary[verdict]++;
    const t: TracedStatement = { ...where, sql: s.text, verdict, predicted, trace, mismatches, unpredicted };
    if (verdict === 'mismatch') t.report = reportText(engine.kind, version, modelVersion, t);
    return t;
  });
  const target = input.analysisOptions?.postgresVersion;
  return {
    engine: engine.kind,
    version,
    modelVersion,
    ...(target !== undefined && target !== modelVersion ? { targetVersion: target } : {}),
    replay: run.replay,
    statements: out,
    errors,
    summary,
  };
}

export interface RollbackVerification {
  engine: EngineKind;
  version: number;
  replay: ReplayResult;
  /** What the down does not restore; empty when the schema after up → down equals the schema before. */
  diffs: SchemaDiff[];
  upErrors: EngineError[];
  downErrors: EngineError[];
  /** The down has no statement at all (an empty file, or comments only). */
  emptyDown: boolean;
}

/** See the module comment. `down` is the rollback's text (`migrationContext(...).downText`). */
export async function verifyMigrationRollback(
  engine: Engine,
  input: { earlier: MigrationText[]; up: string; down: string },
  opts?: CallOptions,
): Promise<RollbackVerification> {
  const version = await engine.version(opts);
  const major = Math.floor(version / 10000);
  const up = statementInputs(input.up, major);
  const down = statementInputs(input.down, major);
  const run = await engine.verifyRollback(migrationInputs(input.earlier, major), up.inputs, down.inputs, opts);
  const located = (text: string, stmts: Statement[], errs: { statement: number; message: string; code?: string }[]): EngineError[] => {
    const lines = parseFile(text).lines;
    return errs.map((e) => ({ ...locate(stmts[e.statement], lines), message: e.message, ...(e.code ? { code: e.code } : {}) }));
  };
  return {
    engine: engine.kind,
    version,
    replay: run.replay,
    diffs: run.diffs,
    upErrors: located(input.up, up.statements, run.upErrors),
    downErrors: located(input.down, down.statements, run.downErrors),
    emptyDown: down.statements.filter((s) => s.kind !== 'TransactionStmt').length === 0,
  };
}
