// Real-PostgreSQL tests of the throwaway cluster and the lock tracer.
// Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh; or MG_PG_BIN).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Client } from 'pg';
import { startLocalCluster, stopAllLocalClustersSync, type LocalCluster } from '../../server/src/engines/localCluster';
import {
  cannotRunInTransactionBlock,
  lockStrength,
  traceConcurrently,
  traceStatement,
  type TraceResult,
} from '../../server/src/engines/trace';

const FIXTURE = `
  CREATE TABLE parent (id int PRIMARY KEY, name text);
  INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 100) g;
  CREATE TABLE t (id int PRIMARY KEY, a int, s varchar(50), parent_id int);
  INSERT INTO t SELECT g, g, 'row ' || g, 1 + g % 100 FROM generate_series(1, 1000) g;
  ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID;
  CREATE TABLE w (id int PRIMARY KEY, s text, CONSTRAINT w_s_nn CHECK (s IS NOT NULL));
  INSERT INTO w SELECT g, 'w' || g FROM generate_series(1, 100) g;
  CREATE SCHEMA app;
  CREATE TABLE app.events (id bigint PRIMARY KEY, payload text);
  CREATE TABLE ct (id int PRIMARY KEY, a int, b int);
  INSERT INTO ct SELECT g, g, g FROM generate_series(1, 1000) g;
  CREATE INDEX ct_b ON ct (b);
  CREATE TABLE pt (id int, k int) PARTITION BY RANGE (k);
  CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
  CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (100) TO (200);
  INSERT INTO pt SELECT g, g % 200 FROM generate_series(1, 1000) g;
  ANALYZE;
`;

/** The modes traced on one relation. */
function modesOn(r: TraceResult, relation: string): string[] {
  return r.locks.filter((l) => l.relation === relation).map((l) => l.mode);
}

/** The strongest mode on a relation ('' when none). */
function strongestOn(r: TraceResult, relation: string): string {
  return modesOn(r, relation).sort((x, y) => lockStrength(y) - lockStrength(x))[0] ?? '';
}

