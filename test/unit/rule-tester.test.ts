/** The rule tester itself: markers, edits, and its refusal of sloppy tables (a lenient tester makes every table lie). */
import * as assert from 'node:assert/strict';
import { initParser } from '../../server/src/analysis';
import renamingColumn from '../../server/src/analysis/rules/renaming-column';
import requireConcurrentIndexCreation from '../../server/src/analysis/rules/require-concurrent-index-creation';
import { applyEdits, duplicateCases, placeholders, runInvalid, runValid, stripMarkers } from '../support/ruleTester';

const INDEX = 'CREATE INDEX users_email_idx ON users (email);';
const INDEX_MARKED = '«CREATE INDEX users_email_idx ON users (email)»;';
const INDEX_FIXED = 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);';
const RENAME_MARKED = '«ALTER TABLE users RENAME COLUMN name TO full_name»;';

describe('rule tester', () => {
  before(async () => {
    await initParser();
  });

  describe('stripMarkers', () => {
    const table: { marked: string; text: string; spans: [number, number][] }[] = [
      { marked: 'no markers', text: 'no markers', spans: [] },
      { marked: 'a «bc» d', text: 'a bc d', spans: [[2, 4]] },
      { marked: '«a» «b»', text: 'a b', spans: [[0, 1], [2, 3]] },
      { marked: '««ab»»', text: 'ab', spans: [[0, 2], [0, 2]] },
      { marked: '«a «b» c»', text: 'a b c', spans: [[0, 5], [2, 3]] },
      { marked: 'x«»y', text: 'xy', spans: [[1, 1]] },
      { marked: '-- café «😀»', text: '-- café 😀', spans: [[8, 10]] },
    ];
    for (const t of table) {
      it(JSON.stringify(t.marked), () => {
        const r = stripMarkers(t.marked);
        assert.equal(r.text, t.text);
        assert.deepEqual(r.spans.map((s) => [s.start, s.end]), t.spans);
      });
    }
    it('rejects unbalanced markers', () => {
      assert.throws(() => stripMarkers('a » b'), /unbalanced/);
      assert.throws(() => stripMarkers('a « b'), /unclosed/);
    });
  });

  describe('applyEdits', () => {
    it('applies edits from the end so offsets stay valid', () => {
      assert.equal(applyEdits('abcdef', [{ start: 1, end: 2, newText: 'XX' }, { start: 4, end: 4, newText: '_' }]), 'aXXcd_ef');
    });
    it('allows an insert right before a replaced range', () => {
      assert.equal(applyEdits('abc', [{ start: 1, end: 1, newText: '+' }, { start: 1, end: 2, newText: 'B' }]), 'a+Bc');
    });
    it('refuses overlapping edits', () => {
      assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 4, newText: '' }, { start: 3, end: 5, newText: '' }]), /overlapping/);
    });
    it('refuses two inserts at the same point', () => {
      assert.throws(() => applyEdits('abc', [{ start: 1, end: 1, newText: 'x' }, { start: 1, end: 1, newText: 'y' }]), /overlapping/);
    });
  });

  it('lists the placeholders of a template', () => {
    assert.deepEqual(placeholders('Renaming `{table}.{from}` to `{to}` uses {from}'), ['table', 'from', 'to', 'from']);
  });

  describe('accepts a correct table', () => {
    it('valid', () => runValid(requireConcurrentIndexCreation, { sql: 'CREATE INDEX CONCURRENTLY i ON users (email);' }));
    it('invalid with output', () =>
      runInvalid(requireConcurrentIndexCreation, {
        sql: INDEX_MARKED,
        errors: [{ messageId: 'blocksWrites', data: { table: 'users' }, fix: { title: 'Add CONCURRENTLY', preferred: true } }],
        output: INDEX_FIXED,
      }));
    it('invalid without data (message matched against the template)', () =>
      runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename' }] }));
    it('invalid with partial data', () =>
      runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename', data: { to: 'full_name' } }] }));
  });

  describe('refuses sloppy tables', () => {
    const refusals: { name: string; run: () => void; error: RegExp }[] = [
      {
        name: 'a fix was produced but no output is given',
        run: () => runInvalid(requireConcurrentIndexCreation, { sql: INDEX_MARKED, errors: [{ messageId: 'blocksWrites' }] }),
        error: /needs an output/,
      },
      {
        name: 'output equals the input',
        run: () => runInvalid(requireConcurrentIndexCreation, { sql: INDEX_MARKED, errors: [{ messageId: 'blocksWrites' }], output: INDEX }),
        error: /output equals the input/,
      },
      {
        name: 'output differs from the fixed text',
        run: () => runInvalid(requireConcurrentIndexCreation, { sql: INDEX_MARKED, errors: [{ messageId: 'blocksWrites' }], output: 'CREATE INDEX CONCURRENTLY x;' }),
        error: /text after applying the fixes/,
      },
      {
        name: 'output given but the rule has no fix',
        run: () => runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename' }], output: 'ALTER TABLE users ADD COLUMN full_name text;' }),
        error: /produced no fix/,
      },
      {
        name: 'messageId not in rule.messages',
        run: () => runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'renamed' as 'rename' }] }),
        error: /unknown messageId "renamed"/,
      },
      {
        name: 'data key that is not a placeholder',
        run: () => runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename', data: { column: 'name' } }] }),
        error: /data key "column"/,
      },
      {
        name: 'wrong data',
        run: () => runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename', data: { table: 'users', from: 'name', to: 'nick' } }] }),
        error: /message/,
      },
      {
        name: 'wrong partial data',
        run: () => runInvalid(renamingColumn, { sql: RENAME_MARKED, errors: [{ messageId: 'rename', data: { to: 'nick' } }] }),
        error: /not message "rename"/,
      },
      {
        name: 'no markers',
        run: () => runInvalid(renamingColumn, { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;', errors: [{ messageId: 'rename' }] }),
        error: /0 marked span\(s\) but 1 expected/,
      },
      {
        name: 'marker in the wrong place',
        run: () => runInvalid(renamingColumn, { sql: '«ALTER TABLE users» RENAME COLUMN name TO full_name;', errors: [{ messageId: 'rename' }] }),
        error: /not where it is marked/,
      },
      {
        name: 'fewer expected errors than findings',
        run: () =>
          runInvalid(renamingColumn, {
            sql: '«ALTER TABLE a RENAME COLUMN x TO y»;\nALTER TABLE b RENAME COLUMN x TO y;',
            errors: [{ messageId: 'rename' }],
          }),
        error: /expected 1 renaming-column finding\(s\), got 2/,
      },
      {
        name: 'no expected errors at all',
        run: () => runInvalid(renamingColumn, { sql: 'SELECT 1;', errors: [] }),
        error: /at least one error/,
      },
      {
        name: 'valid case that reports',
        run: () => runValid(renamingColumn, { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;' }),
        error: /expected no renaming-column findings/,
      },
      {
        name: 'markers in a valid case',
        run: () => runValid(renamingColumn, { sql: '«SELECT 1»;' }),
        error: /must not contain/,
      },
      {
        name: 'fix preferred flag differs',
        run: () =>
          runInvalid(requireConcurrentIndexCreation, {
            sql: INDEX_MARKED,
            errors: [{ messageId: 'blocksWrites', fix: { preferred: false } }],
            output: INDEX_FIXED,
          }),
        error: /fix preferred/,
      },
    ];
    for (const r of refusals) it(r.name, () => assert.throws(r.run, r.error));

    it('duplicate cases (same SQL and options, markers ignored)', () => {
      assert.deepEqual(
        duplicateCases({
          valid: ['SELECT 1;', { sql: 'SELECT 1;', options: { postgresVersion: 10 } }, { name: 'again', sql: 'SELECT 1;' }],
          invalid: [{ sql: '«SELECT 1»;', errors: [{ messageId: 'x' }] }],
        }),
        ['SELECT 1;', 'SELECT 1;'],
      );
      assert.deepEqual(duplicateCases({ valid: ['SELECT 1;', 'SELECT 2;'], invalid: [] }), []);
    });
  });
});
