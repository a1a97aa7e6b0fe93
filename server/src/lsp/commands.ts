/**
 * The server side of the palette commands and file-creating code actions (`SERVER_COMMANDS`): each asks the
 * analysis library for a `WorkspacePlan` (or an engine for a trace), applies it with `workspace/applyEdit`, and sends
 * a `showDiff` for every file the plan would not overwrite. Wiring only: what to write, and where, is decided in the
 * analysis library (`reverseForMigration`, `rewritePlansAt`, `splitMigration`, `scaffoldPhases`, `newMigrationPlan`).
 * Engines (PGlite in its worker process, local binaries, a configured server) are started on the first trace or
 * verify and kept for the next one; the PGlite worker shuts itself down when idle.
 */
import { fileURLToPath } from 'node:url';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import {
  analyzeMigration,
  LineIndex,
  migrationContext,
  newMigrationPlan,
  reverseForMigration,
  rewritePlansAt,
  scaffoldChoices,
  scaffoldPhases,
  SCAFFOLD_KINDS,
  splitMigration,
  type ProjectHost,
  type ScaffoldChange as LibraryScaffoldChange,
  type WorkspacePlan,
} from '../analysis';
import type { Engine, EngineKind } from '../engines/engine';
import { runnableStatements, traceMigration, verifyMigrationRollback, type MigrationTraceResult, type RollbackVerification } from '../engines/migration';
import { reverseWithEngine, type EngineReverseResult } from '../engines/reverse';
import { selectEngine } from '../engines/select';
import { fileUri, planToWorkspaceEdit, type EditCapabilities } from './plans';
import {
  SERVER_COMMANDS,
  SHOW_DIFF_NOTIFICATION,
  type ApplyPlanResult,
  type EngineRequest,
  type GenerateReverseResult,
  type ReverseEngineRequest,
  type ReverseEngineSummary,
  type ScaffoldChange,
  type ScaffoldChoices,
  type TraceSummary,
  type VerifySummary,
} from './protocol';
import type { TracedStatementLens } from './lenses';
import { SOURCE } from './toProto';

export interface CommandDeps {
  connection: Connection;
  host: ProjectHost;
  caps: () => EditCapabilities;
  /** The open document's text and version, if open. */
  openDocument(uri: string): { text: string; version: number } | undefined;
  settings(uri: string): Promise<{
    postgresVersion: number;
    lockTimeout?: string;
    statementTimeout?: string;
    batchSize?: number;
    postgresBinDir?: string;
    engineIdleSeconds?: number;
    /** The `engine` setting (`auto`, `pglite`, `local`, `url`). */
    engine?: string;
    /** `reverse.verify`: generate reverses on an engine and verify them (default true). */
    reverseVerify?: boolean;
  }>;
  /** Shows a warning to the user (window/showMessage). */
  warn?(message: string): void;
  /** Called when a trace or verify result changed what the document's lenses and diagnostics show. */
  refresh(uri: string): void;
  log(message: string): void;
}

/** What a trace left for the lenses and diagnostics of one document version. */
export interface TraceState {
  version: number;
  engine: string;
  lenses: TracedStatementLens[];
  diagnostics: Diagnostic[];
}

const pathOf = (uri: string) => fileURLToPath(uri);

export class ServerCommands {
  readonly traces = new Map<string, TraceState>();
  /** Rollback differences published on down files, by the down's URI. */
  readonly rollbackDiagnostics = new Map<string, Diagnostic[]>();
  private readonly engines = new Map<string, Engine>();

  constructor(private readonly deps: CommandDeps) {}

  readonly ids: string[] = Object.values(SERVER_COMMANDS);

