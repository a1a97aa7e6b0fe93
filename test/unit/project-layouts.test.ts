/**
 * Convention detection on small synthetic folders, one convention per block: role, version, order, pair,
 * sections, transaction handling and rollback expectation, including the directives each tool honours
 * (`transaction:false`, `-- +goose NO TRANSACTION`, `.autocommit.`, …) and the near misses it ignores.
 */
import * as assert from 'node:assert/strict';
import { detectConvention, migrationSequence, type MigrationConvention } from '../../server/src/analysis/project';
import { memoryHost } from '../support/fsHost';

/** Detects every file of a tree, by path. */
function detectAll(files: Record<string, string>): Record<string, MigrationConvention> {
  const host = memoryHost(files);
  return Object.fromEntries(Object.keys(files).map((p) => [p, detectConvention(p, host)]));
}

/** Paths in the order their order keys sort (ties by path). */
function byOrder(convs: Record<string, MigrationConvention>): string[] {
  return Object.entries(convs)
    .filter(([, c]) => c.order !== undefined)
    .sort(([pa, a], [pb, b]) => (a.order! < b.order! ? -1 : a.order! > b.order! ? 1 : pa < pb ? -1 : 1))
    .map(([p]) => p);
}

/** The text a span covers. */
function cut(text: string, span: { start: number; end: number } | undefined): string | undefined {
  return span && text.slice(span.start, span.end);
}

