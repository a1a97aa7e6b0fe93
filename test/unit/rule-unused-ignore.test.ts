/**
 * unused-ignore: an ignore comment naming an unknown rule, or a rule that reports nothing where the comment applies,
 * is reported on the comment; the fix removes the comment or the ids it does not need. Rules that are off and
 * squawk's comments are not judged.
 */
import * as assert from 'node:assert/strict';
import { analyze, initParser, RULES, type AnalysisOptions } from '../../server/src/analysis';
import unusedIgnore from '../../server/src/analysis/rules/unused-ignore';
import { ruleTests, type RuleTable } from '../support/ruleTester';

const RENAME = 'ALTER TABLE users RENAME COLUMN name TO full_name;'; // renaming-column
const INDEX = 'CREATE INDEX users_email_idx ON users (email);'; // require-concurrent-index-creation
const SAFE = 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);'; // neither
const LT = "SET lock_timeout = '5s';\n";

/** Every rule but the ones these cases are about is off, so that new rules elsewhere do not change them. */
const ABOUT = ['require-concurrent-index-creation', 'require-lock-timeout', 'renaming-column', 'syntax-error', 'psql-meta-command', 'unused-ignore'];
const QUIET = Object.fromEntries(RULES.filter((r) => !ABOUT.includes(r.id)).map((r) => [r.id, 'off' as const]));

/** Adds QUIET under each case's own options. */
function quiet<T extends { options?: AnalysisOptions }>(c: T): T {
  return { ...c, options: { ...c.options, rules: { ...QUIET, ...(c.options?.rules ?? {}) } } };
}

