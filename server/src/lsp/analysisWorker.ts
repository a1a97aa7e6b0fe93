/**
 * The worker thread that analyzes big documents off the language server's request path (see scheduler.ts). It
 * loads its own parser, analyzes exactly as the server does (`analyzeMigration` for files, `analyze` otherwise) and
 * posts back the LSP diagnostics, so nothing but plain data crosses the thread boundary.
 */
import { parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { analyze, analyzeMigration, initParser, type AnalysisOptions } from '../analysis';
import { CachedDiskHost } from '../host/disk';
import { toDiagnostics } from './toProto';
import type { WorkerJob, WorkerResult } from './scheduler';

const host = new CachedDiskHost();
const ready = initParser();

async function run(job: WorkerJob): Promise<WorkerResult> {
  await ready;
  const options: AnalysisOptions = job.options;
  if (!job.uri.startsWith('file:')) {
    return { id: job.id, uri: job.uri, version: job.version, diagnostics: toDiagnostics(analyze(job.text, options)) };
  }
  const a = analyzeMigration(fileURLToPath(job.uri), host, { text: job.text, defaults: options });
  return {
    id: job.id,
    uri: job.uri,
    version: job.version,
    diagnostics: a.result ? toDiagnostics(a.result) : undefined,
    configPath: a.configPath,
    configProblems: a.configProblems,
  };
}

parentPort?.on('message', (job: WorkerJob) => {
  run(job).then(
    (r) => parentPort?.postMessage(r),
    (e: unknown) => parentPort?.postMessage({ id: job.id, uri: job.uri, version: job.version, error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies WorkerResult),
  );
});
