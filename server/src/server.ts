/**
 * The Migration Guard language server. It only converts and wires: documents in, `analyze` from the analysis
 * library, diagnostics / hovers / code actions out (conversion lives in lsp/toProto.ts). Runs standalone with
 * `node dist/server.js --stdio` (Neovim, Helix, Zed) or over IPC from the VS Code client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
import { analyze, analyzeMigration, describeStatementAt, initParser, type AnalysisOptions, type AnalysisResult, type ConfigProblem } from './analysis';
import { CachedDiskHost } from './host/disk';
import { codeActionsFor, fixAllAction, SHOW_DOCS_COMMAND, toDiagnostics, type DiagnosticData } from './lsp/toProto';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Settings under `migrationGuard.*` that the server uses. */
interface Settings {
  enable: boolean;
  postgresVersion: number;
}
const DEFAULT_SETTINGS: Settings = { enable: true, postgresVersion: 16 };

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

function analysisOptions(settings: Settings): AnalysisOptions {
  return { postgresVersion: Number(settings.postgresVersion) || DEFAULT_SETTINGS.postgresVersion, docsBaseUrl: DOCS_BASE };
}

/** Open documents by file system path, so the host serves unsaved text of earlier migrations too. */
function openTextByPath(path: string): string | undefined {
  return documents.get(pathToFileURL(path).href)?.getText();
}
const host = new CachedDiskHost({ openText: openTextByPath });

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

/**
 * Analyzes a document the way the CLI analyzes the same file: configuration, the folder's earlier migrations and the
 * tool's transaction behaviour (library `analyzeMigration`); editor settings rank below the config file.
 * Documents that are not files (untitled) get the plain analysis. Returns undefined when the config excludes it.
 */
function runAnalysis(doc: TextDocument, settings: Settings): AnalysisResult | undefined {
  if (!doc.uri.startsWith('file:')) return analyze(doc.getText(), analysisOptions(settings));
  const path = fileURLToPath(doc.uri);
  const a = analyzeMigration(path, host, { text: doc.getText(), defaults: analysisOptions(settings) });
  publishConfigProblems(a.configPath, a.configProblems);
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
  connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(result) });
}

/**
 * Schedules analysis. Edits arriving in the same tick coalesce; big documents wait a little longer so that typing
 * in them does not queue analyses of versions that are already stale.
 */
function schedule(doc: TextDocument): void {
  const previous = pending.get(doc.uri);
  if (previous) clearTimeout(previous as NodeJS.Timeout), clearImmediate(previous as NodeJS.Immediate);
  const run = () => void validate(doc.uri);
  pending.set(doc.uri, doc.getText().length > 200_000 ? setTimeout(run, 300) : setImmediate(run));
}

connection.onInitialize(async (params): Promise<InitializeResult> => {
  // The parser loads during initialize, so no later request ever sees an uninitialised parser.
  await initParser();
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      executeCommandProvider: { commands: [SHOW_DOCS_COMMAND] },
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
  analyses.delete(e.document.uri);
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
  return {
    contents: { kind: 'markdown', value: d.markdown },
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
  return actions;
});

connection.onExecuteCommand(async (params) => {
  if (params.command === SHOW_DOCS_COMMAND && typeof params.arguments?.[0] === 'string') {
    await connection.window.showDocument({ uri: params.arguments[0], external: !params.arguments[0].startsWith('file:') });
  }
});

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
