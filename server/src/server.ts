/**
 * The Migration Guard language server. It only converts and wires: documents in, `analyze` from the analysis
 * library, diagnostics / hovers / code actions out (conversion lives in lsp/toProto.ts). Runs standalone with
 * `node dist/server.js --stdio` (Neovim, Helix, Zed) or over IPC from the VS Code client.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve as resolvePath, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import {
  analyze,
  analyzeMigration,
  classifyStatements,
  summarizePhases,
  describeStatementAt,
  initParser,
  rewritePlansAt,
  type AnalysisOptions,
  type AnalysisResult,
  type ConfigProblem,
  type MigrationContext,
} from './analysis';
import { ServerCommands } from './lsp/commands';
import { codeLenses } from './lsp/lenses';
import { planToWorkspaceEdit, type EditCapabilities } from './lsp/plans';
import { SERVER_COMMANDS } from './lsp/protocol';
import { CachedDiskHost } from './host/disk';
import { codeActionsFor, fixAllAction, SHOW_DOCS_COMMAND, toDiagnostics, type DiagnosticData } from './lsp/toProto';
import { BackgroundAnalyzer, BIG_DOCUMENT_CHARS } from './lsp/scheduler';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Settings under `migrationGuard.*` that the server uses. */
interface Settings {
  enable: boolean;
  postgresVersion: number;
  codeLens: boolean;
  rewrite?: { lockTimeout?: string; statementTimeout?: string; batchSize?: number };
  postgresBinDir?: string;
  engineIdleSeconds?: number;
  engine?: string;
  reverse?: { verify?: boolean };
  /** A table-size stats JSON file, absolute or relative to the document's workspace folder. */
  statsFile?: string;
}
const DEFAULT_SETTINGS: Settings = { enable: true, postgresVersion: 16, codeLens: true };

let hasConfigurationCapability = false;
const settingsCache = new Map<string, Promise<Settings>>();
/** The latest analysis of each open document, keyed by URI, with the version it analyzed. */
const analyses = new Map<string, { version: number; result: AnalysisResult }>();
const pending = new Map<string, NodeJS.Immediate | NodeJS.Timeout>();

/** Rule docs ship next to the bundle (dist/../docs/rules); links point there when present. */
function docsBaseUrl(): string | undefined {
  const dir = join(__dirname, '..', 'docs', 'rules');
  return existsSync(dir) ? `${pathToFileURL(dir).href}/` : undefined;
}
const DOCS_BASE = docsBaseUrl();

function getSettings(uri: string): Promise<Settings> {
  if (!hasConfigurationCapability) return Promise.resolve(DEFAULT_SETTINGS);
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace
      .getConfiguration({ scopeUri: uri, section: 'migrationGuard' })
      .then((c: Partial<Settings> | null) => ({ ...DEFAULT_SETTINGS, ...(c ?? {}) }))
      .catch(() => DEFAULT_SETTINGS);
    settingsCache.set(uri, s);
  }
  return s;
}

/** Workspace folder paths, for settings holding workspace-relative paths (`statsFile`); filled at initialize. */
const workspaceRoots: string[] = [];

/** `statsFile` as an absolute path: relative ones resolve against the workspace folder holding `uri` (else the first). */
function statsFilePath(setting: unknown, uri: string | undefined): string | undefined {
  if (typeof setting !== 'string' || setting.trim() === '') return undefined;
  if (isAbsolute(setting)) return setting;
  const doc = uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
  const root = (doc && workspaceRoots.find((r) => doc === r || doc.startsWith(r.endsWith(sep) ? r : r + sep))) ?? workspaceRoots[0];
  return root === undefined ? undefined : resolvePath(root, setting);
}

function analysisOptions(settings: Settings, uri?: string): AnalysisOptions {
  return {
    postgresVersion: Number(settings.postgresVersion) || DEFAULT_SETTINGS.postgresVersion,
    docsBaseUrl: DOCS_BASE,
    statsFile: statsFilePath(settings.statsFile, uri),
  };
}

/** Open documents by file system path, so the host serves unsaved text of earlier migrations too. */
function openTextByPath(path: string): string | undefined {
  return documents.get(pathToFileURL(path).href)?.getText();
}
const host = new CachedDiskHost({ openText: openTextByPath });
/** The project context of each open migration's latest analysis (its catalog feeds the phase classification). */
const contexts = new Map<string, MigrationContext>();
let editCapabilities: EditCapabilities = { createFiles: false, documentChanges: false };

