/**
 * Every file of the real-world corpus (../shared/corpus: 4,372 migrations from 23 projects plus 9 large inputs)
 * through the same path the CLI and the editor take (`analyzeMigration`: config, the folder's earlier migrations,
 * the tool's transactions) and through the lock model: zero exceptions, and every parsed statement accounted for.
 * No timing assertions (the benchmark measures speed); each file is still reported if it throws.
 */
import * as assert from 'node:assert/strict';
import { analyzeMigration, initParser, statementEffect } from '../../server/src/analysis';
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
        const a = analyzeMigration(row.file, host);
        assert.ok(a.result, `${row.file} was excluded`);
        for (const s of a.result.file.statements) statementEffect(s.node, a.result.options);
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
    // Sanity: the corpus is real SQL, so nearly every file yields statements, and unsafe patterns are found.
    assert.ok(statements > 20_000, `${statements} statements`); // 23,969 when written
    assert.ok(findings > 10_000, `${findings} findings`);
  });
});
