/**
 * `migrationContext` and `earlierMigrations`: what runs before a migration (forward parts only, the tool's order,
 * Ory's `.postgres.` variants), the text handed to `analyze` (down sections blanked, offsets kept), the transaction
 * assumption per tool, the rollback, and the catalog cache (no rebuild while typing, prefix reuse, no stale schema).
 */
import * as assert from 'node:assert/strict';
import { analyze, initParser } from '../../server/src/analysis';
import { CatalogCache, earlierMigrations, folderSequence, migrationContext } from '../../server/src/analysis/project';
import { memoryHost } from '../support/fsHost';

describe('project context', () => {
  before(async () => {
    await initParser();
  });

  describe('earlier migrations', () => {
    it('golang-migrate: the ups before an up; for a down, its own up too', () => {
      const host = memoryHost({
        'm/1_users.up.sql': 'CREATE TABLE users (id int);',
        'm/1_users.down.sql': 'DROP TABLE users;',
        'm/2_orders.up.sql': 'CREATE TABLE orders (id int);',
        'm/2_orders.down.sql': 'DROP TABLE orders;',
        'm/10_index.up.sql': 'CREATE INDEX i ON orders (id);',
      });
      assert.deepEqual(earlierMigrations('m/10_index.up.sql', host).map((e) => e.path), ['m/1_users.up.sql', 'm/2_orders.up.sql']);
      assert.deepEqual(earlierMigrations('m/2_orders.down.sql', host).map((e) => e.path), ['m/1_users.up.sql', 'm/2_orders.up.sql']);
      assert.deepEqual(earlierMigrations('m/1_users.up.sql', host), []);
    });

    it('single-file formats: only the up sections', () => {
      const host = memoryHost({
        'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n',
        'db/migrations/20240102000000_b.sql': '-- migrate:up\nALTER TABLE a ADD b int;\n-- migrate:down\n',
      });
      assert.deepEqual(earlierMigrations('db/migrations/20240102000000_b.sql', host), [
        { path: 'db/migrations/20240101000000_a.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n' },
      ]);
    });

    it('Ory popx: the .postgres. variant, never the file it shadows', () => {
      const d = 'sql';
      const host = memoryHost({
        [`${d}/20200101000000000000_t.postgres.up.sql`]: 'CREATE TABLE t (id uuid);',
        [`${d}/20200101000000000000_t.up.sql`]: 'CREATE TABLE t (id char(36));',
        [`${d}/20200101000000000000_t.down.sql`]: 'DROP TABLE t;',
        [`${d}/20200101000000000001_u.up.sql`]: 'ALTER TABLE t ADD u int;',
      });
      assert.deepEqual(
        earlierMigrations(`${d}/20200101000000000001_u.up.sql`, host).map((e) => e.text),
        ['CREATE TABLE t (id uuid);'],
      );
    });

    it('a file outside any sequence has none, and an unreadable earlier file is skipped', () => {
      assert.deepEqual(earlierMigrations('scripts/x.sql', memoryHost({ 'scripts/x.sql': 'SELECT 1;' })), []);
      const prisma = memoryHost({
        'prisma/migrations/20240101000000_a/migration.sql': 'CREATE TABLE a ();',
        'prisma/migrations/20240102000000_b/notes.txt': 'migration.sql not written yet',
        'prisma/migrations/20240103000000_c/migration.sql': 'SELECT 1;',
      });
      assert.deepEqual(earlierMigrations('prisma/migrations/20240103000000_c/migration.sql', prisma).map((e) => e.path), [
        'prisma/migrations/20240101000000_a/migration.sql',
      ]);
    });
  });

  describe('folderSequence', () => {
    it('finds the sequence a folder holds, one or two levels down (diesel, sqitch), or none', () => {
      const host = memoryHost({
        'migrations/2019-02-26-002946_b/up.sql': 'SELECT 2;',
        'migrations/2019-02-26-002946_b/down.sql': 'SELECT 2;',
        'migrations/00000000000000_a/up.sql': 'SELECT 1;',
        'migrations/README.md': '…',
        'db/sqitch.plan': '%project=x\n\nusers 2020-01-01T00:00:00Z A <a@example.org>\n',
        'db/deploy/users.sql': 'SELECT 1;',
        'db/revert/users.sql': 'SELECT 1;',
        'scripts/a.sql': 'SELECT 1;',
      });
      const diesel = folderSequence('migrations', host)!;
      assert.equal(diesel.tool, 'diesel');
      assert.deepEqual(diesel.steps.map((s) => s.forward), ['migrations/00000000000000_a/up.sql', 'migrations/2019-02-26-002946_b/up.sql']);
      const sqitch = folderSequence('db', host)!;
      assert.equal(sqitch.tool, 'sqitch');
      assert.equal(sqitch.orderSource, 'plan');
      assert.deepEqual(sqitch.steps.map((s) => [s.forward, s.backward]), [['db/deploy/users.sql', 'db/revert/users.sql']]);
      assert.equal(folderSequence('scripts', host), undefined);
      assert.equal(folderSequence('migrations/00000000000000_a', host), undefined, 'a migration folder is not a sequence');
    });
  });

  describe('migrationContext', () => {
    it('golang-migrate: earlier texts and catalog, the down, and the implicit transaction of several statements', () => {
      const host = memoryHost({
        'm/1_users.up.sql': 'CREATE TABLE users (id int, email text);',
        'm/2_index.up.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
        'm/2_index.down.sql': 'DROP INDEX CONCURRENTLY users_email;',
        'm/3_two.up.sql': 'ALTER TABLE users ADD a int;\nALTER TABLE users ADD b int;',
      });
      const ctx = migrationContext('m/2_index.up.sql', host, { cache: new CatalogCache() });
      assert.deepEqual(ctx.earlierTexts, ['CREATE TABLE users (id int, email text);']);
      assert.ok(ctx.catalog().tables.has('public.users'));
      assert.equal(ctx.assumeInTransaction, false, 'one statement in one query: no transaction block');
      assert.match(ctx.transactionNote, /one statement/);
      assert.equal(ctx.downPath, 'm/2_index.down.sql');
      assert.equal(ctx.downText, 'DROP INDEX CONCURRENTLY users_email;');
      assert.equal(ctx.downAssumeInTransaction, false);
      assert.equal(ctx.text, 'CREATE INDEX CONCURRENTLY users_email ON users (email);');

      const two = migrationContext('m/3_two.up.sql', host);
      assert.equal(two.assumeInTransaction, true, 'several statements in one query: one implicit transaction');
      assert.match(two.transactionNote, /several statements/);

      const down = migrationContext('m/2_index.down.sql', host);
      assert.equal(down.upPath, 'm/2_index.up.sql');
      assert.equal(down.downPath, undefined);
      assert.equal(down.earlier.length, 2);
    });

    it('single-file formats: the down section is blanked in `text` and is `downText`, offsets and lines kept', () => {
      const source = '-- migrate:up\nCREATE TABLE é (id int);\n\n-- migrate:down\nDROP TABLE é;\n';
      const host = memoryHost({ 'db/migrations/20240101000000_a.sql': source });
      const ctx = migrationContext('db/migrations/20240101000000_a.sql', host);
      assert.equal(ctx.text.length, source.length);
      assert.equal(ctx.text.split('\n').length, source.split('\n').length);
      assert.equal(ctx.text.slice(0, source.indexOf('-- migrate:down')), source.slice(0, source.indexOf('-- migrate:down')));
      assert.doesNotMatch(ctx.text, /DROP/);
      assert.equal(ctx.downPath, 'db/migrations/20240101000000_a.sql');
      assert.equal(ctx.downText!.length, source.length);
      assert.equal(ctx.downText!.trim(), '-- migrate:down\nDROP TABLE é;');
      assert.equal(ctx.assumeInTransaction, true);
      assert.equal(ctx.downAssumeInTransaction, true);
      // The analysis sees the up only.
      const result = analyze(ctx.text, { assumeInTransaction: ctx.assumeInTransaction });
      assert.equal(result.file.statements.length, 1);
    });

    it('goose: NO TRANSACTION turns the assumption off; the analysis then sees no transaction', () => {
      const sql = 'CREATE INDEX CONCURRENTLY i ON t (x);';
      const host = memoryHost({
        'migrations/20240101000000_a.sql': `-- +goose Up\n${sql}\n`,
        'migrations/20240102000000_b.sql': `-- +goose NO TRANSACTION\n-- +goose Up\n${sql}\n`,
      });
      for (const [file, inTx] of [
        ['migrations/20240101000000_a.sql', true],
        ['migrations/20240102000000_b.sql', false],
      ] as const) {
        const ctx = migrationContext(file, host);
        assert.equal(ctx.assumeInTransaction, inTx, file);
        const facts = analyze(ctx.text, { assumeInTransaction: ctx.assumeInTransaction }, { catalog: ctx.catalog() }).facts;
        assert.equal(facts.statements[0].inTransaction, inTx, file);
      }
    });

    it('popx: the down of an .autocommit. pair runs outside a transaction as well', () => {
      const host = memoryHost({
        'sql/20200101000000000000_i.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (x);',
        'sql/20200101000000000000_i.autocommit.down.sql': 'DROP INDEX CONCURRENTLY i;',
      });
      const ctx = migrationContext('sql/20200101000000000000_i.autocommit.up.sql', host);
      assert.equal(ctx.assumeInTransaction, false);
      assert.equal(ctx.downAssumeInTransaction, false);
    });

    it('uses the editor text over the file on disk', () => {
      const host = memoryHost({ 'm/1_a.up.sql': 'SELECT 1;' });
      const ctx = migrationContext('m/1_a.up.sql', host, { text: 'SELECT 1;\nSELECT 2;' });
      assert.equal(ctx.text, 'SELECT 1;\nSELECT 2;');
      assert.equal(ctx.assumeInTransaction, true);
    });
  });

  describe('catalog cache', () => {
    const files = {
      'm/1_a.up.sql': 'CREATE TABLE a (id int);',
      'm/2_b.up.sql': 'CREATE TABLE b (id int);',
      'm/3_c.up.sql': 'CREATE TABLE c (id int);',
      'm/4_d.up.sql': 'SELECT 1;',
    };

    it('serves the same catalog while only the current file changes (typing)', () => {
      const cache = new CatalogCache();
      const host = memoryHost(files);
      const first = migrationContext('m/3_c.up.sql', host, { cache, text: 'CREATE INDEX ON a (id);' }).catalog();
      const second = migrationContext('m/3_c.up.sql', host, { cache, text: 'CREATE INDEX ON a (id);\n-- typing' }).catalog();
      assert.equal(second, first);
      assert.deepEqual([...first.tables.keys()].sort(), ['public.a', 'public.b']);
    });

    it('builds a longer list on the longest cached prefix', () => {
      const cache = new CatalogCache();
      const host = memoryHost(files);
      const prefix = migrationContext('m/3_c.up.sql', host, { cache }).catalog();
      // Mark the cached prefix: a catalog built on it carries the mark, one built from scratch does not.
      prefix.tables.set('public.mark', { ...prefix.tables.get('public.a')!, key: 'public.mark', name: 'mark' });
      const longer = migrationContext('m/4_d.up.sql', host, { cache }).catalog();
      assert.deepEqual([...longer.tables.keys()].sort(), ['public.a', 'public.b', 'public.c', 'public.mark']);
      assert.ok(!prefix.tables.has('public.c'), 'the cached prefix itself is not modified');
    });

    it('never serves schema from an earlier file as it was before an edit', () => {
      const cache = new CatalogCache();
      const before = migrationContext('m/3_c.up.sql', memoryHost(files), { cache }).catalog();
      const edited = memoryHost({ ...files, 'm/2_b.up.sql': 'CREATE TABLE b2 (id int);' });
      const after = migrationContext('m/3_c.up.sql', edited, { cache }).catalog();
      assert.notEqual(after, before);
      assert.deepEqual([...after.tables.keys()].sort(), ['public.a', 'public.b2']);
    });

    it('keeps at most its capacity', () => {
      const cache = new CatalogCache(2);
      for (let i = 0; i < 5; i++) cache.catalogFor([{ path: `x${i}.sql`, text: `CREATE TABLE t${i} ();` }]);
      assert.equal(cache.size, 2);
    });
  });
});
