/**
 * Analysis of big documents off the request path: a worker thread (analysisWorker.ts, bundled next to the server)
 * analyzes them one at a time while the main thread keeps answering edits to other documents. Only the newest
 * version of each document waits in the queue; a result for a version that is no longer current is dropped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisOptions, ConfigProblem } from '../analysis';

/** Documents at least this long (UTF-16 code units) are analyzed in the worker. */
export const BIG_DOCUMENT_CHARS = 200_000;

/** What the main thread sends the worker. */
export interface WorkerJob {
  id: number;
  uri: string;
  version: number;
  text: string;
  options: AnalysisOptions;
}

/** What the worker sends back: diagnostics (undefined when the config excludes the file), or an error. */
export interface WorkerResult {
  id: number;
  uri: string;
  version: number;
  diagnostics?: Diagnostic[];
  configPath?: string;
  configProblems?: ConfigProblem[];
  error?: string;
}

export interface BackgroundHandlers {
  /** Whether `version` is still the open version of `uri` (closed documents are not current). */
  isCurrent(uri: string, version: number): boolean;
  /** Publishes a current result. */
  publish(result: WorkerResult): void;
  log(message: string): void;
}

export class BackgroundAnalyzer {
  private worker: Worker | undefined;
  private readonly queue = new Map<string, WorkerJob>();
  private running: WorkerJob | undefined;
  private nextId = 1;

  private constructor(
    private readonly script: string,
    private readonly handlers: BackgroundHandlers,
  ) {}

  /** The analyzer whose worker bundle is `dir/analysisWorker.js`; undefined when that bundle is missing. */
  static create(dir: string, handlers: BackgroundHandlers): BackgroundAnalyzer | undefined {
    const script = join(dir, 'analysisWorker.js');
    return existsSync(script) ? new BackgroundAnalyzer(script, handlers) : undefined;
  }

  /** Queues the analysis of this version, replacing any queued older version of the same document. */
  submit(uri: string, version: number, text: string, options: AnalysisOptions): void {
    this.queue.delete(uri);
    this.queue.set(uri, { id: this.nextId++, uri, version, text, options });
    this.pump();
  }

  /** Forgets a document (closed): its queued job is dropped, a running one's result will not be current. */
  cancel(uri: string): void {
    this.queue.delete(uri);
  }

  dispose(): void {
    this.queue.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.values().next();
    if (next.done) return;
    const job = next.value;
    this.queue.delete(job.uri);
    if (!this.handlers.isCurrent(job.uri, job.version)) return this.pump();
    this.running = job;
    this.ensureWorker().postMessage(job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.on('message', (r: WorkerResult) => this.finished(r));
    // A crash in the worker never takes the server down: the job is dropped, the next submit starts a new worker.
    w.on('error', (e) => this.handlers.log(`analysis worker failed: ${e.stack ?? e.message}`));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.running) {
        this.handlers.log(`analysis worker exited (code ${code}) while analyzing ${this.running.uri}`);
        this.running = undefined;
        this.pump();
      }
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private finished(r: WorkerResult): void {
    if (r.id !== this.running?.id) return;
    this.running = undefined;
    if (r.error) this.handlers.log(`analysis failed for ${r.uri}: ${r.error}`);
    else if (this.handlers.isCurrent(r.uri, r.version)) this.handlers.publish(r);
    this.pump();
  }
}