describe('project conventions: golang-migrate and gobuffalo/pop', () => {
  const files = {
    'db/migrations/1_init.up.sql': 'CREATE TABLE users (id int);',
    'db/migrations/1_init.down.sql': 'DROP TABLE users;',
    'db/migrations/2_add_email.up.sql': 'ALTER TABLE users ADD COLUMN email text;',
    'db/migrations/2_drop_email.down.sql': 'ALTER TABLE users DROP COLUMN email;',
    'db/migrations/0010_tenth.up.sql': 'SELECT 1;',
    'db/migrations/0010_tenth.down.sql': '-- nothing to undo\n',
    'db/migrations/3_no_down.up.sql': 'SELECT 3;',
  };
  const c = detectAll(files);

  it('pairs up and down by numeric version, whatever the names', () => {
    assert.equal(c['db/migrations/1_init.up.sql'].pairPath, 'db/migrations/1_init.down.sql');
    assert.equal(c['db/migrations/2_add_email.up.sql'].pairPath, 'db/migrations/2_drop_email.down.sql');
    assert.equal(c['db/migrations/2_drop_email.down.sql'].pairPath, 'db/migrations/2_add_email.up.sql');
    assert.equal(c['db/migrations/3_no_down.up.sql'].pairPath, undefined);
  });

  it('orders by the version as a number (0010 after 3), an up and its down together', () => {
    assert.deepEqual(byOrder(c), [
      'db/migrations/1_init.down.sql',
      'db/migrations/1_init.up.sql',
      'db/migrations/2_add_email.up.sql',
      'db/migrations/2_drop_email.down.sql',
      'db/migrations/3_no_down.up.sql',
      'db/migrations/0010_tenth.down.sql',
      'db/migrations/0010_tenth.up.sql',
    ]);
    assert.equal(c['db/migrations/0010_tenth.up.sql'].version, '0010');
  });

  it('opens no transaction, but a file sent as one query is one implicit transaction', () => {
    const up = c['db/migrations/1_init.up.sql'];
    assert.equal(up.tool, 'golang-migrate');
    assert.equal(up.role, 'up');
    assert.equal(up.wrapsInTransaction, false);
    assert.equal(up.implicitTransaction, true);
    assert.equal(up.transactionOptOut, undefined);
  });

  it('requires downs in a folder that has them; an empty down marks the up irreversible', () => {
    assert.equal(c['db/migrations/3_no_down.up.sql'].downExpectation, 'required');
    assert.equal(c['db/migrations/0010_tenth.up.sql'].irreversibleMarker, true);
    assert.equal(c['db/migrations/0010_tenth.down.sql'].irreversibleMarker, true);
    assert.equal(c['db/migrations/0010_tenth.down.sql'].empty, true);
    assert.equal(c['db/migrations/1_init.up.sql'].irreversibleMarker, undefined);
  });

  it('treats a missing down as information in an up-only folder (harbor)', () => {
    const h = detectAll({ 'make/migrations/postgresql/0001_initial.up.sql': 'SELECT 1;', 'make/migrations/postgresql/0002_1.7.0_schema.up.sql': 'SELECT 2;' });
    assert.equal(h['make/migrations/postgresql/0002_1.7.0_schema.up.sql'].tool, 'golang-migrate');
    assert.equal(h['make/migrations/postgresql/0002_1.7.0_schema.up.sql'].downExpectation, 'information');
  });

  it('recognizes gobuffalo/pop by its Go templates and dialect infixes, which wrap in a transaction', () => {
    const p = detectAll({
      'migrations/00_init.up.sql': 'CREATE SCHEMA {{ index .Options "Namespace" }};',
      'migrations/20220614074223_ip.postgres.up.sql': 'ALTER TABLE {{ index .Options "Namespace" }}.audit ADD ip text;',
      'migrations/20220614074223_ip.up.sql': 'SELECT 1;',
      'migrations/20220614074224_other.mysql.up.sql': 'SELECT 1;',
    });
    assert.equal(p['migrations/00_init.up.sql'].tool, 'pop');
    assert.equal(p['migrations/00_init.up.sql'].wrapsInTransaction, true);
    assert.equal(p['migrations/20220614074223_ip.postgres.up.sql'].dialect, 'postgres');
    assert.equal(p['migrations/20220614074223_ip.up.sql'].shadowedBy, 'migrations/20220614074223_ip.postgres.up.sql');
    assert.match(p['migrations/20220614074224_other.mysql.up.sql'].excluded ?? '', /mysql migration/);
    assert.equal(p['migrations/20220614074224_other.mysql.up.sql'].order, undefined);
  });

  it('keeps Windows separators', () => {
    const w = memoryHost({ 'C:\\repo\\migrations\\1_a.up.sql': 'SELECT 1;', 'C:\\repo\\migrations\\1_a.down.sql': 'SELECT 1;' });
    const up = detectConvention('C:\\repo\\migrations\\1_a.up.sql', w);
    assert.equal(up.pairPath, 'C:\\repo\\migrations\\1_a.down.sql');
    assert.equal(up.sequence, 'C:\\repo\\migrations');
  });
});

