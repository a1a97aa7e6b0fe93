/**
 * A minimal LSP client for tests: spawns the real bundled server (dist/server.js) over stdio or Node IPC and talks
 * JSON-RPC to it with vscode-jsonrpc. Records every publishDiagnostics, log message and workspace/configuration
 * request, and waits for them by predicate with a timeout (never by sleeping).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type ConfigurationParams,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type LogMessageParams,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/** The bundled server, relative to the bundled test (dist-test/…): dist/server.js. */
export const SERVER_JS = join(__dirname, '..', 'dist', 'server.js');
export const DEFAULT_WAIT_MS = 10_000;

export interface StartOptions {
  transport?: 'stdio' | 'ipc';
  /** Advertise workspace/configuration and answer it with this (called per request, so tests can change it). */
  configuration?: () => Record<string, unknown> | null;
}

export class LspClient {
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  stderr = '';
  private listeners: (() => void)[] = [];
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    private readonly options: StartOptions,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      });
    });
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // Writing to a server that has already exited must not crash the test process.
    child.stdin?.on('error', () => undefined);
    child.on('error', (e) => (this.stderr += `spawn error: ${e.message}\n`));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.publishes.push(p);
      this.notify();
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p);
      this.notify();
    });
    connection.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests.push(p);
      this.notify();
      const value = options.configuration ? options.configuration() : null;
      return p.items.map(() => value);
    });
    connection.listen();
  }

  static start(options: StartOptions = {}): LspClient {
    const transport = options.transport ?? 'stdio';
    if (transport === 'ipc') {
      const child = spawn(process.execPath, [SERVER_JS, '--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
      const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
      return new LspClient(child, connection, options);
    }
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    return new LspClient(child, connection, options);
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-probing on every server message. */
  waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined;
        try {
          v = probe();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (v !== undefined) {
          done();
          resolve(v);
        } else if (this.hasExited) {
          done();
          reject(new Error(`server exited (code ${this.exitCode}) while waiting for ${what}; stderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; publishes so far: ${JSON.stringify(this.publishes.map((p) => [p.uri, p.version, p.diagnostics.length]))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** The first publish for `uri` at index >= `from` (in `publishes`) that satisfies `pred`. */
  waitForDiagnostics(
    uri: string,
    pred: (p: PublishDiagnosticsParams) => boolean = () => true,
    from = 0,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitUntil(`diagnostics for ${uri}`, () => this.publishes.slice(from).find((p) => p.uri === uri && pred(p)));
  }

  /** Waits for the publish of exactly `version` of `uri`. */
  waitForVersion(uri: string, version: number, from = 0): Promise<PublishDiagnosticsParams> {
    return this.waitUntil(`diagnostics for ${uri} version ${version}`, () =>
      this.publishes.slice(from).find((p) => p.uri === uri && p.version === version),
    );
  }

  publishesFor(uri: string): PublishDiagnosticsParams[] {
    return this.publishes.filter((p) => p.uri === uri);
  }

  async initialize(capabilities: ClientCapabilities = {}): Promise<InitializeResult> {
    const caps: ClientCapabilities = {
      ...capabilities,
      workspace: { ...(capabilities.workspace ?? {}), ...(this.options.configuration ? { configuration: true } : {}) },
    };
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: caps,
      workspaceFolders: null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = 'sql'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  changeConfiguration(): Promise<void> {
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** shutdown + exit; resolves with the process exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    return this.exited;
  }

  /** Kills the server if it is still running and waits for it to go. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (!this.hasExited) this.child.kill('SIGKILL');
    await this.exited;
    this.connection.dispose();
  }
}
