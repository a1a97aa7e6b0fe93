/**
 * The bundled CLI's output formats (text code frames, json, sarif validated against the SARIF 2.1.0 schema, github
 * workflow commands, gitlab Code Quality), and its inputs and configuration: --exclude, config include/exclude,
 * .migration-guard.json / .squawk.toml, --config, bad config as warnings, standard input, and `rules`.
 * Run `node esbuild.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { RULES } from '../../server/src/analysis';
import { cli, CLI_JS, REPO, type JsonFinding, type Run } from '../support/cli';


function parse<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not one JSON document (${(e as Error).message}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const LT = "SET lock_timeout = '5s';\n";

/** Rule settings that switch off every rule but these (so new rules elsewhere do not change these tests). */
function only(...keep: string[]): Record<string, string> {
  for (const id of keep) assert.ok(RULES.some((r) => r.id === id), id);
  return Object.fromEntries(RULES.filter((r) => !keep.includes(r.id)).map((r) => [r.id, 'off']));
}

/** A `.migration-guard.json` with `only(…)` rules, plus other settings. */
function config(keep: string[], settings: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...settings, rules: { ...only(...keep), ...((settings.rules as object) ?? {}) } });
}
const INDEX_SQL = 'CREATE INDEX users_email_idx ON users (email);\n';
const RENAME_SQL = 'ALTER TABLE users RENAME COLUMN name TO full_name;\n';