describe('local PostgreSQL engine', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let a: Client;
  let b: Client;
  let startMs = 0;

  before(async () => {
    const t0 = Date.now();
    cluster = await startLocalCluster();
    startMs = Date.now() - t0;
    a = new Client(cluster.connectionConfig());
    b = new Client(cluster.connectionConfig());
    await a.connect();
    await b.connect();
    await a.query(FIXTURE);
  });

  after(async () => {
    await a?.end().catch(() => {});
    await b?.end().catch(() => {});
    await cluster?.stop();
  });

  describe('cluster', () => {
    it('runs PostgreSQL ≥ 10 on a private Unix socket', async () => {
      assert.ok(cluster.version >= 100000, `server_version_num ${cluster.version}`);
      assert.ok(fs.existsSync(`${cluster.socketDir}/.s.PGSQL.${cluster.port}`));
      const r = await a.query<{ addr: string | null; fsync: string; ver: string }>(
        "SELECT inet_server_addr()::text AS addr, current_setting('fsync') AS fsync, current_setting('server_version_num') AS ver",
      );
      assert.equal(r.rows[0].addr, null, 'connected over a Unix socket');
      assert.equal(r.rows[0].fsync, 'off');
      assert.equal(Number(r.rows[0].ver), cluster.version);
      assert.ok(startMs < 60_000, `started in ${startMs} ms`);
    });
  });

  describe('traceStatement', () => {
    it('CREATE INDEX: ShareLock on the table, no rewrite, the table is read', async () => {
      const r = await traceStatement(a, 'CREATE INDEX ON t (a)');
      assert.equal(r.error, undefined);
      assert.deepEqual(modesOn(r, 't'), ['ShareLock']);
      const idx = r.locks.find((l) => l.relation === 't_a_idx');
      assert.deepEqual(idx, { relation: 't_a_idx', relkind: 'i', mode: 'AccessExclusiveLock', created: true });
      assert.deepEqual(r.rewritten, []);
      assert.deepEqual(r.scanned, ['t']);
      // rolled back
      const left = await a.query("SELECT 1 FROM pg_class WHERE relname = 't_a_idx'");
      assert.equal(left.rowCount, 0);
    });

    it('ADD COLUMN without default: AccessExclusiveLock, no rewrite, no scan', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ADD COLUMN c int');
      assert.deepEqual(modesOn(r, 't'), ['AccessExclusiveLock']);
      assert.deepEqual(r.rewritten, []);
      assert.deepEqual(r.scanned, []);
    });

    it('ADD COLUMN with a constant default: no rewrite', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ADD COLUMN e int NOT NULL DEFAULT 0');
      assert.equal(strongestOn(r, 't'), 'AccessExclusiveLock');
      assert.deepEqual(r.rewritten, []);
    });

    it('ADD COLUMN with a volatile default: rewrites the table and its indexes', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ADD COLUMN d int DEFAULT random()::int');
      assert.equal(strongestOn(r, 't'), 'AccessExclusiveLock');
      assert.deepEqual(r.rewritten, ['t', 't_pkey']);
    });

    it('ALTER COLUMN TYPE int → bigint: rewrite', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ALTER COLUMN a TYPE bigint');
      assert.equal(strongestOn(r, 't'), 'AccessExclusiveLock');
      assert.ok(r.rewritten.includes('t'), JSON.stringify(r.rewritten));
    });

    it('ALTER COLUMN TYPE varchar → text: no rewrite', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ALTER COLUMN s TYPE text');
      assert.equal(strongestOn(r, 't'), 'AccessExclusiveLock');
      assert.deepEqual(r.rewritten, []);
    });

    it('ADD CONSTRAINT CHECK: scans the table; NOT VALID does not', async () => {
      const full = await traceStatement(a, 'ALTER TABLE t ADD CONSTRAINT c_pos CHECK (a > 0)');
      assert.deepEqual(modesOn(full, 't'), ['AccessExclusiveLock']);
      assert.deepEqual(full.scanned, ['t']);
      assert.deepEqual(full.rewritten, []);
      const nv = await traceStatement(a, 'ALTER TABLE t ADD CONSTRAINT c_pos CHECK (a > 0) NOT VALID');
      assert.deepEqual(modesOn(nv, 't'), ['AccessExclusiveLock']);
      assert.deepEqual(nv.scanned, []);
    });

    it('VALIDATE CONSTRAINT: ShareUpdateExclusiveLock and a scan', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t VALIDATE CONSTRAINT t_a_pos');
      assert.equal(strongestOn(r, 't'), 'ShareUpdateExclusiveLock');
      assert.deepEqual(r.scanned, ['t']);
    });

    it('SET NOT NULL: scans, unless a valid CHECK (col IS NOT NULL) proves it', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ALTER COLUMN s SET NOT NULL');
      assert.equal(strongestOn(r, 't'), 'AccessExclusiveLock');
      assert.deepEqual(r.scanned, ['t']);
      const proven = await traceStatement(a, 'ALTER TABLE w ALTER COLUMN s SET NOT NULL');
      assert.equal(strongestOn(proven, 'w'), 'AccessExclusiveLock');
      assert.deepEqual(proven.scanned, []);
    });

    it('ADD FOREIGN KEY: ShareRowExclusiveLock on both tables and a validation scan', async () => {
      const r = await traceStatement(a, 'ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)');
      assert.equal(r.error, undefined);
      assert.ok(modesOn(r, 't').includes('ShareRowExclusiveLock'));
      assert.ok(modesOn(r, 'parent').includes('ShareRowExclusiveLock'));
      assert.equal(strongestOn(r, 't'), 'ShareRowExclusiveLock');
      assert.equal(strongestOn(r, 'parent'), 'ShareRowExclusiveLock');
      assert.ok(r.scanned.includes('t'), JSON.stringify(r.scanned));
      const nv = await traceStatement(
        a,
        'ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID',
      );
      assert.equal(strongestOn(nv, 't'), 'ShareRowExclusiveLock');
      assert.equal(strongestOn(nv, 'parent'), 'ShareRowExclusiveLock');
      assert.deepEqual(nv.scanned, []);
    });

    it('names relations outside public with their schema, and dropped ones from the snapshot', async () => {
      const r = await traceStatement(a, 'DROP TABLE app.events');
      assert.equal(strongestOn(r, 'app.events'), 'AccessExclusiveLock');
      assert.equal(r.locks.find((l) => l.relation === 'app.events')?.relkind, 'r');
      assert.ok(r.locks.every((l) => !l.relation.startsWith('pg_')), JSON.stringify(r.locks));
    });

    it('reports no relation locks for a plain SELECT on nothing', async () => {
      const r = await traceStatement(a, 'SELECT 1');
      assert.deepEqual(r.locks, []);
      assert.deepEqual(r.rewritten, []);
      assert.deepEqual(r.scanned, []);
    });

    it('returns an SQL error as `error` and leaves the connection usable', async () => {
      const r = await traceStatement(a, 'ALTER TABLE no_such_table ADD COLUMN x int');
      assert.match(r.error ?? '', /no_such_table/);
      assert.equal(r.errorCode, '42P01');
      assert.deepEqual(r.locks, []);
      const ok = await a.query('SELECT 1 AS one');
      assert.equal(ok.rows[0].one, 1);
    });

    it('refuses statements that cannot run in a transaction block with SQLSTATE 25001', async () => {
      const sql = 'CREATE INDEX CONCURRENTLY ct_a ON ct (a)';
      assert.equal(cannotRunInTransactionBlock(sql), true);
      assert.equal(cannotRunInTransactionBlock('-- x\nALTER TABLE t ADD COLUMN c int'), false);
      const r = await traceStatement(a, sql);
      assert.equal(r.errorCode, '25001');
    });

    it('reports a traced COMMIT as an error instead of committing silently', async () => {
      const r = await traceStatement(a, 'COMMIT');
      assert.match(r.error ?? '', /ended the tracing transaction/);
    });
  });

  describe('traceConcurrently', () => {
    it('CREATE INDEX CONCURRENTLY: ShareUpdateExclusiveLock on the table', async () => {
      const r = await traceConcurrently(a, b, 'CREATE INDEX CONCURRENTLY ct_a ON ct (a)');
      assert.equal(r.error, undefined);
      assert.ok(r.observations >= 2, `observations ${r.observations}`);
      assert.deepEqual(modesOn(r, 'ct'), ['ShareUpdateExclusiveLock']);
      assert.deepEqual(r.rewritten, []);
      const valid = await a.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ct_a'::regclass");
      assert.equal(valid.rows[0].indisvalid, true);
      // B's transaction is over: nothing left locked
      const held = await b.query("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'ct'::regclass");
      assert.equal(held.rows[0].n, 0);
    });

    it('DROP INDEX CONCURRENTLY: ShareUpdateExclusiveLock on table and index', async () => {
      const r = await traceConcurrently(a, b, 'DROP INDEX CONCURRENTLY ct_b');
      assert.equal(r.error, undefined);
      assert.ok(modesOn(r, 'ct').includes('ShareUpdateExclusiveLock'));
      assert.ok(modesOn(r, 'ct_b').includes('ShareUpdateExclusiveLock'));
      assert.ok(!modesOn(r, 'ct').includes('AccessExclusiveLock'));
    });

    it('REINDEX INDEX CONCURRENTLY: ShareUpdateExclusiveLock, the index is rebuilt', async () => {
      const r = await traceConcurrently(a, b, 'REINDEX INDEX CONCURRENTLY ct_pkey');
      assert.equal(r.error, undefined);
      assert.equal(strongestOn(r, 'ct'), 'ShareUpdateExclusiveLock');
      assert.deepEqual(r.rewritten, ['ct_pkey']);
    });

    it('DETACH PARTITION CONCURRENTLY: both phases are observed', async () => {
      const r = await traceConcurrently(a, b, 'ALTER TABLE pt DETACH PARTITION pt1 CONCURRENTLY');
      assert.equal(r.error, undefined);
      assert.equal(strongestOn(r, 'pt'), 'ShareUpdateExclusiveLock');
      assert.ok(modesOn(r, 'pt1').includes('ShareUpdateExclusiveLock'), JSON.stringify(r.locks));
      assert.ok(modesOn(r, 'pt1').includes('AccessExclusiveLock'), JSON.stringify(r.locks));
      assert.ok(r.observations >= 3, `observations ${r.observations}`);
      const parts = await a.query("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'pt'::regclass");
      assert.equal(parts.rows[0].n, 1);
    });

    it('returns the error of a failing concurrent statement', async () => {
      const r = await traceConcurrently(a, b, 'CREATE INDEX CONCURRENTLY nope ON no_such_table (a)');
      assert.equal(r.errorCode, '42P01');
      assert.deepEqual(r.locks, []);
    });
  });
});

