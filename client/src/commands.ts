/**
 * The palette commands: UI only (quick picks, input boxes, diffs, opening files). Every decision about SQL, file
 * names and placement is the language server's (`SERVER_COMMANDS`); the client asks, shows and opens. The database
 * password lives in SecretStorage and is passed to the server per request, never written to settings.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  SERVER_COMMANDS,
  SHOW_DIFF_NOTIFICATION,
  type ApplyPlanResult,
  type EngineRequest,
  type GenerateReverseResult,
  type ScaffoldChange,
  type ScaffoldChoices,
  type ShowDiffParams,
  type TraceSummary,
  type VerifySummary,
} from '../../server/src/lsp/protocol';

export const GENERATED_SCHEME = 'migration-guard-generated';
const SECRET_KEY = 'migrationGuard.database.password';

/** Generated texts shown in diffs, by URI path. */
class GeneratedContent implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: GENERATED_SCHEME, path: `/${name}`, query: String(Date.now()) });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

export interface CommandHost {
  client(): LanguageClient | undefined;
  output: vscode.LogOutputChannel;
}

async function serverCommand<T>(host: CommandHost, command: string, ...args: unknown[]): Promise<T | undefined> {
  const c = host.client();
  if (!c) {
    void vscode.window.showWarningMessage('Migration Guard: the language server is not running.');
    return undefined;
  }
  return (await c.sendRequest('workspace/executeCommand', { command, arguments: args })) as T;
}

function activeMigrationUri(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Migration Guard: open a migration file first.');
    return undefined;
  }
  return doc.uri;
}

/** The folder to create migrations in: the explorer selection, else the active file's folder, else ask. */
async function targetFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file') return doc.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this migrations folder' });
  return picked?.[0];
}

/** Files created by a server-applied edit are open and dirty: save them so the migration folder holds them. */
async function saveCreated(uris: string[]): Promise<void> {
  for (const u of uris) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(u).toString());
    if (doc?.isDirty) await doc.save();
  }
}

async function openCreated(result: ApplyPlanResult | undefined): Promise<void> {
  if (!result) return;
  await saveCreated(result.created);
  if (result.message && !result.applied) void vscode.window.showWarningMessage(`Migration Guard: ${result.message}`);
  const first = result.created[0];
  if (first) await vscode.window.showTextDocument(vscode.Uri.parse(first), { preview: false });
}

async function engineRequest(context: vscode.ExtensionContext): Promise<EngineRequest | undefined> {
  const cfg = vscode.workspace.getConfiguration('migrationGuard');
  const engine = cfg.get<'auto' | 'pglite' | 'local' | 'url'>('engine', 'auto');
  const url = cfg.get<string>('database.url', '');
  if (engine !== 'url') return engine === 'auto' ? {} : { engine };
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Migration Guard: a configured database is never used in an untrusted workspace.');
    return undefined;
  }
  if (!url) {
    void vscode.window.showWarningMessage('Migration Guard: set migrationGuard.database.url (without the password) first.');
    return undefined;
  }
  const password = await context.secrets.get(SECRET_KEY);
  const u = new URL(url);
  if (password) u.password = password;
  return { engine: 'url', url: u.toString() };
}

