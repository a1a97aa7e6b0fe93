/**
 * Convention detection over the real-world corpus (/work/shared/corpus, MANIFEST.tsv): for every file, the tool
 * family, the role, the counterpart, the MANIFEST flags that are about conventions, and the apply order within each
 * sequence must be what the MANIFEST records.
 *
 * The corpus copied only `.sql` files, so diesel `metadata.toml`, `sqitch.plan` and temporal `manifest.json` are
 * missing; their effect is in the MANIFEST (`no-transaction`, `seq`). The corpus is checked twice:
 * - as it is on disk: everything matches except what only that metadata can tell (asserted exactly below: the
 *   crates.io migrations with `run_in_transaction = false`, and the sqitch order, which without a plan falls back
 *   to script names);
 * - with that metadata rebuilt from the MANIFEST and overlaid: everything matches.
 */
import * as assert from 'node:assert/strict';
import { detectConvention, type MigrationConvention, type MigrationTool, type ProjectHost } from '../../server/src/analysis/project';
import { corpusAvailable, readManifest, reconstructedMetadata, type ManifestRow } from '../support/corpus';
import { fsHost, memoizedHost, overlayHost } from '../support/fsHost';

/** MANIFEST `tool` → the tool detection must report. */
const FAMILY: Record<string, MigrationTool> = {
  diesel: 'diesel',
  popx: 'popx',
  'golang-migrate': 'golang-migrate',
  'pop-sql': 'pop',
  goose: 'goose',
  dbmate: 'dbmate',
  flyway: 'flyway',
  prisma: 'prisma',
  storage: 'postgres-migrations',
  'numbered-scripts': 'postgres-migrations',
  sqlx: 'sqlx',
  'temporal-sql-tool': 'temporal',
  'graphile-worker': 'graphile-worker',
  sqitch: 'sqitch',
  'large-input': 'none',
};

function expectedTool(row: ManifestRow): MigrationTool {
  // Lemmy's crates/diesel_utils/replaceable_schema/*.sql are run by Lemmy's own code after diesel, outside the
  // sequence (README: kind single, no seq); no convention names them, so they are plain SQL files.
  if (row.tool === 'diesel' && row.seq === undefined) return 'none';
  return FAMILY[row.tool];
}

function relative(row: ManifestRow, path: string | undefined): string {
  if (path === undefined) return '';
  return path.startsWith(`${row.root}/`) ? path.slice(row.root.length + 1) : `(outside the repository) ${path}`;
}

const NAME = /^(\d+)_(.*?)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.sql$/;

/** Every difference between the detected convention and the MANIFEST row, as `aspect: detail`. */
function problems(row: ManifestRow, c: MigrationConvention): string[] {
  const out: string[] = [];
  const want = expectedTool(row);
  if (c.tool !== want) out.push(`tool: ${c.tool}, MANIFEST ${row.tool} (${want})`);
  const role = row.kind === 'single' ? (row.flags.has('repeatable') ? 'repeatable' : 'single') : row.kind === 'undo' ? 'down' : row.kind;
  if (c.role !== role) out.push(`role: ${c.role}, MANIFEST ${row.kind}`);
  if (relative(row, c.pairPath) !== row.pairPath) out.push(`pair: ${relative(row, c.pairPath) || '(none)'}, MANIFEST ${row.pairPath || '(none)'}`);
  const flag = (name: string, detected: boolean) => {
    if (detected !== row.flags.has(name)) out.push(`flag ${name}: detected ${detected}`);
  };
  flag('repeatable', c.role === 'repeatable');
  flag('shadowed', c.shadowedBy !== undefined);
  flag('inline-down', !!c.sections?.down && !c.irreversibleMarker);
  flag('inline-down-empty', !!c.sections?.down && !!c.irreversibleMarker);
  flag('empty', c.empty);
  if (c.tool === 'diesel' || c.tool === 'goose') flag('no-transaction', c.transactionOptOut !== undefined);
  if (c.tool === 'popx') {
    flag('autocommit', c.transactionOptOut !== undefined);
    flag('all-dialects', c.dialect === undefined);
  }
  if (c.tool === 'golang-migrate' || c.tool === 'pop') {
    flag('unpaired', (c.role === 'up' || c.role === 'down') && c.pairPath === undefined);
    const own = NAME.exec(c.pairPath ? row.path.slice(row.path.lastIndexOf('/') + 1) : '');
    const other = NAME.exec(c.pairPath ? c.pairPath.slice(c.pairPath.lastIndexOf('/') + 1) : '');
    flag('pair-by-version', !!own && !!other && own[2] !== other[2]);
  }
  if (row.flags.has('unpaired') && c.downExpectation !== 'information') out.push('downExpectation: a project without downs must not require them');
  // A file in the apply order has an order key; one outside it (seq empty) has none.
  if ((row.seq !== undefined) !== (c.order !== undefined)) out.push(`order: ${c.order ?? '(none)'}, MANIFEST seq ${row.seq ?? '(none)'}`);
  return out;
}

