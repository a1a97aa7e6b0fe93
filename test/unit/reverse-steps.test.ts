/**
 * Every reverser's documented examples run as tests (earlier migrations → catalog, up → exact down text and exact
 * irreversible reasons), plus a registry test: each file in `reverse/steps/` registered once, id = file name.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, initParser, parseFile } from '../../server/src/analysis';
import { REVERSERS, reverseMigration } from '../../server/src/analysis/reverse';

const STEPS_DIR = join(process.cwd(), 'server', 'src', 'analysis', 'reverse', 'steps');
const stepFiles = readdirSync(STEPS_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('reverse steps', () => {
  before(async () => {
    await initParser();
  });

  it('registers every reverser file exactly once, under its file name', () => {
    assert.ok(stepFiles.length >= 20, `only ${stepFiles.length} reverser files`);
    assert.deepEqual(REVERSERS.map((r) => r.id).sort(), stepFiles);
    assert.equal(new Set(REVERSERS).size, REVERSERS.length);
    const handles = REVERSERS.flatMap((r) => r.handles);
    assert.equal(new Set(handles).size, handles.length, 'two reversers handle the same statement kind');
  });

  for (const r of REVERSERS) {
    describe(r.id, () => {
      it('has a description that is a sentence and at least one example', () => {
        assert.match(r.description, /^[A-Z].*\.$/);
        assert.ok(r.examples.length > 0);
      });
      r.examples.forEach((ex, i) => {
        it(ex.name ?? `example ${i + 1}`, () => {
          const catalog = buildCatalog(ex.schema ? [ex.schema] : []);
          const result = reverseMigration(ex.up, { catalog });
          assert.equal(result.sql, ex.down);
          assert.deepEqual(result.irreversible.map((x) => x.reason), ex.irreversible ?? []);
          assert.equal(result.complete, !ex.irreversible?.length);
          // The example exercises this reverser.
          assert.ok(result.steps.some((s) => s.reverserId === r.id) || r.id === 'transaction', `no step used ${r.id}: ${result.steps.map((s) => s.reverserId).join(', ')}`);
          // Generated SQL parses.
          for (const s of parseFile(result.sql).statements) assert.equal(s.error, undefined, `${s.text}: ${s.error?.message}`);
        });
      });
    });
  }
});
