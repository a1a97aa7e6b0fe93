/**
 * New migration names per convention: the names each tool's own generator would pick (next number with the folder's
 * padding, timestamps, diesel's `-0000`, Flyway `V`/`U`, sqitch plan lines…), then a round trip through the project
 * layer: with the files added, `detectConvention` gives the expected tool, role, pair and transaction, and each new
 * migration sorts after every existing one and after the phase before it. Also on real corpus folders.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { initParser } from '../../server/src/analysis';
import {
  buildSequence,
  type MigrationTool,
} from '../../server/src/analysis/project/layout';
import { detectConvention, folderSequence, newMigration, newMigrationFiles, type NewMigrationFiles, type NewMigrationPhase, type ProjectHost } from '../../server/src/analysis/project';
import { CORPUS_DIR, readManifest, reconstructedMetadata } from '../support/corpus';
import { fsHost, memoizedHost, memoryHost, overlayHost } from '../support/fsHost';
import { applyEdits } from '../support/ruleTester';

const NOW = new Date('2026-11-21T14:45:04Z');

const PHASES: NewMigrationPhase[] = [
  {
    name: 'add_full_name',
    up: 'ALTER TABLE users ADD COLUMN full_name text;',
    down: 'ALTER TABLE users DROP COLUMN full_name;',
    header: 'Deploy 1 of 2: before the release that writes full_name',
  },
  {
    name: 'index_full_name',
    up: 'CREATE INDEX CONCURRENTLY users_full_name_idx ON users (full_name);',
    down: 'DROP INDEX CONCURRENTLY users_full_name_idx;',
    header: 'Deploy 1 of 2: outside a transaction',
    inTransaction: false,
  },
  {
    name: 'drop_name',
    up: 'ALTER TABLE users DROP COLUMN name;',
    down: 'ALTER TABLE users ADD COLUMN name text;',
    header: 'Deploy 2 of 2: after every running release stops reading users.name',
  },
];

/** The host with the result's files created and its edits (sqitch.plan) applied. */
function applied(host: ProjectHost, r: NewMigrationFiles): ProjectHost {
  const files: Record<string, string> = Object.fromEntries(r.create.map((f) => [f.path, f.text]));
  for (const e of r.edits) files[e.path] = applyEdits(host.readFile(e.path) ?? '', e.edits);
  return overlayHost(host, files);
}

/** The largest order key of the folder's versioned migrations before the change (Flyway repeatables always run last). */
function maxOrder(tool: MigrationTool, dir: string, host: ProjectHost): string | undefined {
  if (tool === 'none') return undefined;
  return buildSequence(tool as Exclude<MigrationTool, 'none'>, dir, host).files.reduce<string | undefined>(
    (m, f) => (f.order !== undefined && f.role !== 'repeatable' && (m === undefined || f.order > m) ? f.order : m),
    undefined,
  );
}

/** Round trip: each new forward file is the tool's, in order after everything before it, paired with its backward file. */
function roundTrip(host: ProjectHost, r: NewMigrationFiles, expect: { tool: MigrationTool; role: string; transactions?: boolean[] }, phases = PHASES): void {
  assert.deepEqual(r.conflicts, []);
  const after = applied(host, r);
  let previous = maxOrder(r.tool, r.dir, host);
  r.migrations.forEach((m, i) => {
    const conv = detectConvention(m.forward, after);
    assert.equal(conv.tool, expect.tool, m.forward);
    assert.equal(conv.role, expect.role, m.forward);
    assert.ok(conv.order !== undefined, `${m.forward} has no place in the order`);
    if (previous !== undefined) assert.ok(conv.order > previous, `${m.forward} (${conv.order}) does not sort after ${previous}`);
    previous = conv.order;
    if (m.backward) {
      assert.equal(conv.pairPath, m.backward, `${m.forward} pairs with its down`);
      assert.equal(detectConvention(m.backward, after).pairPath, m.forward);
    }
    if (expect.transactions) assert.equal(conv.wrapsInTransaction, expect.transactions[i], `${m.forward}: transaction`);
    const text = after.readFile(m.forward)!.replace(/^-- \+goose Statement(Begin|End)\n/gm, '');
    assert.ok(text.includes(phases[i].up), `${m.forward} holds its up SQL`);
  });
  assert.equal(r.notes.filter((n) => n.includes('may not run after')).length, 0, r.notes.join('\n'));
}