/** The decisions of the transaction table (see conventions.ts) where the MANIFEST says what the tool does. */
function transactionProblems(row: ManifestRow, c: MigrationConvention): string[] {
  const expected: Partial<Record<string, boolean>> = {
    diesel: !row.flags.has('no-transaction'),
    goose: !row.flags.has('no-transaction'),
    popx: !row.flags.has('autocommit'),
    'golang-migrate': false,
    'pop-sql': true,
    dbmate: true,
    // The one Flyway file with CONCURRENTLY holds nothing else: Flyway runs it without a transaction.
    flyway: !row.flags.has('concurrently'),
    prisma: false,
    sqitch: false,
    'temporal-sql-tool': false,
    'graphile-worker': true,
    sqlx: true,
  };
  const want = row.seq === undefined ? undefined : expected[row.tool];
  if (want === undefined || c.wrapsInTransaction === want) return [];
  return [`wrapsInTransaction: ${c.wrapsInTransaction}, expected ${want}`];
}

interface Checked {
  row: ManifestRow;
  conv: MigrationConvention;
  problems: string[];
}

function check(rows: ManifestRow[], host: ProjectHost): Checked[] {
  return rows.map((row) => {
    const conv = detectConvention(row.file, host);
    return { row, conv, problems: [...problems(row, conv), ...transactionProblems(row, conv)] };
  });
}

/**
 * Apply order: within each detected sequence of a repository, sorting by the order key must sort by MANIFEST seq,
 * with equal keys exactly where seq is equal (an up and its down; Ory files shadowed by a `.postgres.` one).
 * Returns one line per out-of-order neighbour pair.
 *
 * One MANIFEST quirk is allowed and counted: it gives the two files of a golang-migrate `pair-by-version` pair
 * (`30_add_x.up.sql` ↔ `30_drop_x.down.sql`) consecutive seq numbers, though its README says a pair shares one. They
 * are one version to golang-migrate, so they share an order key here.
 */
