// The embedded engine through the language server, as the editor uses it: `migrationGuard.server.trace` on a typical
// 10-statement migration (after one earlier migration) with the PGlite engine. Measures the cold trace (worker start,
// PostgreSQL start, replay, trace), warm traces, the server's RSS before and after tracing (the engine lives in its own
// process, so it must not move), the worker's RSS, and whether the worker is gone (its memory back to the system) after
// the idle timeout. squawk has no engine, so these figures are absolute, read against the issue's targets.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess, nowMs } from './lsp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const ENGINE_FIXTURE = {
  '0001_init.up.sql': `CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), total numeric(12,2) NOT NULL DEFAULT 0);
CREATE INDEX orders_user_id_idx ON orders (user_id);
`,
  '0002_typical.up.sql': `SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ADD COLUMN score int DEFAULT 0;
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos;
ALTER TABLE users ALTER COLUMN name SET DEFAULT '';
CREATE TABLE tags (id serial PRIMARY KEY, label text UNIQUE);
ALTER TABLE users RENAME COLUMN nickname TO handle;
COMMENT ON TABLE tags IS 'tags';
`,
};

/** Child pids of `pid` (Linux /proc). */
function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The PGlite worker among the server's children. */
const workerOf = (serverPid) => children(serverPid).find((c) => cmdline(c).includes('pglite-worker'));

/**
 * One session: start the server with `engine: pglite`, open the migration, trace it once cold and `warm` times warm,
 * then wait out the idle timeout. Throws when a trace does not confirm all 10 statements (a benchmark of a broken
 * trace would measure nothing).
 */
export async function engineSession(dist, { warm = 5, idleSeconds = 5, log = () => undefined } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-engine-'));
  const proc = new LspProcess('migration-guard', process.execPath, [join(dist, 'server.js'), '--stdio'], {
    cwd: dir,
    settings: { engine: 'pglite', engineIdleSeconds: idleSeconds },
  });
  try {
    for (const [name, text] of Object.entries(ENGINE_FIXTURE)) writeFileSync(join(dir, name), text);
    await proc.initialize(pathToFileURL(dir).href);
    const uri = pathToFileURL(join(dir, '0002_typical.up.sql')).href;
    const from = proc.publishes.length;
    proc.open(uri, ENGINE_FIXTURE['0002_typical.up.sql']);
    await proc.waitPublish((p) => p.uri === uri, from, 60_000);
    const serverBefore = rssMb(proc.pid);
    const trace = async () => {
      const t = nowMs();
      const r = (await proc.request('workspace/executeCommand', { command: 'migrationGuard.server.trace', arguments: [uri] })).result;
      const ms = nowMs() - t;
      const confirmed = r.statements.filter((s) => s.status === 'confirmed').length;
      if (r.errors.length || confirmed !== 10) throw new Error(`the trace did not confirm the 10 statements: ${JSON.stringify(r).slice(0, 1500)}`);
      return ms;
    };
    const coldMs = await trace();
    const worker = workerOf(proc.pid);
    log(`  cold trace ${coldMs.toFixed(0)} ms (worker ${worker})`);
    const warmMs = [];
    for (let i = 0; i < warm; i++) warmMs.push(await trace());
    log(`  warm traces ${warmMs.map((x) => x.toFixed(0)).join(', ')} ms`);
    const workerRss = worker ? rssMb(worker) : NaN;
    const serverAfter = rssMb(proc.pid);
    // Idle: the worker must exit once the timeout passes (polled, up to 3× the timeout).
    const idleStart = nowMs();
    let gone = false;
    while (nowMs() - idleStart < idleSeconds * 3000) {
      await sleep(250);
      if (worker && !existsSync(`/proc/${worker}`)) {
        gone = true;
        break;
      }
    }
    const goneAfterMs = gone ? nowMs() - idleStart : NaN;
    log(`  worker ${gone ? `gone ${(goneAfterMs / 1000).toFixed(1)} s after the last trace` : 'still running'}`);
    const afterIdleMs = await trace();
    log(`  first trace after the idle stop ${afterIdleMs.toFixed(0)} ms`);
    return { coldMs, warmMs, afterIdleMs, serverBefore, serverAfter, workerRss, idleSeconds, workerGone: gone, goneAfterMs, serverAfterIdle: rssMb(proc.pid) };
  } finally {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