const base = (r: NewMigrationFiles) => r.create.map((f) => f.path);

describe('new migration names per convention (in-memory folders)', () => {
  before(async () => {
    await initParser();
  });

  it('golang-migrate: next integer, no padding when the folder has none, up and down files', () => {
    const host = memoryHost({
      'db/1_init.up.sql': 'CREATE TABLE users (id int, name text);',
      'db/1_init.down.sql': 'DROP TABLE users;',
      'db/9_nine.up.sql': 'SELECT 1;',
      'db/9_nine.down.sql': 'SELECT 1;',
      'db/10_ten.up.sql': 'SELECT 1;',
      'db/10_ten.down.sql': 'SELECT 1;',
    });
    const r = newMigrationFiles('db', host, PHASES, { now: NOW });
    assert.equal(r.tool, 'golang-migrate');
    assert.deepEqual(base(r), [
      'db/11_add_full_name.up.sql', 'db/11_add_full_name.down.sql',
      'db/12_index_full_name.up.sql', 'db/12_index_full_name.down.sql',
      'db/13_drop_name.up.sql', 'db/13_drop_name.down.sql',
    ]);
    assert.equal(r.create[0].text, '-- Deploy 1 of 2: before the release that writes full_name\nALTER TABLE users ADD COLUMN full_name text;\n');
    assert.equal(r.create[1].text, '-- Deploy 1 of 2: before the release that writes full_name\nALTER TABLE users DROP COLUMN full_name;\n');
    roundTrip(host, r, { tool: 'golang-migrate', role: 'up' });
  });

  it('golang-migrate: keeps zero padding, writes no downs in an up-only folder, and takes a file path', () => {
    const host = memoryHost({ 'm/0001_a.up.sql': 'SELECT 1;', 'm/0002_b.up.sql': 'SELECT 1;' });
    const r = newMigrationFiles('m/0002_b.up.sql', host, PHASES.slice(0, 1), { now: NOW });
    assert.deepEqual(base(r), ['m/0003_add_full_name.up.sql']);
    roundTrip(host, r, { tool: 'golang-migrate', role: 'up' });
  });

  it('golang-migrate: timestamp versions stay timestamps, after a newest one that is ahead of the clock', () => {
    const host = memoryHost({ 'm/20261221000000_future.up.sql': 'SELECT 1;', 'm/20261221000000_future.down.sql': 'SELECT 1;' });
    const r = newMigrationFiles('m', host, PHASES.slice(0, 2), { now: NOW });
    assert.deepEqual(base(r), [
      'm/20261221000001_add_full_name.up.sql', 'm/20261221000001_add_full_name.down.sql',
      'm/20261221000002_index_full_name.up.sql', 'm/20261221000002_index_full_name.down.sql',
    ]);
    assert.ok(r.notes.length === 0, r.notes.join('\n'));
    roundTrip(host, r, { tool: 'golang-migrate', role: 'up' });
  });

  it('diesel: a folder per migration, the -0000 suffix when the folder uses it, metadata.toml outside a transaction', () => {
    const host = memoryHost({
      'migrations/00000000000000_diesel_initial_setup/up.sql': 'SELECT 1;',
      'migrations/00000000000000_diesel_initial_setup/down.sql': 'SELECT 1;',
      'migrations/2026-07-27-143313-0000_rename/up.sql': 'SELECT 1;',
      'migrations/2026-07-27-143313-0000_rename/down.sql': 'SELECT 1;',
    });
    const r = newMigrationFiles('migrations', host, PHASES, { now: NOW });
    assert.deepEqual(base(r), [
      'migrations/2026-11-21-144504-0000_add_full_name/up.sql',
      'migrations/2026-11-21-144504-0000_add_full_name/down.sql',
      'migrations/2026-11-21-144505-0000_index_full_name/up.sql',
      'migrations/2026-11-21-144505-0000_index_full_name/down.sql',
      'migrations/2026-11-21-144505-0000_index_full_name/metadata.toml',
      'migrations/2026-11-21-144506-0000_drop_name/up.sql',
      'migrations/2026-11-21-144506-0000_drop_name/down.sql',
    ]);
    roundTrip(host, r, { tool: 'diesel', role: 'up', transactions: [true, false, true] });
  });

  it('diesel: without a suffix in the folder, none; from a migration folder too', () => {
    const host = memoryHost({ 'mig/2019-02-26-002946_create_user/up.sql': 'SELECT 1;', 'mig/2019-02-26-002946_create_user/down.sql': 'SELECT 1;' });
    const r = newMigration('mig/2019-02-26-002946_create_user', host, 'add email', { now: NOW });
    assert.deepEqual(base(r), ['mig/2026-11-21-144504_add_email/up.sql', 'mig/2026-11-21-144504_add_email/down.sql']);
    assert.equal(r.create[0].text, '-- Migration: add email\n');
  });

  it('dbmate: one file with sections, transaction:false on both directives', () => {
    const host = memoryHost({ 'db/migrations/20240115180414_init.sql': '-- migrate:up\nCREATE TABLE users (name text);\n-- migrate:down\nDROP TABLE users;\n' });
    const r = newMigrationFiles('db/migrations', host, PHASES, { now: NOW });
    assert.deepEqual(base(r), ['db/migrations/20261121144504_add_full_name.sql', 'db/migrations/20261121144505_index_full_name.sql', 'db/migrations/20261121144506_drop_name.sql']);
    assert.equal(
      r.create[1].text,
      '-- Deploy 1 of 2: outside a transaction\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_full_name_idx ON users (full_name);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_full_name_idx;\n',
    );
    roundTrip(host, r, { tool: 'dbmate', role: 'single', transactions: [true, false, true] });
    const conv = detectConvention(r.create[0].path, applied(host, r));
    assert.equal(conv.downExpectation, 'required');
    assert.ok(conv.sections?.down);
  });

  it('goose: sequential %05d, NO TRANSACTION, StatementBegin/End around dollar-quoted bodies', () => {
    const host = memoryHost({ 'g/00001_init.sql': '-- +goose Up\nCREATE TABLE users (name text);\n-- +goose Down\nDROP TABLE users;\n' });
    const fn = { name: 'sync', up: 'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nSELECT 1;', down: 'DROP FUNCTION f();' };
    const r = newMigrationFiles('g', host, [...PHASES, fn], { now: NOW });
    assert.deepEqual(base(r), ['g/00002_add_full_name.sql', 'g/00003_index_full_name.sql', 'g/00004_drop_name.sql', 'g/00005_sync.sql']);
    assert.equal(
      r.create[3].text,
      '-- Migration: sync\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n-- +goose StatementEnd\nSELECT 1;\n\n-- +goose Down\nDROP FUNCTION f();\n',
    );
    roundTrip(host, r, { tool: 'goose', role: 'single', transactions: [true, false, true, true] }, [...PHASES, fn]);
  });

  it('node-pg-migrate: millisecond timestamps and its markers', () => {
    const host = memoryHost({ 'migrations/1700000000000_init.sql': '-- Up Migration\nCREATE TABLE users (name text);\n-- Down Migration\nDROP TABLE users;\n' });
    const r = newMigrationFiles('migrations', host, PHASES.slice(0, 1), { now: NOW });
    assert.deepEqual(base(r), [`migrations/${NOW.getTime()}_add_full_name.sql`]);
    roundTrip(host, r, { tool: 'node-pg-migrate', role: 'single' });
  });

  it('Flyway: next integer version, U files when the folder has undo scripts, .conf outside a transaction', () => {
    const host = memoryHost({ 'sql/V1__init.sql': 'CREATE TABLE users (name text);', 'sql/V2__more.sql': 'SELECT 1;', 'sql/U2__more.sql': 'SELECT 1;', 'sql/R__views.sql': 'SELECT 1;' });
    const r = newMigrationFiles('sql', host, PHASES, { now: NOW });
    assert.deepEqual(base(r), [
      'sql/V3__add_full_name.sql', 'sql/U3__add_full_name.sql',
      'sql/V4__index_full_name.sql', 'sql/U4__index_full_name.sql', 'sql/V4__index_full_name.sql.conf', 'sql/U4__index_full_name.sql.conf',
      'sql/V5__drop_name.sql', 'sql/U5__drop_name.sql',
    ]);
    roundTrip(host, r, { tool: 'flyway', role: 'up', transactions: [true, false, true] });
  });

  it('Flyway: dotted versions bump their last part', () => {
    const host = memoryHost({ 'sql/V1.1__a.sql': 'SELECT 1;', 'sql/V1.10__b.sql': 'SELECT 1;', 'sql/V1.9__c.sql': 'SELECT 1;' });
    const r = newMigrationFiles('sql', host, PHASES.slice(0, 1), { now: NOW });
    assert.deepEqual(base(r), ['sql/V1.11__add_full_name.sql']);
    roundTrip(host, r, { tool: 'flyway', role: 'single' });
  });

  it('sqitch: deploy/revert/verify scripts and plan lines appended, each change requiring the one before', () => {
    const plan = '%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z Ann <ann@example.com> # users\n';
    const host = memoryHost({ 'db/sqitch.plan': plan, 'db/deploy/users.sql': 'BEGIN; CREATE TABLE users (name text); COMMIT;', 'db/revert/users.sql': 'DROP TABLE users;' });
    const r = newMigrationFiles('db/deploy', host, PHASES, { now: NOW });
    assert.equal(r.tool, 'sqitch');
    assert.deepEqual(base(r).slice(0, 3), ['db/deploy/add_full_name.sql', 'db/revert/add_full_name.sql', 'db/verify/add_full_name.sql']);
    assert.equal(r.create[0].text, '-- Deploy app:add_full_name to pg\n-- Deploy 1 of 2: before the release that writes full_name\n\nBEGIN;\n\nALTER TABLE users ADD COLUMN full_name text;\n\nCOMMIT;\n');
    assert.equal(r.create[3].text, '-- Deploy app:index_full_name to pg\n-- Deploy 1 of 2: outside a transaction\n\nCREATE INDEX CONCURRENTLY users_full_name_idx ON users (full_name);\n');
    const after = applied(host, r);
    assert.equal(
      after.readFile('db/sqitch.plan'),
      plan +
        'add_full_name 2026-11-21T14:45:04Z Ann <ann@example.com> # Deploy 1 of 2: before the release that writes full_name\n' +
        'index_full_name [add_full_name] 2026-11-21T14:45:05Z Ann <ann@example.com> # Deploy 1 of 2: outside a transaction\n' +
        'drop_name [index_full_name] 2026-11-21T14:45:06Z Ann <ann@example.com> # Deploy 2 of 2: after every running release stops reading users.name\n',
    );
    const convs = r.migrations.map((m) => detectConvention(m.forward, after));
    assert.deepEqual(convs.map((c) => c.role), ['deploy', 'deploy', 'deploy']);
    assert.deepEqual(convs.map((c) => c.pairPath), r.migrations.map((m) => m.backward));
    const orders = convs.map((c) => c.order!);
    assert.deepEqual([...orders].sort(), orders);
    assert.ok(orders[0] > detectConvention('db/deploy/users.sql', after).order!);
  });

  it('Prisma, Supabase, sqlx: forward-only, timestamped, with a note that the rollback was not written', () => {
    for (const [dir, seed, tool, role] of [
      ['prisma/migrations', 'prisma/migrations/20230404095503_init/migration.sql', 'prisma', 'single'],
      ['supabase/migrations', 'supabase/migrations/20230404095503_init.sql', 'supabase', 'single'],
      ['db', 'db/20230404095503_init.sql', 'sqlx', 'single'],
    ] as const) {
      const host = memoryHost({ [seed]: 'CREATE TABLE users (name text);' });
      const r = newMigrationFiles(dir, host, [PHASES[0], PHASES[2]], { now: NOW });
      assert.equal(r.tool, tool);
      assert.equal(r.create.length, 2, base(r).join());
      assert.ok(r.notes.some((n) => /rollback SQL was not written/.test(n)), r.notes.join());
      roundTrip(host, r, { tool, role }, [PHASES[0], PHASES[2]]);
    }
  });

  it('sqlx: -- no-transaction is the first line, before the header', () => {
    const host = memoryHost({ 'db/20230404095503_init.sql': 'SELECT 1;' });
    const r = newMigrationFiles('db', host, [PHASES[1]], { now: NOW });
    assert.ok(r.create[0].text.startsWith('-- no-transaction\n-- Deploy 1 of 2'));
    assert.equal(detectConvention(r.create[0].path, applied(host, r)).wrapsInTransaction, false);
  });

  it('Ory popx: 20-digit versions, .postgres. infix when the folder uses it, .autocommit. outside a transaction', () => {
    const host = memoryHost({
      'sql/20150100000001000000_networks.postgres.up.sql': 'SELECT 1;',
      'sql/20150100000001000000_networks.postgres.down.sql': 'SELECT 1;',
      'sql/20150100000001000000_networks.mysql.up.sql': 'SELECT 1;',
    });
    const r = newMigrationFiles('sql', host, PHASES.slice(0, 2), { now: NOW });
    assert.deepEqual(base(r), [
      'sql/20261121144504000000_add_full_name.postgres.up.sql', 'sql/20261121144504000000_add_full_name.postgres.down.sql',
      'sql/20261121144505000000_index_full_name.postgres.autocommit.up.sql', 'sql/20261121144505000000_index_full_name.postgres.autocommit.down.sql',
    ]);
    roundTrip(host, r, { tool: 'popx', role: 'up', transactions: [true, false] });
  });

  it('postgres-migrations and graphile-worker: the folder\'s padding and separator', () => {
    const pm = memoryHost({ 'tenant/0061-mark-filename.sql': 'SELECT 1;', 'tenant/0062-object-versioning.sql': 'SELECT 1;' });
    const r = newMigrationFiles('tenant', pm, [PHASES[0], PHASES[1]], { now: NOW });
    assert.deepEqual(base(r), ['tenant/0063-add-full-name.sql', 'tenant/0064-index-full-name.sql']);
    roundTrip(pm, r, { tool: 'postgres-migrations', role: 'single', transactions: [true, false] }, [PHASES[0], PHASES[1]]);
    const gw = memoryHost({ 'sql/000001.sql': 'SELECT 1;', 'sql/000019.sql': 'SELECT 1;' });
    const g = newMigrationFiles('sql', gw, [PHASES[0]], { now: NOW });
    assert.deepEqual(base(g), ['sql/000020.sql']);
    roundTrip(gw, g, { tool: 'graphile-worker', role: 'single' }, [PHASES[0]]);
  });

  it('temporal: a new version folder with its manifest', () => {
    const host = memoryHost({ 'schema/versioned/v1.0/base.sql': 'SELECT 1;', 'schema/versioned/v1.1/more.sql': 'SELECT 1;' });
    const r = newMigrationFiles('schema/versioned', host, [PHASES[0]], { now: NOW });
    assert.deepEqual(base(r), ['schema/versioned/v1.2/add_full_name.sql', 'schema/versioned/v1.2/manifest.json']);
    roundTrip(host, r, { tool: 'temporal', role: 'single' }, [PHASES[0]]);
  });

  it('a plain folder: the folder\'s numbering, or a timestamp when empty', () => {
    const host = memoryHost({ 'sql/setup.sql': 'SELECT 1;' });
    const r = newMigration('sql', host, 'add email', { now: NOW });
    assert.equal(r.tool, 'none');
    assert.deepEqual(base(r), ['sql/20261121144504_add_email.sql']);
  });

  it('never overwrites: an existing non-empty file is a conflict, an empty one is created', () => {
    const host = memoryHost({ 'db/1_init.up.sql': 'SELECT 1;', 'db/1_init.down.sql': 'SELECT 1;' });
    const first = newMigration('db', host, 'x', { now: NOW });
    const taken = overlayHost(host, { 'db/2_x.down.sql': 'SELECT 2;' });
    const r = newMigration('db', taken, 'x', { now: NOW });
    // The down file exists with a version of its own: the version is taken, so the next one is used.
    assert.deepEqual(base(first), ['db/2_x.up.sql', 'db/2_x.down.sql']);
    assert.deepEqual(base(r), ['db/3_x.up.sql', 'db/3_x.down.sql']);
    const sqitch = memoryHost({ 'db/sqitch.plan': '%project=p\n\nx 2024-01-01T00:00:00Z A <a@b> # x\n', 'db/deploy/x.sql': 'SELECT 1;', 'db/deploy/x_2.sql': 'SELECT 1;' });
    const s = newMigration('db', sqitch, 'x', { now: NOW });
    assert.deepEqual(s.conflicts.map((f) => f.path), ['db/deploy/x_2.sql'], 'a script no plan line names is still not overwritten');
    assert.ok(s.notes.some((n) => n.includes('named `x_2`')));
  });
});

