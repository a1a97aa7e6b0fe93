// The embedded engine (PGlite, PostgreSQL 18 in WASM) in its worker process, for real: the oracle's statements traced
// by it agree with the static lock model (asked about PostgreSQL 18) except the differences listed below with their
// reasons; the worker starts lazily, is reused, stops when idle and survives being killed; rollback verification
// reports what real corpus downs leave out. PGlite starts slowly (seconds), so one worker serves most of this file.
// Needs the bundles: dist-test/../dist/pglite-worker.js with PGlite's assets next to it (`node esbuild.mjs`).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initParser, parseFile } from '../../server/src/analysis/parse';
import { statementEffect } from '../../server/src/analysis/locks';
import type { MigrationInput } from '../../server/src/engines/engine';
import { migrationInputs, traceMigration, verifyMigrationRollback } from '../../server/src/engines/migration';
import { PgliteEngine, defaultWorkerPath } from '../../server/src/engines/pglite/client';
import { migrationContext } from '../../server/src/analysis/project';
import { CASES, CATALOG_SQL, catalogFromRows, compare, type CatalogRow, type RelInfo } from './fixtures/oracle-statements';
import { CORPUS_DIR } from '../support/corpus';
import { fsHost } from '../support/fsHost';

const PG_MAJOR = 18;

/**
 * Where PGlite (PostgreSQL 18, one backend) and the model asked about 18 disagree on the oracle's fixture, by case
 * title, with the assertion message the comparison fails with. Each entry is asserted to still fail that way.
 */
const PG18_LOCK =
  'observed on PGlite 0.5.16 (PostgreSQL 18.6): ACCESS SHARE on the relation, where PostgreSQL 15 takes no lock (oracle.test.ts asserts that); ' +
  "the model does not report it for 18 either. FIXME(issue 6): confirm on a native PostgreSQL 18 before changing locks.ts";
const DIFFERENCES: Record<string, { fails: RegExp; why: string }> = {
  "ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('invoice_seq')": { fails: /invoice_seq: 'AccessShareLock'/, why: `a default naming a sequence: ${PG18_LOCK}` },
  "CREATE TABLE t_new (id int DEFAULT nextval('invoice_seq'))": { fails: /invoice_seq: 'AccessShareLock'/, why: `a default naming a sequence: ${PG18_LOCK}` },
  'GRANT SELECT ON users TO PUBLIC': { fails: /users: 'AccessShareLock'/, why: `GRANT on a table: ${PG18_LOCK}` },
  'REVOKE SELECT ON users FROM PUBLIC': { fails: /users: 'AccessShareLock'/, why: `REVOKE on a table: ${PG18_LOCK}` },
  'GRANT USAGE ON SEQUENCE invoice_seq TO PUBLIC': { fails: /invoice_seq: 'AccessShareLock'/, why: `GRANT on a sequence: ${PG18_LOCK}` },
};

/** Statements PGlite refuses on this fixture, with the reason (asserted: the trace is an error with this message). */
const ENGINE_ERRORS: Record<string, { error: RegExp; why: string }> = {};

/** The oracle creates mg_space in a directory of the cluster; PGlite's file system is in memory: an in-place tablespace. */
const TABLESPACE = "SET allow_in_place_tablespaces = on;\nCREATE TABLESPACE mg_space LOCATION ''";

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

