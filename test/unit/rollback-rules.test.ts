/**
 * The rollback rules through `analyzeMigration`, the path the CLI and the editor take: the project layer finds the
 * down (or up) and `analyze` gets it as `context.rollback`. Then over the real-world corpus: `require-down-migration`
 * fires exactly on the ups whose MANIFEST row has no down where the project writes downs, as information at most on
 * up-only tools, and differently (information) where the down is an explicit irreversible marker.
 */
import * as assert from 'node:assert/strict';
import { analyzeMigration, initParser, type Finding } from '../../server/src/analysis';
import { corpusAvailable, readManifest, reconstructedMetadata, type ManifestRow } from '../support/corpus';
import { fsHost, memoizedHost, memoryHost, overlayHost } from '../support/fsHost';

const ROLLBACK_RULES = ['require-down-migration', 'require-complete-down', 'ban-irreversible-statement', 'ban-down-data-loss'];

function rollbackFindings(findings: readonly Finding[]): string[] {
  return findings.filter((f) => ROLLBACK_RULES.includes(f.ruleId)).map((f) => `${f.ruleId}/${f.severity}: ${f.message}`);
}

describe('rollback rules in a migration project', () => {
  before(async () => {
    await initParser();
  });

  it('golang-migrate: a missing down, an incomplete one, and what a down destroys', () => {
    const host = memoryHost({
      'm/1_users.up.sql': 'CREATE TABLE users (id int, email text);',
      'm/1_users.down.sql': 'DROP TABLE users;',
      'm/2_nick.up.sql': 'ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick_idx ON users (nick);',
      'm/2_nick.down.sql': 'DROP INDEX users_nick_idx;\nALTER TABLE users DROP COLUMN email;',
      'm/3_drop_email.up.sql': 'ALTER TABLE users DROP COLUMN email;',
    });
    const up2 = analyzeMigration('m/2_nick.up.sql', host).result!;
    assert.deepEqual(rollbackFindings(up2.findings), [
      'require-complete-down/warning: The down migration does not drop column `users.nick`, which this ADD COLUMN creates: after a rollback it is still there, and running the up again fails on it.',
    ]);
    const down2 = analyzeMigration('m/2_nick.down.sql', host).result!;
    assert.deepEqual(rollbackFindings(down2.findings), [
      'ban-down-data-loss/warning: DROP COLUMN deletes column `users.email`, which the up did not create: it existed before the migration, and rolling back destroys it with its data.',
    ]);
    const up3 = analyzeMigration('m/3_drop_email.up.sql', host).result!;
    assert.deepEqual(rollbackFindings(up3.findings), [
      'ban-irreversible-statement/warning: DROP COLUMN cannot be rolled back: data in users.email is lost. A down migration can restore the schema, not the data.',
      'require-down-migration/warning: This migration has no down migration (no down file), although the golang-migrate migrations of this project have them: it cannot be rolled back.',
    ]);
    const down1 = analyzeMigration('m/1_users.down.sql', host).result!;
    assert.deepEqual(rollbackFindings(down1.findings), [
      'ban-down-data-loss/info: Data written since the up in `users` is lost by DROP TABLE: the up created this table, and rolling back deletes it with everything stored in it.',
    ]);
  });

  it('dbmate: the down section of the same file, its findings pointing into it', () => {
    const text = '-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN nick;\nDROP TABLE sessions;\n';
    const host = memoryHost({ 'db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\nCREATE TABLE sessions (id int);\n-- migrate:down\nDROP TABLE users;\n', 'db/migrations/20240102000000_nick.sql': text });
    const r = analyzeMigration('db/migrations/20240102000000_nick.sql', host).result!;
    const found = r.findings.filter((f) => f.ruleId === 'ban-down-data-loss').map((f) => [f.severity, text.slice(f.span.start, f.span.end)]);
    assert.deepEqual(found, [
      ['info', 'ALTER TABLE users DROP COLUMN nick'],
      ['warning', 'DROP TABLE sessions'],
    ]);
    assert.deepEqual(rollbackFindings(r.findings).filter((f) => !f.startsWith('ban-down-data-loss')), []);
  });

  it('Prisma: up-only, so information at most', () => {
    const host = memoryHost({ 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id int);\nALTER TABLE users DROP COLUMN id;' });
    const r = analyzeMigration('prisma/migrations/20240101000000_init/migration.sql', host).result!;
    assert.deepEqual(rollbackFindings(r.findings), ['require-down-migration/info: Prisma migrations have no down migration: undoing this one means writing a new migration that reverses it.']);
  });
});

/** The up rows of the MANIFEST, with what the MANIFEST (not the project layer) says about their rollback. */
interface UpRow {
  row: ManifestRow;
  hasDown: boolean;
  /** The down exists and is empty or comments only. */
  marker: boolean;
  /** The project writes downs for this tool (some row of the same repository and tool has one). */
  projectUsesDowns: boolean;
}

/** Tools that pair an up with a down file: a `single` row of theirs is not a migration (Lemmy's replaceable schema). */
const FILE_PAIRS = new Set(['diesel', 'golang-migrate', 'popx', 'pop-sql', 'sqitch']);

/** temporal's `schema.sql` / `database.sql`: the baseline a fresh install loads, not a versioned migration. */
const baseline = (r: ManifestRow): boolean => r.tool === 'temporal-sql-tool' && !r.path.includes('/versioned/');

/** Ory popx: the 14-digit timestamp group of a file, whose downs roll back the whole group. */
const popxGroup = (r: ManifestRow): string => `${r.repo}\t${r.path.slice(0, r.path.lastIndexOf('/') + 15)}`;

function upRows(rows: ManifestRow[]): UpRow[] {
  const byPath = new Map(rows.map((r) => [`${r.repo}\t${r.path}`, r]));
  const groupDowns = new Map<string, ManifestRow[]>();
  for (const r of rows.filter((x) => x.tool === 'popx' && x.kind === 'down' && !x.flags.has('shadowed'))) groupDowns.set(popxGroup(r), [...(groupDowns.get(popxGroup(r)) ?? []), r]);
  const usesDowns = new Set(rows.filter((r) => ['down', 'revert', 'undo'].includes(r.kind) || r.flags.has('inline-down') || r.flags.has('inline-down-empty')).map((r) => `${r.repo}\t${r.tool}`));
  // Single-file formats (goose, dbmate): a project expects downs from the first file of the folder that has one on.
  const folder = (r: ManifestRow) => `${r.repo}\t${r.path.slice(0, r.path.lastIndexOf('/'))}`;
  const adopted = new Map<string, string>();
  for (const r of rows.filter((x) => x.flags.has('inline-down') || x.flags.has('inline-down-empty'))) {
    const first = adopted.get(folder(r));
    if (first === undefined || r.path < first) adopted.set(folder(r), r.path);
  }
  return rows
    .filter((r) => r.kind === 'up' || r.kind === 'deploy' || (r.kind === 'single' && !FILE_PAIRS.has(r.tool) && !r.flags.has('repeatable') && r.tool !== 'large-input' && !baseline(r)))
    .map((row) => {
      const pair = row.pairPath ? byPath.get(`${row.repo}\t${row.pairPath}`) : undefined;
      const inline = row.flags.has('inline-down') || row.flags.has('inline-down-empty');
      return {
        row,
        hasDown: !!pair || inline,
        // popx: an empty down is a marker only when every down of the group is empty (one down may undo the group).
        marker: row.flags.has('inline-down-empty') || (row.tool === 'popx' ? (groupDowns.get(popxGroup(row)) ?? []).every((d) => d.flags.has('empty')) : !!pair?.flags.has('empty')),
        projectUsesDowns: row.kind === 'single' ? (adopted.get(folder(row)) ?? '\uffff') <= row.path : usesDowns.has(`${row.repo}\t${row.tool}`),
      };
    });
}

describe('require-down-migration over the corpus MANIFEST', function () {
  this.timeout(600_000);
  before(async () => {
    await initParser();
  });

  it('fires exactly on the ups without a down where the project writes downs', () => {
    assert.ok(corpusAvailable(), 'corpus missing: ../shared/corpus/MANIFEST.tsv');
    const rows = readManifest();
    const host = overlayHost(memoizedHost(fsHost()), reconstructedMetadata(rows));
    const ups = upRows(rows);
    const wrong: string[] = [];
    const counts = { missing: 0, upOnly: 0, marked: 0, quiet: 0 };
    for (const u of ups) {
      const r = analyzeMigration(u.row.file, host).result!;
      const found = r.findings.filter((f) => f.ruleId === 'require-down-migration');
      let expected: string;
      if (u.row.flags.has('shadowed')) expected = 'none';
      else if (u.hasDown) expected = u.marker ? 'info:marked' : 'none';
      else expected = u.projectUsesDowns ? 'warning:missing' : 'info:upOnly';
      const got = found.length === 0 ? 'none' : found.map((f) => `${f.severity}:${/empty/.test(f.message) ? 'marked' : /have no down/.test(f.message) ? 'upOnly' : 'missing'}`).join(',');
      if (got !== expected) wrong.push(`${u.row.repo} ${u.row.path} (${u.row.tool}, ${[...u.row.flags].join(',')}): expected ${expected}, got ${got}`);
      if (got === 'warning:missing') counts.missing++;
      else if (got === 'info:upOnly') counts.upOnly++;
      else if (got === 'info:marked') counts.marked++;
      else counts.quiet++;
    }
    const kinds = new Map<string, number>();
    for (const w of wrong) {
      const k = w.replace(/^(\S+) \S+ /, '$1 ');
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${ups.length} ups disagree with the MANIFEST:\n${[...kinds].map(([k, n]) => `${n} × ${k}`).join('\n')}`);
    // The corpus has both cases: projects with downs that miss some, and up-only projects.
    assert.ok(counts.missing > 0 && counts.upOnly > 0 && counts.marked > 0, JSON.stringify(counts));
    console.log(`      ${ups.length} ups: ${JSON.stringify(counts)}`);
  });
});
