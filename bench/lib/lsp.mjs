// A minimal LSP client over stdio for the benchmark: Content-Length framing, requests with promises, and every
// publishDiagnostics time-stamped on arrival (process.hrtime) so latency is measured at the moment the bytes are
// decoded, not when a waiting loop notices. Answers the server's own requests (configuration, registration) so no
// server blocks on us.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export class LspProcess {
  /**
   * @param {string} name label for reports
   * @param {string} command
   * @param {string[]} args
   */
  constructor(name, command, args, { cwd, settings } = {}) {
    this.name = name;
    /** Answers `workspace/configuration` (and is announced as supported) when given; otherwise the server's defaults. */
    this.settings = settings;
    this.spawnedAt = nowMs();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    this.pid = this.child.pid;
    this.stderr = '';
    /** The first window/logMessage texts (server errors go there). */
    this.logs = [];
    this.nextId = 1;
    this.pending = new Map();
    /** Every publishDiagnostics: { at, uri, version, count }. */
    this.publishes = [];
    this.listeners = new Set();
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exitInfo = undefined;
    this.exited.then((e) => {
      this.exitInfo = e;
      for (const l of [...this.listeners]) l();
      for (const { reject } of this.pending.values()) reject(new Error(`${name} exited (${JSON.stringify(e)}): ${this.stderr.slice(-2000)}`));
    });
    this.child.stderr.on('data', (d) => {
      if (this.stderr.length < 100_000) this.stderr += d.toString();
    });
    this.child.stdin.on('error', () => undefined);
    this.buf = Buffer.alloc(0);
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  onData(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length:\s*(\d+)/i.exec(header);
      if (!m) throw new Error(`${this.name}: bad header ${header}`);
      const len = Number(m[1]);
      if (this.buf.length < headerEnd + 4 + len) return;
      const body = this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      this.onMessage(JSON.parse(body), nowMs());
    }
  }

  onMessage(msg, at) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${this.name}: ${msg.error.message}`), { at, code: msg.error.code }));
      else p.resolve({ result: msg.result, at });
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params;
      this.publishes.push({ at, uri: p.uri, version: p.version, count: p.diagnostics.length });
      for (const l of [...this.listeners]) l();
      return;
    }
    if (msg.method === 'window/logMessage' && this.logs.length < 100) this.logs.push(msg.params.message);
    if (msg.id !== undefined) {
      // A request from the server: configuration gets defaults (null), everything else an empty success.
      const result = msg.method === 'workspace/configuration' ? msg.params.items.map(() => this.settings ?? null) : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    }
  }

  send(msg) {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Sends a request; resolves with { result, at } (at = arrival time of the response). */
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first publish at index >= from matching pred; rejects on timeout or exit. */
  waitPublish(pred, from = 0, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.publishes.length; i++) {
          if (pred(this.publishes[i])) {
            done();
            resolve(this.publishes[i]);
            return;
          }
        }
        if (this.exitInfo) {
          done();
          reject(new Error(`${this.name} exited while waiting: ${this.stderr.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for diagnostics`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  async initialize(rootUri = null) {
    const r = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: { versionSupport: true },
          diagnostic: { dynamicRegistration: false },
        },
        workspace: { configuration: this.settings !== undefined },
      },
    });
    this.notify('initialized', {});
    this.capabilities = r.result.capabilities;
    return r;
  }

  open(uri, text, version = 1) {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  }

  change(uri, version, contentChanges) {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri) {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Pull diagnostics (LSP 3.17), for servers that do not push. */
  pull(uri) {
    return this.request('textDocument/diagnostic', { textDocument: { uri } });
  }

  /** Resident set size now and its peak, in MB, from /proc. */
  memory() {
    try {
      const s = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    } catch {
      return { rssMb: NaN, peakMb: NaN };
    }
  }

  async stop() {
    if (this.exitInfo) return;
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(t);
  }
}