describe('project conventions: Ory popx', () => {
  const dir = 'persistence/sql/migrations/sql';
  const files = {
    [`${dir}/20220513200300000000_create.postgres.up.sql`]: 'CREATE TABLE t (id uuid);',
    [`${dir}/20220513200300000000_create.up.sql`]: 'CREATE TABLE t (id char(36));',
    [`${dir}/20220513200300000000_create.down.sql`]: 'DROP TABLE t;',
    [`${dir}/20220513200300000001_index.autocommit.up.sql`]: 'CREATE INDEX CONCURRENTLY t_idx ON t (id);',
    [`${dir}/20220513200300000001_index.autocommit.down.sql`]: 'DROP INDEX CONCURRENTLY t_idx;',
    [`${dir}/20220513200300000002_noop.mysql.up.sql`]: 'SELECT 1;',
    [`${dir}/20220513200300000003_empty.postgres.up.sql`]: '',
    [`${dir}/20220513200300000003_empty.postgres.down.sql`]: '',
  };
  const c = detectAll(files);

  it('lets the .postgres. file shadow the one for every dialect, and pairs it with the other direction', () => {
    const pg = c[`${dir}/20220513200300000000_create.postgres.up.sql`];
    assert.equal(pg.tool, 'popx');
    assert.equal(pg.dialect, 'postgres');
    assert.equal(pg.pairPath, `${dir}/20220513200300000000_create.down.sql`);
    const generic = c[`${dir}/20220513200300000000_create.up.sql`];
    assert.equal(generic.shadowedBy, `${dir}/20220513200300000000_create.postgres.up.sql`);
    assert.equal(generic.pairPath, undefined);
    assert.match(generic.excluded ?? '', /shadowed/);
    assert.equal(c[`${dir}/20220513200300000000_create.down.sql`].pairPath, `${dir}/20220513200300000000_create.postgres.up.sql`);
  });

  it('runs .autocommit. files outside a transaction and others inside', () => {
    assert.equal(c[`${dir}/20220513200300000001_index.autocommit.up.sql`].wrapsInTransaction, false);
    assert.equal(c[`${dir}/20220513200300000001_index.autocommit.up.sql`].transactionOptOut, '.autocommit. in the file name');
    assert.equal(c[`${dir}/20220513200300000000_create.postgres.up.sql`].wrapsInTransaction, true);
  });

  it('leaves other dialects out of the sequence, and names the rollback group', () => {
    assert.equal(c[`${dir}/20220513200300000002_noop.mysql.up.sql`].order, undefined);
    assert.equal(c[`${dir}/20220513200300000001_index.autocommit.up.sql`].rollbackGroup, '20220513200300');
    assert.equal(c[`${dir}/20220513200300000003_empty.postgres.up.sql`].irreversibleMarker, true);
    assert.equal(c[`${dir}/20220513200300000003_empty.postgres.up.sql`].empty, true);
  });

  it('lists the steps PostgreSQL runs', () => {
    const seq = migrationSequence(`${dir}/20220513200300000000_create.up.sql`, memoryHost(files))!;
    assert.deepEqual(
      seq.steps.map((s) => [s.version, s.forward?.slice(dir.length + 1), s.shadowed.length]),
      [
        ['20220513200300000000', '20220513200300000000_create.postgres.up.sql', 1],
        ['20220513200300000001', '20220513200300000001_index.autocommit.up.sql', 0],
        ['20220513200300000003', '20220513200300000003_empty.postgres.up.sql', 0],
      ],
    );
  });
});

describe('project conventions: diesel', () => {
  const files = {
    'migrations/00000000000000_diesel_initial_setup/up.sql': 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    'migrations/00000000000000_diesel_initial_setup/down.sql': 'DROP FUNCTION f();',
    'migrations/20170309122510_old_style/up.sql': 'SELECT 1;',
    'migrations/20170309122510_old_style/down.sql': '',
    'migrations/2017-09-23-182408_new_style/up.sql': 'CREATE INDEX CONCURRENTLY i ON t (x);',
    'migrations/2017-09-23-182408_new_style/down.sql': 'DROP INDEX CONCURRENTLY i;',
    'migrations/2017-09-23-182408_new_style/metadata.toml': '# diesel\nrun_in_transaction = false\n',
    'migrations/2026-07-27-143313-0000_newest/up.sql': 'SELECT 2;',
  };
  const c = detectAll(files);

  it('takes the version from the folder name up to the first `_`, dashes removed, and sorts versions as strings', () => {
    assert.equal(c['migrations/2017-09-23-182408_new_style/up.sql'].version, '20170923182408');
    assert.equal(c['migrations/2026-07-27-143313-0000_newest/up.sql'].version, '202607271433130000');
    assert.deepEqual(
      byOrder(c).filter((p) => p.endsWith('up.sql')),
      [
        'migrations/00000000000000_diesel_initial_setup/up.sql',
        'migrations/20170309122510_old_style/up.sql',
        'migrations/2017-09-23-182408_new_style/up.sql',
        'migrations/2026-07-27-143313-0000_newest/up.sql',
      ],
    );
  });

  it('pairs up.sql and down.sql of one folder', () => {
    assert.equal(c['migrations/20170309122510_old_style/up.sql'].pairPath, 'migrations/20170309122510_old_style/down.sql');
    assert.equal(c['migrations/20170309122510_old_style/down.sql'].role, 'down');
    assert.equal(c['migrations/2026-07-27-143313-0000_newest/up.sql'].pairPath, undefined);
    assert.equal(c['migrations/2026-07-27-143313-0000_newest/up.sql'].downExpectation, 'required');
    assert.equal(c['migrations/20170309122510_old_style/up.sql'].irreversibleMarker, true);
  });

  it('runs in a transaction unless metadata.toml says run_in_transaction = false (both directions)', () => {
    assert.equal(c['migrations/20170309122510_old_style/up.sql'].wrapsInTransaction, true);
    for (const f of ['up.sql', 'down.sql']) {
      const conv = c[`migrations/2017-09-23-182408_new_style/${f}`];
      assert.equal(conv.wrapsInTransaction, false);
      assert.equal(conv.transactionOptOut, 'metadata.toml: run_in_transaction = false');
    }
  });
});

