/**
 * Ignore comments: `-- migration-guard-ignore rule-a, rule-b: reason` silences those rules on the next statement only;
 * `-ignore-file` on the whole file; squawk's `squawk-ignore` / `squawk-ignore-file` work the same; no rule list means
 * every rule; the block-comment form works too.
 */
import * as assert from 'node:assert/strict';
import { analyze, initParser, resolveConfig, RULES } from '../../server/src/analysis';
import { parseDirective } from '../../server/src/analysis/suppressions';

const A = 'CREATE INDEX a ON users (email)'; // require-concurrent-index-creation + require-lock-timeout
const B = 'ALTER TABLE users RENAME COLUMN name TO full_name'; // renaming-column (+ require-lock-timeout if first)
const C = 'CREATE INDEX c ON orders (total)'; // require-concurrent-index-creation

/** The rules these tables are about; every other rule is switched off so that new rules do not change them. */
const ABOUT = ['require-concurrent-index-creation', 'require-lock-timeout', 'renaming-column', 'syntax-error', 'psql-meta-command', 'unused-ignore'];
const OPTIONS = { rules: Object.fromEntries(RULES.filter((r) => !ABOUT.includes(r.id)).map((r) => [r.id, 'off' as const])) };

/** `ruleId@statementIndex` of every finding, in order. */
function found(sql: string): string[] {
  return analyze(sql, OPTIONS).findings.map((f) => `${f.ruleId}@${f.statementIndex}`);
}