  async execute(command: string, args: unknown[]): Promise<unknown> {
    switch (command) {
      case SERVER_COMMANDS.generateReverse:
        return this.generateReverse(String(args[0]), args[1] as ReverseEngineRequest | undefined);
      case SERVER_COMMANDS.splitMigration:
        return this.split(String(args[0]));
      case SERVER_COMMANDS.applyRewrite:
        return this.applyRewrite(String(args[0]), Number(args[1]), String(args[2]));
      case SERVER_COMMANDS.scaffoldChoices:
        return this.scaffoldChoices(String(args[0]));
      case SERVER_COMMANDS.scaffold:
        return this.scaffold(String(args[0]), args[1] as ScaffoldChange);
      case SERVER_COMMANDS.newMigration:
        return this.newMigration(String(args[0]), String(args[1]));
      case SERVER_COMMANDS.trace:
        return this.trace(String(args[0]), (args[1] ?? {}) as EngineRequest);
      case SERVER_COMMANDS.verifyRollback:
        return this.verify(String(args[0]), (args[1] ?? {}) as EngineRequest);
      default:
        return undefined;
    }
  }

  private text(uri: string): string {
    return this.deps.openDocument(uri)?.text ?? this.deps.host.readFile(pathOf(uri)) ?? '';
  }

  /** Applies `plan` (edits to `uri` plus new files); a diff is shown for every file it would not overwrite. */
  async applyPlan(plan: WorkspacePlan, uri: string): Promise<ApplyPlanResult> {
    const conflicts = (plan.conflicts ?? []).map((c) => fileUri(c.path));
    for (const c of plan.conflicts ?? []) {
      void this.deps.connection.sendNotification(SHOW_DIFF_NOTIFICATION, { uri: fileUri(c.path), generated: c.text, title: `${plan.title}: existing ↔ generated` });
    }
    const created = plan.create.map((f) => fileUri(f.path));
    if (plan.edits.length === 0 && plan.create.length === 0 && !(plan.fileEdits ?? []).length) {
      return { applied: false, created: [], conflicts };
    }
    const edit = planToWorkspaceEdit(plan, uri, new LineIndex(this.text(uri)), this.deps.caps(), (p) => this.deps.openDocument(fileUri(p))?.text ?? this.deps.host.readFile(p));
    if (!edit) return { applied: false, created: [], conflicts, message: 'this editor cannot create files from the language server (workspace edit resource operations)' };
    const r = await this.deps.connection.workspace.applyEdit({ label: plan.title, edit });
    return r.applied ? { applied: true, created, conflicts } : { applied: false, created: [], conflicts, message: r.failureReason ?? 'the editor did not apply the edit (a file to create may already exist)' };
  }