describe('project conventions: dbmate', () => {
  const text = '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n';
  const files = {
    'db/migrations/20240101000000_a.sql': text,
    'db/migrations/20240102000000_b.sql': '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY b ON a (id);\n-- migrate:down\n',
    'db/migrations/20240103000000_c.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY b;\n',
    'db/migrations/20240104000000_d.sql': '-- migrate:up\nSELECT 1;\n',
  };
  const c = detectAll(files);

  it('finds the sections at their directives', () => {
    const a = c['db/migrations/20240101000000_a.sql'];
    assert.equal(a.tool, 'dbmate');
    assert.equal(a.role, 'single');
    assert.equal(cut(text, a.sections?.up), '-- migrate:up\nCREATE TABLE a (id int);\n\n');
    assert.equal(cut(text, a.sections?.down), '-- migrate:down\nDROP TABLE a;\n');
    assert.equal(a.irreversibleMarker, false);
  });

  it('honours transaction:false per block', () => {
    assert.equal(c['db/migrations/20240101000000_a.sql'].wrapsInTransaction, true);
    const b = c['db/migrations/20240102000000_b.sql'];
    assert.equal(b.wrapsInTransaction, false);
    assert.equal(b.transactionOptOut, 'transaction:false');
    assert.equal(b.downWrapsInTransaction, true);
    assert.equal(b.irreversibleMarker, true);
    const d = c['db/migrations/20240103000000_c.sql'];
    assert.equal(d.wrapsInTransaction, true);
    assert.equal(d.downWrapsInTransaction, false);
  });

  it('requires the down block (dbmate refuses a file without one)', () => {
    const d = c['db/migrations/20240104000000_d.sql'];
    assert.equal(d.sections?.down, undefined);
    assert.equal(d.downExpectation, 'required');
    assert.ok(d.notes.some((n) => /requires a `-- migrate:down` block/.test(n)));
  });

  it('orders by version, and recognizes dash-named init scripts (supabase/postgres)', () => {
    assert.deepEqual(byOrder(c), Object.keys(files));
    const init = detectConvention('migrations/db/init-scripts/00000000000000-initial-schema.sql', memoryHost({ 'migrations/db/init-scripts/00000000000000-initial-schema.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n' }));
    assert.equal(init.tool, 'dbmate');
    assert.equal(init.version, '00000000000000');
  });
});