function orderProblems(checked: Checked[]): { sequences: number; files: number; problems: string[]; splitPairs: number } {
  const groups = new Map<string, Checked[]>();
  for (const c of checked) {
    if (c.conv.order === undefined || c.row.seq === undefined) continue;
    const key = `${c.row.repo}\0${c.conv.sequence}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: string[] = [];
  let files = 0;
  let splitPairs = 0;
  for (const group of groups.values()) {
    files += group.length;
    group.sort((a, b) => (a.conv.order! < b.conv.order! ? -1 : a.conv.order! > b.conv.order! ? 1 : a.row.seq! - b.row.seq!));
    for (let i = 1; i < group.length; i++) {
      const [a, b] = [group[i - 1], group[i]];
      const sameKey = a.conv.order === b.conv.order;
      const splitPair = sameKey && a.row.pairPath === b.row.path && a.row.flags.has('pair-by-version') && b.row.flags.has('pair-by-version');
      if (splitPair && a.row.seq !== b.row.seq) splitPairs++;
      const ok = sameKey ? a.row.seq === b.row.seq || splitPair : a.row.seq! < b.row.seq!;
      if (!ok) out.push(`${a.row.repo}: ${a.row.path} (seq ${a.row.seq}) then ${b.row.path} (seq ${b.row.seq})`);
    }
  }
  return { sequences: groups.size, files, problems: out, splitPairs };
}

function summary(checked: Checked[]): string {
  return checked
    .filter((c) => c.problems.length)
    .slice(0, 15)
    .map((c) => `${c.row.repo} ${c.row.path}: ${c.problems.join('; ')}`)
    .join('\n');
}

const available = corpusAvailable();

describe('project conventions on the real-world corpus (MANIFEST.tsv)', () => {
  if (!available) {
    it('needs the corpus at ../shared/corpus', () => assert.fail('corpus missing: ../shared/corpus/MANIFEST.tsv'));
    return;
  }
  const rows = readManifest();
  // The corpus is read-only: one read per file and folder, however many detections look at it.
  const disk = memoizedHost(fsHost());
  const withMetadata = check(rows, overlayHost(disk, reconstructedMetadata(rows)));
  const ok = withMetadata.filter((c) => c.problems.length === 0).length;
  const order = orderProblems(withMetadata);

  describe('with the tool metadata the corpus left out rebuilt from the MANIFEST', () => {
    it(`detects tool, role, pair and flags for ${ok}/${rows.length} files`, () => {
      assert.equal(ok, rows.length, summary(withMetadata));
    });

    it(`applies ${order.files} files in MANIFEST order within ${order.sequences} sequences (${order.splitPairs} pair-by-version pairs numbered apart by the MANIFEST)`, () => {
      assert.deepEqual(order.problems.slice(0, 20), []);
      assert.equal(order.splitPairs, 6, 'ente-io/ente has 6 pair-by-version pairs');
    });

    const tools = [...new Set(rows.map((r) => r.tool))].sort();
    for (const tool of tools) {
      const mine = withMetadata.filter((c) => c.row.tool === tool);
      const good = mine.filter((c) => c.problems.length === 0).length;
      const roles = new Map<string, number>();
      for (const c of mine) roles.set(c.conv.role, (roles.get(c.conv.role) ?? 0) + 1);
      const detail = [...roles].map(([r, n]) => `${r} ${n}`).join(', ');
      const pairs = mine.filter((c) => c.conv.pairPath && (c.conv.role === 'up' || c.conv.role === 'deploy')).length;
      it(`${tool}: ${good}/${mine.length} files (${detail}; ${pairs} pairs)`, () => {
        assert.equal(good, mine.length, summary(mine));
      });
    }
  });

  describe('as the corpus is on disk (no metadata.toml, sqitch.plan, manifest.json)', () => {
    const plain = check(rows, disk);
    const failing = plain.filter((c) => c.problems.length);
    const noTx = failing.filter((c) => c.row.tool === 'diesel' && c.row.flags.has('no-transaction'));

    it(`matches ${plain.length - failing.length}/${rows.length} files; the other ${failing.length} are the crates.io migrations whose metadata.toml says run_in_transaction = false`, () => {
      assert.deepEqual(
        failing.filter((c) => !noTx.includes(c)).map((c) => `${c.row.path}: ${c.problems.join('; ')}`),
        [],
      );
      assert.equal(noTx.length, 14);
      for (const c of noTx) {
        assert.equal(c.row.repo, 'rust-lang/crates.io');
        assert.deepEqual(c.problems, ['flag no-transaction: detected false', 'wrapsInTransaction: true, expected false']);
      }
    });

    const plainOrder = orderProblems(plain);
    const sqitchOrder = plainOrder.problems.filter((p) => /^(OpenFn\/db|FreeGeekArkansas\/timeclock|Tamarou\/Registry):/.test(p));
    it(`orders every sequence as the MANIFEST except sqitch without its plan (${sqitchOrder.length} out-of-order neighbours by script name)`, () => {
      assert.deepEqual(
        plainOrder.problems.filter((p) => !sqitchOrder.includes(p)),
        [],
      );
      assert.ok(sqitchOrder.length > 0, 'script names happen to give the plan order: the fallback is untested');
      for (const c of plain.filter((x) => x.conv.tool === 'sqitch')) {
        assert.ok(c.conv.notes.some((n) => /No sqitch\.plan/.test(n)), `${c.row.path}: the name-order guess is not reported`);
      }
    });
  });
});