const table: RuleTable<keyof typeof unusedIgnore.messages> = {
  valid: [
    { name: 'the named rule reports on the next statement', sql: `${LT}-- migration-guard-ignore renaming-column: gone\n${RENAME}` },
    { name: 'two rules, both silence something', sql: `-- migration-guard-ignore renaming-column, require-lock-timeout\n${RENAME}` },
    { name: 'blanket comment that silences something', sql: `-- migration-guard-ignore\n${RENAME}` },
    { name: 'file form that silences something', sql: `${LT}${SAFE}\n-- migration-guard-ignore-file renaming-column: reviewed\n${RENAME}` },
    { name: 'blanket file form that silences something', sql: `-- migration-guard-ignore-file\n${INDEX}` },
    { name: 'squawk comments are not judged', sql: `-- squawk-ignore prefer-robust-stmts\n${LT}${SAFE}\n-- squawk-ignore renaming-column\n${SAFE}` },
    { name: 'squawk file form is not judged', sql: `-- squawk-ignore-file ban-drop-column\n${LT}${SAFE}` },
    {
      name: 'a rule switched off is not judged',
      sql: `${LT}-- migration-guard-ignore renaming-column\n${SAFE}`,
      options: { rules: { 'renaming-column': 'off' } },
    },
    {
      name: 'a rule outside the recommended set that is switched on is judged as used',
      sql: `-- migration-guard-ignore renaming-column\n${RENAME}`,
      options: { rules: { 'renaming-column': 'error' } },
    },
    { name: 'naming unused-ignore itself is not judged', sql: `-- migration-guard-ignore-file unused-ignore\n${LT}${SAFE}` },
    { name: 'a statement that does not parse cannot be judged', sql: `-- migration-guard-ignore renaming-column\nALTER TABLE users RENAME COLUMN;` },
    { name: 'syntax-error silenced on a broken statement', sql: `-- migration-guard-ignore syntax-error: templated\nSELEC 1;` },
    { name: 'a file form in a file with a broken statement cannot be judged', sql: `-- migration-guard-ignore-file renaming-column\n${LT}SELEC 1;` },
    { name: 'used by a file-level finding (psql)', sql: `-- migration-guard-ignore-file psql-meta-command\n\\set x 1\n${LT}${SAFE}` },
    { name: 'not a directive', sql: `-- migration-guard-ignored\n${LT}${SAFE}` },
  ],
  invalid: [
    {
      name: 'the named rule reports nothing on the next statement',
      sql: `${LT}«-- migration-guard-ignore renaming-column: gone»\n${SAFE}`,
      errors: [{ messageId: 'unused', data: { rules: '`renaming-column`', where: 'on the next statement' }, fix: { title: 'Remove the ignore comment', preferred: true } }],
      output: `${LT}${SAFE}`,
    },
    {
      name: 'an unknown rule id (a typo): the fix is not preferred',
      sql: `${LT}«-- migration-guard-ignore require-concurrent-index-creaton»\n${INDEX}`,
      errors: [{ messageId: 'unknown', data: { rules: '`require-concurrent-index-creaton`' }, fix: { preferred: false } }],
      output: `${LT}${INDEX}`,
    },
    {
      name: 'one id used, one unknown: only the unknown id is removed',
      sql: `${LT}«-- migration-guard-ignore renaming-column, no-such-rule: gone»\n${RENAME}`,
      errors: [{ messageId: 'unknown', data: { rules: '`no-such-rule`' }, fix: { title: 'Remove the unneeded rule ids' } }],
      output: `${LT}-- migration-guard-ignore renaming-column: gone\n${RENAME}`,
    },
    {
      name: 'unknown and unused ids together, next to a used one',
      sql: `${LT}«-- migration-guard-ignore nope, require-concurrent-index-creation renaming-column, nada»\n${RENAME}`,
      errors: [{ messageId: 'both', data: { unknown: '`nope` or `nada`', rules: '`require-concurrent-index-creation`', where: 'on the next statement' } }],
      output: `${LT}-- migration-guard-ignore renaming-column\n${RENAME}`,
    },
    {
      name: 'every id dead: the whole comment goes',
      sql: `${LT}«-- migration-guard-ignore renaming-column, nope»\n${SAFE}`,
      errors: [{ messageId: 'both' }],
      output: `${LT}${SAFE}`,
    },
    {
      name: 'a blanket comment that silences nothing',
      sql: `${LT}«-- migration-guard-ignore: reviewed»\n${SAFE}`,
      errors: [{ messageId: 'unusedAll', data: { where: 'on the next statement' } }],
      output: `${LT}${SAFE}`,
    },
    {
      name: 'a file form that silences nothing',
      sql: `${LT}${SAFE}\n«-- migration-guard-ignore-file renaming-column: reviewed»\n`,
      errors: [{ messageId: 'unused', data: { where: 'in this file' } }],
      output: `${LT}${SAFE}\n`,
    },
    {
      name: 'a blanket file form that silences nothing',
      sql: `«-- migration-guard-ignore-file»\r\n${LT}${SAFE}`,
      errors: [{ messageId: 'unusedAll', data: { where: 'in this file' } }],
      output: `${LT}${SAFE}`,
    },
    {
      name: 'no statement follows the comment',
      sql: `${LT}${SAFE}\n«-- migration-guard-ignore renaming-column»`,
      errors: [{ messageId: 'noStatement' }],
      output: `${LT}${SAFE}\n`,
    },
    {
      name: 'a comment after a statement on the same line applies to the next one',
      sql: `${LT}${RENAME} «-- migration-guard-ignore renaming-column»\n${SAFE}`,
      errors: [{ messageId: 'unused', data: { where: 'on the next statement' } }],
      output: `${LT}${RENAME}\n${SAFE}`,
    },
    {
      name: 'block comment before the statement on the same line',
      sql: `${LT}«/* migration-guard-ignore renaming-column */» ${SAFE}`,
      errors: [{ messageId: 'unused' }],
      output: `${LT}${SAFE}`,
    },
    {
      name: 'several comments, each judged',
      sql: `${LT}«-- migration-guard-ignore renaming-column»\n${SAFE}\n-- migration-guard-ignore renaming-column\n${RENAME}\n«-- migration-guard-ignore require-lock-timeout»\n${RENAME}`,
      errors: [{ messageId: 'unused' }, { messageId: 'unused', data: { rules: '`require-lock-timeout`' } }],
      output: `${LT}${SAFE}\n-- migration-guard-ignore renaming-column\n${RENAME}\n${RENAME}`,
    },
  ],
};

ruleTests(unusedIgnore, {
  valid: table.valid.map((v) => quiet(typeof v === 'string' ? { sql: v } : v)),
  invalid: table.invalid.map(quiet),
});

describe('rule unused-ignore (analysis order)', () => {
  before(async () => {
    await initParser();
  });

  it('judges after every other rule, and its findings are file-level', () => {
    const r = analyze(`${LT}-- migration-guard-ignore renaming-column\n${SAFE}`, { rules: QUIET });
    const f = r.findings.filter((x) => x.ruleId === 'unused-ignore');
    assert.equal(f.length, 1);
    assert.equal(f[0].statementIndex, -1);
    assert.equal(f[0].severity, 'info');
  });

  it('is silenced by a file-level ignore of unused-ignore', () => {
    const r = analyze(`-- migration-guard-ignore-file unused-ignore\n${LT}-- migration-guard-ignore renaming-column\n${SAFE}`, { rules: QUIET });
    assert.deepEqual(r.findings.map((x) => x.ruleId), []);
  });

  it('records what each directive silenced', () => {
    const r = analyze(`-- migration-guard-ignore-file require-lock-timeout\n-- migration-guard-ignore renaming-column, require-lock-timeout\n${RENAME}`, { rules: QUIET });
    assert.deepEqual(
      r.suppressions.directives.map((d) => [...d.suppressed].sort()),
      [['require-lock-timeout'], ['renaming-column', 'require-lock-timeout']],
    );
  });
});
