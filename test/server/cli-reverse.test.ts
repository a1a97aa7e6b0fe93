/** `migration-guard reverse`, run as the bundled CLI: the down on stdout, exit 0 / 3 / 2. */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';

describe('CLI reverse', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-reverse-'));
    const m = join(dir, 'migrations');
    mkdirSync(m);
    writeFileSync(join(m, '1_init.up.sql'), 'CREATE TABLE users (id int PRIMARY KEY, nick text);\n');
    writeFileSync(join(m, '1_init.down.sql'), 'DROP TABLE users;\n');
    writeFileSync(join(m, '2_index.up.sql'), 'CREATE INDEX CONCURRENTLY users_nick_idx ON users (nick);\n');
    writeFileSync(join(m, '3_drop_nick.up.sql'), 'ALTER TABLE users DROP COLUMN nick;\n');
    writeFileSync(join(dir, 'broken.sql'), 'CREATE TABLE (;\n');
    writeFileSync(join(dir, 'new.sql'), 'ALTER TABLE users DROP CONSTRAINT users_pkey;\n');
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the down and exits 0 when fully reversible', () => {
    const r = cli(['reverse', 'migrations/2_index.up.sql'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'DROP INDEX CONCURRENTLY users_nick_idx;\n');
    assert.match(r.stderr, /2_index\.down\.sql/);
  });

  it('exits 3 and still prints the SQL with its IRREVERSIBLE line when data cannot come back', () => {
    const r = cli(['reverse', 'migrations/3_drop_nick.up.sql'], dir);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '-- IRREVERSIBLE: data in users.nick is lost\nALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick_idx ON users (nick);\n');
  });

  it('--dir: a file outside the folder sees every migration in it', () => {
    const without = cli(['reverse', 'new.sql'], dir);
    assert.equal(without.code, 3);
    const r = cli(['reverse', 'new.sql', '--dir', 'migrations'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n');
  });

  it('exits 2 on a missing file and on a file where nothing parses', () => {
    const missing = cli(['reverse', 'nope.sql'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const broken = cli(['reverse', 'broken.sql'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /no statement parses/);
    assert.equal(cli(['reverse'], dir).code, 2);
  });

  it('exits 2 on a migration with no statement (empty, comments only, BEGIN/COMMIT only): nothing to reverse', () => {
    for (const [name, text] of [['empty.sql', ''], ['comments.sql', '-- later\n/* draft */\n'], ['tx.sql', 'BEGIN;\nCOMMIT;\n']]) {
      writeFileSync(join(dir, name), text);
      const r = cli(['reverse', name], dir);
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')} holds no SQL statements: nothing to reverse`));
    }
  });
});
