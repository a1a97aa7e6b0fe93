// The rollback round trip on real PostgreSQL (issue 4): the harness on a small folder whose outcomes are known,
// then the CI slice of the corpus (the first pairs of several repositories). The full sweep is `npm run roundtrip`
// (scripts/roundtrip.mjs), which writes docs/ROUNDTRIP.md.
// Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh; or MG_PG_BIN) and ../shared/corpus.

import * as assert from 'node:assert/strict';
import { initParser } from '../../server/src/analysis/parse';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { CachedDiskHost } from '../../server/src/host/disk';
import { corpusAvailable, readManifest, reconstructedMetadata } from '../support/corpus';
import { memoryHost, overlayHost } from '../support/fsHost';
import { generator } from './support/generator';
import { figuresOf, pct, planFiles, planRepo, runRepo, totalOf, type Figures } from './support/roundtrip';

/**
 * The slice: the first `limit` pairs of each repository, and what the human-written downs did on them when the slice
 * was chosen (PostgreSQL 15, 2026-11-21, the same as the full sweep's first pairs in docs/ROUNDTRIP.md). The corpus and PostgreSQL are fixed, so these are the harness's own
 * regression check: a normalization that hides differences, or a replay that loses migrations, moves them.
 */
const SLICE: { repo: string; limit: number; human: { tested: number; exact: number; differs: number; errors: number } }[] = [
  { repo: 'rust-lang/crates.io', limit: 15, human: { tested: 15, exact: 14, differs: 1, errors: 0 } },
  { repo: 'dani-garcia/vaultwarden', limit: 6, human: { tested: 6, exact: 2, differs: 4, errors: 0 } },
  { repo: 'ory/kratos', limit: 10, human: { tested: 10, exact: 8, differs: 2, errors: 0 } },
];

/** Issue 4's target: generated downs restore the schema exactly on at least 90 % of the pairs whose up is reversible. */
const TARGET_EXACT_OF_REVERSIBLE = 0.9;

describe('rollback round trip on PostgreSQL', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('tells exact, differing and failing downs apart, and continues past a failing up', async () => {
    const dir = '/virtual/db/migrations';
    const host = memoryHost({
      [`${dir}/1_users.up.sql`]: 'CREATE TABLE users (id int PRIMARY KEY, email text);',
      [`${dir}/1_users.down.sql`]: 'DROP TABLE users;',
      [`${dir}/2_email_index.up.sql`]: 'CREATE INDEX users_email ON users (email);',
      [`${dir}/2_email_index.down.sql`]: '-- forgot the index\nSELECT 1;',
      [`${dir}/3_broken.up.sql`]: 'ALTER TABLE no_such_table ADD COLUMN x int;',
      [`${dir}/3_broken.down.sql`]: 'SELECT 1;',
      [`${dir}/4_name.up.sql`]: 'ALTER TABLE users ADD COLUMN name text;',
      [`${dir}/4_name.down.sql`]: 'ALTER TABLE users DROP COLUMN nam;',
      [`${dir}/5_age.up.sql`]: 'ALTER TABLE users ADD COLUMN age int;',
      [`${dir}/5_age.down.sql`]: 'ALTER TABLE users DROP COLUMN age;',
    });
    const plan = planFiles('synthetic', [`${dir}/1_users.up.sql`], host);
    assert.deepEqual(
      plan.units.map((u) => u.id),
      ['1_users.up.sql', '2_email_index.up.sql', '3_broken.up.sql', '4_name.up.sql', '5_age.up.sql'],
    );
    const r = await runRepo(cluster, plan, { host, generate: generator(), checkpointEvery: 2 });
    const by = new Map(r.units.map((u) => [u.id, u]));
    assert.equal(by.get('1_users.up.sql')?.human?.status, 'exact');
    assert.equal(by.get('2_email_index.up.sql')?.human?.status, 'differs');
    assert.deepEqual(by.get('2_email_index.up.sql')?.human?.diff, ['+ CREATE INDEX users_email ON public.users USING btree (email);']);
    assert.match(by.get('3_broken.up.sql')?.upError ?? '', /relation "no_such_table" does not exist/);
    assert.equal(by.get('4_name.up.sql')?.human?.status, 'down-error');
    // 5 runs on the state after 4 although 4's down failed: the working database was rebuilt.
    assert.equal(by.get('5_age.up.sql')?.human?.status, 'exact');
    // The generated downs undo all four ups that ran.
    for (const id of ['1_users.up.sql', '2_email_index.up.sql', '4_name.up.sql', '5_age.up.sql']) {
      assert.equal(by.get(id)?.generated?.status, 'exact', `${id}: ${JSON.stringify(by.get(id)?.generated)}`);
    }
    const f = figuresOf(r);
    assert.deepEqual([f.pairs, f.upErrors, f.tested, f.human.exact, f.human.differs, f.human.errors], [5, 1, 4, 2, 1, 1]);
  });

  describe('corpus slice', () => {
    const figures: Figures[] = [];
    before(function () {
      if (!corpusAvailable()) throw new Error('the shared corpus (../shared/corpus) is missing');
    });

    for (const s of SLICE) {
      it(`${s.repo}: first ${s.limit} pairs`, async () => {
        const rows = readManifest();
        const host = overlayHost(new CachedDiskHost({ snapshot: true }), reconstructedMetadata(rows));
        const plan = planRepo(s.repo, rows, host);
        const f = figuresOf(await runRepo(cluster, plan, { host, generate: generator(), limit: s.limit }));
        figures.push(f);
        const g0 = f.generated!;
        console.log(
          `      ${s.repo}: ${f.tested} tested; human exact ${f.human.exact}, differs ${f.human.differs}, down fails ${f.human.errors}; ` +
            `generated reversible ${g0.reversible}, exact ${g0.exact} (${pct(g0.exact, g0.reversible)}), exact overall ${g0.exactAll}, flagged ${g0.flagged}`,
        );
        assert.deepEqual({ tested: f.tested, exact: f.human.exact, differs: f.human.differs, errors: f.human.errors }, s.human, 'human-written downs');
        const g = f.generated!;
        const wrong = g.unflaggedWrong.map((w) => `${w.id} (${w.status}): ${w.detail.slice(0, 2).join(' | ')}`);
        // Every pair whose schema differs after the generated down is one the generator flagged.
        assert.deepEqual(wrong, [], 'reversible pairs whose generated down does not restore the schema');
        assert.ok(g.exact >= TARGET_EXACT_OF_REVERSIBLE * g.reversible, `generated exact ${g.exact}/${g.reversible} (${pct(g.exact, g.reversible)}):\n${wrong.join('\n')}`);
      });
    }

    it('generated downs restore the schema on more pairs than the human-written ones', () => {
      const t = totalOf(figures);
      assert.equal(figures.length, SLICE.length);
      assert.ok(t.generated!.exactAll > t.human.exact, `generated ${t.generated!.exactAll}, human ${t.human.exact}`);
    });
  });
});