describe('embedded engine (PGlite worker)', function () {
  this.timeout(600_000);
  let engine: PgliteEngine;
  let fixture: MigrationInput[];
  let catalog: Map<string, RelInfo>;
  const figures: string[] = [];
  let cacheDir: string;

  before(async () => {
    await initParser();
    assert.ok(fs.existsSync(defaultWorkerPath()), `build the worker first: ${defaultWorkerPath()}`);
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-pglite-cache-'));
    engine = new PgliteEngine({ idleTimeoutMs: 600_000, cacheDir });
    const schema = fs.readFileSync(path.resolve(process.cwd(), 'test/pg/fixtures/oracle-schema.sql'), 'utf8');
    fixture = migrationInputs([{ path: 'tablespace.sql', text: TABLESPACE }, { path: 'oracle-schema.sql', text: schema }], PG_MAJOR);
  });

  after(async () => {
    await engine?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
    if (figures.length) console.log(`      ${figures.join('\n      ')}`);
  });

  it('starts the worker lazily, on the first request, outside the calling process', async () => {
    assert.equal(engine.workerPid, undefined, 'no worker before the first request');
    const parentBefore = process.memoryUsage().rss;
    const t0 = Date.now();
    const first = await traceMigration(engine, { earlier: [], text: 'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int;' });
    figures.push(`cold start to first trace: ${Date.now() - t0} ms`);
    assert.ok(engine.workerPid, 'a worker runs');
    assert.notEqual(engine.workerPid, process.pid);
    assert.equal(Math.floor(first.version / 10000), PG_MAJOR);
    assert.deepEqual(first.statements.map((s) => s.verdict), ['confirmed', 'confirmed']);
    // The build dumps an initialized data directory next to the worker; starting from it skips initdb.
    assert.equal(await engine.startedFrom(), 'template');
    const workerRss = rss(engine.workerPid!);
    const parentGrowth = process.memoryUsage().rss - parentBefore;
    figures.push(`worker RSS ${mb(workerRss)}; calling process RSS grew by ${mb(parentGrowth)}`);
    assert.ok(workerRss > 200 * 2 ** 20, `the engine's memory is in the worker (${mb(workerRss)})`);
    assert.ok(parentGrowth < 100 * 2 ** 20, `the calling process grew by ${mb(parentGrowth)}`);
  });

  it('replays the earlier migrations once and reuses the schema for the next trace', async () => {
    const first = await engine.trace(fixture, [{ sql: 'SELECT 1' }]);
    assert.equal(first.replay.replayed, 2);
    assert.deepEqual(first.replay.errors, [], 'the fixture replays cleanly');
    const second = await engine.trace(fixture, [{ sql: 'SELECT 1' }]);
    assert.equal(second.replay.reused, true);
    assert.equal(second.replay.replayed, 0);
    assert.equal(second.replay.key, first.replay.key);
    // One more earlier migration: only that one is replayed.
    const more = [...fixture, ...migrationInputs([{ path: 'extra.sql', text: 'CREATE TABLE extra (id int)' }], PG_MAJOR)];
    const third = await engine.trace(more, [{ sql: 'SELECT 1' }]);
    assert.equal(third.replay.replayed, 1);
    assert.equal(third.replay.migrations, 3);
    // Back to the fixture: not a prefix of the current state, so it is rebuilt from a saved state.
    const back = await engine.trace(fixture, [{ sql: 'SELECT count(*) FROM extra' }]);
    assert.equal(back.statements[0].status, 'error', 'the extra table is gone');
    assert.equal(back.statements[0].error?.code, '42P01');
    catalog = catalogFromRows(await engine.query<CatalogRow>(fixture, CATALOG_SQL));
    assert.ok(catalog.has('users') && catalog.has('events_2024'), 'the fixture is there');
  });

  it('traces a 10-statement migration warm, statement by statement, and leaves nothing behind', async () => {
    const text = [
      'ALTER TABLE users ADD COLUMN nickname text',
      "ALTER TABLE users ALTER COLUMN nickname SET DEFAULT 'x'",
      'CREATE INDEX users_nickname_idx ON users (nickname)',
      'ALTER TABLE orders ADD CONSTRAINT orders_amount_pos CHECK (amount >= 0) NOT VALID',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_pos',
      'CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))',
      'ALTER TABLE kinds ALTER COLUMN i TYPE bigint',
      'CREATE INDEX CONCURRENTLY users_created_idx ON users (created_at)',
      'ALTER TABLE missing ADD COLUMN x int',
      'ALTER TABLE users ADD COLUMN nickname text',
    ].join(';\n');
    const earlier = [
      { path: 'tablespace.sql', text: TABLESPACE },
      { path: 'oracle-schema.sql', text: fs.readFileSync(path.resolve(process.cwd(), 'test/pg/fixtures/oracle-schema.sql'), 'utf8') },
    ];
    await traceMigration(engine, { earlier, text });
    const t0 = Date.now();
    const r = await traceMigration(engine, { earlier, text });
    figures.push(`warm trace of a 10-statement migration: ${Date.now() - t0} ms`);
    assert.equal(r.replay.reused, true);
    const verdicts = r.statements.map((s) => s.verdict);
    assert.deepEqual(verdicts.slice(0, 7), Array(7).fill('confirmed'), JSON.stringify(r.statements.map((s) => [s.verdict, s.mismatches])));
    assert.equal(verdicts[7], 'not-traced');
    assert.match(r.statements[7].trace.note ?? '', /^predicted, not traced/);
    assert.deepEqual(
      r.errors.map((e) => [e.index, e.line, e.code]),
      [
        [8, 9, '42P01'],
        [9, 10, '42701'],
      ],
      'a missing table and a duplicate column, located',
    );
    assert.ok(r.statements[2].trace.created.includes('index users_nickname_idx'));
    assert.ok(r.statements[5].trace.created.includes('table payments'));
    assert.ok(r.statements[6].trace.rewritten.includes('kinds'), 'int → bigint rewrites');
    // Nothing was committed.
    const cols = await engine.query<{ n: number }>(fixture, "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname'");
    assert.equal(cols[0].n, 0);
  });

  it('reports CONCURRENTLY inside a transaction as the error PostgreSQL raises', async () => {
    const r = await traceMigration(engine, { earlier: [], text: 'CREATE TABLE t (id int);\nBEGIN;\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;' });
    assert.deepEqual(r.statements.map((s) => s.verdict), ['confirmed', 'skipped', 'error', 'skipped']);
    assert.equal(r.errors[0].code, '25001');
    assert.equal(r.errors[0].line, 3);
  });

  describe('the oracle statements agree with the lock model (PostgreSQL 18)', () => {
    const titles = new Map<string, number>();
    for (const c of CASES) {
      let title = c.session ? `${c.sql} [${c.session}]` : c.sql;
      const n = titles.get(title) ?? 0;
      titles.set(title, n + 1);
      if (n) title += ` (#${n + 1})`;
      it(title, async () => {
        const stmt = parseFile(c.sql).statements[0];
        const effect = statementEffect(stmt.node, { postgresVersion: PG_MAJOR });
        const statements = [...(c.session ? [{ sql: c.session }] : []), { sql: c.sql, nonTransactional: effect.nonTransactional }];
        const run = await engine.trace(fixture, statements);
        const trace = run.statements[statements.length - 1];
        if (effect.nonTransactional) {
          assert.equal(trace.status, 'not-traced');
          assert.match(trace.note ?? '', /^predicted, not traced: the embedded engine has a single backend/);
          return;
        }
        const refused = ENGINE_ERRORS[title];
        if (refused) {
          assert.equal(trace.status, 'error', `documented as refused (${refused.why})`);
          assert.match(trace.error?.message ?? '', refused.error);
          return;
        }
        assert.equal(trace.error, undefined, `PostgreSQL: ${trace.error?.message}`);
        // The model's claims about locks already held by the session statement do not apply: SET takes none.
        const observed = { locks: trace.locks, rewritten: trace.rewritten, scanned: trace.scanned };
        const diff = DIFFERENCES[title];
        if (diff) assert.throws(() => compare(c, effect, stmt.kind, observed, catalog), diff.fails, `documented difference (${diff.why})`);
        else compare(c, effect, stmt.kind, observed, catalog);
      });
    }
  });

  describe('verify rollback on real corpus pairs (vaultwarden, diesel)', () => {
    const dir = path.join(CORPUS_DIR, 'dani-garcia__vaultwarden', 'migrations', 'postgresql');
    const host = fsHost();
    const verify = async (name: string) => {
      const ctx = migrationContext(path.join(dir, name, 'up.sql'), host);
      assert.ok(ctx.downText !== undefined, 'diesel pairs up.sql with down.sql');
      return verifyMigrationRollback(engine, { earlier: ctx.earlier, up: ctx.text, down: ctx.downText! });
    };
    const cases: [string, string, boolean, string[]][] = [
      ['an empty down leaves the column behind', '2020-11-30-224000_add_user_enabled', true, ['the down leaves column `users.enabled` behind']],
      ['an empty down after a rename', '2021-03-15-163412_rename_send_key', true, ['column `sends.key` is not restored', 'the down leaves column `sends.akey` behind']],
      [
        'lost types: the down restores CHAR(40) where VARCHAR(40) was',
        '2019-09-16-150000_fix_attachments',
        false,
        [
          'type of column `collections.org_uuid` was `character varying(40)`, now `character(40)`',
          'type of column `collections.uuid` was `character varying(40)`, now `character(40)`',
          'type of column `organizations.uuid` was `character varying(40)`, now `character(40)`',
        ],
      ],
      ['lost NOT NULL: an empty down after DROP NOT NULL', '2023-09-01-170620_update_auth_request_table', true, ['`auth_requests.enc_key` was NOT NULL, now nullable', '`auth_requests.master_password_hash` was NOT NULL, now nullable']],
      ['a default the column never had', '2020-08-02-025025_add_favorites_table', false, ['default of column `ciphers.favorite` was none, now `false`']],
      ['a down that restores the schema', '2020-03-13-205045_add_policy_table', false, []],
    ];
    for (const [title, name, empty, expected] of cases) {
      it(`${title} (${name})`, async () => {
        const r = await verify(name);
        assert.deepEqual(r.replay.errors, [], 'the earlier migrations replay cleanly');
        assert.deepEqual(r.upErrors, []);
        assert.deepEqual(r.downErrors, []);
        assert.equal(r.emptyDown, empty);
        assert.deepEqual(r.diffs.map((d) => d.message).sort(), [...expected].sort());
      });
    }

    it('reports a down that fails, with its line', async () => {
      const r = await verify('2022-07-27-110000_add_group_support');
      assert.equal(r.downErrors.length, 1);
      assert.match(r.downErrors[0].message, /cannot drop table groups because other objects depend on it/);
      assert.ok(r.diffs.some((d) => d.message === 'the down leaves table `groups` behind'));
    });
  });

  describe('worker lifecycle', () => {
    let life: PgliteEngine;
    const IDLE_MS = 3000;
    before(() => {
      life = new PgliteEngine({ idleTimeoutMs: IDLE_MS, cacheDir: false });
    });
    after(async () => {
      await life?.close();
    });

    it('a killed worker fails the pending request clearly, and the next request starts a new one', async () => {
      const pending = life.version();
      const pid = life.workerPid!;
      assert.ok(pid);
      process.kill(pid, 'SIGKILL');
      await assert.rejects(pending, /the embedded PostgreSQL worker was killed \(SIGKILL\) during "version"; the next request starts a new worker/);
      assert.equal(life.workerPid, undefined);
      assert.equal(Math.floor((await life.version()) / 10000), PG_MAJOR);
      assert.ok(life.workerPid && life.workerPid !== pid, 'a new worker');
      assert.equal(life.starts, 2);
    });

    it('stops the worker after the idle timeout, and its memory goes with it', async () => {
      await life.replay([]);
      const pid = life.workerPid!;
      const before = rss(pid);
      assert.ok(alive(pid));
      const t0 = Date.now();
      assert.ok(await waitFor(() => !alive(pid) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'), IDLE_MS + 20_000), 'the worker exited');
      figures.push(`idle stop: worker (${mb(before)}) exited ${Date.now() - t0} ms after its last request (timeout ${IDLE_MS} ms)`);
      assert.ok(await waitFor(() => life.workerPid === undefined, 5000));
      // The next request starts a new worker.
      await life.replay([]);
      assert.equal(life.starts, 3);
    });

    it('a long replay is kept on disk: a new worker (after an idle stop) loads it instead of replaying', async () => {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-pglite-cache-'));
      const earlier: MigrationInput[] = Array.from({ length: 25 }, (_, i) => ({ path: `${i}.sql`, statements: [{ sql: `CREATE TABLE t${i} (id int PRIMARY KEY, v text)` }] }));
      const first = new PgliteEngine({ idleTimeoutMs: 600_000, cacheDir: cache });
      try {
        assert.equal((await first.replay(earlier)).replayed, 25);
        await first.workerMemory(); // served after the dump the replay left to do
      } finally {
        await first.close();
      }
      const states = fs.readdirSync(cache).flatMap((d) => fs.readdirSync(path.join(cache, d)).map((f) => path.join(cache, d, f)));
      assert.equal(states.filter((f) => f.endsWith('.tar.gz')).length, 1, JSON.stringify(states));
      const second = new PgliteEngine({ idleTimeoutMs: 600_000, cacheDir: cache });
      try {
        const r = await second.replay(earlier);
        assert.deepEqual([r.replayed, r.migrations, r.reused], [0, 25, true]);
        assert.equal(await second.startedFrom(), 'disk');
        assert.deepEqual((await second.query<{ n: number }>(earlier, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename ~ '^t[0-9]+$'")).map((x) => x.n), [25]);
        // One more migration on top: only it is replayed.
        const more = [...earlier, { path: 'more.sql', statements: [{ sql: 'CREATE TABLE more (id int)' }] }];
        assert.equal((await second.replay(more)).replayed, 1);
      } finally {
        await second.close();
      }
      // A damaged state is dropped and the migrations are replayed.
      fs.writeFileSync(states.find((f) => f.endsWith('.tar.gz'))!, 'damaged');
      const third = new PgliteEngine({ idleTimeoutMs: 600_000, cacheDir: cache });
      try {
        assert.equal((await third.replay(earlier)).replayed, 25);
        assert.equal(await third.startedFrom(), 'template');
      } finally {
        await third.close();
        fs.rmSync(cache, { recursive: true, force: true });
      }
    });

    it('a damaged template costs initdb, not the request: the worker starts from scratch and traces', async () => {
      // The worker bundle and PGlite's assets, copied without the template and with a junk one in its place.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-pglite-'));
      const from = path.dirname(defaultWorkerPath());
      for (const f of ['pglite-worker.js', 'pglite.wasm', 'pglite.data', 'initdb.wasm']) fs.copyFileSync(path.join(from, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, 'pglite-template.tar.gz'), 'not a tar file\u0000\u00ff');
      const damaged = new PgliteEngine({ workerPath: path.join(dir, 'pglite-worker.js'), idleTimeoutMs: 600_000, cacheDir: false });
      try {
        const run = await traceMigration(damaged, { earlier: [], text: 'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int;' });
        assert.deepEqual(run.statements.map((s) => s.verdict), ['confirmed', 'confirmed']);
        assert.equal(await damaged.startedFrom(), 'initdb');
      } finally {
        await damaged.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