export function registerCommands(context: vscode.ExtensionContext, host: CommandHost): vscode.Disposable[] {
  const generated = new GeneratedContent();

  const showDiff = async (p: ShowDiffParams) => {
    const right = generated.put(p.uri.split('/').pop() ?? 'generated.sql', p.generated);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(p.uri), right, p.title);
  };

  return [
    vscode.workspace.registerTextDocumentContentProvider(GENERATED_SCHEME, generated),
    vscode.commands.registerCommand('migrationGuard.showGeneratedDiff', showDiff),
    vscode.commands.registerCommand('migrationGuard.generateReverseMigration', async (arg?: vscode.Uri | string) => {
      // The CodeLens passes the document's URI as a string.
      const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : activeMigrationUri();
      if (!uri) return undefined;
      // With `reverse.verify` on, the server replays the folder on an engine and runs up → down first: show progress.
      const verify = vscode.workspace.getConfiguration('migrationGuard').get<boolean>('reverse.verify', true);
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: verify ? 'Migration Guard: generating and verifying the reverse migration…' : 'Migration Guard: generating the reverse migration…' },
        () => serverCommand<GenerateReverseResult>(host, SERVER_COMMANDS.generateReverse, uri.toString()),
      );
      if (!r) return undefined;
      await saveCreated(r.created);
      if (r.irreversible.length) {
        void vscode.window.showWarningMessage(`Migration Guard: part of this migration cannot be reversed: ${r.irreversible.join('; ')}`);
      }
      if (r.conflicts.length) {
        void vscode.window.showInformationMessage('Migration Guard: the down migration already exists; the generated one is shown beside it.');
      } else if (!r.applied && r.message) {
        void vscode.window.showWarningMessage(`Migration Guard: ${r.message}`);
      } else if (r.downUri) {
        await vscode.window.showTextDocument(vscode.Uri.parse(r.downUri), { preview: false });
      }
      return r;
    }),
    vscode.commands.registerCommand('migrationGuard.newMigration', async (arg?: vscode.Uri) => {
      const folder = await targetFolder(arg);
      if (!folder) return undefined;
      const name = await vscode.window.showInputBox({
        title: 'New Migration',
        prompt: 'What the migration does (becomes the file name)',
        placeHolder: 'add_users_email',
        validateInput: (v) => (/^[A-Za-z0-9_\- ]+$/.test(v.trim()) ? undefined : 'Letters, digits, spaces, _ and -'),
      });
      if (!name) return undefined;
      const r = await serverCommand<ApplyPlanResult>(host, SERVER_COMMANDS.newMigration, folder.toString(), name.trim());
      await openCreated(r);
      return r;
    }),
    vscode.commands.registerCommand('migrationGuard.scaffoldPhases', async (arg?: vscode.Uri, given?: ScaffoldChange) => {
      const folder = await targetFolder(arg);
      if (!folder) return undefined;
      if (given) {
        // Other extensions and tests may pass the change instead of answering the quick picks.
        const r = await serverCommand<ApplyPlanResult>(host, SERVER_COMMANDS.scaffold, folder.toString(), given);
        await openCreated(r);
        return r;
      }
      const choices = await serverCommand<ScaffoldChoices>(host, SERVER_COMMANDS.scaffoldChoices, folder.toString());
      if (!choices) return undefined;
      const kind = await vscode.window.showQuickPick(
        choices.kinds.map((k) => ({ label: k.label, detail: k.detail, k })),
        { title: 'Scaffold Expand/Contract Phases', placeHolder: 'Which change?' },
      );
      if (!kind) return undefined;
      const tableName = await pickOrType('Table', choices.tables.map((t) => t.name));
      if (!tableName) return undefined;
      const change: ScaffoldChange = { kind: kind.k.kind, table: tableName };
      const columns = choices.tables.find((t) => t.name === tableName)?.columns ?? [];
      for (const need of kind.k.needs) {
        if (need === 'columns') {
          const picked = await vscode.window.showQuickPick(columns.map((label) => ({ label })), { title: `${kind.k.label}: columns to move`, canPickMany: true });
          if (!picked?.length) return undefined;
          change.columns = picked.map((p) => p.label);
          continue;
        }
        const prompt = { newName: kind.k.kind === 'split-table' ? 'New table name' : 'New name', newType: 'New type', default: 'Default expression' };
        const value = need === 'column' ? await pickOrType('Column', columns) : await vscode.window.showInputBox({ title: kind.k.label, prompt: prompt[need] });
        if (!value) return undefined;
        change[need] = value;
      }
      const r = await serverCommand<ApplyPlanResult>(host, SERVER_COMMANDS.scaffold, folder.toString(), change);
      await openCreated(r);
      return r;
    }),
    vscode.commands.registerCommand('migrationGuard.traceLocks', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : activeMigrationUri();
      if (!uri) return undefined;
      const req = await engineRequest(context);
      if (!req) return undefined;
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Migration Guard: tracing locks…' },
        () => serverCommand<TraceSummary>(host, SERVER_COMMANDS.trace, uri.toString(), req),
      );
      if (r) {
        host.output.info(`Trace (${r.engine}${r.version ? ` ${r.version}` : ''}) of ${uri.fsPath}:`);
        for (const s of r.statements) host.output.info(`  line ${s.line + 1}: ${s.status}: ${s.summary}`);
        for (const e of r.errors) host.output.error(`  ${e}`);
        if (r.mismatches) void vscode.window.showWarningMessage(`Migration Guard: ${r.mismatches} statement(s) traced differently than predicted. See the CodeLens or the output.`);
      }
      return r;
    }),
    vscode.commands.registerCommand('migrationGuard.verifyRollback', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : activeMigrationUri();
      if (!uri) return undefined;
      const req = await engineRequest(context);
      if (!req) return undefined;
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Migration Guard: verifying the rollback…' },
        () => serverCommand<VerifySummary>(host, SERVER_COMMANDS.verifyRollback, uri.toString(), req),
      );
      if (r) {
        if (r.ok) void vscode.window.showInformationMessage('Migration Guard: the down migration restores the schema exactly.');
        else void vscode.window.showWarningMessage(`Migration Guard: ${r.message ?? `the down migration does not restore the schema: ${r.differences.join('; ')}`}`);
      }
      return r;
    }),
    vscode.commands.registerCommand('migrationGuard.setDatabasePassword', async () => {
      const pw = await vscode.window.showInputBox({ title: 'Database password for migrationGuard.database.url', password: true, ignoreFocusOut: true });
      if (pw === undefined) return;
      if (pw === '') await context.secrets.delete(SECRET_KEY);
      else await context.secrets.store(SECRET_KEY, pw);
      void vscode.window.showInformationMessage('Migration Guard: password stored in the editor\'s secret storage.');
    }),
  ];

  async function pickOrType(title: string, items: string[]): Promise<string | undefined> {
    if (items.length === 0) return vscode.window.showInputBox({ title });
    const typed = '$(edit) Type a name…';
    const pick = await vscode.window.showQuickPick([...items, typed], { title, placeHolder: `Pick a ${title.toLowerCase()}` });
    if (pick === typed) return vscode.window.showInputBox({ title });
    return pick;
  }
}

export function listenForDiffs(client: LanguageClient): vscode.Disposable {
  return client.onNotification(SHOW_DIFF_NOTIFICATION, (p: ShowDiffParams) => {
    void vscode.commands.executeCommand('migrationGuard.showGeneratedDiff', p);
  });
}
