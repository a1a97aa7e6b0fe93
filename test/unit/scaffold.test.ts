/**
 * The scaffold command's plan builder and the expand/contract split, on in-memory migration folders: the quick-pick
 * choices come from the folder's schema, the phases are written with the convention's names after the newest
 * migration, and a split leaves a file that `ban-mixed-expand-contract` accepts plus a contract migration (with its
 * rollback moved) that the project layer recognizes.
 */
import * as assert from 'node:assert/strict';
import { analyze, analyzeMigration, detectConvention, initParser, type ProjectHost } from '../../server/src/analysis';
import { classifyMigration } from '../../server/src/analysis/phase';
import { scaffoldChoices, scaffoldPhases, splitMigration, type ScaffoldPlan } from '../../server/src/analysis/scaffold';
import { memoryHost, overlayHost } from '../support/fsHost';
import { applyEdits } from '../support/ruleTester';

const NOW = new Date('2026-11-21T14:45:04Z');
const INIT = 'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email varchar(100));\nCREATE TABLE app.orders (id bigint PRIMARY KEY, total int);\n';

function after(host: ProjectHost, plan: ScaffoldPlan, path?: string, text?: string): ProjectHost {
  const files: Record<string, string> = Object.fromEntries(plan.create.map((f) => [f.path, f.text]));
  for (const e of plan.fileEdits ?? []) files[e.path] = applyEdits(host.readFile(e.path) ?? '', e.edits);
  if (path) files[path] = applyEdits(text!, plan.edits);
  return overlayHost(host, files);
}

describe('scaffold: choices and phases', function () {
  this.timeout(30_000);
  before(async () => {
    await initParser();
  });

  const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'DROP TABLE users;\nDROP TABLE app.orders;\n' });

  it('offers the tables and columns the folder defines, sorted', () => {
    assert.deepEqual(scaffoldChoices('db', host), {
      tables: [
        { name: 'app.orders', columns: ['id', 'total'] },
        { name: 'users', columns: ['id', 'name', 'email'] },
      ],
    });
    assert.deepEqual(scaffoldChoices('db/1_init.up.sql', host).tables.length, 2);
  });

  it('rename column: three migrations with ups and downs, numbered after the newest, typed from the schema', () => {
    const plan = scaffoldPhases('db', host, { kind: 'rename-column', table: 'users', column: 'name', newName: 'full_name' }, { now: NOW });
    assert.equal(plan.title, 'Rename column as expand-contract (3 migrations)');
    assert.deepEqual(plan.create.map((f) => f.path), [
      'db/2_add_full_name.up.sql', 'db/2_add_full_name.down.sql',
      'db/3_backfill_full_name.up.sql', 'db/3_backfill_full_name.down.sql',
      'db/4_drop_name.up.sql', 'db/4_drop_name.down.sql',
    ]);
    assert.deepEqual(plan.conflicts, []);
    assert.match(plan.create[0].text, /^-- Deploy 1 of 3 \(expand\)/);
    assert.match(plan.create[0].text, /ADD COLUMN full_name text;/, 'the type comes from the earlier migration');
    const h = after(host, plan);
    assert.deepEqual(['db/2_add_full_name.up.sql', 'db/3_backfill_full_name.up.sql', 'db/4_drop_name.up.sql'].map((p) => detectConvention(p, h).pairPath), [
      'db/2_add_full_name.down.sql', 'db/3_backfill_full_name.down.sql', 'db/4_drop_name.down.sql',
    ]);
    assert.equal(classifyMigration(plan.create[0].text).file, 'expand');
    assert.equal(classifyMigration(plan.create[4].text).file, 'contract');
  });

  it('every kind with a generator writes files that parse and, in the folder, lint clean of ban-mixed-expand-contract', () => {
    const changes = [
      { kind: 'rename-table', table: 'users', newName: 'members' },
      { kind: 'change-column-type', table: 'app.orders', column: 'total', newType: 'bigint' },
      { kind: 'add-not-null-column', table: 'users', newName: 'tenant_id', newType: 'bigint', default: '0' },
      { kind: 'set-not-null', table: 'users', column: 'email' },
      { kind: 'add-unique', table: 'users', column: 'email' },
    ] as const;
    for (const c of changes) {
      const plan = scaffoldPhases('db', host, c, { now: NOW });
      assert.ok(plan.create.length >= 4, `${c.kind}: ${plan.create.length} files`);
      const h = after(host, plan);
      for (const f of plan.create) {
        // As the editor and CLI see it: with the schema of the migrations before it.
        const r = analyzeMigration(f.path, h, { overrides: { rules: { 'ban-mixed-expand-contract': 'warning' } } }).result!;
        assert.deepEqual(r.findings.filter((x) => x.ruleId === 'syntax-error' || x.ruleId === 'ban-mixed-expand-contract').map((x) => x.message), [], `${c.kind}: ${f.path}`);
      }
    }
  });

  it('refuses a change without what its kind needs, and split-table (no generator yet)', () => {
    assert.throws(() => scaffoldPhases('db', host, { kind: 'rename-column', table: 'users', column: 'name' }), /needs a new name/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'add-not-null-column', table: 'users', newName: 'x', newType: 'int' }), /needs a default/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'split-table', table: 'users' }), /no phase generator/);
  });

  it('never overwrites: a taken name is a conflict', () => {
    const plan = scaffoldPhases('db', host, { kind: 'rename-table', table: 'users', newName: 'members' }, { now: NOW });
    const taken = overlayHost(memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'SELECT 1;' }), {});
    assert.deepEqual(scaffoldPhases('db', taken, { kind: 'rename-table', table: 'users', newName: 'members' }, { now: NOW }).create.map((f) => f.path), plan.create.map((f) => f.path));
  });
});

