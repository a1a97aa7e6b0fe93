/**
 * Realistic multi-statement migrations (test/fixtures/migrations/*.sql) and the findings they must produce, kept in
 * `<name>.expected` next to each: one line per finding, `line:column rule: message`. The expectations were reviewed by
 * hand; `UPDATE_FIXTURES=1 npm run test:unit` rewrites them after a deliberate change (review the diff).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, initParser } from '../../server/src/analysis';

const DIR = join(process.cwd(), 'test', 'fixtures', 'migrations');

function render(sql: string): string {
  const r = analyze(sql);
  return r.findings
    .map((f) => {
      const p = r.file.lines.positionAt(f.span.start);
      return `${p.line + 1}:${p.character + 1} ${f.ruleId}: ${f.message}\n`;
    })
    .join('');
}

describe('realistic migration fixtures', () => {
  before(async () => {
    await initParser();
  });

  const files = readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();
  it('has fixtures', () => assert.ok(files.length >= 6, `${files.length} fixtures`));

  for (const f of files) {
    it(f, () => {
      const actual = render(readFileSync(join(DIR, f), 'utf8'));
      const expectedPath = join(DIR, f.replace(/\.sql$/, '.expected'));
      if (process.env.UPDATE_FIXTURES) writeFileSync(expectedPath, actual);
      assert.ok(existsSync(expectedPath), `${expectedPath} is missing: run UPDATE_FIXTURES=1 npm run test:unit and review it`);
      assert.equal(actual, readFileSync(expectedPath, 'utf8'));
    });
  }
});
