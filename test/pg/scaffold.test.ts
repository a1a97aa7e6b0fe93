// The scaffolded expand-contract migrations run on real PostgreSQL: the files the scaffold command writes for a
// column rename in a golang-migrate folder are sent one by one as golang-migrate sends them (the whole file as one
// query), on a fixture table with rows; the old release's queries work until the contract migration, the new
// release's from the expand migration on, and the end state equals a plain rename. The split of a mixed migration
// runs too. Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh; or MG_PG_BIN).

import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { initParser } from '../../server/src/analysis';
import { scaffoldPhases, splitMigration } from '../../server/src/analysis/scaffold';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { lockStrength, traceStatement } from '../../server/src/engines/trace';
import { memoryHost } from '../support/fsHost';
import { applyEdits } from '../support/ruleTester';

// The old column has a default: the scaffold moves it into the sync trigger, so the new release's inserts (which set
// only full_name) still give both columns the new value, and the contract puts the default on full_name.
const INIT = `CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '', email text);
INSERT INTO users SELECT g, 'user ' || g, 'u' || g || '@example.com' FROM generate_series(1, 2500) g;
`;
const NOW = new Date('2026-11-21T14:45:04Z');

describe('scaffolded phases on PostgreSQL', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let db: Client;

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
    db = new Client(cluster.connectionConfig());
    await db.connect();
  });

  after(async () => {
    await db?.end().catch(() => {});
    await cluster?.stop();
  });

  it('rename column: old queries work until the contract, new ones from the expand on, data as a plain rename', async () => {
    await db.query('DROP TABLE IF EXISTS users CASCADE');
    const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'DROP TABLE users;' });
    const plan = scaffoldPhases('db', host, { kind: 'rename-column', table: 'users', column: 'name', newName: 'full_name' }, { now: NOW });
    const ups = plan.create.filter((f) => f.path.endsWith('.up.sql'));
    assert.deepEqual(ups.map((f) => f.path), ['db/2_add_full_name.up.sql', 'db/3_backfill_full_name.up.sql', 'db/4_validate_full_name.up.sql', 'db/5_drop_name.up.sql']);
    await db.query(INIT);
    const expected = (await db.query<{ id: string; name: string }>('SELECT id, name FROM users ORDER BY id')).rows;

    let n = 10_000;
    const oldRelease = async () => {
      n++;
      await db.query(`INSERT INTO users (id, name) VALUES (${n}, 'old ${n}')`);
      await db.query(`UPDATE users SET name = 'renamed by old' WHERE id = 1`);
      const r = await db.query<{ name: string }>('SELECT name FROM users WHERE id = 1');
      assert.equal(r.rows[0].name, 'renamed by old');
      await db.query(`UPDATE users SET name = 'user 1' WHERE id = 1`);
      expected.push({ id: String(n), name: `old ${n}` });
    };
    const newRelease = async () => {
      n++;
      await db.query(`INSERT INTO users (id, full_name) VALUES (${n}, 'new ${n}')`);
      const r = await db.query<{ row: Record<string, string> }>(`SELECT to_jsonb(u) AS row FROM users u WHERE id = ${n}`);
      assert.equal(r.rows[0].row.full_name, `new ${n}`);
      // While the old column exists, the old release reads the same value under its name (not the default '').
      if ('name' in r.rows[0].row) assert.equal(r.rows[0].row.name, `new ${n}`);
      expected.push({ id: String(n), name: `new ${n}` });
    };

    await oldRelease();
    await db.query(ups[0].text); // expand
    await oldRelease();
    await newRelease();
    // Rows written by either release since the expand are visible under both names.
    const both = await db.query<{ c: string }>(`SELECT count(*) AS c FROM users WHERE id > 10001 AND name IS DISTINCT FROM full_name`);
    assert.equal(both.rows[0].c, '0');
    await db.query(ups[1].text); // backfill (COMMIT per batch)
    const pending = await db.query<{ c: string }>('SELECT count(*) AS c FROM users WHERE full_name IS DISTINCT FROM name');
    assert.equal(pending.rows[0].c, '0');
    await oldRelease();
    await newRelease();
    await db.query(ups[2].text); // validate the NOT NULL check
    await oldRelease();
    await newRelease();
    await db.query(ups[3].text); // contract
    await newRelease();
    await assert.rejects(db.query('SELECT name FROM users'), /column "name" does not exist/);
    const got = (await db.query<{ id: string; full_name: string }>('SELECT id, full_name FROM users ORDER BY id')).rows;
    assert.deepEqual(got.map((r) => [r.id, r.full_name]), expected.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => [r.id, r.name]));
    const def = await db.query<{ d: string }>("SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum WHERE adrelid = 'users'::regclass AND attname = 'full_name'");
    assert.equal(def.rows[0]?.d, "''::text", 'full_name took over the default');
    const nn = await db.query<{ attnotnull: boolean }>("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'full_name'");
    assert.equal(nn.rows[0].attnotnull, true, 'full_name is NOT NULL like name was');
    const checks = await db.query("SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'");
    assert.equal(checks.rowCount, 0, 'the CHECK that proved it is gone');
    const leftovers = await db.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal");
    assert.equal(leftovers.rowCount, 0, 'the sync trigger is gone');

    // Dropping the old column cannot be undone: its down says so.
    const downs = plan.create.filter((f) => f.path.endsWith('.down.sql'));
    assert.match(downs[3].text, /IRREVERSIBLE/);
  });

  it('split table: both releases work through every phase, rows end in the new table, no rewrite or scan under ACCESS EXCLUSIVE', async () => {
    await db.query('DROP TABLE IF EXISTS profiles CASCADE; DROP TABLE IF EXISTS users CASCADE');
    const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'DROP TABLE users;' });
    const plan = scaffoldPhases('db', host, { kind: 'split-table', table: 'users', columns: ['name', 'email'], newName: 'profiles' }, { now: NOW });
    const ups = plan.create.filter((f) => f.path.endsWith('.up.sql'));
    assert.deepEqual(ups.map((f) => f.path), ['db/2_create_profiles.up.sql', 'db/3_backfill_profiles.up.sql', 'db/4_drop_moved_from_users.up.sql']);
    await db.query(INIT);
    // What each row's moved columns must end as: the fixture's, then what either release wrote.
    const expected = new Map<string, [string | null, string | null]>();
    for (const r of (await db.query<{ id: string; name: string; email: string }>('SELECT id, name, email FROM users')).rows) expected.set(r.id, [r.name, r.email]);
    const phase = async (sql: string, inTransaction: boolean, where: string) => {
      if (inTransaction) {
        const t = await traceStatement(db, sql);
        assert.equal(t.error, undefined, `${where}: ${t.error}`);
        const strongest = (rel: string) => Math.max(0, ...t.locks.filter((l) => l.relation === rel && !l.created).map((l) => lockStrength(l.mode)));
        for (const rel of t.rewritten) assert.ok(strongest(rel) < lockStrength('AccessExclusiveLock'), `${where}: rewrites ${rel} under ACCESS EXCLUSIVE`);
        for (const rel of t.scanned) assert.ok(strongest(rel) <= lockStrength('ShareUpdateExclusiveLock'), `${where}: scans ${rel} under ${t.locks.filter((l) => l.relation === rel).map((l) => l.mode)}`);
      }
      await db.query(sql); // as golang-migrate sends it: the whole file as one query
    };

    let n = 10_000;
    const oldRelease = async () => {
      n++;
      await db.query(`INSERT INTO users (id, name, email) VALUES (${n}, 'old ${n}', 'o${n}@x')`);
      await db.query(`UPDATE users SET email = 'old-upd ${n}' WHERE id = 1`);
      await db.query(`DELETE FROM users WHERE id = ${2000 + n - 10_000}`);
      expected.set(String(n), [`old ${n}`, `o${n}@x`]);
      expected.set('1', [expected.get('1')![0], `old-upd ${n}`]);
      expected.delete(String(2000 + n - 10_000));
      const r = await db.query<{ name: string; email: string }>('SELECT name, email FROM users WHERE id IN (1, $1) ORDER BY id', [n]);
      assert.deepEqual(r.rows.map((x) => x.email), [`old-upd ${n}`, `o${n}@x`]);
    };
    const newRelease = async (oldColumnsLeft: boolean) => {
      n++;
      await db.query(`INSERT INTO users (id) VALUES (${n})`);
      const upsert = 'INSERT INTO profiles (id, name, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email';
      await db.query(upsert, [n, `new ${n}`, `n${n}@x`]);
      await db.query(upsert, [2, expected.get('2')![0], `new-upd ${n}`]);
      expected.set(String(n), [`new ${n}`, `n${n}@x`]);
      expected.set('2', [expected.get('2')![0], `new-upd ${n}`]);
      const r = await db.query('SELECT u.id::int, p.name, p.email FROM users u JOIN profiles p USING (id) WHERE u.id IN (2, $1) ORDER BY 1', [n]);
      assert.deepEqual(r.rows, [{ id: 2, name: expected.get('2')![0], email: `new-upd ${n}` }, { id: n, name: `new ${n}`, email: `n${n}@x` }]);
      // While the old release may still run, what the new one writes reaches the old columns.
      if (oldColumnsLeft) assert.deepEqual((await db.query('SELECT name, email FROM users WHERE id IN (2, $1) ORDER BY id', [n])).rows, [{ name: expected.get('2')![0], email: `new-upd ${n}` }, { name: `new ${n}`, email: `n${n}@x` }]);
    };

    await oldRelease();
    await phase(ups[0].text, true, 'expand');
    await oldRelease();
    await newRelease(true);
    await phase(ups[1].text, false, 'backfill'); // COMMIT per batch
    const missing = await db.query('SELECT count(*)::int AS c FROM users u LEFT JOIN profiles p USING (id) WHERE p.id IS NULL OR (u.name, u.email) IS DISTINCT FROM (p.name, p.email)');
    assert.deepEqual(missing.rows, [{ c: 0 }], 'every row copied, with the current values');
    await oldRelease();
    await newRelease(true);
    await phase(ups[2].text, true, 'contract');
    await newRelease(false);

    const got = (await db.query<{ id: string; name: string; email: string }>('SELECT id, name, email FROM profiles ORDER BY id')).rows;
    assert.deepEqual(got.map((r) => [r.id, r.name, r.email]), [...expected].sort((a, b) => Number(a[0]) - Number(b[0])).map(([id, [name, email]]) => [id, name, email]));
    const cols = await db.query<{ attname: string }>("SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped");
    assert.deepEqual(cols.rows.map((r) => r.attname), ['id']);
    const fk = await db.query("SELECT pg_get_constraintdef(oid) AS d, convalidated FROM pg_constraint WHERE conrelid = 'profiles'::regclass AND contype = 'f'");
    assert.deepEqual(fk.rows, [{ d: 'FOREIGN KEY (id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE', convalidated: true }]);
    const triggers = await db.query("SELECT tgname FROM pg_trigger WHERE tgrelid IN ('users'::regclass, 'profiles'::regclass) AND NOT tgisinternal");
    assert.equal(triggers.rowCount, 0, 'the sync triggers are gone');
    await db.query('DROP TABLE profiles');
  });

  it('add unique in golang-migrate: one statement per file outside a transaction, each sent as one query, ends with the constraint', async () => {
    await db.query('DROP TABLE IF EXISTS users CASCADE');
    const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'DROP TABLE users;' });
    const plan = scaffoldPhases('db', host, { kind: 'add-unique', table: 'users', column: 'email' }, { now: NOW });
    await db.query(INIT);
    for (const f of plan.create.filter((x) => x.path.endsWith('.up.sql'))) await db.query(f.text);
    const k = await db.query("SELECT conname, contype::text FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'u'");
    assert.deepEqual(k.rows, [{ conname: 'users_email_key', contype: 'u' }]);
    for (const f of plan.create.filter((x) => x.path.endsWith('.down.sql')).reverse()) await db.query(f.text);
    const left = await db.query("SELECT count(*)::int AS c FROM pg_index WHERE indrelid = 'users'::regclass");
    assert.deepEqual(left.rows, [{ c: 1 }], 'only the primary key is left after the rollbacks');
  });

  it('a split mixed migration: the kept file, then the contract file, both run; their downs undo them', async () => {
    await db.query('DROP TABLE IF EXISTS users CASCADE');
    const mixed = "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN full_name text;\nALTER TABLE users DROP COLUMN email;\nCREATE INDEX users_full_name_idx ON users (full_name);\n";
    const mixedDown = 'DROP INDEX users_full_name_idx;\nALTER TABLE users ADD COLUMN email text;\nALTER TABLE users DROP COLUMN full_name;\n';
    const host = memoryHost({ 'db/1_init.up.sql': INIT, 'db/1_init.down.sql': 'DROP TABLE users;', 'db/2_mixed.up.sql': mixed, 'db/2_mixed.down.sql': mixedDown });
    const plan = splitMigration('db/2_mixed.up.sql', host, mixed, { now: NOW });
    const kept = applyEdits(mixed, plan.edits);
    const keptDown = applyEdits(mixedDown, plan.fileEdits!.find((e) => e.path === 'db/2_mixed.down.sql')!.edits);
    const [contractUp, contractDown] = plan.create;
    await db.query(INIT);
    await db.query(kept);
    await db.query("INSERT INTO users (id, name, email) VALUES (9001, 'x', 'x@example.com')"); // the old release still writes email
    await db.query(contractUp.text);
    await assert.rejects(db.query('SELECT email FROM users'), /does not exist/);
    await db.query(contractDown.text);
    await db.query(keptDown);
    const cols = await db.query<{ attname: string }>("SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    assert.deepEqual(cols.rows.map((r) => r.attname), ['id', 'name', 'email']);
  });
});
