/**
 * analyzeMigration: the one entry point the CLI and the language server share (config + the migration's project +
 * analyze). These tests run it on in-memory folders.
 */
import * as assert from 'node:assert/strict';
import { analyzeMigration, initParser } from '../../server/src/analysis';
import { memoryHost } from '../support/fsHost';

const rules = (r: ReturnType<typeof analyzeMigration>) => (r.result?.findings ?? []).map((f) => f.ruleId);

describe('analyzeMigration', () => {
  before(async () => {
    await initParser();
  });

  it('Ory popx: a table created by an earlier file of the same timestamp group is new (no CONCURRENTLY needed)', () => {
    const dir = '/p/persistence/sql/migrations/sql';
    const host = memoryHost({
      [`${dir}/20191100000001000004_identities.postgres.up.sql`]: 'CREATE TABLE "idents" (id uuid PRIMARY KEY, v text);',
      [`${dir}/20191100000001000004_identities.postgres.down.sql`]: 'DROP TABLE "idents";',
      [`${dir}/20191100000001000005_identities.postgres.up.sql`]: 'CREATE UNIQUE INDEX "idents_v_idx" ON "idents" (v);',
      [`${dir}/20191100000001000005_identities.postgres.down.sql`]: 'DROP INDEX "idents_v_idx";',
      [`${dir}/20200101000000000000_more.postgres.up.sql`]: 'CREATE INDEX "idents_v2_idx" ON "idents" (v);',
      [`${dir}/20200101000000000000_more.postgres.down.sql`]: 'DROP INDEX "idents_v2_idx";',
    });
    const same = analyzeMigration(`${dir}/20191100000001000005_identities.postgres.up.sql`, host);
    assert.equal(same.context?.convention.tool, 'popx');
    assert.ok(!rules(same).includes('require-concurrent-index-creation'), JSON.stringify(rules(same)));
    // A later group runs in another deploy: the table may hold data by then.
    const later = analyzeMigration(`${dir}/20200101000000000000_more.postgres.up.sql`, host);
    assert.ok(rules(later).includes('require-concurrent-index-creation'), JSON.stringify(rules(later)));
  });

  it('the schema from earlier migrations: SET NOT NULL after a validated CHECK in an earlier migration is not flagged (PG ≥ 12)', () => {
    const host = memoryHost({
      '/m/migrations/1_users.up.sql': 'CREATE TABLE users (id bigint, email text);',
      '/m/migrations/1_users.down.sql': 'DROP TABLE users;',
      '/m/migrations/2_check.up.sql': 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n',
      '/m/migrations/2_check.down.sql': 'ALTER TABLE users DROP CONSTRAINT email_nn;',
      '/m/migrations/3_validate.up.sql': 'ALTER TABLE users VALIDATE CONSTRAINT email_nn;',
      '/m/migrations/3_validate.down.sql': 'SELECT 1;',
      '/m/migrations/4_not_null.up.sql': "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;",
      '/m/migrations/4_not_null.down.sql': 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
    });
    const r = analyzeMigration('/m/migrations/4_not_null.up.sql', host);
    assert.ok(!rules(r).includes('adding-not-nullable-field'), JSON.stringify(rules(r)));
    const old = analyzeMigration('/m/migrations/4_not_null.up.sql', host, { overrides: { postgresVersion: 11 } });
    assert.ok(rules(old).includes('adding-not-nullable-field'), JSON.stringify(rules(old)));
  });

  it('the tool wraps the migration: dbmate runs it in a transaction unless transaction:false', () => {
    const cic = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);';
    const host = memoryHost({
      '/d/db/migrations/20240101000000_a.sql': `-- migrate:up\n${cic}\n\n-- migrate:down\nDROP INDEX i;\n`,
      '/d/db/migrations/20240102000000_b.sql': `-- migrate:up transaction:false\n${cic}\n\n-- migrate:down\nDROP INDEX i;\n`,
    });
    const wrapped = analyzeMigration('/d/db/migrations/20240101000000_a.sql', host);
    assert.equal(wrapped.context?.convention.tool, 'dbmate');
    assert.ok(rules(wrapped).includes('ban-concurrent-index-creation-in-transaction'), JSON.stringify(rules(wrapped)));
    const free = analyzeMigration('/d/db/migrations/20240102000000_b.sql', host);
    assert.ok(!rules(free).includes('ban-concurrent-index-creation-in-transaction'), JSON.stringify(rules(free)));
  });

  it('config: the file beats editor defaults, flags beat the file; assumeInTransaction in config beats the tool', () => {
    const host = memoryHost({
      '/c/.migration-guard.json': '{ "postgresVersion": 10, "assumeInTransaction": false, "rules": { "renaming-column": "off" } }',
      '/c/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t ADD COLUMN s text DEFAULT \'x\';\n-- migrate:down\n',
    });
    const path = '/c/migrations/20240101000000_a.sql';
    const r = analyzeMigration(path, host, { defaults: { postgresVersion: 16 } });
    assert.equal(r.configPath, '/c/.migration-guard.json');
    assert.equal(r.result?.options.postgresVersion, 10);
    assert.ok(!rules(r).includes('renaming-column'));
    assert.ok(!rules(r).includes('ban-concurrent-index-creation-in-transaction'), 'config says not in a transaction');
    assert.ok(rules(r).includes('adding-field-with-default'), 'PG 10 rewrites on any default');
    const flagged = analyzeMigration(path, host, { defaults: { postgresVersion: 16 }, overrides: { postgresVersion: 16 } });
    assert.ok(!rules(flagged).includes('adding-field-with-default'), 'the --pg-version flag beats the file');
  });

  it('a file the config excludes is not analyzed; a bad config reports problems and defaults apply', () => {
    const host = memoryHost({
      '/x/.migration-guard.json': '{ "exclude": ["legacy/**"], "postgresVersion": "sixteen" }',
      '/x/legacy/1.sql': 'ALTER TABLE t RENAME COLUMN a TO b;',
      '/x/new/1.sql': 'ALTER TABLE t RENAME COLUMN a TO b;',
    });
    const ex = analyzeMigration('/x/legacy/1.sql', host);
    assert.equal(ex.excluded, true);
    assert.equal(ex.result, undefined);
    const ok = analyzeMigration('/x/new/1.sql', host);
    assert.ok(rules(ok).includes('renaming-column'));
    assert.equal(ok.result?.options.postgresVersion, 16);
    assert.equal(ok.configProblems.length, 1);
    assert.match(ok.configProblems[0].message, /postgresVersion/);
  });
});
