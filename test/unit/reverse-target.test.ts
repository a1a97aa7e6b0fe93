/** Where `reverseForMigration` puts the down, per convention, with in-memory projects; and that it uses the earlier migrations' schema. */
import * as assert from 'node:assert/strict';
import { initParser } from '../../server/src/analysis';
import { reverseForMigration } from '../../server/src/analysis/reverse/target';
import { memoryHost } from '../support/fsHost';

/** Applies the plan's edits to `text` (last first). */
function applyEdits(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('reverse target', () => {
  before(async () => {
    await initParser();
  });

  it('golang-migrate: creates N_name.down.sql, with the schema of the earlier migrations', () => {
    const host = memoryHost({
      '/p/migrations/1_init.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, nick text);',
      '/p/migrations/1_init.down.sql': 'DROP TABLE users;',
      '/p/migrations/2_drop_nick.up.sql': 'ALTER TABLE users DROP COLUMN nick;',
    });
    const plan = reverseForMigration('/p/migrations/2_drop_nick.up.sql', host);
    assert.equal(plan.downPath, '/p/migrations/2_drop_nick.down.sql');
    assert.deepEqual(plan.create, [{ path: '/p/migrations/2_drop_nick.down.sql', text: '-- IRREVERSIBLE: data in users.nick is lost\nALTER TABLE users ADD COLUMN nick text;\n' }]);
    assert.equal(plan.conflicts, undefined);
    assert.equal(plan.result.complete, false);
  });

  it('never overwrites an existing non-empty down: it becomes a conflict', () => {
    const host = memoryHost({
      '/p/migrations/1_init.up.sql': 'CREATE TABLE users (id int);',
      '/p/migrations/1_init.down.sql': 'DROP TABLE IF EXISTS users;\n',
    });
    const plan = reverseForMigration('/p/migrations/1_init.up.sql', host);
    assert.deepEqual(plan.create, []);
    assert.equal(plan.existingDown, 'DROP TABLE IF EXISTS users;\n');
    assert.deepEqual(plan.conflicts, [{ path: '/p/migrations/1_init.down.sql', text: 'DROP TABLE users;\n' }]);
  });

  it('diesel: down.sql in the same folder', () => {
    const host = memoryHost({ '/p/migrations/2024-01-01-000000_create_users/up.sql': 'CREATE TABLE users (id int);' });
    const plan = reverseForMigration('/p/migrations/2024-01-01-000000_create_users/up.sql', host);
    assert.deepEqual(plan.create, [{ path: '/p/migrations/2024-01-01-000000_create_users/down.sql', text: 'DROP TABLE users;\n' }]);
  });

  it('Flyway: U<version>__<description>.sql', () => {
    const host = memoryHost({ '/p/db/migration/V1__init.sql': 'CREATE TABLE a (id int);', '/p/db/migration/V2__index.sql': 'CREATE INDEX a_id ON a (id);' });
    const plan = reverseForMigration('/p/db/migration/V2__index.sql', host);
    assert.deepEqual(plan.create, [{ path: '/p/db/migration/U2__index.sql', text: 'DROP INDEX a_id;\n' }]);
  });

  it('sqitch: revert/<change>.sql, keeping the BEGIN … COMMIT of the deploy script', () => {
    const host = memoryHost({
      '/p/sqitch.plan': '%syntax-version=1.0.0\n%project=p\n\nusers 2020-01-01T00:00:00Z A <a@example.com> # users\n',
      '/p/deploy/users.sql': 'BEGIN;\nCREATE TABLE users (id int);\nCOMMIT;\n',
    });
    const plan = reverseForMigration('/p/deploy/users.sql', host);
    assert.deepEqual(plan.create, [{ path: '/p/revert/users.sql', text: 'BEGIN;\nDROP TABLE users;\nCOMMIT;\n' }]);
  });

  it('dbmate: appends the -- migrate:down section when there is none', () => {
    const text = '-- migrate:up\nCREATE TABLE a (id int);\n';
    const host = memoryHost({ '/p/db/migrations/20240101000000_a.sql': text });
    const plan = reverseForMigration('/p/db/migrations/20240101000000_a.sql', host);
    assert.equal(plan.downPath, '/p/db/migrations/20240101000000_a.sql');
    assert.equal(applyEdits(text, plan.edits), '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n');
  });

  it('dbmate: fills an empty down section, and reports a non-empty one as a conflict', () => {
    const empty = '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\n';
    const host = memoryHost({ '/p/db/migrations/20240101000000_a.sql': empty });
    const plan = reverseForMigration('/p/db/migrations/20240101000000_a.sql', host);
    assert.equal(applyEdits(empty, plan.edits), '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n');
    const full = '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE IF EXISTS a;\n';
    const plan2 = reverseForMigration('/p/db/migrations/20240101000000_a.sql', memoryHost({ '/p/db/migrations/20240101000000_a.sql': full }));
    assert.deepEqual(plan2.edits, []);
    assert.equal(plan2.existingDown, '-- migrate:down\nDROP TABLE IF EXISTS a;\n');
    assert.deepEqual(plan2.conflicts, [{ path: '/p/db/migrations/20240101000000_a.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n' }]);
  });

  it('goose: -- +goose Down, with StatementBegin/End when the up used them', () => {
    const text = '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- +goose StatementEnd\n';
    const host = memoryHost({ '/p/migrations/00001_f.sql': text });
    const plan = reverseForMigration('/p/migrations/00001_f.sql', host);
    assert.equal(applyEdits(text, plan.edits), `${text}\n-- +goose Down\n-- +goose StatementBegin\nDROP FUNCTION f();\n-- +goose StatementEnd\n`);
  });

  it('node-pg-migrate: -- Down Migration', () => {
    const text = '-- Up Migration\nCREATE TABLE a (id int);';
    const host = memoryHost({ '/p/migrations/1700000000000_a.sql': text });
    const plan = reverseForMigration('/p/migrations/1700000000000_a.sql', host);
    assert.equal(applyEdits(text, plan.edits), '-- Up Migration\nCREATE TABLE a (id int);\n\n-- Down Migration\nDROP TABLE a;\n');
  });

  it('up-only tools have no place for a down: no target, and why', () => {
    const host = memoryHost({ '/p/prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);' });
    const plan = reverseForMigration('/p/prisma/migrations/20240101000000_init/migration.sql', host);
    assert.equal(plan.downPath, undefined);
    assert.deepEqual(plan.create, []);
    assert.match(plan.reason ?? '', /Prisma/);
    assert.equal(plan.result.sql, 'DROP TABLE a;\n');
  });

  it('a down file is not reversed into a place', () => {
    const host = memoryHost({ '/p/migrations/1_init.up.sql': 'CREATE TABLE a (id int);', '/p/migrations/1_init.down.sql': 'DROP TABLE a;' });
    const plan = reverseForMigration('/p/migrations/1_init.down.sql', host);
    assert.equal(plan.downPath, undefined);
    assert.match(plan.reason ?? '', /down script/);
  });
});
