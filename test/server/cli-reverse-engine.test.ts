/**
 * `migration-guard reverse --engine local`, run as the bundled CLI on a throwaway cluster: definitions hidden in a DO
 * block are read from PostgreSQL, the down is verified (exit 0); a down that cannot restore the schema is printed,
 * its differences go to stderr, and the exit code is 3. Needs PostgreSQL server binaries (as test/pg).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';

describe('CLI reverse --engine', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-reverse-engine-cli-'));
    const m = join(dir, 'migrations');
    mkdirSync(m);
    writeFileSync(
      join(m, '1_init.up.sql'),
      "CREATE TABLE users (id int PRIMARY KEY);\nDO $$ BEGIN EXECUTE format('CREATE FUNCTION %I(a int) RETURNS int LANGUAGE sql AS %L', 'plus_one', 'SELECT a + 1'); END $$;\nCREATE TYPE floatrange AS RANGE (subtype = float8);\n",
    );
    writeFileSync(join(m, '2_drop_fn.up.sql'), 'DROP FUNCTION plus_one(int);\n');
    writeFileSync(join(m, '3_drop_range.up.sql'), 'DROP TYPE floatrange;\n');
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('without an engine: static, and the function is unknown (exit 3)', () => {
    const r = cli(['reverse', 'migrations/2_drop_fn.up.sql'], dir);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '-- IRREVERSIBLE: function plus_one is not in the schema built from the earlier migrations: its definition is unknown\n');
  });

  it('--engine local: the function comes back from the engine and the down is verified (exit 0)', () => {
    const t0 = Date.now();
    const r = cli(['reverse', 'migrations/2_drop_fn.up.sql', '--engine', 'local'], dir);
    console.log(`      reverse --engine local (cluster start included): ${Date.now() - t0} ms`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'CREATE FUNCTION public.plus_one(a int) RETURNS int LANGUAGE sql AS $$SELECT a + 1$$;\n');
    assert.match(r.stderr, /local engine, PostgreSQL \d+\.\d+/);
    assert.match(r.stderr, /read from the engine where the earlier migrations do not show it/);
    assert.match(r.stderr, /verified: up → down restores the schema/);
    assert.match(r.stderr, /2_drop_fn\.down\.sql/);
  });

  it('--engine local: a difference the down leaves is reported on stderr, exit 3', () => {
    const r = cli(['reverse', 'migrations/3_drop_range.up.sql', '--engine', 'local'], dir);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '-- IRREVERSIBLE: the definition of type floatrange is not kept statically\n');
    assert.match(r.stderr, /verification: type `floatrange` is not restored/);
    assert.match(r.stderr, /NOT verified/);
  });

  it('rejects an unknown engine and --url without the url engine (exit 2)', () => {
    const bad = cli(['reverse', 'migrations/2_drop_fn.up.sql', '--engine', 'oracle'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--engine must be pglite, local or url/);
    const url = cli(['reverse', 'migrations/2_drop_fn.up.sql', '--engine', 'local', '--url', 'postgres://x'], dir);
    assert.equal(url.code, 2);
    assert.match(url.stderr, /--url is only used with --engine url/);
  });
});
