// `migration-guard trace` and `verify` end to end: the bundled CLI and its PGlite worker, copied out of the repository
// into a temporary directory with no node_modules above it (the bundles must carry everything, and PGlite must find
// its WASM and data files next to the worker), run against real corpus migrations and a small migration folder.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_JS } from '../support/cli';
import { CORPUS_DIR } from '../support/corpus';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('cli trace / verify (dist/cli.js + dist/pglite-worker.js, outside the repository)', function () {
  this.timeout(600_000);
  let bin: string;
  let work: string;
  const vaultwarden = join(CORPUS_DIR, 'dani-garcia__vaultwarden', 'migrations', 'postgresql');

  function run(args: string[]): Run {
    const r = spawnSync(process.execPath, [join(bin, 'cli.js'), ...args], { cwd: work, encoding: 'utf8', timeout: 300_000 });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  before(() => {
    const root = mkdtempSync('/tmp/mg-cli-trace-');
    bin = join(root, 'bin');
    work = join(root, 'work');
    mkdirSync(bin);
    const dist = join(CLI_JS, '..');
    for (const f of readdirSync(dist)) if (!f.endsWith('.map')) cpSync(join(dist, f), join(bin, f));
    mkdirSync(join(work, 'migrations'), { recursive: true });
    writeFileSync(join(work, 'migrations', '1_init.up.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n');
    writeFileSync(join(work, 'migrations', '1_init.down.sql'), 'DROP TABLE users;\n');
    writeFileSync(
      join(work, 'migrations', '2_more.up.sql'),
      'ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_name_idx ON users (name);\nALTER TABLE accounts ADD COLUMN x int;\n',
    );
    writeFileSync(join(work, 'migrations', '2_more.down.sql'), 'DROP INDEX users_name_idx;\n');
  });

  after(() => {
    rmSync(join(bin, '..'), { recursive: true, force: true });
  });

  it('trace: confirmed statements of a real migration after its 18 earlier ones (json)', () => {
    const r = run(['trace', join(vaultwarden, '2022-03-02-210038_update_devices_primary_key', 'up.sql'), '--engine', 'pglite', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.engine, 'pglite');
    assert.equal(j.replay.migrations, 18);
    assert.deepEqual(j.replay.errors, []);
    assert.deepEqual(j.statements.map((s: { verdict: string }) => s.verdict), ['confirmed', 'confirmed']);
    assert.deepEqual(j.statements[0].trace.dropped, ['constraint devices_pkey on devices', 'index devices_pkey']);
  });

  it('trace: an error the migration would hit exits 1 and names the line (text)', () => {
    const r = run(['trace', 'migrations/2_more.up.sql', '--engine', 'pglite']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /migrations\/2_more\.up\.sql:3 +error +ALTER TABLE accounts ADD COLUMN x int\n {6}relation "accounts" does not exist \(42P01\)/);
    assert.match(r.stdout, /2 confirmed, 0 mismatch, 1 error, 0 not traced, 0 skipped/);
  });

  it('verify: an empty down leaves the column behind (exit 1)', () => {
    const r = run(['verify', join(vaultwarden, '2020-11-30-224000_add_user_enabled', 'up.sql'), '--engine', 'pglite']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /the down is empty\n {2}the down leaves column `users\.enabled` behind/);
  });

  it('verify: the column the down forgets (json), and usage errors exit 2', () => {
    const r = run(['verify', 'migrations/2_more.up.sql', '--format', 'json', '--engine', 'pglite']);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.diffs.map((d: { message: string }) => d.message), ['the down leaves column `users.name` behind']);
    assert.equal(j.upErrors.length, 1);
    assert.equal(j.upErrors[0].line, 3);
    const bad = run(['trace', 'migrations/2_more.up.sql', '--engine', 'oracle']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--engine must be pglite, local or url/);
    const noDown = run(['verify', 'migrations/1_init.down.sql', '--engine', 'pglite']);
    assert.equal(noDown.code, 2);
    assert.match(noDown.stderr, /no down migration found/);
  });
});