describe('project conventions: goose', () => {
  const body = [
    '-- +goose Up',
    '-- +goose StatementBegin',
    'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;',
    '-- +goose StatementEnd',
    '',
    '-- +goose Down',
    'DROP FUNCTION f();',
    '',
  ].join('\n');
  const files = {
    'migrations/20240115180414_init.sql': body,
    'migrations/20240122014727_index.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n\n-- +goose Down\n',
    'migrations/20240126235456_lower.sql': '-- +goose no transaction\n-- +goose Up\nCREATE INDEX CONCURRENTLY j ON t (y);\n',
    'migrations/20240129040510_new.sql': '',
  };
  const c = detectAll(files);

  it('finds Up and Down sections (StatementBegin/End stay inside the section)', () => {
    const g = c['migrations/20240115180414_init.sql'];
    assert.equal(g.tool, 'goose');
    assert.equal(cut(body, g.sections?.up), body.slice(0, body.indexOf('-- +goose Down')));
    assert.equal(cut(body, g.sections?.down), '-- +goose Down\nDROP FUNCTION f();\n');
    assert.equal(g.wrapsInTransaction, true);
    assert.equal(g.irreversibleMarker, false);
  });

  it('honours -- +goose NO TRANSACTION, for both directions; an empty Down is marked', () => {
    const g = c['migrations/20240122014727_index.sql'];
    assert.equal(g.wrapsInTransaction, false);
    assert.equal(g.downWrapsInTransaction, false);
    assert.equal(g.transactionOptOut, '-- +goose NO TRANSACTION');
    assert.equal(g.irreversibleMarker, true);
  });

  it('ignores annotations in another case, as goose does, and says so', () => {
    const g = c['migrations/20240126235456_lower.sql'];
    assert.equal(g.wrapsInTransaction, true);
    assert.equal(g.sections?.down, undefined);
    assert.ok(g.notes.some((n) => /goose ignores `-- \+goose no transaction`/.test(n)), g.notes.join('\n'));
  });

  it('takes a new file without annotations for goose when its siblings are goose, and expects a Down there', () => {
    const g = c['migrations/20240129040510_new.sql'];
    assert.equal(g.tool, 'goose');
    assert.ok(g.notes.some((n) => /requires a `-- \+goose Up`/.test(n)));
    assert.equal(g.downExpectation, 'required');
  });
});

describe('project conventions: node-pg-migrate', () => {
  const up = '-- Up Migration\nCREATE TABLE a (id int);\n';
  const down = '-- Down Migration\nDROP TABLE a;\n';
  const files = {
    'migrations/1715000024000_a.sql': up + down,
    'migrations/1715000025000_b.sql': down + up,
    'migrations/1715000026000_c.sql': up,
    'migrations/1715000027000_d.sql': `${up}-- Down Migration\n-- nothing\n`,
  };
  const c = detectAll(files);

  it('slices sections as node-pg-migrate does, in either order', () => {
    assert.equal(c['migrations/1715000024000_a.sql'].tool, 'node-pg-migrate');
    assert.equal(cut(up + down, c['migrations/1715000024000_a.sql'].sections?.up), up);
    assert.equal(cut(up + down, c['migrations/1715000024000_a.sql'].sections?.down), down);
    assert.equal(cut(down + up, c['migrations/1715000025000_b.sql'].sections?.up), up);
    assert.equal(cut(down + up, c['migrations/1715000025000_b.sql'].sections?.down), down);
    assert.equal(c['migrations/1715000024000_a.sql'].wrapsInTransaction, true);
  });

  it('reports a missing Down section as irreversible, and marks an empty one', () => {
    const m = c['migrations/1715000026000_c.sql'];
    assert.equal(m.sections?.down, undefined);
    assert.ok(m.notes.some((n) => /irreversible/.test(n)));
    assert.equal(m.downExpectation, 'required');
    assert.equal(c['migrations/1715000027000_d.sql'].irreversibleMarker, true);
  });
});

