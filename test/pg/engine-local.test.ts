// The local-binaries engine and the configured-server engine on a real PostgreSQL (the throwaway cluster of
// localCluster.ts): CONCURRENTLY traced from a second session, nothing left behind by a trace through a URL,
// engine choice by version, table sizes from a URL. Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh).

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { initParser } from '../../server/src/analysis/parse';
import { parseSizesJson } from '../../server/src/analysis/sizes';
import { LocalEngine } from '../../server/src/engines/local';
import { findPostgresBinDir, startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { migrationInputs, traceMigration, verifyMigrationRollback } from '../../server/src/engines/migration';
import { localMajorVersion, selectEngine } from '../../server/src/engines/select';
import { sizesJson, tableSizes } from '../../server/src/engines/sizes';
import { UrlEngine } from '../../server/src/engines/url';
import { CLI_JS } from '../support/cli';

const EARLIER = [
  {
    path: '1_init.sql',
    text: `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, status text DEFAULT 'active');
INSERT INTO users SELECT g, 'u' || g || '@x', 'active' FROM generate_series(1, 5000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
ANALYZE users;`,
  },
];

describe('local and url engines (PostgreSQL)', function () {
  this.timeout(180_000);
  let local: LocalEngine;

  before(async () => {
    await initParser();
    local = new LocalEngine();
  });

  after(async () => {
    await local?.close();
  });

  it('traces CREATE INDEX CONCURRENTLY from a second session, and every statement on its own', async () => {
    const text = 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nALTER TABLE users ADD COLUMN nick2 text;';
    const r = await traceMigration(local, { earlier: EARLIER, text });
    assert.equal(r.engine, 'local');
    assert.deepEqual(r.replay.errors, []);
    assert.deepEqual(r.statements.map((s) => s.verdict), ['confirmed', 'confirmed', 'confirmed'], JSON.stringify(r.statements.map((s) => s.mismatches)));
    const cic = r.statements[1];
    assert.match(cic.trace.note ?? '', /second session/);
    assert.ok(cic.trace.locks.some((l) => l.relation === 'users' && l.mode === 'ShareUpdateExclusiveLock'), JSON.stringify(cic.trace.locks));
    assert.ok(cic.trace.created.includes('index users_email_idx'));
    // Committed statements: the third one's lock is its own, not "already held".
    assert.deepEqual(r.statements[2].trace.heldBefore, []);
    assert.ok(r.statements[2].trace.locks.some((l) => l.relation === 'users' && l.mode === 'AccessExclusiveLock'));
    // The base is untouched: a second trace of the same file sees the same schema and reuses it.
    const again = await traceMigration(local, { earlier: EARLIER, text });
    assert.equal(again.replay.reused, true);
    assert.equal(again.summary.error, 0);
  });

  it('verifies a rollback on the local engine', async () => {
    const r = await verifyMigrationRollback(local, {
      earlier: EARLIER,
      up: "ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\nCREATE INDEX CONCURRENTLY users_status_idx ON users (status);",
      down: 'DROP INDEX CONCURRENTLY users_status_idx;',
    });
    assert.deepEqual(r.diffs.map((d) => d.message), ["default of column `users.status` was `'active'::text`, now none"]);
  });

  it('prefers the local binaries when they are the targeted version', () => {
    const binDir = findPostgresBinDir()!;
    const major = localMajorVersion(binDir)!;
    assert.ok(major >= 10);
    const same = selectEngine({ postgresVersion: major });
    assert.equal(same.engine.kind, 'local');
    const other = selectEngine({ postgresVersion: major === 18 ? 17 : 18 });
    assert.equal(other.engine.kind, 'pglite');
    assert.match(other.reason, /the local binaries are PostgreSQL \d+, the project targets \d+/);
    assert.throws(() => selectEngine({ engine: 'url' }), /needs a database URL/);
  });

  describe('a configured server (url)', () => {
    let cluster: LocalCluster;
    let url: string;
    before(async () => {
      cluster = await startLocalCluster();
      const cfg = cluster.connectionConfig();
      url = `postgresql://postgres@/postgres?host=${encodeURIComponent(String(cfg.host))}&port=${cfg.port}`;
      const c = new Client(cfg);
      await c.connect();
      for (const m of migrationInputs(EARLIER, 15)) for (const s of m.statements) await c.query(s.sql);
      await c.end();
    });
    after(async () => {
      await cluster?.stop();
    });

    it('traces inside a transaction that is rolled back, and never runs CONCURRENTLY', async () => {
      const engine = new UrlEngine({ url });
      try {
        const r = await traceMigration(engine, { earlier: EARLIER, text: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);' });
        assert.match(r.replay.note ?? '', /taken as it is/);
        assert.deepEqual(r.statements.map((s) => s.verdict), ['confirmed', 'not-traced']);
        assert.match(r.statements[1].trace.note ?? '', /^predicted, not traced: a configured database is only used inside a transaction that is rolled back/);
        const left = await engine.query<{ n: number }>([], "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname'");
        assert.equal(left[0].n, 0, 'nothing was committed');
        const idx = await engine.query<{ n: number }>([], "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'users_email_idx'");
        assert.equal(idx[0].n, 0, 'the index was never built');
      } finally {
        await engine.close();
      }
    });

    it('reads table sizes, in the shape of the stats file', async () => {
      const sizes = await tableSizes(url);
      assert.equal(sizes.users.rows, 5000, 'ANALYZE counted the rows');
      assert.ok((sizes.users.bytes ?? 0) > 0);
      const parsed = parseSizesJson(sizesJson(sizes));
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.tables.users, sizes.users);
      assert.equal(sizes.orders.rows, -1, 'orders was never analyzed');
      assert.equal(parsed.tables.orders, undefined, 'an unknown row count is left out of the stats file');
    });
  });

  it('a cluster outlives no owner: when the process that started it is killed, a watchdog stops it and removes its directory', async () => {
    // The CLI starts a local cluster for the trace, which then waits in pg_sleep; the CLI is SIGKILLed (no exit hook runs).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-watchdog-'));
    fs.chmodSync(tmp, 0o777); // the cluster runs as nobody when the tests run as root
    fs.writeFileSync(path.join(tmp, '1_sleep.up.sql'), 'SELECT pg_sleep(120);\n');
    const cli = spawn(process.execPath, [CLI_JS, 'trace', path.join(tmp, '1_sleep.up.sql'), '--engine', 'local'], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    try {
      const clusterDir = await until('the cluster to run', () => fs.readdirSync(tmp).find((d) => d.startsWith('mg-pg-') && /\nready\s*$/m.test(readIf(path.join(tmp, d, 'data', 'postmaster.pid')))), 60_000);
      const base = path.join(tmp, clusterDir);
      const postmaster = Number(readIf(path.join(base, 'data', 'postmaster.pid')).split('\n')[0]);
      assert.ok(alive(postmaster));
      await until('the trace to be running', async () => ((await countSleeping(base)) > 0 ? true : undefined), 30_000);
      cli.kill('SIGKILL');
      await until('the postmaster to stop', () => (alive(postmaster) ? undefined : true), 20_000);
      await until('the cluster directory to go', () => (fs.existsSync(base) ? undefined : true), 20_000);
    } finally {
      cli.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

function readIf(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readIf(`/proc/${pid}/stat`));
}

async function countSleeping(socketDir: string): Promise<number> {
  const port = Number(readIf(path.join(socketDir, 'data', 'postmaster.pid')).split('\n')[3]);
  const c = new Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
  try {
    await c.connect();
    const r = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()");
    return r.rows[0].n;
  } catch {
    return 0;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