  /**
   * The static reverse at once when verification is off (`req.verify === false`, or no request and the `reverse.verify`
   * setting off); otherwise the earlier migrations are replayed on an engine (the one asked for, else the `engine`
   * setting's, never a configured server: its schema is not the one before this up), definitions they hide are read
   * there, and up → down runs before the down is written. A down that does not verify is still written, with a warning
   * and its differences as diagnostics on it; an engine that fails leaves the static reverse and says so.
   */
  async generateReverse(uri: string, req?: ReverseEngineRequest): Promise<GenerateReverseResult> {
    const settings = await this.deps.settings(uri);
    const options = { text: this.text(uri), postgresVersion: settings.postgresVersion };
    if (runnableStatements(options.text) === 0) return { applied: false, created: [], conflicts: [], complete: false, irreversible: [], message: 'the migration holds no SQL statements: nothing to reverse' };
    let plan = reverseForMigration(pathOf(uri), this.deps.host, options);
    let engine: ReverseEngineSummary | undefined;
    const useEngine = req ? req.verify !== false && (req.verify === true || req.engine !== undefined || req.url !== undefined) : settings.reverseVerify !== false;
    let verification: EngineReverseResult['verification'];
    if (plan.downPath && useEngine) {
      const fromSettings = settings.engine === 'pglite' || settings.engine === 'local' ? settings.engine : undefined;
      const engineReq: EngineRequest = req?.engine || req?.url ? { engine: req.engine, url: req.url } : { engine: fromSettings };
      let kind = engineReq.engine ?? 'auto';
      try {
        const selected = await this.engine(uri, engineReq);
        kind = selected.engine.kind;
        const r = await reverseWithEngine(pathOf(uri), this.deps.host, selected.engine, options);
        plan = r.plan;
        verification = r.verification;
        engine = {
          engine: kind,
          source: r.source,
          verified: r.verified,
          differences: r.verification ? verificationProblems(r.verification) : [],
        };
      } catch (e) {
        engine = { engine: kind, source: 'migrations', verified: false, differences: [`could not run the engine: ${e instanceof Error ? e.message : String(e)}`] };
      }
      this.deps.log(`reverse on ${engine.engine}: ${engine.verified ? `verified (schema from ${engine.source})` : `not verified: ${engine.differences.join('; ')}`}`);
    }
    const irreversible = plan.result.irreversible.map((i) => i.reason);
    if (!plan.downPath) return { applied: false, created: [], conflicts: [], complete: plan.result.complete, irreversible, message: plan.reason ?? 'no place for a down migration' };
    const applied = await this.applyPlan(plan, uri);
    const downUri = fileUri(plan.downPath);
    if (engine && !engine.verified) {
      this.deps.warn?.(`Migration Guard: the generated down migration is not verified on ${engine.engine}: ${engine.differences.join('; ')}`);
      // The differences stay visible on the down file until it is verified again.
      if (applied.applied && verification && plan.downPath !== pathOf(uri)) this.publishVerification(downUri, plan.result.sql, engine.engine, verification);
    }
    return { ...applied, complete: plan.result.complete, irreversible, downUri, ...(engine ? { engine } : {}) };
  }

  async split(uri: string): Promise<ApplyPlanResult> {
    const plan = splitMigration(pathOf(uri), this.deps.host, this.text(uri));
    if (!plan.edits.length && !plan.create.length) return { applied: false, created: [], conflicts: [], message: plan.notes.join(' ') };
    return this.applyPlan(plan, uri);
  }

  async rewritePlans(uri: string, offset: number) {
    const s = await this.deps.settings(uri);
    return rewritePlansAt(pathOf(uri), this.deps.host, offset, {
      text: this.text(uri),
      postgresVersion: s.postgresVersion,
      lockTimeout: s.lockTimeout,
      statementTimeout: s.statementTimeout,
      batchSize: s.batchSize,
    });
  }

  /** `offset`: where the statement started when the action was offered; a statement that moved since gets no rewrite. */
  async applyRewrite(uri: string, offset: number, id: string): Promise<ApplyPlanResult> {
    const plan = (await this.rewritePlans(uri, offset)).find((p) => p.id === id && p.span.start === offset);
    if (!plan) return { applied: false, created: [], conflicts: [], message: `the ${id} rewrite no longer applies to this statement` };
    for (const n of plan.notes) this.deps.log(n);
    return this.applyPlan(plan, uri);
  }

  scaffoldChoices(uri: string): ScaffoldChoices {
    const dir = pathOf(uri);
    return {
      folder: dir,
      tables: scaffoldChoices(dir, this.deps.host).tables,
      kinds: SCAFFOLD_KINDS.map((k) => ({ kind: k.kind, label: k.label, detail: `${k.label} in expand / backfill / contract migrations`, needs: [...k.needs] })),
    };
  }

  async scaffold(uri: string, change: ScaffoldChange): Promise<ApplyPlanResult> {
    const s = await this.deps.settings(uri);
    const plan = scaffoldPhases(pathOf(uri), this.deps.host, change as LibraryScaffoldChange, {
      postgresVersion: s.postgresVersion,
      lockTimeout: s.lockTimeout,
      statementTimeout: s.statementTimeout,
      batchSize: s.batchSize,
    });
    for (const n of plan.notes) this.deps.log(n);
    if (!plan.create.length) return { applied: false, created: [], conflicts: (plan.conflicts ?? []).map((c) => fileUri(c.path)), message: plan.notes.join(' ') || 'nothing to create' };
    return this.applyPlan(plan, uri);
  }