describe('local PostgreSQL engine: shutdown', function () {
  this.timeout(120_000);

  it('stop() shuts the server down and removes its directory', async () => {
    const cluster = await startLocalCluster();
    const pidLine = fs.readFileSync(`${cluster.socketDir}/data/postmaster.pid`, 'utf8').split('\n')[0];
    const pid = Number(pidLine);
    assert.ok(pid > 0);
    const c = new Client(cluster.connectionConfig());
    await c.connect();
    await c.query('SELECT 1');
    await c.end();
    await cluster.stop();
    await cluster.stop(); // idempotent
    assert.equal(fs.existsSync(cluster.socketDir), false);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    const late = new Client(cluster.connectionConfig());
    await assert.rejects(late.connect());
  });

  it('the exit hook (stopAllLocalClustersSync) kills a running cluster and removes its directory', async () => {
    const cluster = await startLocalCluster();
    const pid = Number(fs.readFileSync(`${cluster.socketDir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
    stopAllLocalClustersSync();
    assert.equal(fs.existsSync(cluster.socketDir), false);
    const late = new Client(cluster.connectionConfig());
    await assert.rejects(late.connect());
    // the postmaster is our child: it is gone once node has reaped it
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    await cluster.stop(); // still safe afterwards
  });

  it('throws a clear error when the binaries are missing', async () => {
    await assert.rejects(startLocalCluster({ binDir: '/nonexistent/pg/bin' }), /does not contain initdb/);
  });
});
