/**
 * docs/rules/<id>.md is generated from each rule's metadata. This test fails when a page is missing, stale or
 * orphaned; run `UPDATE_DOCS=1 npm run test:unit` (or `npm run docs`) to regenerate.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, renderRuleDoc, renderRuleIndex } from '../../server/src/analysis';

const DIR = join(process.cwd(), 'docs', 'rules');

describe('rule documentation pages', () => {
  if (process.env.UPDATE_DOCS) {
    mkdirSync(DIR, { recursive: true });
    for (const f of readdirSync(DIR)) if (f.endsWith('.md') && f !== 'README.md' && !RULES.some((r) => `${r.id}.md` === f)) unlinkSync(join(DIR, f));
    for (const r of RULES) writeFileSync(join(DIR, `${r.id}.md`), renderRuleDoc(r));
    writeFileSync(join(DIR, 'README.md'), renderRuleIndex(RULES));
  }

  for (const rule of RULES) {
    it(`docs/rules/${rule.id}.md is up to date`, () => {
      const path = join(DIR, `${rule.id}.md`);
      assert.ok(existsSync(path), `${path} is missing: run UPDATE_DOCS=1 npm run test:unit`);
      assert.equal(readFileSync(path, 'utf8'), renderRuleDoc(rule), `${path} is stale: run UPDATE_DOCS=1 npm run test:unit`);
    });
  }

  it('docs/rules/README.md (the index) is up to date', () => {
    assert.equal(readFileSync(join(DIR, 'README.md'), 'utf8'), renderRuleIndex(RULES), 'stale: run UPDATE_DOCS=1 npm run test:unit');
  });

  it('has no page for a rule that does not exist', () => {
    const orphans = readdirSync(DIR).filter((f) => f.endsWith('.md') && f !== 'README.md' && !RULES.some((r) => `${r.id}.md` === f));
    assert.deepEqual(orphans, []);
  });
});
