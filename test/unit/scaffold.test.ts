/**
 * The scaffold command's plan builder and the expand/contract split, on in-memory migration folders: the quick-pick
 * choices come from the folder's schema, the phases are written with the convention's names after the newest
 * migration, and a split leaves a file that `ban-mixed-expand-contract` accepts plus a contract migration (with its
 * rollback moved) that the project layer recognizes.
 */
import * as assert from 'node:assert/strict';
import { analyze, analyzeMigration, buildCatalog, detectConvention, initParser, parseFile, type ProjectHost } from '../../server/src/analysis';
import { classifyMigration } from '../../server/src/analysis/phase';
import { rewritePlansAt } from '../../server/src/analysis/actions';
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

  it('rename column: four migrations with ups and downs, numbered after the newest, typed from the schema', () => {
    const plan = scaffoldPhases('db', host, { kind: 'rename-column', table: 'users', column: 'name', newName: 'full_name' }, { now: NOW });
    assert.equal(plan.title, 'Rename column as expand-contract (4 migrations)');
    assert.deepEqual(plan.create.map((f) => f.path), [
      'db/2_add_full_name.up.sql', 'db/2_add_full_name.down.sql',
      'db/3_backfill_full_name.up.sql', 'db/3_backfill_full_name.down.sql',
      'db/4_validate_full_name.up.sql', 'db/4_validate_full_name.down.sql',
      'db/5_drop_name.up.sql', 'db/5_drop_name.down.sql',
    ]);
    assert.deepEqual(plan.conflicts, []);
    assert.match(plan.create[0].text, /^-- Deploy 1 of 3 \(expand\)/);
    assert.match(plan.create[0].text, /ADD COLUMN full_name text,\n/, 'the type comes from the earlier migration');
    const h = after(host, plan);
    assert.deepEqual(['db/2_add_full_name.up.sql', 'db/3_backfill_full_name.up.sql', 'db/5_drop_name.up.sql'].map((p) => detectConvention(p, h).pairPath), [
      'db/2_add_full_name.down.sql', 'db/3_backfill_full_name.down.sql', 'db/5_drop_name.down.sql',
    ]);
    // The expand is safe: the sync trigger it creates fills `full_name` on every write, so the NOT VALID CHECK holds
    // for the running release.
    assert.equal(classifyMigration(plan.create[0].text).file, 'expand');
    // With the schema the earlier phases leave (NOT NULL proven by the validated CHECK, which it then drops).
    const before = buildCatalog([INIT, plan.create[0].text, plan.create[2].text, plan.create[4].text]);
    assert.equal(classifyMigration(plan.create[6].text, { catalog: before }).file, 'contract');
    // `name` is NOT NULL: so is `full_name` at the end, through the CHECK validated in its own migration.
    assert.match(plan.create[0].text, /ADD CONSTRAINT users_full_name_not_null CHECK \(full_name IS NOT NULL\) NOT VALID;/);
    assert.match(plan.create[4].text, /VALIDATE CONSTRAINT users_full_name_not_null;/);
    assert.match(plan.create[6].text, /ALTER COLUMN full_name SET NOT NULL;/);
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

  it('refuses a change without what its kind needs', () => {
    assert.throws(() => scaffoldPhases('db', host, { kind: 'rename-column', table: 'users', column: 'name' }), /needs a new name/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'add-not-null-column', table: 'users', newName: 'x', newType: 'int' }), /needs a default/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'split-table', table: 'users', newName: 'profiles' }), /needs the columns to move/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'split-table', table: 'users', columns: ['nope'], newName: 'profiles' }), /needs the type of users\.nope/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'split-table', table: 'users', columns: ['id'], newName: 'profiles' }), /cannot move/);
    assert.throws(() => scaffoldPhases('db', host, { kind: 'split-table', table: 'ghosts', columns: ['a'], newName: 'b' }), /single-column primary key/);
  });

  it('split table: three migrations; each phase parses and lints clean with the recommended rules on the schema before it', () => {
    // The palette's single `column` answer may list several columns.
    const plan = scaffoldPhases('db', host, { kind: 'split-table', table: 'users', column: 'name, email', newName: 'profiles' }, { now: NOW });
    assert.equal(plan.title, 'Move columns to a new table as expand-contract (3 migrations)');
    assert.deepEqual(plan.create.map((f) => f.path), [
      'db/2_create_profiles.up.sql', 'db/2_create_profiles.down.sql',
      'db/3_backfill_profiles.up.sql', 'db/3_backfill_profiles.down.sql',
      'db/4_drop_moved_from_users.up.sql', 'db/4_drop_moved_from_users.down.sql',
    ]);
    assert.deepEqual(scaffoldPhases('db', host, { kind: 'split-table', table: 'users', columns: ['name', 'email'], newName: 'profiles' }, { now: NOW }).create, plan.create);
    const h = after(host, plan);
    for (const f of plan.create) {
      const r = analyzeMigration(f.path, h, { overrides: { rules: { 'ban-mixed-expand-contract': 'warning' } } }).result!;
      // The types of the moved columns, as written; and the comment-only downs of the backfill ("nothing to undo") and
      // of the contract ("IRREVERSIBLE"), which are meant.
      const allowed = new Set(['prefer-text-field', 'prefer-bigint-over-int', ...(/backfill|drop_moved/.test(f.path) ? ['require-down-migration'] : [])]);
      assert.deepEqual(r.findings.filter((x) => !allowed.has(x.ruleId)).map((x) => `${x.ruleId}: ${x.message}`), [], f.path);
    }
    assert.match(plan.create[0].text, /CREATE TABLE profiles \(\n  id int8 PRIMARY KEY REFERENCES users \(id\) ON UPDATE CASCADE ON DELETE CASCADE,\n  name text,\n  email varchar\(100\)\n\);/);
    assert.match(plan.create[0].text, /ALTER TABLE users ALTER COLUMN name DROP NOT NULL;/, 'the new release inserts users rows without name');
    assert.match(plan.create[4].text, /ALTER TABLE users DROP COLUMN IF EXISTS name, DROP COLUMN IF EXISTS email;/);
  });

  it('a tool that sends a file as one query gets one statement per migration outside a transaction', () => {
    const plan = scaffoldPhases('db', host, { kind: 'add-unique', table: 'users', column: 'email' }, { now: NOW });
    const ups = plan.create.filter((f) => f.path.endsWith('.up.sql'));
    assert.deepEqual(ups.map((f) => f.path), ['db/2_create_index_users_email_key_1.up.sql', 'db/3_create_index_users_email_key_2.up.sql', 'db/4_add_users_email_key.up.sql']);
    assert.deepEqual(ups.slice(0, 2).map((f) => parseFile(f.text).statements.filter((x) => x.node).map((x) => x.kind)), [['DropStmt'], ['IndexStmt']]);
    assert.deepEqual(plan.notes, [], 'nothing left to do by hand');
    assert.match(plan.create[1].text, /Nothing to undo here/);
    assert.match(plan.create[3].text, /^DROP INDEX CONCURRENTLY IF EXISTS users_email_key;$/m, 'the rollback goes with the last step');
    // goose runs each statement on its own: one migration.
    const goose = memoryHost({ 'g/00001_init.sql': `-- +goose Up\n${INIT}-- +goose Down\nSELECT 1;\n` });
    assert.deepEqual(scaffoldPhases('g', goose, { kind: 'add-unique', table: 'users', column: 'email' }, { now: NOW }).create.map((f) => f.path), ['g/00002_create_index_users_email_key.sql', 'g/00003_add_users_email_key.sql']);
  });

  it('a rewrite code action in such a folder writes its steps outside a transaction one statement per migration too', () => {
    const up = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n';
    const folder = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'SELECT 1;\n', 'db/2_unique.up.sql': up, 'db/2_unique.down.sql': 'ALTER TABLE users DROP CONSTRAINT users_email_key;\n' });
    const plans = rewritePlansAt('db/2_unique.up.sql', folder, 0, { now: NOW });
    const plan = plans.find((x) => /concurrently/i.test(x.title));
    assert.ok(plan, JSON.stringify(plans.map((x) => x.title)));
    assert.equal(plan.title, 'Build the index concurrently, then add the constraint (2 more migrations)');
    // Here: the clean-up of a failed build only; then the build alone, then the constraint.
    assert.equal(plan.edits[0].newText, 'DROP INDEX CONCURRENTLY IF EXISTS users_email_key;');
    assert.deepEqual(plan.create.filter((f) => f.path.endsWith('.up.sql')).map((f) => [f.path, parseFile(f.text).statements.filter((x) => x.node).map((x) => x.kind)]), [
      ['db/3_create_index_users_email_key_2.up.sql', ['IndexStmt']],
      ['db/4_add_users_email_key.up.sql', ['VariableSetStmt', 'AlterTableStmt']],
    ]);
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
