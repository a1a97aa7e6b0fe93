/**
 * The VS Code client: starts the language server over IPC for SQL documents whose path matches the migration globs,
 * and owns the UI (output channel, status bar item, commands). No analysis happens here. It never claims `.sql`
 * files for itself: other SQL extensions keep their language features on the same documents.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { listenForDiffs, registerCommands } from './commands';

/** Language ids that SQL extensions use for PostgreSQL files. */
export const LANGUAGE_IDS = ['sql', 'postgres', 'pgsql'];


let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let statusItem: vscode.StatusBarItem;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('migrationGuard');
}

function globs(): string[] {
  // The default list lives in package.json (contributes.configuration), the one place it is written.
  const g = config().get<string[]>('migrationGlobs', []);
  return Array.isArray(g) ? g.filter((x) => typeof x === 'string' && x.length > 0) : [];
}

function selector(): DocumentSelector {
  return LANGUAGE_IDS.flatMap((language) => globs().map((pattern) => ({ scheme: 'file', language, pattern })));
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (!config().get<boolean>('enable', true)) {
    output.info('Migration Guard is disabled (migrationGuard.enable = false).');
    return;
  }
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector(),
    outputChannel: output,
    synchronize: {
      configurationSection: 'migrationGuard',
      // Config files and other migrations change what a migration's analysis says (the folder's schema).
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.migration-guard.json,.squawk.toml,*.sql,metadata.toml,sqitch.plan}'),
    },
  };
  client = new LanguageClient('migrationGuard', 'Migration Guard', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(listenForDiffs(client));
  output.info(`Language server started for ${globs().join(', ')}`);
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

function updateStatus(editor: vscode.TextEditor | undefined): void {
  const isMigration = !!editor && config().get<boolean>('enable', true) && vscode.languages.match(selector() as vscode.DocumentSelector, editor.document) > 0;
  if (isMigration) {
    statusItem.text = `$(shield) Migration Guard · PG ${config().get<number>('postgresVersion', 16)}`;
    statusItem.tooltip = 'Migration Guard checks this migration. Click to show its log.';
    statusItem.show();
  } else {
    statusItem.hide();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Migration Guard', { log: true });
  statusItem = vscode.window.createStatusBarItem('migrationGuard.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'Migration Guard';
  statusItem.command = 'migrationGuard.showOutput';
  context.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand('migrationGuard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('migrationGuard.restartServer', async () => {
      await stop();
      await start(context);
    }),
    ...registerCommands(context, { client: () => client, output }),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('migrationGuard.enable') || e.affectsConfiguration('migrationGuard.migrationGlobs')) {
        await stop();
        await start(context);
      }
      if (e.affectsConfiguration('migrationGuard')) updateStatus(vscode.window.activeTextEditor);
    }),
  );
  await start(context);
  updateStatus(vscode.window.activeTextEditor);
}

export async function deactivate(): Promise<void> {
  await stop();
}