/** The SARIF 2.1.0 schema (see fixtures/README.md), draft-04 read as draft-07. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(REPO, 'test', 'server', 'fixtures', 'sarif-schema-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  assert.match(String(schema.title), /SARIF\) Version 2\.1\.0/);
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('cli formats and options (dist/cli.js)', function () {
  this.timeout(60_000);
  let tmp: string;
  let n = 0;

  before(function () {
    assert.ok(existsSync(CLI_JS), `${CLI_JS} is missing: run node esbuild.mjs first`);
    tmp = mkdtempSync(join(tmpdir(), 'migration-guard-formats-'));
  });

  after(function () {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** A fresh project directory holding the given files. */
  function project(files: Record<string, string>): string {
    const dir = join(tmp, `p${++n}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }

  describe('--format text', function () {
    it('prints a code frame: the location line, the statement with ^^^ under the span, then help', function () {
      const dir = project({ '.migration-guard.json': config(['require-concurrent-index-creation']), 'm/0001.sql': `${LT}\n${INDEX_SQL}` });
      const r = cli(['lint', '--fail-on', 'never', 'm'], dir);
      assert.equal(r.code, 0, r.stderr);
      const frame = [
        'm/0001.sql:3:1: warning [require-concurrent-index-creation] CREATE INDEX takes a SHARE lock on `users`, blocking writes until the index is built.',
        '  |',
        '3 | CREATE INDEX users_email_idx ON users (email);',
        `  | ${'^'.repeat(INDEX_SQL.indexOf(';'))}`,
        '  = help: ',
      ].join('\n');
      assert.ok(r.stdout.startsWith(frame), r.stdout);
      assert.match(r.stdout, /\.\n\n1 file analyzed: 0 error, 1 warning, 0 info\n$/);
    });

    it('shows every line of a multi-line statement and underlines each line of the span from its first non-blank', function () {
      const sql = `${LT}ALTER TABLE users\n\tADD CONSTRAINT fk FOREIGN KEY (a)\n    REFERENCES t (id);\n`;
      const dir = project({ '.migration-guard.json': config(['constraint-missing-not-valid']), 'a.sql': sql });
      const r = cli(['lint', 'a.sql'], dir);
      const start = r.stdout.indexOf('a.sql:2:1: warning [constraint-missing-not-valid]');
      assert.ok(start >= 0, r.stdout);
      const lines = r.stdout.slice(start).split('\n').slice(1, 9);
      assert.deepEqual(lines, [
        '  |',
        '2 | ALTER TABLE users',
        `  | ${'^'.repeat(17)}`,
        '3 | \tADD CONSTRAINT fk FOREIGN KEY (a)',
        `  | \t${'^'.repeat(33)}`,
        '4 |     REFERENCES t (id);',
        `  |     ${'^'.repeat(17)}`,
        lines[7],
      ]);
      assert.match(lines[7], /^ {2}= help: Add the constraint with NOT VALID/);
    });

    it('puts the caret under the span on a line with wide characters and tabs, and neutralizes control characters', function () {
      const dir = project({ '.migration-guard.json': config(['syntax-error']), 'a.sql': `${LT}SELECT '漢字\x1b[31m';\tSELEC 1;\n` });
      const r = cli(['lint', 'a.sql'], dir);
      assert.equal(r.code, 1);
      const i = r.stdout.indexOf('a.sql:2:');
      const [head, bar, src, caret] = r.stdout.slice(i).split('\n');
      assert.match(head, /^a\.sql:2:19: error \[syntax-error\]/);
      assert.equal(bar, '  |');
      assert.equal(src, "2 | SELECT '漢字 [31m';\tSELEC 1;");
      assert.ok(!r.stdout.includes('\x1b'), 'escape sequences from the file reach the terminal');
      // 'SELECT \'' is 8 columns, the two CJK characters 4, then " [31m';" 7, then the tab.
      assert.equal(caret, `  | ${' '.repeat(8 + 4 + 7)}\t^^^^^`);
    });

    it('a long statement is cut down around the finding', function () {
      const cols = Array.from({ length: 20 }, (_, i) => `  c${i} int,`);
      cols[10] = '  c10 intt iint,';
      const sql = `${LT}CREATE TABLE t (\n${cols.join('\n')}\n  c20 int\n);\n`;
      const dir = project({ '.migration-guard.json': config(['syntax-error']), 'a.sql': sql });
      const r = cli(['lint', 'a.sql'], dir);
      assert.equal(r.code, 1);
      const frame = r.stdout.slice(0, r.stdout.indexOf('   = help:'));
      assert.equal(
        frame,
        [
          'a.sql:13:12: error [syntax-error] Syntax error: syntax error at or near "iint". This statement is skipped; the rest of the file is still checked.',
          '   |',
          '   ⋮',
          '12 |   c9 int,',
          '13 |   c10 intt iint,',
          '   |            ^^^^',
          '14 |   c11 int,',
          '   ⋮',
          '',
        ].join('\n'),
      );
    });
  });

  describe('--format json', function () {
    it('adds help and the lock of the finding\'s statement to each finding', function () {
      const dir = project({ '.migration-guard.json': config(['require-concurrent-index-creation', 'psql-meta-command']), 'a.sql': `${LT}${INDEX_SQL}\\set x 1\n` });
      const r = cli(['lint', '--format', 'json', 'a.sql'], dir);
      assert.equal(r.code, 1, r.stderr);
      const j = parse<{ files: number; findings: JsonFinding[] }>(r);
      assert.deepEqual(Object.keys(j), ['files', 'findings']);
      for (const f of j.findings) {
        assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'help', 'lock']);
      }
      const idx = j.findings.find((f) => f.rule === 'require-concurrent-index-creation')!;
      assert.deepEqual(idx.lock, [{ relation: 'users', mode: 'ShareLock' }]);
      assert.equal(idx.help, RULES.find((x) => x.id === 'require-concurrent-index-creation')!.help);
      const psql = j.findings.find((f) => f.rule === 'psql-meta-command')!;
      assert.deepEqual(psql.lock, [], 'a file-level finding has no statement, so no lock');
    });
  });

  describe('--format sarif', function () {
    const validate = sarifValidator();

    it('is valid SARIF 2.1.0 for examples/, with rule metadata from the registry', function () {
      const r = cli(['lint', '--format', 'sarif', 'examples/'], REPO);
      assert.equal(r.code, 1, r.stderr);
      const log = parse<Log>(r);
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
      assert.equal(log.version, '2.1.0');
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, 'migration-guard');
      assert.match(run.tool.driver.version ?? '', /^\d+\.\d+\.\d+/);
      const rules = run.tool.driver.rules ?? [];
      assert.deepEqual(rules.map((x) => x.id), RULES.map((x) => x.id));
      for (const [i, rule] of RULES.entries()) {
        const d = rules[i];
        assert.equal(d.shortDescription?.text, rule.description);
        assert.equal(d.fullDescription?.text, rule.docs.rationale);
        assert.equal(d.helpUri, `https://github.com/migration-guard/migration-guard/blob/main/docs/rules/${rule.id}.md`);
        assert.equal(d.defaultConfiguration?.level, { error: 'error', warning: 'warning', info: 'note' }[rule.defaultSeverity]);
      }
      assert.ok((run.results ?? []).length > 0);
      assert.deepEqual(run.originalUriBaseIds?.['%SRCROOT%'], { uri: `${pathToFileURL(REPO).href}/` });
      for (const res of run.results ?? []) {
        assert.equal(rules[res.ruleIndex!].id, res.ruleId);
        const loc = res.locations![0].physicalLocation!;
        assert.match(loc.artifactLocation!.uri!, /^examples\/migrations\/[\w.]+\.sql$/);
        assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
        assert.ok(existsSync(join(REPO, loc.artifactLocation!.uri!)));
      }
    });

    it('maps severities to levels and positions to regions (UTF-16 columns, end column after the span)', function () {
      const prefix = '/* 😀 */ ';
      const dir = project({ 'sub dir/a.sql': `${LT}${prefix}${INDEX_SQL}\\set x 1\nSELEC 1;\n` });
      const r = cli(['lint', '--format', 'sarif', '.'], dir);
      const log = parse<Log>(r);
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
      const results = log.runs[0].results!;
      const by = (id: string) => results.find((x) => x.ruleId === id)!;
      assert.equal(by('require-concurrent-index-creation').level, 'warning');
      assert.equal(by('psql-meta-command').level, 'note');
      assert.equal(by('syntax-error').level, 'error');
      const loc = by('require-concurrent-index-creation').locations![0].physicalLocation!;
      assert.equal(loc.artifactLocation!.uri, 'sub%20dir/a.sql');
      assert.deepEqual(loc.region, { startLine: 2, startColumn: prefix.length + 1, endLine: 2, endColumn: prefix.length + INDEX_SQL.indexOf(';') + 1 });
      assert.match(by('require-concurrent-index-creation').message.text!, /^CREATE INDEX takes a SHARE lock/);
    });

    it('an empty result list is valid too', function () {
      const dir = project({ 'a.sql': `${LT}SELECT 1;\n` });
      const r = cli(['lint', '--format', 'sarif', 'a.sql'], dir);
      assert.equal(r.code, 0);
      const log = parse<Log>(r);
      assert.ok(validate(log), JSON.stringify(validate.errors));
      assert.deepEqual(log.runs[0].results, []);
    });

    it('the validator rejects broken SARIF (so the checks above are not vacuous)', function () {
      assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'a', defaultConfiguration: { level: 'warn' } }] } } }] }), false);
      assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }), false);
    });
  });

  describe('--format github', function () {
    it('prints one workflow command per finding with 1-based positions, then the summary', function () {
      const dir = project({
        '.migration-guard.json': config(['require-concurrent-index-creation', 'psql-meta-command', 'syntax-error']),
        'm/a.sql': `${LT}${INDEX_SQL}\\set x 1\nSELEC 1;\n`,
      });
      const r = cli(['lint', '--format', 'github', 'm'], dir);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines[lines.length - 1], '1 file analyzed: 1 error, 1 warning, 1 info');
      const idx = lines.find((l) => l.includes('title=require-concurrent-index-creation'))!;
      assert.equal(
        idx,
        `::warning file=m/a.sql,line=2,col=1,endLine=2,endColumn=${INDEX_SQL.indexOf(';') + 1},title=require-concurrent-index-creation::CREATE INDEX takes a SHARE lock on \`users\`, blocking writes until the index is built.%0Ahelp: ${RULES.find((x) => x.id === 'require-concurrent-index-creation')!.help}`,
      );
      assert.ok(lines.some((l) => l.startsWith('::notice file=m/a.sql,line=3,col=1,') && l.includes('title=psql-meta-command::')), r.stdout);
      assert.ok(lines.some((l) => l.startsWith('::error file=m/a.sql,line=4,') && l.includes('title=syntax-error::')), r.stdout);
    });

    it('escapes % CR LF in the message, and also : and , in properties', function () {
      const dir = project({ 'we,ird:name.sql': `${LT}CREATE INDEX i ON "a%0A,b:c" (x);\n` });
      const r = cli(['lint', '--format', 'github', '.'], dir);
      const line = r.stdout.split('\n').find((l) => l.includes('title=require-concurrent-index-creation'))!;
      assert.ok(line.startsWith('::warning file=we%2Cird%3Aname.sql,line=2,col=1,'), line);
      const message = line.slice(line.indexOf('::', 2) + 2);
      assert.ok(message.startsWith('CREATE INDEX takes a SHARE lock on `a%250A,b:c`, blocking writes'), message);
      assert.ok(!/[\r\n]/.test(line));
    });
  });

  describe('--format gitlab', function () {
    interface Issue {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }

    it('prints a Code Quality array with mapped severities and line numbers', function () {
      const dir = project({ 'm/a.sql': `${LT}${INDEX_SQL}\\set x 1\nSELEC 1;\n` });
      const r = cli(['lint', '--format', 'gitlab', 'm'], dir);
      assert.equal(r.code, 1);
      const issues = parse<Issue[]>(r);
      assert.ok(Array.isArray(issues));
      for (const i of issues) {
        assert.deepEqual(Object.keys(i).sort(), ['check_name', 'description', 'fingerprint', 'location', 'severity']);
        assert.equal(i.location.path, 'm/a.sql');
        assert.match(i.fingerprint, /^[0-9a-f]{64}$/);
      }
      const by = (id: string) => issues.find((x) => x.check_name === id)!;
      assert.deepEqual([by('require-concurrent-index-creation').severity, by('psql-meta-command').severity, by('syntax-error').severity], ['major', 'info', 'critical']);
      assert.equal(by('require-concurrent-index-creation').location.lines.begin, 2);
      assert.match(by('require-concurrent-index-creation').description, /^CREATE INDEX takes a SHARE lock on `users`/);
    });

    it('fingerprints are stable across runs and line shifts, and unique for identical findings', function () {
      const a = project({ 'm/a.sql': `${LT}${INDEX_SQL}${INDEX_SQL}` });
      const b = project({ 'm/a.sql': `${LT}\n\n-- moved down\n${INDEX_SQL}${INDEX_SQL}` });
      const prints = (dir: string) => parse<Issue[]>(cli(['lint', '--format', 'gitlab', 'm'], dir)).map((i) => `${i.check_name} ${i.fingerprint}`);
      const first = prints(a);
      assert.deepEqual(prints(a), first);
      assert.deepEqual(prints(b), first);
      assert.equal(new Set(first).size, first.length);
      const other = project({ 'm/b.sql': `${LT}${INDEX_SQL}${INDEX_SQL}` });
      assert.notDeepEqual(prints(other), first, 'another file gives other fingerprints');
    });

    it('an empty report is an empty array', function () {
      const dir = project({ 'a.sql': `${LT}SELECT 1;\n` });
      const r = cli(['lint', '--format', 'gitlab', 'a.sql'], dir);
      assert.equal(r.code, 0);
      assert.deepEqual(parse<Issue[]>(r), []);
    });
  });

  describe('--exclude', function () {
    const files = { 'm/0001.up.sql': INDEX_SQL, 'm/0001.down.sql': INDEX_SQL, 'm/old/0000.up.sql': INDEX_SQL, 'n/0002.up.sql': INDEX_SQL };
    const analyzed = (r: Run) => [...new Set(parse<{ findings: JsonFinding[] }>(r).findings.map((f) => f.file))].sort();

    it('a name glob matches at any depth; a directory glob skips the directory; it is repeatable', function () {
      const dir = project(files);
      const r = cli(['lint', '--format', 'json', '--exclude', '*.down.sql', '--exclude', 'm/old', '.'], dir);
      assert.deepEqual(analyzed(r), [join('m', '0001.up.sql'), join('n', '0002.up.sql')]);
      assert.equal(parse<{ files: number }>(r).files, 2);
    });

    it('globs with a slash are relative to the working directory; files named explicitly are excluded too', function () {
      const dir = project(files);
      const r = cli(['lint', '--format', 'json', '--exclude', 'm/**/*.up.sql', 'm', 'n/0002.up.sql', 'm/0001.up.sql'], dir);
      assert.deepEqual(analyzed(r), [join('m', '0001.down.sql'), join('n', '0002.up.sql')]);
    });

    it('2 when everything is excluded, saying so', function () {
      const dir = project(files);
      const r = cli(['lint', '--exclude', '*.sql', '.'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /every \.sql file in \. is excluded \(4 by --exclude or the config's include\/exclude\): nothing was analyzed/);
      assert.equal(r.stdout, '');
    });
  });

  describe('configuration', function () {
    const pg10 = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN status text DEFAULT 'a';\n"; // adding-field-with-default on PostgreSQL 10 only
    const rules = (r: Run) => parse<{ findings: JsonFinding[] }>(r).findings.map((f) => `${f.file}:${f.rule}:${f.severity}`);

    it('.migration-guard.json above the file sets the version and rules; flags override it', function () {
      const dir = project({
        '.migration-guard.json': config(['adding-field-with-default', 'renaming-column'], { postgresVersion: 10, rules: { 'adding-field-with-default': 'error', 'renaming-column': 'off' } }),
        'db/m/a.sql': `${pg10}${RENAME_SQL}`,
      });
      assert.deepEqual(rules(cli(['lint', '--format', 'json', 'db'], dir)), [`${join('db', 'm', 'a.sql')}:adding-field-with-default:error`]);
      assert.deepEqual(rules(cli(['lint', '--format', 'json', '--pg-version', '16', 'db'], dir)), []);
    });

    it('include and exclude of the config file are relative to it', function () {
      const dir = project({
        'app/.migration-guard.json': JSON.stringify({ include: ['db/**'], exclude: ['*.down.sql'] }),
        'app/db/1.up.sql': INDEX_SQL,
        'app/db/1.down.sql': INDEX_SQL,
        'app/scripts/x.sql': INDEX_SQL,
      });
      const r = cli(['lint', '--format', 'json', 'app'], dir);
      assert.deepEqual([...new Set(parse<{ findings: JsonFinding[] }>(r).findings.map((f) => f.file))], [join('app', 'db', '1.up.sql')]);
      assert.equal(parse<{ files: number }>(r).files, 1);
    });

    it('reads .squawk.toml when there is no .migration-guard.json', function () {
      const dir = project({
        '.squawk.toml': `pg_version = "10.0"\nexcluded_rules = ${JSON.stringify(['prefer-something-squawk-only', ...Object.keys(only('adding-field-with-default'))])}\nexcluded_paths = ["legacy"]\n`,
        'm/a.sql': `${pg10}${RENAME_SQL}`,
        'm/legacy/b.sql': INDEX_SQL,
      });
      const r = cli(['lint', '--format', 'json', 'm'], dir);
      assert.equal(r.stderr, '');
      assert.deepEqual(rules(r), [`${join('m', 'a.sql')}:adding-field-with-default:warning`]);
    });

    it('--config PATH is used instead of the nearest file', function () {
      const dir = project({
        '.migration-guard.json': JSON.stringify({ postgresVersion: 10 }),
        'ci/strict.json': config(['renaming-column'], { rules: { 'renaming-column': 'error' } }),
        'm/a.sql': `${pg10}${RENAME_SQL}`,
      });
      assert.deepEqual(rules(cli(['lint', '--format', 'json', '--config', 'ci/strict.json', 'm'], dir)), [`${join('m', 'a.sql')}:renaming-column:error`]);
    });

    it('--config with a missing file is a usage error', function () {
      const dir = project({ 'a.sql': INDEX_SQL });
      const r = cli(['lint', '--config', 'nope.json', 'a.sql'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--config: no such file: nope\.json/);
    });

    it('a bad config is a warning on stderr with its place; the good parts apply and the run goes on', function () {
      const dir = project({
        '.migration-guard.json': `{\n  "postgresVersion": 10,\n  "rules": { "renaming-colum": "off", "require-lock-timeout": "loud", ${JSON.stringify(only('adding-field-with-default', 'require-lock-timeout')).slice(1, -1)} }\n}\n`,
        'm/a.sql': pg10,
        'm/b.sql': pg10,
      });
      const r = cli(['lint', '--format', 'json', 'm'], dir);
      assert.equal(r.code, 1);
      assert.deepEqual(rules(r), [`${join('m', 'a.sql')}:adding-field-with-default:warning`, `${join('m', 'b.sql')}:adding-field-with-default:warning`]);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        'migration-guard: warning: .migration-guard.json:3:14: unknown rule "renaming-colum"',
        'migration-guard: warning: .migration-guard.json:3:63: the setting of rule "require-lock-timeout" must be "off", "info", "warning" or "error", got "loud"',
      ]);
    });

    it('invalid JSON is a warning, and defaults apply', function () {
      const dir = project({ '.migration-guard.json': '{ "postgresVersion": 10, }', 'a.sql': pg10 });
      const r = cli(['lint', '--format', 'json', 'a.sql'], dir);
      assert.equal(r.code, 0);
      assert.deepEqual(rules(r), []);
      assert.match(r.stderr, /^migration-guard: warning: \.migration-guard\.json:1:26: invalid JSON: expected a string; the file is ignored\n$/);
    });

    it('locks reads the config too', function () {
      const dir = project({ '.migration-guard.json': JSON.stringify({ postgresVersion: 10 }), 'a.sql': pg10 });
      const r = cli(['locks', 'a.sql'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(parse<{ statements: { rewrites: string[] }[] }>(r).statements[1].rewrites, ['users']);
    });
  });

  describe('standard input', function () {
    it('"-" reads the migration from stdin, shown as <stdin>', function () {
      const dir = project({});
      const r = cli(['lint', '--format', 'json', '-'], dir, INDEX_SQL);
      assert.equal(r.code, 1, r.stderr);
      const j = parse<{ files: number; findings: JsonFinding[] }>(r);
      assert.equal(j.files, 1);
      assert.ok(j.findings.every((f) => f.file === '<stdin>'));
      assert.ok(j.findings.some((f) => f.rule === 'require-concurrent-index-creation' && f.line === 1));
    });

    it('--stdin-filename names it in the output and finds its config; --exclude applies to it', function () {
      const dir = project({ 'db/.migration-guard.json': JSON.stringify({ rules: { 'require-concurrent-index-creation': 'error' } }) });
      const r = cli(['lint', '--format', 'json', '-', '--stdin-filename', 'db/m/1.sql'], dir, INDEX_SQL);
      const f = parse<{ findings: JsonFinding[] }>(r).findings.find((x) => x.rule === 'require-concurrent-index-creation')!;
      assert.equal(f.file, join('db', 'm', '1.sql'));
      assert.equal(f.severity, 'error');
      const ex = cli(['lint', '-', '--stdin-filename', 'db/m/1.sql', '--exclude', 'db'], dir, INDEX_SQL);
      assert.equal(ex.code, 2);
      assert.match(ex.stderr, /excluded/);
    });

    it('stdin and files together', function () {
      const dir = project({ 'a.sql': RENAME_SQL });
      const j = parse<{ files: number; findings: JsonFinding[] }>(cli(['lint', '--format', 'json', 'a.sql', '-'], dir, INDEX_SQL));
      assert.equal(j.files, 2);
      assert.deepEqual([...new Set(j.findings.map((f) => f.file))], ['a.sql', '<stdin>']);
    });

    it('usage errors: "-" twice, --stdin-filename without "-"', function () {
      const dir = project({ 'a.sql': INDEX_SQL });
      for (const args of [['lint', '-', '-'], ['lint', '--stdin-filename', 'x.sql', 'a.sql']]) {
        const r = cli(args, dir, INDEX_SQL);
        assert.equal(r.code, 2, JSON.stringify(args));
        assert.match(r.stderr, /Usage:/);
      }
    });
  });

  describe('rules', function () {
    it('--format json lists every rule with its metadata', function () {
      const r = cli(['rules', '--format', 'json'], tmp);
      assert.equal(r.code, 0, r.stderr);
      const j = parse<{ rules: Record<string, unknown>[] }>(r);
      assert.deepEqual(Object.keys(j), ['rules']);
      assert.deepEqual(j.rules.map((x) => x.id), RULES.map((x) => x.id).sort());
      for (const x of j.rules) {
        assert.deepEqual(Object.keys(x), ['id', 'description', 'category', 'defaultSeverity', 'recommended', 'fixable', 'docsUrl']);
        const rule = RULES.find((y) => y.id === x.id)!;
        assert.deepEqual(x, {
          id: rule.id,
          description: rule.description,
          category: rule.category,
          defaultSeverity: rule.defaultSeverity,
          recommended: rule.recommended,
          fixable: rule.fixable,
          docsUrl: `https://github.com/migration-guard/migration-guard/blob/main/docs/rules/${rule.id}.md`,
        });
      }
    });

    it('text (default) prints one line per rule', function () {
      const r = cli(['rules'], tmp);
      assert.equal(r.code, 0);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, RULES.length);
      for (const rule of RULES) assert.ok(lines.some((l) => l.startsWith(`${rule.id} `) && l.includes(rule.description)), rule.id);
      assert.match(r.stdout, /^unused-ignore +style +info +An ignore comment .* \(recommended, fixable\)$/m);
    });

    it('2 for a bad format or an argument', function () {
      assert.equal(cli(['rules', '--format', 'sarif'], tmp).code, 2);
      assert.equal(cli(['rules', 'x'], tmp).code, 2);
    });
  });
});