describe('new migration names on real corpus folders', function () {
  this.timeout(60_000);
  let host: ProjectHost;
  before(async () => {
    await initParser();
    host = overlayHost(memoizedHost(fsHost()), reconstructedMetadata(readManifest()));
  });

  const cases: { dir: string; tool: MigrationTool; role: string; first: RegExp }[] = [
    { dir: 'ente-io__ente/server/migrations', tool: 'golang-migrate', role: 'up', first: /\/\d{3}_add_full_name\.up\.sql$/ },
    { dir: 'goharbor__harbor/make/migrations/postgresql', tool: 'golang-migrate', role: 'up', first: /\/0191_add_full_name\.up\.sql$/ },
    { dir: 'riverqueue__river/riverdriver/riverpgxv5/migration/main', tool: 'golang-migrate', role: 'up', first: /\/\d{3}_add_full_name\.up\.sql$/ },
    { dir: 'openmeterio__openmeter/tools/migrate/migrations', tool: 'golang-migrate', role: 'up', first: /\/20261121144504_add_full_name\.up\.sql$/ },
    { dir: 'LemmyNet__lemmy/migrations', tool: 'diesel', role: 'up', first: /\/2026-11-21-144504-0000_add_full_name\/up\.sql$/ },
    { dir: 'rust-lang__crates.io/migrations', tool: 'diesel', role: 'up', first: /\/2026-11-21-144504-0000_add_full_name\/up\.sql$/ },
    { dir: 'hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations', tool: 'goose', role: 'single', first: /\/20261121144504_add_full_name\.sql$/ },
    { dir: 'supabase__postgres/migrations/db/migrations', tool: 'dbmate', role: 'single', first: /\/20261121144504_add_full_name\.sql$/ },
    { dir: 'MarquezProject__marquez/api/src/main/resources/marquez/db/migration', tool: 'flyway', role: 'single', first: /\/V75__add_full_name\.sql$/ },
    { dir: 'documenso__documenso/packages/prisma/migrations', tool: 'prisma', role: 'single', first: /\/20261121144504_add_full_name\/migration\.sql$/ },
    { dir: 'ory__kratos/persistence/sql/migrations/sql', tool: 'popx', role: 'up', first: /\/20261121144504000000_add_full_name\.postgres\.up\.sql$/ },
    { dir: 'atuinsh__atuin/crates/atuin-server-postgres/migrations', tool: 'sqlx', role: 'single', first: /\/20261121144504_add-full-name\.sql$|\/20261121144504_add_full_name\.sql$/ },
    { dir: 'supabase__storage/migrations/tenant', tool: 'postgres-migrations', role: 'single', first: /\/0064-add-full-name\.sql$/ },
    { dir: 'graphile__worker/sql', tool: 'graphile-worker', role: 'single', first: /\/000020\.sql$/ },
  ];
  for (const c of cases) {
    it(`${c.dir.split('/')[0]}: ${c.tool}`, () => {
      const dir = join(CORPUS_DIR, c.dir);
      assert.equal(folderSequence(dir, host)?.tool, c.tool);
      const r = newMigrationFiles(dir, host, PHASES, { now: NOW });
      assert.equal(r.tool, c.tool);
      assert.match(r.migrations[0].forward, c.first);
      roundTrip(host, r, { tool: c.tool, role: c.role });
    });
  }

  it('Tamarou/Registry: sqitch, after the last change of its plan', () => {
    const dir = join(CORPUS_DIR, 'Tamarou__Registry/sql');
    const r = newMigrationFiles(dir, host, PHASES, { now: NOW });
    assert.equal(r.tool, 'sqitch');
    const after = applied(host, r);
    const last = folderSequence(dir, host)!.steps.at(-1)!.order;
    for (const m of r.migrations) {
      const conv = detectConvention(m.forward, after);
      assert.equal(conv.role, 'deploy');
      assert.equal(conv.pairPath, m.backward);
      assert.ok(conv.order! > last);
    }
  });
});
