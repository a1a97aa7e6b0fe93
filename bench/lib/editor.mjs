// The editor-side measurements: start-up, keystroke latency, memory with many open documents, and big documents
// with edits to another document while they are analyzed. Each works on any LSP server: diagnostics are awaited as
// pushes (publishDiagnostics of the edited version) unless the server declares `diagnosticProvider`, in which case
// they are pulled (`textDocument/diagnostic`) right after the change, as VS Code does for pull servers.
import { LspProcess, nowMs } from './lsp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a server and initializes it; returns the process and its start-up timings. */
export async function startServer(def, cwd) {
  const proc = new LspProcess(def.name, def.command, def.args, { cwd });
  const init = await proc.initialize(null);
  proc.mode = proc.capabilities?.diagnosticProvider ? 'pull' : 'push';
  return { proc, initializeMs: init.at - proc.spawnedAt };
}

/**
 * Sends nothing itself: waits for the diagnostics of `version` of `uri` after a notification sent at `sentAt`
 * (publishes are looked for from index `from`). Returns the arrival time.
 */
async function diagnosticsAfter(proc, uri, version, from, timeoutMs) {
  if (proc.mode === 'pull') {
    // A pull server may cancel an outstanding pull when any document changes (squawk answers ContentModified,
    // -32801); the client pulls again, as VS Code does.
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      try {
        const left = deadline - nowMs();
        const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`${proc.name}: pull timed out after ${timeoutMs} ms`)), Math.max(0, left)).unref());
        return (await Promise.race([proc.pull(uri), timeout])).at;
      } catch (e) {
        if (e.code !== -32801 && !/content modified/i.test(e.message)) throw e;
      }
    }
  }
  const p = await proc.waitPublish((x) => x.uri === uri && (x.version === undefined || x.version >= version), from, timeoutMs);
  return p.at;
}

/** Opens a document and returns the time until its first diagnostics (ms). */
export async function openAndWait(proc, doc, version = 1, timeoutMs = 60_000) {
  const from = proc.publishes.length;
  const sent = nowMs();
  proc.open(doc.uri, doc.text, version);
  const at = await diagnosticsAfter(proc, doc.uri, version, from, timeoutMs);
  return at - sent;
}

/** Applies one incremental change and returns the time until the diagnostics of that version (ms). */
export async function editAndWait(proc, uri, version, change, timeoutMs = 30_000) {
  const from = proc.publishes.length;
  const sent = nowMs();
  proc.change(uri, version, [change]);
  const at = await diagnosticsAfter(proc, uri, version, from, timeoutMs);
  return at - sent;
}

/**
 * One editor session: start, initialize, open the 200-line migration (start-up ends at its first diagnostics),
 * then type the edits one at a time, each awaited. Returns start-up figures, per-edit latencies and the RSS after.
 */
export async function editorSession(def, fx) {
  const { proc, initializeMs } = await startServer(def, fx.work);
  try {
    const openMs = await openAndWait(proc, fx.migration);
    const firstDiagnosticsMs = nowMs() - proc.spawnedAt;
    const latencies = [];
    let version = 1;
    for (const change of fx.edits) latencies.push(await editAndWait(proc, fx.migration.uri, ++version, change));
    return { mode: proc.mode, initializeMs, openMs, firstDiagnosticsMs, latencies, memory: proc.memory() };
  } finally {
    await proc.stop();
  }
}

/** Opens the documents one after another (each awaited) and reports the server's RSS afterwards. */
export async function memorySession(def, fx) {
  const { proc } = await startServer(def, fx.work);
  try {
    const before = proc.memory();
    const start = nowMs();
    for (const doc of fx.memoryDocs) await openAndWait(proc, doc);
    const openAllMs = nowMs() - start;
    await sleep(200);
    return { docs: fx.memoryDocs.length, openAllMs, before, after: proc.memory() };
  } finally {
    await proc.stop();
  }
}

/**
 * For each big document: open the small migration, then the big one, and while the big one's diagnostics are
 * outstanding keep editing the small one (one keystroke every 50 ms, each awaited). Reports the big document's
 * time to diagnostics and the small edits' latencies.
 */
export async function largeSession(def, fx, docs, timeoutMs = 60_000) {
  const { proc } = await startServer(def, fx.work);
  const results = [];
  try {
    await openAndWait(proc, fx.small);
    let version = 1;
    for (const big of docs) {
      const from = proc.publishes.length;
      const sent = nowMs();
      proc.open(big.uri, big.text, 1);
      let bigAt;
      let timedOut = false;
      const bigDone = diagnosticsAfter(proc, big.uri, 1, from, timeoutMs).then(
        (at) => (bigAt = at),
        () => (timedOut = true),
      );
      const smallLatencies = [];
      await sleep(20);
      while ((bigAt === undefined && !timedOut) || smallLatencies.length === 0) {
        const v = ++version;
        const change = v % 2 === 0
          ? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }
          : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' };
        try {
          smallLatencies.push(await editAndWait(proc, fx.small.uri, v, change, timeoutMs));
        } catch {
          smallLatencies.push(Infinity);
          break;
        }
        if (bigAt === undefined && !timedOut) await sleep(50);
      }
      await bigDone;
      results.push({ name: big.name, bytes: Buffer.byteLength(big.text), timeToDiagnosticsMs: timedOut ? Infinity : bigAt - sent, timedOut, timeoutMs, smallLatencies, memory: proc.memory() });
      proc.close(big.uri);
      // A server still busy with a timed-out document would distort the next one: start afresh.
      if (timedOut) break;
      await sleep(100);
    }
    return results;
  } finally {
    await proc.stop();
  }
}
