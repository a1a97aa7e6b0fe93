/**
 * Every file of the real-world corpus (../shared/corpus: 4,372 migrations from 23 projects plus the large inputs of
 * `_large/`, pg_dump files up to 3 MB) through the same path the CLI and the editor take (`analyzeMigration`: config,
 * the folder's earlier migrations, the tool's transactions), through the lock model and through the reverse
 * generator: zero exceptions, every parsed statement accounted for, and each file within a generous time bound
 * (a hang or a quadratic blow-up, not a benchmark: `npm run bench` measures speed). Each failing file is reported.
 */
import * as assert from 'node:assert/strict';
import { analyzeMigration, initParser, reverseMigration, statementEffect } from '../../server/src/analysis';
import { corpusAvailable, readManifest } from '../support/corpus';
import { fsHost, memoizedHost } from '../support/fsHost';

describe('corpus sweep: lint and locks over every corpus file', function () {
  this.timeout(600_000);
  before(async () => {
    await initParser();
  });

  it('analyzes every file without an exception', () => {
    assert.ok(corpusAvailable(), 'corpus missing: ../shared/corpus/MANIFEST.tsv');
    const rows = readManifest();
    const host = memoizedHost(fsHost());
    const failures: string[] = [];
    let files = 0;
    let statements = 0;
    let findings = 0;
    for (const row of rows) {
      try {
        const t0 = performance.now();
        const a = analyzeMigration(row.file, host);
        assert.ok(a.result, `${row.file} was excluded`);
        for (const s of a.result.file.statements) statementEffect(s.node, a.result.options);
        const down = reverseMigration(a.result.file.text, { assumeInTransaction: a.result.options.assumeInTransaction });
        assert.equal(typeof down.sql, 'string');
        const ms = performance.now() - t0;
        const bound = 5_000 + row.bytes / 100; // 5 s + 10 ms per KB: 35 s for the 3 MB pagila.sql
        assert.ok(ms < bound, `${row.file}: ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
        files++;
        statements += a.result.file.statements.length;
        findings += a.result.findings.length;
      } catch (e) {
        failures.push(`${row.file}: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} files threw`);
    assert.equal(files, rows.length);
    assert.ok(rows.length >= 4381, `${rows.length} MANIFEST rows`);
    assert.ok(rows.filter((r) => r.flags.has('large')).length >= 9, 'the _large/ inputs are swept too');
    // Sanity: the corpus is real SQL, so nearly every file yields statements, and unsafe patterns are found.
    assert.ok(statements > 20_000, `${statements} statements`); // 23,969 when written
    assert.ok(findings > 10_000, `${findings} findings`);
  });
});