const commands = new ServerCommands({
  connection,
  host,
  caps: () => editCapabilities,
  openDocument: (uri) => {
    const d = documents.get(uri);
    return d ? { text: d.getText(), version: d.version } : undefined;
  },
  settings: async (uri) => {
    const s = await getSettings(uri);
    return {
      postgresVersion: Number(s.postgresVersion) || DEFAULT_SETTINGS.postgresVersion,
      lockTimeout: s.rewrite?.lockTimeout,
      statementTimeout: s.rewrite?.statementTimeout,
      batchSize: s.rewrite?.batchSize,
      postgresBinDir: s.postgresBinDir,
      engineIdleSeconds: s.engineIdleSeconds,
      engine: s.engine,
      reverseVerify: s.reverse?.verify,
    };
  },
  warn: (message) => void connection.window.showWarningMessage(message),
  refresh: (uri) => {
    if (documents.get(uri)) schedule(documents.get(uri)!);
    else connection.sendDiagnostics({ uri, diagnostics: commands.rollbackDiagnostics.get(uri) ?? [] });
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  },
  log: (m) => connection.console.info(m),
});

/** Diagnostics from engines (a trace of this very version, a verified rollback) shown with the analysis's. */
function engineDiagnostics(uri: string, version: number): Diagnostic[] {
  const t = commands.traces.get(uri);
  return [...(t && t.version === version ? t.diagnostics : []), ...(commands.rollbackDiagnostics.get(uri) ?? [])];
}

/** Config files whose problems are currently published, so they can be cleared when fixed. */
const publishedConfigProblems = new Set<string>();

function publishConfigProblems(configPath: string | undefined, problems: ConfigProblem[]): void {
  if (!configPath) return;
  const uri = pathToFileURL(configPath).href;
  if (problems.length === 0 && !publishedConfigProblems.has(uri)) return;
  if (problems.length) publishedConfigProblems.add(uri);
  else publishedConfigProblems.delete(uri);
  connection.sendDiagnostics({
    uri,
    diagnostics: problems.map((p) => ({ range: p.range, message: p.message, severity: 2, source: 'migration-guard', code: 'config' })),
  });
}

/** Big documents are analyzed in a worker thread, so edits to other documents are answered meanwhile. */
const background = BackgroundAnalyzer.create(__dirname, {
  isCurrent: (uri, version) => documents.get(uri)?.version === version,
  publish: (r) => (publishConfigProblems(r.configPath, r.configProblems ?? []), analyses.delete(r.uri), connection.sendDiagnostics({ uri: r.uri, version: r.version, diagnostics: r.diagnostics ?? [] })),
  log: (m) => connection.console.error(m),
});

/**
 * Analyzes a document the way the CLI analyzes the same file: configuration, the folder's earlier migrations and the
 * tool's transaction behaviour (library `analyzeMigration`); editor settings rank below the config file.
 * Documents that are not files (untitled) get the plain analysis. Returns undefined when the config excludes it.
 */
function runAnalysis(doc: TextDocument, settings: Settings): AnalysisResult | undefined {
  if (!doc.uri.startsWith('file:')) return analyze(doc.getText(), analysisOptions(settings, doc.uri));
  const path = fileURLToPath(doc.uri);
  const a = analyzeMigration(path, host, { text: doc.getText(), defaults: analysisOptions(settings, doc.uri) });
  publishConfigProblems(a.configPath, a.configProblems);
  if (a.context) contexts.set(doc.uri, a.context);
  else contexts.delete(doc.uri);
  return a.result;
}

