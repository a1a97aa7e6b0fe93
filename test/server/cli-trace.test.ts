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
    const r = spawnSync(process.execPath, [join(bin, 'cli.js'), ...args], { cwd: work, encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 2 ** 20 });
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

  describe('bad input: a clear answer, the rest still traced, never a crash', () => {
    before(() => {
      const bad = join(work, 'bad');
      mkdirSync(bad, { recursive: true });
      writeFileSync(join(bad, '1_init.up.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n');
      writeFileSync(join(bad, '2_empty.up.sql'), '');
      writeFileSync(join(bad, '3_comments.up.sql'), '-- nothing here yet\n/* a draft */\n');
      writeFileSync(join(bad, '4_typo.up.sql'), 'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN;\nALTER TABLE users ADD COLUMN b int;\n');
      // Binary junk with NUL bytes and invalid UTF-8 (a fixed byte pattern, so the test is the same on every run).
      const junk = Buffer.alloc(4096);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 167 + 13) % 256;
      writeFileSync(join(bad, '5_junk.up.sql'), junk);
      // 5 MB: a long comment and 200 statements.
      const stmts = Array.from({ length: 100 }, (_, i) => `CREATE TABLE t${i} (id int);\nALTER TABLE t${i} ADD COLUMN v text;\n`).join('');
      writeFileSync(join(bad, '6_huge.up.sql'), `/* ${'x'.repeat(5 * 2 ** 20)} */\n${stmts}`);
    });

    it('an empty or comment-only migration is an error (exit 2), before any engine starts', () => {
      for (const f of ['2_empty.up.sql', '3_comments.up.sql']) {
        for (const cmd of ['trace', 'verify']) {
          const r = run([cmd, join('bad', f), '--engine', 'pglite']);
          assert.equal(r.code, 2, `${cmd} ${f}: ${r.stdout}${r.stderr}`);
          assert.match(r.stderr, new RegExp(`${f.replace('.', '\\.')} holds no SQL statements: nothing to ${cmd}`));
        }
      }
    });

    it('a statement that does not parse is reported on its line and not sent; the others are traced (exit 1)', () => {
      const r = run(['trace', join('bad', '4_typo.up.sql'), '--engine', 'pglite', '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const j = JSON.parse(r.stdout) as { statements: { line: number; verdict: string; trace: { error?: { message: string; code?: string }; note?: string } }[] };
      assert.deepEqual(j.statements.map((s) => [s.line, s.verdict]), [[1, 'confirmed'], [2, 'error'], [3, 'confirmed']]);
      assert.match(j.statements[1].trace.error!.message, /^does not parse: syntax error at end of input \(not sent to PostgreSQL\)/);
      assert.equal(j.statements[1].trace.error!.code, '42601');
    });

    it('binary junk: every statement named as not parsing, exit 2 (nothing was traced), no protocol error', () => {
      const r = run(['trace', join('bad', '5_junk.up.sql'), '--engine', 'pglite']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /nothing was traced: no statement of bad\/5_junk\.up\.sql parses/);
      assert.match(r.stdout, /error {7}/);
      assert.doesNotMatch(r.stdout + r.stderr, /08P01|invalid message format|TypeError|    at /);
    });

    it('a 5 MB migration of 200 statements is traced whole', () => {
      const r = run(['trace', join('bad', '6_huge.up.sql'), '--engine', 'pglite', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr.slice(0, 2000));
      const j = JSON.parse(r.stdout) as { summary: Record<string, number>; statements: unknown[] };
      assert.equal(j.statements.length, 200);
      assert.equal(j.summary.confirmed, 200);
    });
  });
});