describe('project conventions: Flyway', () => {
  const dir = 'src/main/resources/db/migration';
  const files = {
    [`${dir}/V1__init.sql`]: 'CREATE TABLE a (id int);',
    [`${dir}/V1.1__more.sql`]: 'SELECT 1;',
    [`${dir}/V2__index.sql`]: 'CREATE INDEX CONCURRENTLY i ON a (id);',
    [`${dir}/U2__index.sql`]: 'DROP INDEX CONCURRENTLY i;',
    [`${dir}/V10__mixed.sql`]: 'CREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY j ON b (id);',
    [`${dir}/V11__configured.sql`]: 'SELECT 1;',
    [`${dir}/V11__configured.sql.conf`]: 'executeInTransaction=false\n',
    [`${dir}/R__views.sql`]: 'CREATE OR REPLACE VIEW v AS SELECT 1;',
    [`${dir}/R__a_first.sql`]: 'SELECT 1;',
  };
  const c = detectAll(files);

  it('orders versions numerically part by part, repeatables last by description', () => {
    assert.deepEqual(byOrder(c), [
      `${dir}/V1__init.sql`,
      `${dir}/V1.1__more.sql`,
      `${dir}/U2__index.sql`,
      `${dir}/V2__index.sql`,
      `${dir}/V10__mixed.sql`,
      `${dir}/V11__configured.sql`,
      `${dir}/R__a_first.sql`,
      `${dir}/R__views.sql`,
    ]);
    assert.equal(c[`${dir}/R__views.sql`].role, 'repeatable');
  });

  it('pairs V with U of the same version; a V without undo is single', () => {
    assert.equal(c[`${dir}/V2__index.sql`].role, 'up');
    assert.equal(c[`${dir}/V2__index.sql`].pairPath, `${dir}/U2__index.sql`);
    assert.equal(c[`${dir}/U2__index.sql`].role, 'down');
    assert.equal(c[`${dir}/V1__init.sql`].role, 'single');
    assert.equal(c[`${dir}/V1__init.sql`].downExpectation, 'required');
    assert.equal(detectAll({ 'db/V1__a.sql': 'SELECT 1;' })['db/V1__a.sql'].downExpectation, 'information');
  });

  it('runs in a transaction unless a statement cannot, or the script configuration says no', () => {
    assert.equal(c[`${dir}/V1__init.sql`].wrapsInTransaction, true);
    assert.equal(c[`${dir}/V2__index.sql`].wrapsInTransaction, false);
    assert.match(c[`${dir}/V2__index.sql`].transactionOptOut ?? '', /CREATE INDEX CONCURRENTLY/);
    assert.equal(c[`${dir}/V10__mixed.sql`].wrapsInTransaction, false);
    assert.match(c[`${dir}/V10__mixed.sql`].transactionNote, /mixed/);
    assert.equal(c[`${dir}/V11__configured.sql`].wrapsInTransaction, false);
    assert.equal(c[`${dir}/V11__configured.sql`].transactionOptOut, 'executeInTransaction=false (V11__configured.sql.conf)');
  });
});

