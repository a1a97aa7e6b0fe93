/**
 * `lint --stats FILE` and the config's `stats` end to end through the bundled CLI (dist/cli.js): table sizes turn lock
 * findings on small tables into info (so `--fail-on warning` passes), name big tables, and a bad stats file is a
 * warning on stderr, a missing --stats file a usage error. Run `node esbuild.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, type JsonFinding, type Run } from '../support/cli';

/** The lock findings (the folder also looks like an sqlx project, whose require-down-migration note is not ours). */
const findings = (r: Run): JsonFinding[] => (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.lock.length > 0);

describe('CLI: lint --stats', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-cli-stats-'));
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', '001_tags.sql'), 'CREATE INDEX tags_name_idx ON tags (name);\n');
    writeFileSync(join(dir, 'small.json'), JSON.stringify({ tables: { 'public.tags': { rows: 200, bytes: 16384 } } }));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ tables: { 'public.tags': { rows: 50_000_000, bytes: 13_207_024_435 } } }));
    writeFileSync(join(dir, 'bad.json'), '{"tables": {"tags": {"rows": "lots"}}}');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without sizes: warnings, exit 1', () => {
    const r = cli(['lint', '--format', 'json', 'db'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(findings(r).map((f) => [f.rule, f.severity]), [['require-concurrent-index-creation', 'warning'], ['require-lock-timeout', 'warning']]);
  });

  it('a small table: info, marked brief, exit 0', () => {
    const r = cli(['lint', '--format', 'json', '--stats', 'small.json', 'db'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const f = findings(r);
    assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['require-concurrent-index-creation', 'info'], ['require-lock-timeout', 'info']]);
    for (const x of f) assert.ok(x.message.endsWith(' (`tags` has ≈ 200 rows: brief)'), x.message);
  });

  it('a big table: named in text output, exit 1', () => {
    const r = cli(['lint', '--stats', join(dir, 'big.json'), 'db'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /blocking writes until the index is built\. \(`tags` has ≈ 50 M rows\)/);
  });

  it('the config file names the stats file; --stats overrides it', () => {
    writeFileSync(join(dir, '.migration-guard.json'), '{"stats": "small.json"}');
    try {
      const fromConfig = cli(['lint', '--format', 'json', 'db'], dir);
      assert.equal(fromConfig.code, 0, fromConfig.stderr);
      assert.ok(findings(fromConfig).every((f) => f.severity === 'info'));
      const flag = cli(['lint', '--format', 'json', '--stats', 'big.json', 'db'], dir);
      assert.equal(flag.code, 1, flag.stderr);
      assert.ok(findings(flag).every((f) => f.severity === 'warning' && f.message.endsWith('(`tags` has ≈ 50 M rows)')));
    } finally {
      rmSync(join(dir, '.migration-guard.json'));
    }
  });

  it('a bad stats file: a warning on stderr, sizes unknown', () => {
    const r = cli(['lint', '--format', 'json', '--stats', 'bad.json', 'db'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `migration-guard: warning: bad.json:1:1: stats file ${join(dir, 'bad.json')}: tables.tags.rows must be a non-negative number`);
    assert.ok(findings(r).every((f) => f.severity === 'warning' && !f.message.includes('≈')));
  });

  it('a missing stats file named by the config: a warning at its `stats` value', () => {
    writeFileSync(join(dir, '.migration-guard.json'), '{\n  "stats": "gone.json"\n}');
    try {
      const r = cli(['lint', '--format', 'json', 'db'], dir);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `migration-guard: warning: .migration-guard.json:2:12: cannot read the stats file ${join(dir, 'gone.json')}; table sizes are unknown`);
    } finally {
      rmSync(join(dir, '.migration-guard.json'));
    }
  });

  it('--stats naming no file is a usage error (exit 2), for lint and locks', () => {
    for (const cmd of ['lint', 'locks']) {
      const r = cli([cmd, '--stats', 'nope.json', 'db/001_tags.sql'], dir);
      assert.equal(r.code, 2, cmd);
      assert.match(r.stderr, /^migration-guard: --stats: no such file: nope\.json/);
    }
  });
});