describe('scaffold: splitting a mixed migration', () => {
  before(async () => {
    await initParser();
  });

  const MIXED = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN full_name text;\nALTER TABLE users DROP COLUMN name;\nCREATE INDEX users_email_idx ON users (email);\n";
  const MIXED_DOWN = 'DROP INDEX users_email_idx;\nALTER TABLE users ADD COLUMN name text;\nALTER TABLE users DROP COLUMN full_name;\n';

  it('golang-migrate: the contract step and its rollback move to the next version', () => {
    const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'SELECT 1;', 'db/2_mixed.up.sql': MIXED, 'db/2_mixed.down.sql': MIXED_DOWN });
    assert.equal(analyze(MIXED, { rules: { 'ban-mixed-expand-contract': 'warning' } }).findings.filter((f) => f.ruleId === 'ban-mixed-expand-contract').length, 1);
    const plan = splitMigration('db/2_mixed.up.sql', host, MIXED, { now: NOW });
    assert.deepEqual(plan.notes, []);
    const kept = applyEdits(MIXED, plan.edits);
    assert.equal(kept, "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX users_email_idx ON users (email);\n");
    assert.deepEqual(plan.create, [
      { path: 'db/3_mixed_contract.up.sql', text: "-- Contract, split from 2_mixed.up.sql: run only after the release that stops using `users.name` is deployed everywhere.\nSET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN name;\n" },
      { path: 'db/3_mixed_contract.down.sql', text: '-- Contract, split from 2_mixed.up.sql: run only after the release that stops using `users.name` is deployed everywhere.\nALTER TABLE users ADD COLUMN name text;\n' },
    ]);
    const h = after(host, plan);
    assert.equal(h.readFile('db/2_mixed.down.sql'), 'DROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN full_name;\n');
    assert.equal(classifyMigration(kept).file, 'expand');
    assert.equal(analyze(kept, { rules: { 'ban-mixed-expand-contract': 'warning' } }).findings.filter((f) => f.ruleId === 'ban-mixed-expand-contract').length, 0);
  });

  it('goose: the down section is edited in the same file, the new file gets both sections', () => {
    const text = `-- +goose Up\n${MIXED}\n-- +goose Down\n${MIXED_DOWN}`;
    const host = memoryHost({ 'g/00001_init.sql': `-- +goose Up\n${INIT}-- +goose Down\nSELECT 1;\n`, 'g/00002_mixed.sql': text });
    const plan = splitMigration('g/00002_mixed.sql', host, text, { now: NOW });
    const kept = applyEdits(text, plan.edits);
    assert.equal(kept, "-- +goose Up\nSET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX users_email_idx ON users (email);\n\n-- +goose Down\nDROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN full_name;\n");
    assert.deepEqual(plan.create.map((f) => f.path), ['g/00003_mixed_contract.sql']);
    const conv = detectConvention('g/00003_mixed_contract.sql', after(host, plan, 'g/00002_mixed.sql', text));
    assert.equal(conv.tool, 'goose');
    const created = plan.create[0].text;
    assert.equal(created.slice(conv.sections!.down!.start), '-- +goose Down\nALTER TABLE users ADD COLUMN name text;\n');
  });

  it('nothing to split: a note and no edits', () => {
    const host = memoryHost({ 'db/1_init.up.sql': INIT });
    const plan = splitMigration('db/1_init.up.sql', host, INIT);
    assert.deepEqual([plan.edits, plan.create], [[], []]);
    assert.match(plan.notes[0], /Nothing to split/);
  });
});