describe('project conventions: sqitch', () => {
  const plan = [
    '%syntax-version=1.0.0',
    '%project=demo',
    '',
    'users 2020-01-01T00:00:00Z A <a@example.org> # users',
    'audit [users] 2020-01-02T00:00:00Z A <a@example.org>',
    '@v1 2020-01-03T00:00:00Z A <a@example.org> # tag',
    'audit [audit@v1] 2020-01-04T00:00:00Z A <a@example.org> # reworked',
    '',
  ].join('\n');
  const files = {
    'sqitch.plan': plan,
    'deploy/users.sql': 'BEGIN; CREATE TABLE users (id int); COMMIT;',
    'revert/users.sql': 'BEGIN; DROP TABLE users; COMMIT;',
    'verify/users.sql': 'SELECT id FROM users WHERE false;',
    'deploy/audit@v1.sql': 'BEGIN; CREATE TABLE audit (id int); COMMIT;',
    'deploy/audit.sql': 'BEGIN; ALTER TABLE audit ADD who text; COMMIT;',
    'revert/audit.sql': 'BEGIN; ALTER TABLE audit DROP who; COMMIT;',
    'deploy/stray.sql': 'SELECT 1;',
  };
  const c = detectAll(files);

  it('orders by sqitch.plan, reworked copies (`name@tag`) at their first place', () => {
    assert.deepEqual(
      byOrder(c).filter((p) => p.startsWith('deploy/')),
      ['deploy/users.sql', 'deploy/audit@v1.sql', 'deploy/audit.sql'],
    );
    assert.equal(c['deploy/audit@v1.sql'].version, 'audit');
  });

  it('pairs deploy and revert, knows the verify script, opens no transaction', () => {
    const d = c['deploy/users.sql'];
    assert.equal(d.tool, 'sqitch');
    assert.equal(d.role, 'deploy');
    assert.equal(d.pairPath, 'revert/users.sql');
    assert.deepEqual(d.companions, { deploy: 'deploy/users.sql', revert: 'revert/users.sql', verify: 'verify/users.sql' });
    assert.equal(c['revert/users.sql'].pairPath, 'deploy/users.sql');
    assert.equal(c['verify/users.sql'].role, 'verify');
    assert.equal(c['verify/users.sql'].pairPath, undefined);
    assert.equal(d.wrapsInTransaction, false);
  });

  it('leaves out a script the plan does not name', () => {
    assert.equal(c['deploy/stray.sql'].order, undefined);
    assert.match(c['deploy/stray.sql'].excluded ?? '', /not in sqitch\.plan/);
  });

  it('without a plan, orders by name and says it is a guess', () => {
    const { 'sqitch.plan': _plan, ...noPlan } = files;
    const n = detectAll(noPlan);
    assert.deepEqual(
      byOrder(n).filter((p) => p.startsWith('deploy/')),
      ['deploy/audit.sql', 'deploy/audit@v1.sql', 'deploy/stray.sql', 'deploy/users.sql'],
    );
    assert.ok(n['deploy/users.sql'].notes.some((x) => /No sqitch\.plan/.test(x)));
    assert.equal(migrationSequence('deploy/users.sql', memoryHost(noPlan))?.orderSource, 'name');
    assert.equal(migrationSequence('deploy/users.sql', memoryHost(files))?.orderSource, 'plan');
  });

  it('needs a sibling revert/verify folder or a plan to call a deploy/ folder sqitch', () => {
    assert.equal(detectAll({ 'deploy/k8s.sql': 'SELECT 1;' })['deploy/k8s.sql'].tool, 'none');
  });
});

