/**
 * End-to-end tests of the bundled CLI (dist/cli.js): output formats, positions, exit codes, usage errors, decoding.
 * Run `node esbuild.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { cli, CLI_JS, REPO, type JsonFinding, type Run } from '../support/cli';


interface LintJson {
  files: number;
  findings: JsonFinding[];
}

/** Parses stdout as exactly one JSON document (JSON.parse rejects anything before or after it). */
function lintJson(r: Run): LintJson {
  let j: LintJson;
  try {
    j = JSON.parse(r.stdout) as LintJson;
  } catch (e) {
    throw new Error(`stdout is not one JSON document (${(e as Error).message}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  assert.deepEqual(Object.keys(j).sort(), ['files', 'findings']);
  assert.equal(typeof j.files, 'number');
  assert.ok(Array.isArray(j.findings));
  for (const f of j.findings) {
    assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'help', 'line', 'lock', 'message', 'rule', 'severity']);
  }
  return j;
}

/** The 1-based (line, column) of a file's text, counted in UTF-16 code units as the CLI reports them. */
function at(text: string, line: number, column: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  assert.ok(line >= 1 && line <= lines.length, `line ${line} out of range`);
  return lines[line - 1].slice(column - 1);
}

const INDEX_SQL = 'CREATE INDEX users_email_idx ON users (email);\n';
// Nothing any rule flags (a CREATE INDEX CONCURRENTLY is flagged by prefer-robust-stmts when it can be retried).
const CLEAN_SQL = "SET lock_timeout = '5s';\nSELECT count(*) FROM users;\n";
const ADD_DEFAULT_SQL = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN status text DEFAULT 'a';\n";

describe('cli (dist/cli.js)', function () {
  this.timeout(60_000);
  let tmp: string;

  before(function () {
    assert.ok(existsSync(CLI_JS), `${CLI_JS} is missing: run node esbuild.mjs first`);
    tmp = mkdtempSync(join(tmpdir(), 'migration-guard-cli-'));
  });

  after(function () {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function fixture(name: string, content: string | Buffer): string {
    const p = join(tmp, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  describe('lint --format json', function () {
    it('prints one JSON object for examples/ with files relative to cwd and 1-based positions', function () {
      const r = cli(['lint', '--format', 'json', 'examples/']);
      assert.equal(r.code, 1, r.stderr);
      const j = lintJson(r);
      assert.ok(j.files > 0);
      assert.ok(j.findings.length > 0);
      for (const f of j.findings) {
        assert.ok(!isAbsolute(f.file), f.file);
        assert.ok(f.file.startsWith(join('examples', 'migrations')), f.file);
        assert.ok(existsSync(join(REPO, f.file)), f.file);
        assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line, JSON.stringify(f));
        assert.ok(['error', 'warning', 'info'].includes(f.severity));
        assert.ok(f.message.length > 0);
      }
      // Every CREATE INDEX finding points at the start of a CREATE INDEX statement in its file.
      const idx = j.findings.filter((f) => f.rule === 'require-concurrent-index-creation');
      assert.ok(idx.length > 0, 'examples/ has no require-concurrent-index-creation finding');
      for (const f of idx) {
        const text = readFileSync(join(REPO, f.file), 'utf8');
        assert.match(at(text, f.line, f.column), /^CREATE (UNIQUE )?INDEX /, JSON.stringify(f));
        // The end column is just before the terminating semicolon.
        assert.equal(at(text, f.endLine, f.endColumn)[0], ';', JSON.stringify(f));
      }
    });

    it('reports exact line and column for a finding after other lines, in UTF-16 units', function () {
      const prefix = '/* 😀 é */ ';
      const file = fixture('positions/0001.up.sql', `SET lock_timeout = '5s';\n-- ok\n${prefix}${INDEX_SQL}`);
      const r = cli(['lint', '--format', 'json', file], tmp);
      const j = lintJson(r);
      assert.equal(j.files, 1);
      assert.equal(j.findings[0].file, join('positions', '0001.up.sql'));
      const f = j.findings.find((x) => x.rule === 'require-concurrent-index-creation');
      assert.ok(f, JSON.stringify(j));
      assert.deepEqual(
        [f.line, f.column, f.endLine, f.endColumn],
        [3, prefix.length + 1, 3, prefix.length + INDEX_SQL.indexOf(';') + 1],
      );
    });

    it('keeps the findings of the other statements when one has a syntax error', function () {
      const file = fixture(
        'syntax/0001.sql',
        'CREATE INDEX a_idx ON users (a);\nALTER TABLE users ADD COLUMN;\nCREATE INDEX b_idx ON users (b);\n',
      );
      const r = cli(['lint', '--format', 'json', file]);
      assert.equal(r.code, 1);
      const j = lintJson(r);
      const lines = (rule: string) => j.findings.filter((f) => f.rule === rule).map((f) => f.line);
      assert.deepEqual(lines('require-concurrent-index-creation'), [1, 3]);
      assert.deepEqual(lines('syntax-error'), [2]);
      assert.equal(j.findings.find((f) => f.rule === 'syntax-error')!.severity, 'error');
    });

    it('--pg-version 10 flags a constant default that 16 does not', function () {
      const file = fixture('pgversion/0001.sql', ADD_DEFAULT_SQL);
      const v16 = cli(['lint', '--format', 'json', file]);
      assert.equal(v16.code, 0, v16.stdout);
      assert.deepEqual(lintJson(v16).findings, []);
      const v10 = cli(['lint', '--format', 'json', '--pg-version', '10', file]);
      assert.equal(v10.code, 1);
      const f = lintJson(v10).findings;
      assert.deepEqual(f.map((x) => x.rule), ['adding-field-with-default']);
      assert.match(f[0].message, /PostgreSQL 10/);
      assert.equal(f[0].line, 2);
    });
  });

  describe('exit codes', function () {
    it('0 for a clean file', function () {
      const r = cli(['lint', fixture('codes/clean.sql', CLEAN_SQL)]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 file analyzed: no problems/);
    });

    it('1 for warnings at the default --fail-on (warning)', function () {
      const r = cli(['lint', fixture('codes/warn.sql', INDEX_SQL)]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /warning \[require-concurrent-index-creation\]/);
    });

    it('1 for warnings with --fail-on info', function () {
      assert.equal(cli(['lint', '--fail-on', 'info', fixture('codes/warn.sql', INDEX_SQL)]).code, 1);
    });

    it('0 for warnings with --fail-on error', function () {
      const r = cli(['lint', '--format', 'json', '--fail-on', 'error', fixture('codes/warn.sql', INDEX_SQL)]);
      assert.equal(r.code, 0);
      const j = lintJson(r);
      assert.ok(j.findings.length > 0 && j.findings.every((f) => f.severity === 'warning'), JSON.stringify(j));
    });

    it('1 for an error with --fail-on error', function () {
      assert.equal(cli(['lint', '--fail-on', 'error', fixture('codes/broken.sql', 'ALTER TABLE users ADD COLUMN;\n')]).code, 1);
    });

    it('0 with --fail-on never even with errors', function () {
      const r = cli(['lint', '--fail-on', 'never', fixture('codes/broken.sql', 'ALTER TABLE users ADD COLUMN;\n')]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /\[syntax-error\]/);
    });

    it('2 with a clear message when a directory holds no .sql files', function () {
      const dir = join(tmp, 'empty-dir');
      mkdirSync(join(dir, 'sub'), { recursive: true });
      writeFileSync(join(dir, 'sub', 'notes.txt'), 'CREATE INDEX i ON t (c);');
      const r = cli(['lint', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no \.sql files found/);
      assert.equal(r.stdout, '');
    });

    it('2 for a nonexistent path', function () {
      const r = cli(['lint', join(tmp, 'does-not-exist.sql')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no such file or directory/);
    });

    it('2 with usage for a bad --format', function () {
      const r = cli(['lint', '--format', 'xml', fixture('codes/warn.sql', INDEX_SQL)]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--format must be one of text, json, sarif, github, gitlab/);
      assert.match(r.stderr, /Usage:/);
      assert.equal(r.stdout, '');
    });

    for (const bad of ['9', '19', 'latest', '10.5']) {
      it(`2 with usage for --pg-version ${bad}`, function () {
        const r = cli(['lint', '--pg-version', bad, fixture('codes/warn.sql', INDEX_SQL)]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /--pg-version must be a major version/);
        assert.match(r.stderr, /Usage:/);
      });
    }

    it('2 with usage for an unknown option, an unknown command, and no arguments', function () {
      for (const args of [['lint', '--bogus', 'x.sql'], ['frobnicate'], [], ['lint']]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
        assert.match(r.stdout + r.stderr, /Usage:/, JSON.stringify(args));
      }
    });
  });

  describe('locks', function () {
    it('prints {statements:[{line,endLine,sql,locks,rewrites,scans,heldUntil,…}]} with ShareLock for CREATE INDEX', function () {
      const file = fixture('locks/0001.sql', `SET lock_timeout = '5s';\n\n${INDEX_SQL}`);
      const r = cli(['locks', file, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as {
        statements: { line: number; endLine: number; sql: string; locks: { relation: string; mode: string }[]; rewrites: string[]; scans: string[] }[];
      };
      assert.deepEqual(Object.keys(j), ['statements', 'tableSizes']);
      assert.equal(j.statements.length, 2);
      for (const s of j.statements) assert.deepEqual(Object.keys(s).sort(), ['endLine', 'heldUntil', 'line', 'locks', 'nonTransactional', 'notes', 'rewrites', 'scans', 'sql']);
      const idx = j.statements[1];
      assert.equal(idx.line, 3);
      assert.equal(idx.endLine, 3);
      assert.match(idx.sql, /^CREATE INDEX users_email_idx ON users \(email\)/);
      assert.deepEqual(idx.locks, [{ relation: 'users', mode: 'ShareLock', blocks: { reads: false, writes: true, ddl: true } }]);
      assert.deepEqual(idx.rewrites, []);
      assert.ok(Array.isArray(idx.scans));
      assert.deepEqual(j.statements[0].locks, []);
    });

    it('reports the rewrite of a constant default on PostgreSQL 10 only', function () {
      const file = fixture('locks/0002.sql', ADD_DEFAULT_SQL);
      const get = (args: string[]) => {
        const r = cli(['locks', file, ...args]);
        assert.equal(r.code, 0, r.stderr);
        return (JSON.parse(r.stdout) as { statements: { rewrites: string[]; locks: { mode: string }[] }[] }).statements[1];
      };
      assert.deepEqual(get(['--pg-version', '10']).rewrites, ['users']);
      assert.deepEqual(get([]).rewrites, []);
      assert.deepEqual(get([]).locks.map((l) => l.mode), ['AccessExclusiveLock']);
    });

    it('text format names the lock per statement, what it blocks and how long it is held', function () {
      const file = fixture('locks/0003.sql', INDEX_SQL);
      const r = cli(['locks', file, '--format', 'text'], tmp);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith(`${join('locks', '0003.sql')}:1: ShareLock on users, blocks writes until the end of the statement`), r.stdout);
    });

    it('with --stats, each lock carries its table size; in a transaction the locks are held until COMMIT', function () {
      const file = fixture(
        'locks/0004.sql',
        'BEGIN;\nCREATE TABLE tags (id int);\nALTER TABLE tags ADD COLUMN label text;\nALTER TABLE users ADD COLUMN nick text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_nick ON users (nick);\n',
      );
      const stats = fixture('locks/stats.json', JSON.stringify({ tables: { 'public.users': { rows: 50_000_000, bytes: 9_000_000_000 }, 'public.tags': { rows: 9, bytes: 8192 } } }));
      const r = cli(['locks', file, '--format', 'json', '--stats', stats]);
      assert.equal(r.code, 0, r.stderr);
      type Lock = { relation: string; mode: string; blocks: Record<string, boolean>; table?: { rows: number; bytes?: number }; createdInFile?: boolean };
      const j = JSON.parse(r.stdout) as { tableSizes: boolean; statements: { line: number; locks: Lock[]; heldUntil: string; nonTransactional: boolean }[] };
      assert.equal(j.tableSizes, true);
      const at = (line: number) => j.statements.find((s) => s.line === line)!;
      // tags is created in this file: its stats (from another database state) do not apply.
      assert.deepEqual(at(3).locks, [{ relation: 'tags', mode: 'AccessExclusiveLock', blocks: { reads: true, writes: true, ddl: true }, createdInFile: true }]);
      assert.deepEqual(at(4).locks, [{ relation: 'users', mode: 'AccessExclusiveLock', blocks: { reads: true, writes: true, ddl: true }, table: { rows: 50_000_000, bytes: 9_000_000_000 } }]);
      assert.equal(at(4).heldUntil, 'commit');
      assert.equal(at(6).heldUntil, 'statement');
      assert.equal(at(6).nonTransactional, true);
      assert.deepEqual(at(6).locks.map((l) => [l.mode, l.table?.rows]), [['ShareUpdateExclusiveLock', 50_000_000]]);
      const t = cli(['locks', file, '--format', 'text', '--stats', stats], tmp);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, /:4: AccessExclusiveLock on users \(≈ 50\.0 M rows, 8\.4 GB\), blocks reads and writes until COMMIT\n/);
      assert.match(t.stdout, /:3: AccessExclusiveLock on tags \(created in this file\), blocks reads and writes until COMMIT\n/);
      assert.match(t.stdout, /:6: ShareUpdateExclusiveLock on users \(≈ 50\.0 M rows, 8\.4 GB\), blocks schema changes, VACUUM and other maintenance until the end of the statement; scans users; cannot run in a transaction block/);
    });

    it('a statement that does not parse is named, and the others are still described', function () {
      const file = fixture('locks/0005.sql', `ALTER TABLE users ADD COLUMN;\n${INDEX_SQL}`);
      const r = cli(['locks', file, '--format', 'text'], tmp);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /0005\.sql:1: does not parse: syntax error/);
      assert.match(r.stdout, /0005\.sql:2: ShareLock on users/);
    });

    it('2 for a file with no statement: nothing to describe', function () {
      for (const [name, text] of [['locks/empty.sql', ''], ['locks/comments.sql', '-- nothing yet\n']]) {
        const r = cli(['locks', fixture(name, text), '--format', 'text'], tmp);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, /holds no SQL statements: no locks to describe/);
      }
    });

    it('2 with usage for a directory, no file, or two files', function () {
      const dir = join(tmp, 'locks-dir');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'a.sql'), INDEX_SQL);
      writeFileSync(join(dir, 'b.sql'), INDEX_SQL);
      const empty = join(tmp, 'locks-empty');
      mkdirSync(empty, { recursive: true });
      for (const args of [['locks', dir], ['locks', empty], ['locks'], ['locks', join(dir, 'a.sql'), join(dir, 'b.sql')]]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stdout}`);
        assert.match(r.stderr, /Usage:/, `${JSON.stringify(args)}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /TypeError|    at /, `${JSON.stringify(args)}: ${r.stderr}`);
      }
    });
  });

  describe('decoding', function () {
    /** Lints one file; it must analyze without crashing and find the CREATE INDEX on the expected line. */
    function lintsIndexAt(file: string, line: number): LintJson {
      const r = cli(['lint', '--format', 'json', file]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const j = lintJson(r);
      const f = j.findings.find((x) => x.rule === 'require-concurrent-index-creation');
      assert.ok(f, JSON.stringify(j));
      assert.equal(f.line, line);
      assert.equal(f.column, 1);
      return j;
    }

    it('decodes UTF-16LE with a byte order mark', function () {
      const text = '-- café 😀\r\nCREATE INDEX users_email_idx ON users (email);\r\n';
      const file = fixture('enc/utf16le.sql', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      const j = lintsIndexAt(file, 2);
      const f = j.findings.find((x) => x.rule === 'require-concurrent-index-creation')!;
      assert.equal(f.endColumn, INDEX_SQL.indexOf(';') + 1);
      assert.ok(j.findings.every((x) => x.rule !== 'syntax-error'), JSON.stringify(j));
    });

    it('decodes UTF-8 with a byte order mark', function () {
      const file = fixture('enc/utf8bom.sql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(INDEX_SQL)]));
      const j = lintsIndexAt(file, 1);
      assert.ok(j.findings.every((x) => x.rule !== 'syntax-error'), JSON.stringify(j));
    });

    it('analyzes invalid UTF-8 bytes', function () {
      const file = fixture(
        'enc/invalid-utf8.sql',
        Buffer.concat([Buffer.from('-- '), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]), Buffer.from(`\n${INDEX_SQL}`)]),
      );
      const j = lintsIndexAt(file, 2);
      assert.ok(j.findings.every((x) => x.rule !== 'syntax-error'), JSON.stringify(j));
    });

    it('analyzes a file with NUL bytes', function () {
      const file = fixture('enc/nul.sql', Buffer.from(`-- \0\0\n${INDEX_SQL}CREATE INDEX b_idx ON users (b);\0\n`));
      const j = lintsIndexAt(file, 2);
      const lines = j.findings.filter((x) => x.rule === 'require-concurrent-index-creation').map((x) => x.line);
      assert.deepEqual(lines, [2, 3]);
    });
  });
});
