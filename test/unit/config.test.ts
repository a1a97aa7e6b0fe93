/**
 * Configuration resolution with an in-memory host: which file applies (nearest `.migration-guard.json`, else
 * `.squawk.toml`), what it says, precedence (defaults < file < overrides), include / exclude globs, and problems with
 * their place in the file for every kind of bad content (the bad part falls back, the rest applies).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { analyze, initParser, parseConfigFile, resolveConfig, RULES, type ConfigHost, type ConfigProblem } from '../../server/src/analysis';
import { configJsonSchema } from '../../server/src/analysis/config';

/** A host over a map of absolute paths; records every read. */
function host(files: Record<string, string>): ConfigHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(path) {
      reads.push(path);
      return Object.hasOwn(files, path) ? files[path] : undefined;
    },
  };
}

/** `line:character` (1-based) of each problem plus the text it covers, for compact assertions. */
function where(text: string, problems: ConfigProblem[]): string[] {
  return problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${JSON.stringify(text.slice(p.span.start, p.span.end))}`);
}

describe('config', () => {
  describe('finding the file', () => {
    it('walks up from the migration directory and stops at the first file found', () => {
      const h = host({
        '/repo/.migration-guard.json': '{"postgresVersion": 12}',
        '/repo/db/.migration-guard.json': '{"postgresVersion": 14}',
      });
      const c = resolveConfig('/repo/db/migrations/0001.sql', h);
      assert.equal(c.configPath, '/repo/db/.migration-guard.json');
      assert.equal(c.options.postgresVersion, 14);
      assert.deepEqual(h.reads, [
        '/repo/db/migrations/.migration-guard.json',
        '/repo/db/migrations/.squawk.toml',
        '/repo/db/.migration-guard.json',
      ]);
    });

    it('reads .squawk.toml in a directory without .migration-guard.json', () => {
      const c = resolveConfig('/repo/migrations/1.sql', host({ '/repo/.squawk.toml': 'pg_version = "11.0"\n' }));
      assert.equal(c.configPath, '/repo/.squawk.toml');
      assert.equal(c.options.postgresVersion, 11);
    });

    it('prefers .migration-guard.json to .squawk.toml in the same directory', () => {
      const c = resolveConfig('/repo/m/1.sql', host({ '/repo/.squawk.toml': 'pg_version = "11.0"', '/repo/.migration-guard.json': '{"postgresVersion": 15}' }));
      assert.equal(c.configPath, '/repo/.migration-guard.json');
      assert.equal(c.options.postgresVersion, 15);
    });

    it('a nearer .squawk.toml wins over a farther .migration-guard.json', () => {
      const c = resolveConfig('/repo/m/1.sql', host({ '/repo/m/.squawk.toml': 'pg_version = "13"', '/repo/.migration-guard.json': '{"postgresVersion": 15}' }));
      assert.equal(c.configPath, '/repo/m/.squawk.toml');
      assert.equal(c.options.postgresVersion, 13);
    });

    it('without any file: no config path, no problems, defaults, nothing excluded', () => {
      const h = host({});
      const c = resolveConfig('/a/b/c.sql', h, { defaults: { postgresVersion: 13 } });
      assert.equal(c.configPath, undefined);
      assert.deepEqual(c.problems, []);
      assert.deepEqual(c.options, { postgresVersion: 13 });
      assert.equal(c.isExcluded('/a/b/c.sql'), false);
      assert.deepEqual(h.reads, ['/a/b/.migration-guard.json', '/a/b/.squawk.toml', '/a/.migration-guard.json', '/a/.squawk.toml', '/.migration-guard.json', '/.squawk.toml']);
    });

    it('an explicit configPath is read instead of searching', () => {
      const h = host({ '/cfg/mg.json': '{"postgresVersion": 10}', '/repo/.migration-guard.json': '{"postgresVersion": 15}' });
      const c = resolveConfig('/repo/1.sql', h, { configPath: '/cfg/mg.json' });
      assert.equal(c.configPath, '/cfg/mg.json');
      assert.equal(c.options.postgresVersion, 10);
      assert.deepEqual(h.reads, ['/cfg/mg.json']);
    });

    it('an explicit configPath ending in .toml is read as squawk config', () => {
      const c = resolveConfig('/repo/1.sql', host({ '/cfg/squawk.toml': 'assume_in_transaction = true' }), { configPath: '/cfg/squawk.toml' });
      assert.equal(c.options.assumeInTransaction, true);
    });

    it('an explicit configPath that cannot be read is a problem, and defaults apply', () => {
      const c = resolveConfig('/repo/1.sql', host({}), { configPath: '/nope.json', overrides: { postgresVersion: 12 } });
      assert.equal(c.problems.length, 1);
      assert.match(c.problems[0].message, /cannot read/);
      assert.deepEqual(c.options, { postgresVersion: 12 });
    });
  });

  describe('.migration-guard.json', () => {
    it('reads every setting', () => {
      const text = JSON.stringify({
        $schema: './node_modules/migration-guard/schemas/migration-guard.schema.json',
        rules: { 'renaming-column': 'off', 'require-lock-timeout': 'error', 'unused-ignore': 'warning', 'syntax-error': 'info' },
        postgresVersion: 11,
        assumeInTransaction: true,
        include: ['db/**'],
        exclude: ['*.down.sql'],
      });
      const f = parseConfigFile('/r/.migration-guard.json', text);
      assert.deepEqual(f.problems, []);
      assert.equal(f.kind, 'migration-guard');
      assert.deepEqual(f.options, {
        rules: { 'renaming-column': 'off', 'require-lock-timeout': 'error', 'unused-ignore': 'warning', 'syntax-error': 'info' },
        postgresVersion: 11,
        assumeInTransaction: true,
      });
      assert.deepEqual(f.include, ['db/**']);
      assert.deepEqual(f.exclude, ['*.down.sql']);
    });

    it('accepts a byte order mark', () => {
      const f = parseConfigFile('/r/.migration-guard.json', '\ufeff{"postgresVersion": 12}');
      assert.deepEqual(f.problems, []);
      assert.equal(f.options.postgresVersion, 12);
    });

    it('accepts an empty object', () => {
      const f = parseConfigFile('/r/.migration-guard.json', '{}\n');
      assert.deepEqual(f.problems, []);
      assert.deepEqual(f.options, {});
    });

    const bad: { name: string; text: string; problems: string[]; messages: RegExp[]; options: object }[] = [
      {
        name: 'invalid JSON (trailing comma): the whole file is ignored',
        text: '{\n  "postgresVersion": 12,\n}\n',
        problems: ['3:1 "}"'],
        messages: [/invalid JSON: expected a string/],
        options: {},
      },
      {
        name: 'invalid JSON (unterminated)',
        text: '{"rules": {"renaming-column": "off"',
        problems: ['1:36 ""'],
        messages: [/unexpected end of file/],
        options: {},
      },
      {
        name: 'not an object',
        text: '[1, 2]',
        problems: ['1:1 "[1, 2]"'],
        messages: [/must be a JSON object, got an array/],
        options: {},
      },
      {
        name: 'unknown rule id: only that entry is dropped',
        text: '{\n  "rules": {\n    "renaming-colum": "off",\n    "renaming-column": "error"\n  }\n}',
        problems: ['3:5 "\\"renaming-colum\\""'],
        messages: [/unknown rule "renaming-colum"/],
        options: { rules: { 'renaming-column': 'error' } },
      },
      {
        name: 'bad severity',
        text: '{"rules": {"renaming-column": "warn", "syntax-error": 2}}',
        problems: ['1:31 "\\"warn\\""', '1:55 "2"'],
        messages: [/"renaming-column" must be "off", "info", "warning" or "error", got "warn"/, /got a number/],
        options: { rules: {} },
      },
      {
        name: 'wrong types, while the good settings still apply',
        text: '{"postgresVersion": "12", "assumeInTransaction": "yes", "include": "db/**", "exclude": ["ok", 3, ""], "rules": []}',
        problems: ['1:21 "\\"12\\""', '1:50 "\\"yes\\""', '1:68 "\\"db/**\\""', '1:95 "3"', '1:98 "\\"\\""', '1:112 "[]"'],
        messages: [/postgresVersion must be a PostgreSQL major version from 10 to 18, got "12"/, /true or false, got a string/, /include must be an array/, /exclude entries must be non-empty glob strings, got a number/, /got an empty string/, /rules must be an object/],
        options: {},
      },
      {
        name: 'version out of range or not an integer',
        text: '{"postgresVersion": 9.6}',
        problems: ['1:21 "9.6"'],
        messages: [/from 10 to 18, got 9.6/],
        options: {},
      },
      {
        name: 'unknown setting and duplicate key',
        text: '{"postgresVerison": 12, "postgresVersion": 11, "postgresVersion": 13}',
        problems: ['1:2 "\\"postgresVerison\\""', '1:48 "\\"postgresVersion\\""'],
        messages: [/unknown setting "postgresVerison"/, /duplicate key "postgresVersion"/],
        options: { postgresVersion: 13 },
      },
    ];
    for (const b of bad) {
      it(b.name, () => {
        const f = parseConfigFile('/r/.migration-guard.json', b.text);
        assert.deepEqual(where(b.text, f.problems), b.problems);
        assert.equal(f.problems.length, b.messages.length);
        f.problems.forEach((p, i) => {
          assert.match(p.message, b.messages[i]);
          assert.equal(p.path, '/r/.migration-guard.json');
        });
        assert.deepEqual(f.options, b.options);
      });
    }

    it('problems count characters in UTF-16 units on their line', () => {
      const text = '{\n  "x😀": 1}';
      const f = parseConfigFile('/r/.migration-guard.json', text);
      assert.deepEqual(f.problems[0].range, { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } });
    });
  });

  describe('.squawk.toml', () => {
    it('reads pg_version, excluded_rules, assume_in_transaction and excluded_paths', () => {
      const text = [
        'pg_version = "11.0"',
        'excluded_rules = [',
        '  "renaming-column",',
        '  "some-squawk-only-rule", # not a Migration Guard rule: ignored',
        ']',
        'assume_in_transaction = true',
        "excluded_paths = ['old/*.sql']",
        '',
        '[upload_to_github]',
        'fail_on_violations = true',
      ].join('\n');
      const f = parseConfigFile('/r/.squawk.toml', text);
      assert.deepEqual(f.problems, []);
      assert.equal(f.kind, 'squawk');
      assert.deepEqual(f.options, { postgresVersion: 11, rules: { 'renaming-column': 'off' }, assumeInTransaction: true });
      assert.deepEqual(f.exclude, ['old/*.sql']);
    });

    it('accepts pg_version as a bare major ("16") or with a minor ("16.4")', () => {
      assert.equal(parseConfigFile('/r/.squawk.toml', 'pg_version = "16"').options.postgresVersion, 16);
      assert.equal(parseConfigFile('/r/.squawk.toml', 'pg_version = "16.4"').options.postgresVersion, 16);
    });

    const bad: { name: string; text: string; problems: string[]; messages: RegExp[]; options: object }[] = [
      {
        name: 'invalid TOML: the whole file is ignored',
        text: 'pg_version = "11.0"\nexcluded_rules = [\n',
        problems: ['3:1 ""'],
        messages: [/invalid TOML: unfinished array/],
        options: {},
      },
      {
        name: 'pg_version out of range',
        text: 'pg_version = "9.6"\nassume_in_transaction = true\n',
        problems: ['1:14 "\\"9.6\\""'],
        messages: [/pg_version must be a PostgreSQL version from 10 to 18 such as "16.0", got "9.6"/],
        options: { assumeInTransaction: true },
      },
      {
        name: 'wrong types',
        text: 'pg_version = "x"\nassume_in_transaction = "yes"\nexcluded_rules = "renaming-column"\nexcluded_paths = [1]\n',
        problems: ['1:14 "\\"x\\""', '2:25 "\\"yes\\""', '3:18 "\\"renaming-column\\""', '4:18 "[1]"'],
        messages: [/pg_version/, /assume_in_transaction must be true or false/, /excluded_rules must be an array of strings/, /excluded_paths must be an array of strings/],
        options: {},
      },
    ];
    for (const b of bad) {
      it(b.name, () => {
        const f = parseConfigFile('/r/.squawk.toml', b.text);
        assert.deepEqual(where(b.text, f.problems), b.problems);
        f.problems.forEach((p, i) => assert.match(p.message, b.messages[i]));
        assert.deepEqual(f.options, b.options);
      });
    }
  });

  describe('precedence: defaults (editor settings) < file < overrides (CLI flags)', () => {
    const h = host({ '/r/.migration-guard.json': '{"postgresVersion": 12, "rules": {"renaming-column": "error", "require-lock-timeout": "off"}}' });

    it('the file overrides defaults, per setting and per rule', () => {
      const c = resolveConfig('/r/1.sql', h, {
        defaults: { postgresVersion: 16, assumeInTransaction: true, docsBaseUrl: 'file:///docs/', rules: { 'renaming-column': 'info', 'syntax-error': 'warning' } },
      });
      assert.deepEqual(c.options, {
        postgresVersion: 12,
        assumeInTransaction: true,
        docsBaseUrl: 'file:///docs/',
        rules: { 'renaming-column': 'error', 'syntax-error': 'warning', 'require-lock-timeout': 'off' },
      });
    });

    it('overrides win over the file; an undefined override changes nothing', () => {
      const c = resolveConfig('/r/1.sql', h, { overrides: { postgresVersion: 10, assumeInTransaction: undefined, rules: { 'require-lock-timeout': 'warning' } } });
      assert.deepEqual(c.options, { postgresVersion: 10, rules: { 'renaming-column': 'error', 'require-lock-timeout': 'warning' } });
    });

    it('the resolved options change what analyze reports', async () => {
      await initParser();
      const c = resolveConfig('/r/1.sql', h);
      const r = analyze('ALTER TABLE users RENAME COLUMN name TO full_name;', c.options);
      assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.severity}`), ['renaming-column:error']);
    });
  });

  describe('include and exclude', () => {
    it('globs are relative to the config file directory; a slash-less glob matches at any depth; a directory glob covers its contents', () => {
      const h = host({ '/r/.migration-guard.json': '{"include": ["db/**", "migrations"], "exclude": ["*.down.sql", "db/legacy"]}' });
      const c = resolveConfig('/r/db/1.sql', h);
      const cases: [string, boolean][] = [
        ['/r/db/0001.up.sql', false],
        ['/r/db/sub/0002.up.sql', false],
        ['/r/db/0001.down.sql', true],
        ['/r/db/legacy/0001.up.sql', true],
        ['/r/migrations/a/0001.sql', false],
        ['/r/other/0001.sql', true],
        ['/r/db/.hidden/0001.sql', false],
        ['/elsewhere/0001.sql', true],
      ];
      for (const [p, excluded] of cases) assert.equal(c.isExcluded(p), excluded, p);
    });

    it('without include, everything not excluded is in', () => {
      const c = resolveConfig('/r/1.sql', host({ '/r/.migration-guard.json': '{"exclude": ["vendor"]}' }));
      assert.equal(c.isExcluded('/r/a/1.sql'), false);
      assert.equal(c.isExcluded('/r/a/vendor/x/1.sql'), true);
    });

    it('squawk excluded_paths exclude', () => {
      const c = resolveConfig('/r/m/1.sql', host({ '/r/.squawk.toml': 'excluded_paths = ["m/old_*.sql"]' }));
      assert.equal(c.isExcluded('/r/m/old_1.sql'), true);
      assert.equal(c.isExcluded('/r/m/new_1.sql'), false);
    });
  });

  describe('schemas/migration-guard.schema.json', () => {
    const path = join(process.cwd(), 'schemas', 'migration-guard.schema.json');
    const expected = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_DOCS) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, expected);
    }
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

    it('is generated from the rule registry and up to date (UPDATE_DOCS=1 regenerates it)', () => {
      assert.equal(readFileSync(path, 'utf8'), expected, `${path} is stale: run UPDATE_DOCS=1 npx mocha dist-test/unit-config.test.js`);
      assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((r) => r.id).sort());
    });

    it('accepts what the library accepts and rejects what it reports', () => {
      const good = { $schema: 'x', rules: { 'renaming-column': 'off' }, postgresVersion: 18, assumeInTransaction: false, include: ['a/**'], exclude: ['*.down.sql'] };
      assert.ok(validate(good), JSON.stringify(validate.errors));
      assert.deepEqual(parseConfigFile('/r/.migration-guard.json', JSON.stringify(good)).problems, []);
      for (const bad of [{ rules: { nope: 'off' } }, { rules: { 'renaming-column': 'warn' } }, { postgresVersion: 9 }, { postgresVersion: 19 }, { postgresVersion: 12.5 }, { assumeInTransaction: 'yes' }, { include: 'x' }, { exclude: [''] }, { other: 1 }]) {
        assert.equal(validate(bad), false, JSON.stringify(bad));
        assert.ok(parseConfigFile('/r/.migration-guard.json', JSON.stringify(bad)).problems.length > 0, JSON.stringify(bad));
      }
    });
  });
});