describe('project conventions: forward-only folders', () => {
  it('Prisma: migration folders in name order (an 8-digit prefix sorts after 14-digit ones of that day)', () => {
    const c = detectAll({
      'prisma/migrations/20250625_add_pivot/migration.sql': 'SELECT 2;',
      'prisma/migrations/20250625103000_add_x/migration.sql': 'SELECT 1;',
      'prisma/migrations/20250626000000_add_y/migration.sql': 'SELECT 3;',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
    });
    assert.deepEqual(byOrder(c), [
      'prisma/migrations/20250625103000_add_x/migration.sql',
      'prisma/migrations/20250625_add_pivot/migration.sql',
      'prisma/migrations/20250626000000_add_y/migration.sql',
    ]);
    const p = c['prisma/migrations/20250625_add_pivot/migration.sql'];
    assert.equal(p.tool, 'prisma');
    assert.equal(p.wrapsInTransaction, false);
    assert.equal(p.implicitTransaction, true);
    assert.equal(p.downExpectation, 'information');
  });

  it('Supabase: supabase/migrations/<ts>_name.sql, one implicit transaction per file', () => {
    const c = detectAll({ 'supabase/migrations/20240101000000_init.sql': 'CREATE TABLE a (id int);' });
    assert.equal(c['supabase/migrations/20240101000000_init.sql'].tool, 'supabase');
    assert.equal(c['supabase/migrations/20240101000000_init.sql'].wrapsInTransaction, true);
  });

  it('postgres-migrations (supabase/storage): NNNN-name.sql by integer prefix, disable-transaction honoured', () => {
    const c = detectAll({
      'migrations/tenant/0009-fix.sql': 'SELECT 9;',
      'migrations/tenant/00010-search.sql': 'SELECT 10;',
      'migrations/tenant/0011-index.sql': '-- postgres-migrations disable-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
    });
    assert.deepEqual(byOrder(c), ['migrations/tenant/0009-fix.sql', 'migrations/tenant/00010-search.sql', 'migrations/tenant/0011-index.sql']);
    assert.equal(c['migrations/tenant/0009-fix.sql'].tool, 'postgres-migrations');
    assert.equal(c['migrations/tenant/0009-fix.sql'].wrapsInTransaction, true);
    assert.equal(c['migrations/tenant/0011-index.sql'].wrapsInTransaction, false);
  });

  it('sqlx: <version>_<name>.sql, in a transaction unless the file starts with -- no-transaction', () => {
    const c = detectAll({
      'migrations/20210425153745_create_history.sql': 'CREATE TABLE h (id int);',
      'migrations/20210425153757_index.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY i ON h (id);',
    });
    assert.equal(c['migrations/20210425153745_create_history.sql'].tool, 'sqlx');
    assert.equal(c['migrations/20210425153745_create_history.sql'].wrapsInTransaction, true);
    assert.equal(c['migrations/20210425153757_index.sql'].wrapsInTransaction, false);
    assert.equal(c['migrations/20210425153757_index.sql'].transactionOptOut, '-- no-transaction');
  });

  it('graphile-worker: sql/NNNNNN.sql between BEGIN and COMMIT', () => {
    const c = detectAll({ 'sql/000001.sql': 'CREATE TABLE :GRAPHILE_WORKER_SCHEMA.jobs ();', 'sql/000002.sql': 'SELECT 1;' });
    assert.equal(c['sql/000002.sql'].tool, 'graphile-worker');
    assert.deepEqual(byOrder(c), ['sql/000001.sql', 'sql/000002.sql']);
    assert.equal(c['sql/000002.sql'].wrapsInTransaction, true);
  });

  it('temporal-sql-tool: versioned/vX.Y by version number, files in manifest order; schema.sql outside', () => {
    const base = 'schema/postgresql/v12/temporal';
    const files = {
      [`${base}/schema.sql`]: 'CREATE TABLE x ();',
      [`${base}/versioned/v1.9/b.sql`]: 'SELECT 1;',
      [`${base}/versioned/v1.10/z.sql`]: 'SELECT 2;',
      [`${base}/versioned/v1.10/a.sql`]: 'SELECT 3;',
      [`${base}/versioned/v1.10/unlisted.sql`]: 'SELECT 4;',
      [`${base}/versioned/v1.10/manifest.json`]: '{"CurrVersion":"1.10","SchemaUpdateCqlFiles":["z.sql","a.sql"]}',
    };
    const c = detectAll(files);
    assert.deepEqual(byOrder(c), [`${base}/versioned/v1.9/b.sql`, `${base}/versioned/v1.10/z.sql`, `${base}/versioned/v1.10/a.sql`]);
    assert.equal(c[`${base}/schema.sql`].tool, 'temporal');
    assert.equal(c[`${base}/schema.sql`].order, undefined);
    assert.match(c[`${base}/versioned/v1.10/unlisted.sql`].excluded ?? '', /not listed/);
    assert.equal(c[`${base}/versioned/v1.9/b.sql`].wrapsInTransaction, false);
  });

  it('a SQL file no convention names is plain SQL, outside any sequence', () => {
    const c = detectAll({ 'scripts/fix_data.sql': 'UPDATE t SET x = 1;', 'db/structure.sql': 'CREATE TABLE t ();' });
    for (const conv of Object.values(c)) {
      assert.equal(conv.tool, 'none');
      assert.equal(conv.order, undefined);
      assert.equal(conv.wrapsInTransaction, false);
      assert.equal(conv.downExpectation, 'information');
    }
  });
});
