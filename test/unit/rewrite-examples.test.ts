/**
 * The expand-contract rewrites, tested from their documented examples: each example's phases must come out exactly
 * as written; every phase's up and down parses and re-lints clean with the recommended rules (run with the phase's own
 * transaction mode, on the schema the earlier phases produced); and the registry holds every rewrite file once.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, buildCatalog, initParser, parseFile, RULES_BY_ID } from '../../server/src/analysis';
import type { Phase } from '../../server/src/analysis/plan';
import { REWRITES, renderPhase, rewritesAt, type RewriteDefinition, type RewriteExample } from '../../server/src/analysis/rewrites';

const DIR = join(process.cwd(), 'server', 'src', 'analysis', 'rewrites');
const CURSOR = '$0';

export function runExample(r: RewriteDefinition, ex: RewriteExample) {
  const at = ex.before.indexOf(CURSOR);
  const text = ex.before.replace(CURSOR, '');
  const offset = at >= 0 ? at : (parseFile(text).statements[0]?.span.start ?? 0);
  const catalog = buildCatalog(ex.schema ? [ex.schema] : []);
  return rewritesAt(text, offset, { ...ex.options, catalog }).find((x) => x.id === r.id);
}

/** Findings of the recommended rules on one phase's SQL. */
function lint(sql: string, phase: Phase, schema: string[], postgresVersion?: number): string[] {
  const catalog = buildCatalog(schema);
  return analyze(sql, { assumeInTransaction: phase.inTransaction, postgresVersion }, { catalog }).findings.map((f) => `${f.ruleId}: ${f.message}`);
}

/**
 * Findings a phase is allowed to keep, with the reason: rules about the user's own choice of type, which the rewrite
 * copies as written, and the index a foreign key may need, which is the user's decision.
 */
const ALLOWED: Record<string, string> = {
  'prefer-text-field': 'the column type is the one the user wrote',
  'prefer-bigint-over-int': 'the column type is the one the user wrote',
  'prefer-timestamptz': 'the column type is the one the user wrote',
  'require-index-for-foreign-key': 'the foreign key is the one the user wrote',
};

before(() => initParser());

describe('rewrites: registry', () => {
  it('registers every rewrite file once, with id = file name', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.ts') && /defineRewrite\(/.test(readFileSync(join(DIR, f), 'utf8')) && f !== 'rewrite.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    assert.deepEqual(REWRITES.map((r) => r.id).sort(), files);
    assert.equal(new Set(REWRITES.map((r) => r.id)).size, REWRITES.length);
  });

  for (const r of REWRITES) {
    it(`${r.id}: metadata`, () => {
      assert.match(r.description, /^[A-Z].*\.$/, 'description is a sentence');
      assert.ok(r.examples.length > 0, 'has examples');
      for (const id of r.appliesTo) assert.ok(RULES_BY_ID.has(id), `appliesTo names the rule ${id}`);
      const names = r.examples.map((e) => e.name ?? e.before);
      assert.equal(new Set(names).size, names.length, 'examples are distinct');
    });
  }
});

for (const r of REWRITES) {
  describe(`rewrite ${r.id}`, () => {
    for (const ex of r.examples) {
      const title = ex.name ?? ex.before.replace(CURSOR, '');
      it(`example: ${title}`, () => {
        const got = runExample(r, ex);
        const rendered = got?.phases.map(renderPhase) ?? [];
        if (process.env.MG_DUMP_REWRITES) console.log(`\n=== ${r.id}: ${title}\n${rendered.map((p) => '`' + p + '`').join(',\n')}\n${JSON.stringify({ title: got?.title, preferred: got?.preferred })}`);
        assert.deepEqual(rendered, ex.phases);
        if (got) {
          assert.ok(got.replacement.length > 0);
          assert.equal(got.phases[0].up.includes(got.replacement.replace(/^BEGIN;\n|\nCOMMIT;$/g, '').split('\n').pop()!), true, 'the replacement is the first phase');
        }
      });
      it(`example: ${title}: every phase parses and re-lints clean`, () => {
        const got = runExample(r, ex);
        if (!got) return assert.equal(ex.phases.length, 0, 'no rewrite offered');
        const applied = ex.schema ? [ex.schema] : [];
        for (const [k, phase] of got.phases.entries()) {
          for (const [which, sql, schema] of [
            ['up', phase.up, applied],
            ['down', phase.down, [...applied, phase.up]],
          ] as const) {
            if (sql === undefined) continue;
            const parsed = parseFile(sql);
            assert.deepEqual(parsed.statements.filter((s) => s.error).map((s) => s.error!.message), [], `phase ${k} ${which} parses`);
            const findings = lint(`${phase.header}\n${sql}`, phase, [...schema], ex.options?.postgresVersion).filter((f) => !(f.split(':')[0] in ALLOWED));
            assert.deepEqual(findings, [], `phase ${k} (${phase.name}) ${which} lints clean`);
          }
          applied.push(phase.up);
        }
      });
    }
  });
}
