/**
 * Smoke test over the shared corpus: `reverseForMigration` on every forward migration (up, single, deploy) with no
 * crash, generated SQL that parses, and a down file placed for every up that has one. Prints the fraction the
 * generator reverses completely, per tool.
 */
import * as assert from 'node:assert/strict';
import { initParser, parseFile } from '../../server/src/analysis';
import { reverseForMigration } from '../../server/src/analysis/reverse/target';
import { corpusAvailable, readManifest, reconstructedMetadata } from '../support/corpus';
import { fsHost, memoizedHost, overlayHost } from '../support/fsHost';

describe('reverse over the corpus', function () {
  this.timeout(600_000);

  before(async () => {
    await initParser();
  });

  it('reverses every forward migration without crashing, into SQL that parses', () => {
    assert.ok(corpusAvailable(), 'corpus missing: ../shared/corpus/MANIFEST.tsv');
    const rows = readManifest();
    const host = memoizedHost(overlayHost(fsHost(), reconstructedMetadata(rows)));
    const forward = rows.filter((r) => r.kind === 'up' || r.kind === 'single' || r.kind === 'deploy');
    const crashes: string[] = [];
    const unparsable: string[] = [];
    const unplaced: string[] = [];
    const byTool = new Map<string, { n: number; complete: number }>();
    for (const row of forward) {
      try {
        const plan = reverseForMigration(row.file, host);
        const t = byTool.get(row.tool) ?? { n: 0, complete: 0 };
        t.n++;
        if (plan.result.complete) t.complete++;
        byTool.set(row.tool, t);
        for (const s of parseFile(plan.result.sql).statements) if (s.error) unparsable.push(`${row.repo}/${row.path}: ${s.text.slice(0, 80)}: ${s.error.message}`);
        // An up with a down file in the corpus: the plan points at that file.
        if (row.kind === 'up' && row.pairPath && plan.downPath === undefined) unplaced.push(`${row.repo}/${row.path}: ${plan.reason}`);
      } catch (e) {
        crashes.push(`${row.repo}/${row.path}: ${(e as Error).stack}`);
      }
    }
    const total = [...byTool.values()].reduce((a, t) => ({ n: a.n + t.n, complete: a.complete + t.complete }), { n: 0, complete: 0 });
    console.log(`      reversed completely: ${total.complete}/${total.n} (${((100 * total.complete) / total.n).toFixed(1)} %)`);
    for (const [tool, t] of [...byTool].sort()) console.log(`        ${tool}: ${t.complete}/${t.n}`);
    assert.deepEqual(crashes, []);
    assert.deepEqual(unparsable, []);
    assert.deepEqual(unplaced, []);
    assert.ok(total.n > 2000);
  });
});