describe('suppressions', () => {
  before(async () => {
    await initParser();
  });

  it('baseline: without comments every finding is reported', () => {
    assert.deepEqual(found(`${A};\n${B};\n${C};`), [
      'require-concurrent-index-creation@0',
      'require-lock-timeout@0',
      'renaming-column@1',
      'require-concurrent-index-creation@2',
    ]);
  });

  const table: { name: string; sql: string; expect: string[] }[] = [
    {
      name: 'one rule, next statement only',
      sql: `-- migration-guard-ignore require-concurrent-index-creation: built off-peak\n${A};\n${C};`,
      expect: ['require-lock-timeout@0', 'require-concurrent-index-creation@1'],
    },
    {
      name: 'two rules, comma-separated',
      sql: `-- migration-guard-ignore require-concurrent-index-creation, require-lock-timeout: small table\n${A};\n${C};`,
      expect: ['require-concurrent-index-creation@1'],
    },
    {
      name: 'two rules, space-separated, no reason',
      sql: `-- migration-guard-ignore require-concurrent-index-creation require-lock-timeout\n${A};\n${C};`,
      expect: ['require-concurrent-index-creation@1'],
    },
    {
      name: 'no rule list silences every rule on the next statement',
      sql: `${A};\n-- migration-guard-ignore\n${B};\n${C};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0', 'require-concurrent-index-creation@2'],
    },
    {
      name: 'no rule list, with a reason',
      sql: `-- migration-guard-ignore: reviewed\n${A};\n${C};`,
      expect: ['require-concurrent-index-creation@1'],
    },
    {
      name: 'applies to the statement after the comment, not to the one on the same line',
      sql: `${A}; -- migration-guard-ignore\n${C};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'other comments between the directive and the statement',
      sql: `-- migration-guard-ignore renaming-column: old release is gone\n-- rename\n/* really */\n${B};`,
      expect: ['require-lock-timeout@0'],
    },
    {
      name: 'a rule not named stays on (and the comment is reported as unused)',
      sql: `-- migration-guard-ignore renaming-column\n${A};`,
      expect: ['unused-ignore@-1', 'require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'file scope, one rule, anywhere in the file',
      sql: `${A};\n${C};\n-- migration-guard-ignore-file require-concurrent-index-creation: tiny tables\n${B};`,
      expect: ['require-lock-timeout@0', 'renaming-column@2'],
    },
    {
      name: 'file scope, no rule list: everything',
      sql: `-- migration-guard-ignore-file\n${A};\n${B};\nSELEC 1;`,
      expect: [],
    },
    {
      name: 'squawk-ignore, one rule',
      sql: `-- squawk-ignore renaming-column\n${B};\n${C};`,
      expect: ['require-lock-timeout@0', 'require-concurrent-index-creation@1'],
    },
    {
      name: 'squawk-ignore, no rule list',
      sql: `-- squawk-ignore\n${A};\n${C};`,
      expect: ['require-concurrent-index-creation@1'],
    },
    {
      name: 'squawk-ignore-file',
      sql: `-- squawk-ignore-file require-lock-timeout, renaming-column\n${A};\n${B};`,
      expect: ['require-concurrent-index-creation@0'],
    },
    {
      name: 'block-comment form, statement scope',
      sql: `/* migration-guard-ignore require-concurrent-index-creation: reason */\n${A};\n${C};`,
      expect: ['require-lock-timeout@0', 'require-concurrent-index-creation@1'],
    },
    {
      name: 'block-comment form on the same line as the statement',
      sql: `/* squawk-ignore */ ${A};\n${C};`,
      expect: ['require-concurrent-index-creation@1'],
    },
    {
      name: 'block-comment form, file scope',
      sql: `${A};\n/* migration-guard-ignore-file require-concurrent-index-creation */\n${C};`,
      expect: ['require-lock-timeout@0'],
    },
    {
      name: 'a syntax error can be silenced on its statement',
      sql: `-- migration-guard-ignore syntax-error: templated\nSELEC 1;\nSELEC 2;`,
      expect: ['syntax-error@1'],
    },
    {
      name: 'an unknown rule name silences nothing (and is reported)',
      sql: `-- migration-guard-ignore no-such-rule\n${A};`,
      expect: ['unused-ignore@-1', 'require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'a look-alike comment is not a directive',
      sql: `-- migration-guard-ignored\n-- please migration-guard-ignore this\n${A};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'a directive at the end of the file applies to nothing (and is reported)',
      sql: `${A};\n-- migration-guard-ignore`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0', 'unused-ignore@-1'],
    },
    {
      name: 'a directive inside a string is not a comment',
      sql: `SELECT '-- migration-guard-ignore-file';\n${A};`,
      expect: ['require-concurrent-index-creation@1', 'require-lock-timeout@1'],
    },
    {
      name: 'a blanket comment does not silence unused-ignore; naming it does',
      sql: `-- migration-guard-ignore-file\n-- migration-guard-ignore renaming-column\n${A};`,
      expect: ['unused-ignore@-1'],
    },
    {
      name: 'unused-ignore is silenced by the file form that names it',
      sql: `-- migration-guard-ignore-file unused-ignore\n-- migration-guard-ignore renaming-column\n${A};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'squawk comments are honoured but never reported as unused',
      sql: `-- squawk-ignore prefer-robust-stmts, renaming-column\n${A};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
    {
      name: 'psql meta-command findings (file level) are silenced by the file form',
      sql: `-- migration-guard-ignore-file psql-meta-command\n\\set x 1\n${C};`,
      expect: ['require-concurrent-index-creation@0', 'require-lock-timeout@0'],
    },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(found(t.sql), t.expect));

  describe('parseDirective', () => {
    const directive = (text: string) => parseDirective({ start: 0, end: text.length, text });
    const cases: { text: string; expect: { scope: string; rules: string[]; reason?: string } | undefined }[] = [
      { text: '-- migration-guard-ignore a, b: because', expect: { scope: 'statement', rules: ['a', 'b'], reason: 'because' } },
      { text: '--migration-guard-ignore a', expect: { scope: 'statement', rules: ['a'] } },
      { text: '-- migration-guard-ignore-file: why: with a colon', expect: { scope: 'file', rules: [], reason: 'why: with a colon' } },
      { text: '-- squawk-ignore-file a,b', expect: { scope: 'file', rules: ['a', 'b'] } },
      { text: '/* squawk-ignore a */', expect: { scope: 'statement', rules: ['a'] } },
      { text: '/*migration-guard-ignore-file*/', expect: { scope: 'file', rules: [] } },
      { text: '-- migration-guard-ignore a:   ', expect: { scope: 'statement', rules: ['a'] } },
      { text: '-- migration-guard-ignored', expect: undefined },
      { text: '-- eslint-disable', expect: undefined },
      { text: '-- note: migration-guard-ignore a', expect: undefined },
    ];
    for (const c of cases) {
      it(JSON.stringify(c.text), () => {
        const d = directive(c.text);
        assert.deepEqual(d && { scope: d.scope, rules: d.rules, ...(d.reason ? { reason: d.reason } : {}) }, c.expect);
      });
    }
  });

  it('records where each rule id is written, and which tool the comment is for', () => {
    const text = 'SELECT 1;\n  /* migration-guard-ignore a,  b-c: why */\nSELECT 2;\n-- squawk-ignore-file x\n';
    const r = analyze(text);
    assert.deepEqual(
      r.suppressions.directives.map((d) => ({ tool: d.tool, ids: d.ruleSpans.map((s) => text.slice(s.start, s.end)) })),
      [
        { tool: 'migration-guard', ids: ['a', 'b-c'] },
        { tool: 'squawk', ids: ['x'] },
      ],
    );
  });

  it('marks every directive that silences a finding, and only those', () => {
    const r = analyze(`-- migration-guard-ignore-file renaming-column\n-- migration-guard-ignore renaming-column, require-lock-timeout\n${B};\n-- migration-guard-ignore renaming-column\n${C};`, OPTIONS);
    assert.deepEqual(
      r.suppressions.directives.map((d) => [...d.suppressed].sort()),
      [['renaming-column'], ['renaming-column', 'require-lock-timeout'], []],
    );
  });

  it('records which statement a directive applies to', () => {
    const r = analyze(`SELECT 1;\n-- migration-guard-ignore renaming-column: ok\n${B};\n-- squawk-ignore-file\n`);
    assert.deepEqual(
      r.suppressions.directives.map((d) => ({ scope: d.scope, rules: d.rules, reason: d.reason, statementIndex: d.statementIndex })),
      [
        { scope: 'statement', rules: ['renaming-column'], reason: 'ok', statementIndex: 1 },
        { scope: 'file', rules: [], reason: undefined, statementIndex: undefined },
      ],
    );
  });
});

describe('squawk rule-name aliases', () => {
  before(async () => {
    await initParser();
  });

  it('`-- squawk-ignore prefer-timestamp-tz` silences prefer-timestamptz', () => {
    const sql = 'CREATE TABLE t (at timestamp);';
    const flagged = analyze(sql).findings.filter((f) => f.ruleId === 'prefer-timestamptz');
    assert.equal(flagged.length, 1);
    const silenced = analyze(`-- squawk-ignore prefer-timestamp-tz\n${sql}`).findings.map((f) => f.ruleId);
    assert.ok(!silenced.includes('prefer-timestamptz'), JSON.stringify(silenced));
    assert.ok(!silenced.includes('unused-ignore'), JSON.stringify(silenced));
  });

  it('.squawk.toml excluded_rules = ["prefer-timestamp-tz"] turns prefer-timestamptz off', () => {
    const host = { readFile: (p: string) => (p === '/w/.squawk.toml' ? 'excluded_rules = ["prefer-timestamp-tz"]\n' : undefined) };
    const config = resolveConfig('/w/m/0001.sql', host);
    assert.equal(config.options.rules?.['prefer-timestamptz'], 'off');
    assert.deepEqual(config.problems, []);
  });
});