/** Analyzes the current version of a document and publishes, unless a newer version arrived meanwhile. */
async function validate(uri: string): Promise<void> {
  pending.delete(uri);
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const settings = await getSettings(uri);
  const current = documents.get(uri);
  if (!current || current.version !== version) return; // superseded while settings were fetched
  if (!settings.enable) {
    analyses.delete(uri);
    connection.sendDiagnostics({ uri, version, diagnostics: [] });
    return;
  }
  if (background && current.getText().length >= BIG_DOCUMENT_CHARS) return background.submit(uri, version, current.getText(), analysisOptions(settings, uri));
  let result: AnalysisResult | undefined;
  try {
    result = runAnalysis(current, settings);
  } catch (e) {
    connection.console.error(`analysis failed for ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
    return;
  }
  if (documents.get(uri)?.version !== version) return; // a newer version will publish
  if (!result) {
    analyses.delete(uri);
    connection.sendDiagnostics({ uri, version, diagnostics: [] });
    return;
  }
  analyses.set(uri, { version, result });
  connection.sendDiagnostics({ uri, version, diagnostics: [...toDiagnostics(result), ...engineDiagnostics(uri, version)] });
}

/**
 * Schedules analysis. Edits arriving in the same tick coalesce; big documents wait a little longer so that typing
 * in them does not queue analyses of versions that are already stale.
 */
function schedule(doc: TextDocument): void {
  const previous = pending.get(doc.uri);
  if (previous) clearTimeout(previous as NodeJS.Timeout), clearImmediate(previous as NodeJS.Immediate);
  const run = () => void validate(doc.uri);
  pending.set(doc.uri, doc.getText().length > BIG_DOCUMENT_CHARS ? setTimeout(run, 300) : setImmediate(run));
}

connection.onInitialize(async (params): Promise<InitializeResult> => {
  // The parser loads during initialize, so no later request ever sees an uninitialised parser.
  await initParser();
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  workspaceRoots.push(...(params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri)));
  const we = params.capabilities.workspace?.workspaceEdit;
  editCapabilities = { documentChanges: !!we?.documentChanges, createFiles: !!we?.resourceOperations?.includes('create') };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite', 'source'] },
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [SHOW_DOCS_COMMAND, ...commands.ids] },
    },
    serverInfo: { name: 'migration-guard', version: '0.1.0' },
  };
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  for (const doc of documents.all()) schedule(doc);
});

// A config file or another migration changed on disk: every open migration may read differently now.
connection.onDidChangeWatchedFiles(() => {
  for (const doc of documents.all()) schedule(doc);
});

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  const p = pending.get(e.document.uri);
  if (p) clearTimeout(p as NodeJS.Timeout), clearImmediate(p as NodeJS.Immediate);
  pending.delete(e.document.uri);
  background?.cancel(e.document.uri);
  analyses.delete(e.document.uri);
  contexts.delete(e.document.uri);
  commands.traces.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** The analysis of exactly this version, computing it now if needed (hover may arrive before the scheduled run). */
async function currentAnalysis(uri: string): Promise<AnalysisResult | undefined> {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const cached = analyses.get(uri);
  if (cached?.version === doc.version) return cached.result;
  const settings = await getSettings(uri);
  const result = runAnalysis(doc, settings);
  if (result) analyses.set(uri, { version: doc.version, result });
  return result;
}

connection.onHover(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = await currentAnalysis(params.textDocument.uri);
  if (!doc || !result) return null;
  const d = describeStatementAt(result, doc.offsetAt(params.position));
  if (!d) return null;
  const lines = result.file.lines;
  const phase = classification(params.textDocument.uri, result)?.find((c) => c.statementIndex === d.statement.index);
  return {
    contents: { kind: 'markdown', value: phase && phase.phase !== 'neutral' ? `${d.markdown}\n\n**Deploy order.** ${phase.reason}` : d.markdown },
    range: { start: lines.positionAt(d.statement.span.start), end: lines.positionAt(d.statement.span.end) },
  };
});

/**
 * Code actions come from the analysis of the document's current version: the diagnostics in the request were
 * published for some version, and their edits are only valid for that text. Each requested diagnostic is matched to
 * the current analysis by rule and range; one with no current counterpart is stale and gets no actions.
 */
connection.onCodeAction(async (params) => {
  const uri = params.textDocument.uri;
  const result = await currentAnalysis(uri);
  if (!result) return [];
  const current = toDiagnostics(result);
  const sameRange = (a: Diagnostic, b: Diagnostic) =>
    a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
  const actions: CodeAction[] = [];
  const rules = new Set<string>();
  for (const requested of params.context.diagnostics) {
    const match = current.find((d) => d.code === requested.code && sameRange(d, requested));
    if (!match) continue;
    actions.push(...codeActionsFor(uri, match));
    rules.add((match.data as DiagnosticData).ruleId);
  }
  for (const rule of rules) {
    const fixAll = fixAllAction(uri, rule, current);
    if (fixAll) actions.push(fixAll);
  }
  const doc = documents.get(uri);
  if (doc && uri.startsWith('file:')) actions.push(...(await projectActions(doc, params.range, params.context.diagnostics, result)));
  return actions;
});

/**
 * Actions that create migrations: the expand-contract rewrites of the statement at the cursor (the edit replaces the
 * statement with the expand phase and creates the later phases' files), the split of a mixed migration, and the
 * reverse migration. They need a client that can create files from a workspace edit.
 */
async function projectActions(doc: TextDocument, range: { start: { line: number; character: number } }, diagnostics: Diagnostic[], result: AnalysisResult): Promise<CodeAction[]> {
  const out: CodeAction[] = [];
  const uri = doc.uri;
  const offset = doc.offsetAt(range.start);
  const settings = await getSettings(uri);
  const path = fileURLToPath(uri);
  const relevant = (ids: string[]) => diagnostics.filter((d) => d.source === 'migration-guard' && ids.includes(String(d.code)));
  let plans: ReturnType<typeof rewritePlansAt> = [];
  try {
    plans = rewritePlansAt(path, host, offset, {
      text: doc.getText(),
      postgresVersion: Number(settings.postgresVersion) || DEFAULT_SETTINGS.postgresVersion,
      lockTimeout: settings.rewrite?.lockTimeout,
      statementTimeout: settings.rewrite?.statementTimeout,
      batchSize: settings.rewrite?.batchSize,
    });
  } catch (e) {
    connection.console.error(`rewrites failed for ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
  }
  for (const plan of plans) {
    const edit = planToWorkspaceEdit(plan, uri, result.file.lines, editCapabilities, (p) => openTextByPath(p) ?? host.readFile(p));
    const appliesTo = diagnostics.filter((d) => d.source === 'migration-guard');
    const action: CodeAction = { title: plan.title, kind: appliesTo.length ? 'quickfix' : 'refactor.rewrite', diagnostics: appliesTo.length ? appliesTo : undefined, isPreferred: plan.preferred };
    if (edit && !plan.conflicts?.length) action.edit = edit;
    else action.command = { title: plan.title, command: SERVER_COMMANDS.applyRewrite, arguments: [uri, plan.span.start, plan.id] };
    out.push(action);
  }
  const mixed = relevant(['ban-mixed-expand-contract']);
  if (mixed.length) {
    out.push({ title: 'Split into expand and contract migrations', kind: 'quickfix', diagnostics: mixed, command: { title: 'Split into expand and contract migrations', command: SERVER_COMMANDS.splitMigration, arguments: [uri] } });
  }
  const context = contexts.get(uri);
  if (context && isForwardMigration(context.convention)) {
    const downs = relevant(['require-down-migration', 'require-complete-down']);
    out.push({
      title: 'Generate reverse migration',
      kind: downs.length ? 'quickfix' : 'source',
      diagnostics: downs.length ? downs : undefined,
      command: { title: 'Generate reverse migration', command: SERVER_COMMANDS.generateReverse, arguments: [uri] },
    });
  }
  return out;
}

/** A file that runs forward and has (or can have) a rollback: an up, a sqitch deploy, a file with up/down sections. */
function isForwardMigration(conv: MigrationContext['convention']): boolean {
  return conv.role === 'up' || conv.role === 'deploy' || (conv.role === 'single' && !!conv.sections);
}

/** Classifications by analysis result: hover and CodeLens ask for the same version's again and again. */
const classifications = new WeakMap<AnalysisResult, ReturnType<typeof classifyStatements> | undefined>();

/** The deploy phase of each statement of the document's latest analysis. */
function classification(uri: string, result: AnalysisResult) {
  if (classifications.has(result)) return classifications.get(result);
  let statements: ReturnType<typeof classifyStatements> | undefined;
  try {
    statements = classifyStatements(result.file.statements, { catalog: contexts.get(uri)?.catalog() });
  } catch (e) {
    connection.console.error(`classification failed for ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
  }
  classifications.set(result, statements);
  return statements;
}

connection.onCodeLens(async (params) => {
  const uri = params.textDocument.uri;
  const doc = documents.get(uri);
  const settings = await getSettings(uri);
  if (!doc || settings.codeLens === false) return [];
  const result = await currentAnalysis(uri);
  if (!result) return [];
  const statements = classification(uri, result);
  const trace = commands.traces.get(uri);
  const role = contexts.get(uri)?.convention;
  return codeLenses({
    uri,
    result,
    classification: statements ? { ...summarizePhases(statements), statements } : undefined,
    traced: trace && trace.version === doc.version ? { engine: trace.engine, statements: trace.lenses } : undefined,
    offerReverse: !!role && isForwardMigration(role) && role.downExpectation === 'required',
  });
});

connection.onExecuteCommand(async (params) => {
  if (params.command === SHOW_DOCS_COMMAND && typeof params.arguments?.[0] === 'string') {
    await connection.window.showDocument({ uri: params.arguments[0], external: !params.arguments[0].startsWith('file:') });
    return undefined;
  }
  try {
    return await commands.execute(params.command, params.arguments ?? []);
  } catch (e) {
    connection.console.error(`${params.command} failed: ${e instanceof Error ? e.stack : String(e)}`);
    throw e;
  }
});

connection.onShutdown(() => commands.dispose());

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