  async newMigration(uri: string, name: string): Promise<ApplyPlanResult> {
    const plan = newMigrationPlan(pathOf(uri), this.deps.host, name);
    for (const n of plan.notes) this.deps.log(n);
    return this.applyPlan(plan, uri);
  }

  private async engine(uri: string, req: EngineRequest): Promise<{ engine: Engine; reason: string }> {
    const s = await this.deps.settings(uri);
    const key = `${req.engine ?? 'auto'}|${req.url ?? ''}|${s.postgresVersion}`;
    const cached = this.engines.get(key);
    if (cached) return { engine: cached, reason: 'reused' };
    const selected = selectEngine({
      engine: req.engine as EngineKind | undefined,
      url: req.url,
      postgresVersion: s.postgresVersion,
      binDir: s.postgresBinDir || undefined,
      pglite: { idleTimeoutMs: (s.engineIdleSeconds ?? 120) * 1000 },
      log: (m) => this.deps.log(m),
    });
    this.engines.set(key, selected.engine);
    this.deps.log(`engine: ${selected.reason}`);
    return selected;
  }

  async trace(uri: string, req: EngineRequest): Promise<TraceSummary> {
    const path = pathOf(uri);
    const doc = this.deps.openDocument(uri);
    const text = doc?.text ?? this.deps.host.readFile(path) ?? '';
    const analysis = analyzeMigration(path, this.deps.host, { text });
    const ctx = analysis.context ?? migrationContext(path, this.deps.host, { text });
    if (runnableStatements(ctx.text) === 0) return { engine: req.engine ?? 'auto', statements: [], mismatches: 0, errors: ['the migration holds no SQL statements: nothing to trace'] };
    const { engine } = await this.engine(uri, req);
    let run: MigrationTraceResult;
    try {
      run = await traceMigration(engine, { earlier: ctx.earlier, text: ctx.text, analysisOptions: analysis.options });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { engine: engine.kind, statements: [], mismatches: 0, errors: [message] };
    }
    const lines = new LineIndex(ctx.text);
    const lenses: TracedStatementLens[] = run.statements.map((s) => ({
      statementIndex: s.index,
      status: s.verdict === 'confirmed' ? 'confirmed' : s.verdict === 'mismatch' ? 'mismatch' : s.verdict === 'error' ? 'error' : 'not traced',
      summary: traceSummary(s),
      detail: s.report ?? s.mismatches.join('\n') ?? s.trace.note,
    }));
    const diagnostics: Diagnostic[] = [];
    for (const e of run.errors) {
      diagnostics.push({
        range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        code: 'trace-error',
        message: `PostgreSQL (${engine.kind}, ${Math.floor(run.version / 10000)}) rejects this statement: ${e.message}`,
      });
    }
    for (const s of run.statements.filter((x) => x.verdict === 'mismatch')) {
      diagnostics.push({
        range: { start: lines.positionAt(s.start), end: lines.positionAt(s.end) },
        severity: DiagnosticSeverity.Information,
        source: SOURCE,
        code: 'trace-mismatch',
        message: `Traced on ${engine.kind} PostgreSQL ${Math.floor(run.version / 10000)}, this statement differs from the prediction: ${s.mismatches.join(' ')}${s.report ? `\n\n${s.report}` : ''}`,
      });
    }
    this.traces.set(uri, { version: doc?.version ?? -1, engine: engine.kind, lenses, diagnostics });
    this.deps.refresh(uri);
    return {
      engine: engine.kind,
      version: String(run.version),
      statements: run.statements.map((s) => ({ statementIndex: s.index, line: s.line - 1, summary: traceSummary(s), status: s.verdict })),
      mismatches: run.summary.mismatch ?? 0,
      errors: run.errors.map((e) => `line ${e.line}: ${e.message}`),
    };
  }

