// Table sizes from a real PostgreSQL feed `lint --stats`: a throwaway cluster (localCluster.ts) gets a 20,000-row and a
// 150-row table, ANALYZE, `tableSizes(url)` reads pg_class / pg_total_relation_size, `sizesJson` writes the stats file,
// and the bundled CLI (dist/cli.js) lints migrations on those tables with it. Needs PostgreSQL server binaries.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { analyze, describeStatementAt, initParser } from '../../server/src/analysis';
import { formatBytes, parseSizesJson } from '../../server/src/analysis/sizes';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { sizesJson, tableSizes } from '../../server/src/engines/sizes';
import { cli, type JsonFinding, type Run } from '../support/cli';

const lockFindings = (r: Run): JsonFinding[] => (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.lock.length > 0);

describe('table sizes from PostgreSQL feed lint --stats', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let dir: string;
  let stats: string;

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
    const c = new Client(cluster.connectionConfig());
    await c.connect();
    try {
      await c.query(`CREATE TABLE events (id bigint PRIMARY KEY, kind text);
        INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 20000) g;
        CREATE TABLE tags (id int PRIMARY KEY, name text);
        INSERT INTO tags SELECT g, 't' || g FROM generate_series(1, 150) g;
        CREATE TABLE never_analyzed (id int);
        ANALYZE events; ANALYZE tags;`);
    } finally {
      await c.end();
    }
    const cfg = cluster.connectionConfig();
    stats = sizesJson(await tableSizes(`postgresql://postgres@/postgres?host=${encodeURIComponent(String(cfg.host))}&port=${cfg.port}`));
    dir = mkdtempSync(join(tmpdir(), 'mg-pg-stats-'));
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'stats.json'), stats);
    writeFileSync(join(dir, 'db', 'events.sql'), 'CREATE INDEX events_kind_idx ON events (kind);\n');
    writeFileSync(join(dir, 'db', 'tags.sql'), 'CREATE INDEX tags_name_idx ON tags (name);\n');
  });

  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the dump holds the analyzed tables with their row counts and sizes, not the never-analyzed one', () => {
    const { tables, problems } = parseSizesJson(stats);
    assert.deepEqual(problems, []);
    assert.equal(tables.events.rows, 20_000);
    assert.equal(tables.tags.rows, 150);
    assert.ok(tables.events.bytes! > tables.tags.bytes! && tables.tags.bytes! > 0, stats);
    assert.equal(tables.never_analyzed, undefined);
  });

  it('lint --stats: the 150-row table is brief (info); the 20,000-row table keeps its warnings', () => {
    const without = cli(['lint', '--format', 'json', 'db/tags.sql'], dir);
    assert.ok(lockFindings(without).length > 0 && lockFindings(without).every((f) => f.severity === 'warning'), without.stdout);
    const small = cli(['lint', '--format', 'json', '--stats', 'stats.json', 'db/tags.sql'], dir);
    assert.equal(small.stderr, '');
    const sf = lockFindings(small);
    assert.ok(sf.length > 0 && sf.every((f) => f.severity === 'info' && f.message.endsWith(' (`tags` has ≈ 150 rows: brief)')), small.stdout);
    const mid = cli(['lint', '--format', 'json', '--stats', 'stats.json', 'db/events.sql'], dir);
    assert.equal(mid.code, 1);
    assert.ok(lockFindings(mid).every((f) => f.severity === 'warning' && !f.message.includes('≈')), mid.stdout);
  });

  it('with smallTableRows 50000 in the config, the 20,000-row table is brief too', () => {
    writeFileSync(join(dir, '.migration-guard.json'), '{"stats": "stats.json", "smallTableRows": 50000}');
    try {
      const r = cli(['lint', '--format', 'json', '--fail-on', 'warning', 'db/events.sql'], dir);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(lockFindings(r).every((f) => f.severity === 'info' && f.message.endsWith(' (`events` has ≈ 20 k rows: brief)')), r.stdout);
    } finally {
      rmSync(join(dir, '.migration-guard.json'));
    }
  });

  it('hover shows the measured size', () => {
    const { tables } = parseSizesJson(stats);
    const sql = 'ALTER TABLE events ALTER COLUMN id TYPE int;';
    const md = describeStatementAt(analyze(sql, { tableSizes: tables }), 0)!.markdown;
    assert.ok(md.includes(`| \`events\` ≈ 20.0 k rows, ${formatBytes(tables.events.bytes!)} |`), md);
    assert.ok(md.includes(`Rewrites ≈ ${formatBytes(tables.events.bytes!)} (\`events\`).`), md);
  });
});