  async verify(uri: string, req: EngineRequest): Promise<VerifySummary> {
    const path = pathOf(uri);
    const text = this.text(uri);
    const ctx = migrationContext(path, this.deps.host, { text });
    if (ctx.downText === undefined || !ctx.downPath) {
      return { engine: '-', differences: [], ok: false, message: 'this migration has no down migration to verify' };
    }
    if (runnableStatements(ctx.text) === 0) return { engine: '-', differences: [], ok: false, message: 'the migration holds no SQL statements: nothing to verify' };
    const downUri = fileUri(ctx.downPath);
    const downText = ctx.downPath === path ? ctx.downText : (this.deps.openDocument(downUri)?.text ?? ctx.downText);
    const { engine } = await this.engine(uri, req);
    const r = await verifyMigrationRollback(engine, { earlier: ctx.earlier, up: ctx.text, down: downText });
    this.publishVerification(downUri, downText, engine.kind, r);
    const differences = verificationProblems(r);
    return { engine: engine.kind, downUri, differences, ok: differences.length === 0 && !r.emptyDown, message: r.emptyDown ? 'the down migration is empty' : undefined };
  }

  /** What a verification found, as diagnostics on the down (`downText`: the text that was verified). */
  private publishVerification(downUri: string, downText: string, engine: string, r: RollbackVerification): void {
    const downLines = new LineIndex(downText);
    const end = downLines.positionAt(downText.length);
    const diagnostics: Diagnostic[] = r.diffs.map((d) => ({
      range: { start: { line: 0, character: 0 }, end: downText.length ? downLines.positionAt(Math.min(downText.length, downText.indexOf('\n') < 0 ? downText.length : downText.indexOf('\n'))) : end },
      severity: DiagnosticSeverity.Warning,
      source: SOURCE,
      code: 'rollback-verify',
      message: `Verified on ${engine} PostgreSQL ${Math.floor(r.version / 10000)}: ${d.message}.`,
    }));
    for (const e of r.downErrors) {
      diagnostics.push({ range: { start: downLines.positionAt(e.start), end: downLines.positionAt(e.end) }, severity: DiagnosticSeverity.Error, source: SOURCE, code: 'rollback-verify', message: `The down fails on ${engine}: ${e.message}` });
    }
    this.rollbackDiagnostics.set(downUri, diagnostics);
    this.deps.refresh(downUri);
  }

  async dispose(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.allSettled(engines.map((e) => e.close()));
  }
}

/** What keeps a rollback from being verified, one sentence each: schema differences, then the up's and the down's errors. */
function verificationProblems(r: RollbackVerification): string[] {
  return [
    ...r.diffs.map((d) => d.message),
    ...r.upErrors.map((e) => `the up fails at line ${e.line}: ${e.message}`),
    ...r.downErrors.map((e) => `the down fails at line ${e.line}: ${e.message}`),
  ];
}

/** "AccessExclusiveLock on users · rewrite users" for a lens. */
function traceSummary(s: MigrationTraceResult['statements'][number]): string {
  if (s.verdict === 'error') return s.trace.error?.message ?? 'error';
  if (s.verdict === 'not-traced' || s.verdict === 'skipped') return s.trace.note ?? s.verdict;
  const locks = s.trace.locks.map((l) => `${l.mode} on ${l.relation}`);
  const parts = [locks.length ? locks.join(', ') : 'no table locks'];
  if (s.trace.rewrittenTables.length) parts.push(`rewrites ${s.trace.rewrittenTables.join(', ')}`);
  if (s.trace.scanned.length) parts.push(`scans ${s.trace.scanned.join(', ')}`);
  if (s.verdict === 'mismatch') parts.push(`predicted ${s.predicted.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || 'no locks'}`);
  return parts.join(' · ');
}
