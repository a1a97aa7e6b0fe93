/**
 * The expand-contract rewrites run on the real PostgreSQL the tests start. For each rewrite: a fixture table with
 * rows; the phases run in order; between phases the old release's queries (old names and shapes) and the new
 * release's queries must work while that release is live; after the last phase the data equals what the plain
 * statement produces; no phase holds ACCESS EXCLUSIVE on a table it rewrites or scans, and a scan only happens under a
 * lock no stronger than SHARE UPDATE EXCLUSIVE (traced: pg_locks, relfilenode, scan counters). Then the downs run in
 * reverse order and the schema and data must come back.
 */
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { buildCatalog, initParser, parseFile } from '../../server/src/analysis';
import type { Phase } from '../../server/src/analysis/plan';
import { rewritesAt } from '../../server/src/analysis/rewrites';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { cannotRunInTransactionBlock, lockStrength, traceConcurrently, traceStatement } from '../../server/src/engines/trace';

type Q = (sql: string, params?: unknown[]) => Promise<unknown[]>;

interface Scenario {
  id: string;
  /** The rewrite under test, when several scenarios test one rewrite (default: `id`). */
  rewrite?: string;
  fixture: string;
  statement: string;
  options?: { assumeInTransaction?: boolean };
  /** The old release's queries; run after every phase before `oldUntil` (the contract). */
  old?: (q: Q, round: number) => Promise<void>;
  /** The new release's queries; run after every phase from `newFrom` on. */
  new?: (q: Q, round: number) => Promise<void>;
  oldUntil?: number;
  newFrom?: number;
  /** The data to compare with the plain statement's result. */
  data: string;
  /** A query whose result after the last phase must equal the plain statement's exactly (the final schema). */
  schema?: string;
}

const ROWS = 'SELECT g FROM generate_series(1, 2500) g';

/**
 * A table's columns (type, NOT NULL, DEFAULT, comment), indexes (definition, valid) and constraints (definition,
 * validated), from pg_catalog; `names`: with the index and constraint names (else only their definitions).
 */
function shape(table: string, names: boolean): string {
  const idx = names ? 'pg_get_indexdef(i.indexrelid)' : `regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \\S+ ON', 'INDEX ON')`;
  const con = names ? `c.conname || ' ' || pg_get_constraintdef(c.oid)` : 'pg_get_constraintdef(c.oid)';
  return `
    SELECT 'column' AS k, a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') || coalesce(' COMMENT ' || col_description(a.attrelid, a.attnum), '') AS d
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = '${table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'index', ${idx} || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END FROM pg_index i WHERE i.indrelid = '${table}'::regclass
    UNION ALL
    SELECT 'constraint', ${con} || CASE WHEN c.convalidated THEN '' ELSE ' NOT VALID' END FROM pg_constraint c WHERE c.conrelid = '${table}'::regclass
    ORDER BY 1, 2`;
}

const SCENARIOS: Scenario[] = [
  {
    id: 'rename-column',
    fixture: `CREATE TABLE "Users" (id bigint PRIMARY KEY, "Name" text NOT NULL DEFAULT '');\nINSERT INTO "Users" SELECT g, 'user ' || g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE "Users" RENAME COLUMN "Name" TO full_name;',
    old: async (q, r) => {
      await q(`INSERT INTO "Users" (id, "Name") VALUES ($1, $2)`, [10_000 + r, `old ${10_000 + r}`]);
      await q(`UPDATE "Users" SET "Name" = $2 WHERE id = $1`, [1 + r, `old-upd ${1 + r}`]);
      const rows = await q(`SELECT "Name" FROM "Users" WHERE id = $1`, [10_000 + r]);
      assert.deepEqual(rows, [{ Name: `old ${10_000 + r}` }]);
    },
    new: async (q, r) => {
      await q(`INSERT INTO "Users" (id, full_name) VALUES ($1, $2)`, [20_000 + r, `new ${20_000 + r}`]);
      await q(`UPDATE "Users" SET full_name = $2 WHERE id = $1`, [100 + r, `new-upd ${100 + r}`]);
      // The old name follows the new one while the old release may still read it.
      if (r < 3) assert.deepEqual(await q(`SELECT "Name" FROM "Users" WHERE id = $1`, [100 + r]), [{ Name: `new-upd ${100 + r}` }]);
      const rows = await q(`SELECT full_name FROM "Users" WHERE id IN ($1, $2) ORDER BY id`, [100 + r, 20_000 + r]);
      assert.deepEqual(rows, [{ full_name: `new-upd ${100 + r}` }, { full_name: `new ${20_000 + r}` }]);
    },
    oldUntil: 2,
    newFrom: 1,
    data: 'SELECT id, full_name FROM "Users" ORDER BY id',
  },
  {
    // issue 5: a column default is filled in before BEFORE triggers run, so with the default left on the old column
    // an insert of the new release (only full_name) ended with name = 'anonymous'. The expand moves it into the trigger.
    id: 'rename-column with a default',
    rewrite: 'rename-column',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'anonymous');\nINSERT INTO users SELECT g, 'user ' || g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
    old: async (q, r) => {
      // The old release omits name (the default) or sets it; after the expand full_name follows.
      await q('INSERT INTO users (id) VALUES ($1)', [10_000 + r]);
      await q('INSERT INTO users (id, name) VALUES ($1, $2)', [11_000 + r, `old ${r}`]);
      const withNew = r > 0 ? ', full_name' : '';
      const got = await q(`SELECT id::int, name${withNew} FROM users WHERE id IN ($1, $2) ORDER BY id`, [10_000 + r, 11_000 + r]);
      const row = (id: number, v: string) => (r > 0 ? { id, name: v, full_name: v } : { id, name: v });
      assert.deepEqual(got, [row(10_000 + r, 'anonymous'), row(11_000 + r, `old ${r}`)]);
    },
    new: async (q, r) => {
      // The new release sets only full_name, or omits it (the default, from the trigger until the contract moves it).
      await q('INSERT INTO users (id, full_name) VALUES ($1, $2)', [20_000 + r, `new ${r}`]);
      await q('INSERT INTO users (id) VALUES ($1)', [21_000 + r]);
      const withOld = r < 3 ? ', name' : '';
      const got = await q(`SELECT id::int, full_name${withOld} FROM users WHERE id IN ($1, $2) ORDER BY id`, [20_000 + r, 21_000 + r]);
      const row = (id: number, v: string) => (r < 3 ? { id, full_name: v, name: v } : { id, full_name: v });
      assert.deepEqual(got, [row(20_000 + r, `new ${r}`), row(21_000 + r, 'anonymous')]);
    },
    oldUntil: 2,
    newFrom: 0,
    data: 'SELECT id, full_name FROM users ORDER BY id',
    // NOT NULL carries over too (through the validated CHECK); the CHECK itself is gone.
    schema: shape('users', false),
  },
  {
    // The old column's UNIQUE constraint, CHECK and expression index are rebuilt on the new column (same definitions,
    // names following the new column) before the contract drops the old ones; duplicates stay rejected throughout.
    id: 'rename-column with indexes and constraints',
    rewrite: 'rename-column',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE CHECK (email <> ''));\nCREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE email LIKE '%@%';\nINSERT INTO users SELECT g, 'u' || g || '@x' FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users RENAME COLUMN email TO login;',
    old: async (q, r) => {
      await q('INSERT INTO users (id, email) VALUES ($1, $2)', [10_000 + r, `old${r}@x`]);
      await q('UPDATE users SET email = $2 WHERE id = $1', [1 + r, `old-upd${r}@x`]);
      assert.deepEqual(await q('SELECT email FROM users WHERE id = $1', [10_000 + r]), [{ email: `old${r}@x` }]);
      await assert.rejects(q('INSERT INTO users (id, email) VALUES ($1, $2)', [12_000 + r, 'u2000@x']), /duplicate key/);
      await assert.rejects(q(`INSERT INTO users (id, email) VALUES ($1, '')`, [12_000 + r]), /check constraint/);
    },
    new: async (q, r) => {
      await q('INSERT INTO users (id, login) VALUES ($1, $2)', [20_000 + r, `new${r}@x`]);
      await q('UPDATE users SET login = $2 WHERE id = $1', [100 + r, `new-upd${r}@x`]);
      assert.deepEqual(await q('SELECT login FROM users WHERE id = $1', [20_000 + r]), [{ login: `new${r}@x` }]);
      await assert.rejects(q('INSERT INTO users (id, login) VALUES ($1, $2)', [22_000 + r, 'u2001@x']), /duplicate key/);
      await assert.rejects(q(`INSERT INTO users (id, login) VALUES ($1, '')`, [22_000 + r]), /check constraint/);
      await assert.rejects(q('INSERT INTO users (id) VALUES ($1)', [23_000 + r]), /null value/);
    },
    oldUntil: 5,
    newFrom: 1,
    data: 'SELECT id, login FROM users ORDER BY id',
    schema: shape('users', false),
  },
  {
    id: 'rename-table',
    fixture: `CREATE TABLE users (id bigserial PRIMARY KEY, name text);\nINSERT INTO users (name) SELECT 'user ' || g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users RENAME TO accounts;',
    old: async (q, r) => {
      await q(`INSERT INTO users (name) VALUES ($1)`, [`old ${r}`]);
      await q(`UPDATE users SET name = 'old-upd' WHERE id = $1`, [1 + r]);
      assert.equal((await q(`SELECT name FROM users WHERE id = $1`, [1 + r]))[0] !== undefined, true);
    },
    new: async (q, r) => {
      await q(`INSERT INTO accounts (name) VALUES ($1)`, [`new ${r}`]);
      await q(`UPDATE accounts SET name = 'new-upd' WHERE id = $1`, [50 + r]);
      assert.deepEqual(await q(`SELECT name FROM accounts WHERE id = $1`, [50 + r]), [{ name: 'new-upd' }]);
    },
    oldUntil: 1,
    newFrom: 0,
    data: 'SELECT id, name FROM accounts ORDER BY id',
  },
  {
    id: 'change-column-type',
    fixture: `CREATE TABLE accounts (id bigint PRIMARY KEY, balance integer NOT NULL);\nINSERT INTO accounts SELECT g, g * 10 FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;',
    old: async (q, r) => {
      await q('INSERT INTO accounts (id, balance) VALUES ($1, 7)', [10_000 + r]);
      await q('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [1 + r]);
      assert.equal((await q('SELECT balance FROM accounts WHERE id = $1', [10_000 + r])).length, 1);
    },
    new: async (q, r) => {
      await q('INSERT INTO accounts (id, balance) VALUES ($1, 5000000000)', [20_000 + r]);
      assert.deepEqual(await q('SELECT balance::text AS b FROM accounts WHERE id = $1', [20_000 + r]), [{ b: '5000000000' }]);
    },
    oldUntil: 4,
    newFrom: 3,
    data: 'SELECT id, balance, pg_typeof(balance)::text AS t FROM accounts ORDER BY id',
  },
  {
    // The column's DEFAULT, NOT NULL, CHECK, foreign key, multi-column UNIQUE, partial index and comment all carry to
    // the new-type column, under their original names once the contract drops the old column.
    id: 'change-column-type with indexes and constraints',
    rewrite: 'change-column-type',
    fixture: `CREATE TABLE owners (id bigint PRIMARY KEY);\nINSERT INTO owners SELECT g FROM generate_series(1, 100) g;\nCREATE TABLE accounts (id bigint PRIMARY KEY, owner_id integer NOT NULL DEFAULT 1 CHECK (owner_id > 0) REFERENCES owners (id), UNIQUE (owner_id, id));\nCREATE INDEX accounts_owner_id_idx ON accounts (owner_id) WHERE owner_id > 10;\nCOMMENT ON COLUMN accounts.owner_id IS 'who owns it';\nINSERT INTO accounts SELECT g, 1 + g % 100 FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE accounts ALTER COLUMN owner_id TYPE bigint;',
    old: async (q, r) => {
      await q('INSERT INTO accounts (id) VALUES ($1)', [10_000 + r]);
      await q('INSERT INTO accounts (id, owner_id) VALUES ($1, 5)', [11_000 + r]);
      await q('UPDATE accounts SET owner_id = 7 WHERE id = $1', [1 + r]);
      assert.deepEqual(await q('SELECT owner_id::int AS o FROM accounts WHERE id IN ($1, $2) ORDER BY id', [10_000 + r, 11_000 + r]), [{ o: 1 }, { o: 5 }]);
      await assert.rejects(q('INSERT INTO accounts (id, owner_id) VALUES ($1, 0)', [12_000 + r]), /check constraint/);
      await assert.rejects(q('INSERT INTO accounts (id, owner_id) VALUES ($1, 1000)', [12_000 + r]), /foreign key/);
    },
    new: async (q, r) => {
      await q('INSERT INTO accounts (id, owner_id) VALUES ($1, 42)', [20_000 + r]);
      await q('INSERT INTO accounts (id) VALUES ($1)', [21_000 + r]);
      assert.deepEqual(await q(`SELECT owner_id::int AS o, pg_typeof(owner_id)::text AS t FROM accounts WHERE id IN ($1, $2) ORDER BY id`, [20_000 + r, 21_000 + r]), [{ o: 42, t: 'bigint' }, { o: 1, t: 'bigint' }]);
      await assert.rejects(q('INSERT INTO accounts (id, owner_id) VALUES ($1, 1000)', [22_000 + r]), /foreign key/);
      await assert.rejects(q('INSERT INTO accounts (id, owner_id) VALUES ($1, NULL)', [22_000 + r]), /null value/);
    },
    oldUntil: 6,
    newFrom: 5,
    data: 'SELECT id, owner_id, pg_typeof(owner_id)::text AS t FROM accounts ORDER BY id',
    schema: shape('accounts', true),
  },
  {
    id: 'set-not-null',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users SELECT g, 'u' || g || '@x' FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    old: async (q, r) => void (await q(`INSERT INTO users VALUES ($1, 'a@b')`, [10_000 + r])),
    oldUntil: 3,
    data: "SELECT id, email, (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email') AS nn FROM users ORDER BY id",
  },
  {
    id: 'add-constraint-not-valid',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY);\nINSERT INTO users SELECT g FROM (${ROWS}) s(g);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\nINSERT INTO orders SELECT g, g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    old: async (q, r) => void (await q('INSERT INTO orders VALUES ($1, 1)', [10_000 + r])),
    oldUntil: 2,
    data: "SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'f'",
  },
  {
    id: 'add-unique-using-index',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users SELECT g, 'u' || g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    old: async (q, r) => void (await q('INSERT INTO users VALUES ($1, $2)', [10_000 + r, `x${r}`])),
    oldUntil: 2,
    data: "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'users'::regclass ORDER BY conname",
  },
  {
    id: 'create-index-concurrently',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users SELECT g, 'u' || g FROM (${ROWS}) s(g);`,
    statement: 'CREATE INDEX users_email_idx ON users (email);',
    options: { assumeInTransaction: true },
    data: "SELECT indexrelid::regclass::text AS i, indisvalid FROM pg_index WHERE indrelid = 'users'::regclass ORDER BY 1",
  },
  {
    id: 'drop-index-concurrently',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users SELECT g, 'u' || g FROM (${ROWS}) s(g);\nCREATE INDEX users_email_idx ON users (email);`,
    statement: 'DROP INDEX users_email_idx;',
    data: "SELECT indexrelid::regclass::text AS i FROM pg_index WHERE indrelid = 'users'::regclass ORDER BY 1",
  },
  {
    id: 'reindex-concurrently',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users SELECT g, 'u' || g FROM (${ROWS}) s(g);\nCREATE INDEX users_email_idx ON users (email);`,
    statement: 'REINDEX INDEX users_email_idx;',
    data: "SELECT indexrelid::regclass::text AS i, indisvalid FROM pg_index WHERE indrelid = 'users'::regclass ORDER BY 1",
  },
  {
    id: 'detach-partition-concurrently',
    fixture: 'CREATE TABLE m (id int, k int) PARTITION BY RANGE (k);\nCREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100);\nCREATE TABLE m2 PARTITION OF m FOR VALUES FROM (100) TO (200);\nINSERT INTO m SELECT g, g % 200 FROM generate_series(1, 1000) g;',
    statement: 'ALTER TABLE m DETACH PARTITION m2;',
    data: 'SELECT count(*)::int AS n, (SELECT count(*)::int FROM m2) AS detached FROM m',
  },
  {
    id: 'add-lock-timeout',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY);\nINSERT INTO users SELECT g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users ADD COLUMN nickname text;',
    data: 'SELECT id, nickname FROM users ORDER BY id',
  },
  {
    id: 'add-column-backfill',
    fixture: `CREATE TABLE users (id bigint PRIMARY KEY);\nINSERT INTO users SELECT g FROM (${ROWS}) s(g);`,
    statement: 'ALTER TABLE users ADD COLUMN token text NOT NULL DEFAULT md5(random()::text);',
    old: async (q, r) => void (await q('INSERT INTO users (id) VALUES ($1)', [10_000 + r])),
    new: async (q, r) => void (await q("INSERT INTO users (id, token) VALUES ($1, 'given')", [20_000 + r])),
    oldUntil: 4,
    newFrom: 0,
    // The volatile default gives each row its own value: compare what is deterministic.
    data: "SELECT count(*)::int AS n, count(token)::int AS filled, count(DISTINCT token)::int AS distinct_tokens, (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'token') AS nn FROM users",
  },
];

/** Columns, types and nullability of the user tables, views, constraints and indexes: what a down must restore. */
const SCHEMA = `
  SELECT c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' ORDER BY 1, 3`;
const CONSTRAINTS = `SELECT conname, contype::text, convalidated FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1`;
const TRIGGERS = `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`;

describe('rewrites on PostgreSQL', function () {
  this.timeout(300_000);
  let cluster: LocalCluster;
  let a: Client;
  let b: Client;
  let app: Client;

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
    [a, b, app] = [new Client(cluster.connectionConfig()), new Client(cluster.connectionConfig()), new Client(cluster.connectionConfig())];
    await Promise.all([a.connect(), b.connect(), app.connect()]);
  });

  after(async () => {
    for (const c of [a, b, app]) await c?.end().catch(() => {});
    await cluster?.stop();
  });

  const reset = async () => {
    await a.query('RESET ALL; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await app.query('DISCARD ALL');
  };
  const rows = async (sql: string) => (await a.query(sql)).rows;
  const q: Q = async (sql, params) => (await app.query(sql, params)).rows;

  /** Runs one phase's SQL the way a migration tool would, tracing every statement that can be traced first. */
  async function run(sql: string, inTransaction: boolean, where: string, scanUnderAccessExclusive = false): Promise<void> {
    if (inTransaction) {
      const t = await traceStatement(a, sql);
      assert.equal(t.error, undefined, `${where}: ${t.error}`);
      const strongest = (rel: string) => Math.max(0, ...t.locks.filter((l) => l.relation === rel && !l.created).map((l) => lockStrength(l.mode)));
      for (const rel of t.rewritten) assert.ok(strongest(rel) < lockStrength('AccessExclusiveLock'), `${where}: rewrites ${rel} under ACCESS EXCLUSIVE`);
      for (const rel of scanUnderAccessExclusive ? [] : t.scanned) {
        assert.ok(strongest(rel) <= lockStrength('ShareUpdateExclusiveLock'), `${where}: scans ${rel} under ${t.locks.filter((l) => l.relation === rel).map((l) => l.mode)}`);
      }
      await a.query(`BEGIN;\n${sql}\nCOMMIT;`);
      return;
    }
    // Outside a transaction every statement commits on its own.
    for (const s of parseFile(sql).statements) {
      const text = s.text + ';';
      if (cannotRunInTransactionBlock(text)) {
        const t = await traceConcurrently(a, b, text, { timeoutMs: 60_000 });
        assert.equal(t.error, undefined, `${where}: ${t.error}`);
        assert.deepEqual(t.rewritten.filter((r) => !/_ccnew|_idx|_key/.test(r)), [], `${where}: no table rewrite`);
        const strong = t.locks.filter((l) => l.relkind === 'r' && !l.created && l.mode === 'AccessExclusiveLock' && !/DETACH/i.test(text));
        assert.deepEqual(strong, [], `${where}: no ACCESS EXCLUSIVE table lock`);
      } else {
        await a.query(text);
      }
    }
  }

  for (const sc of SCENARIOS) {
    it(`${sc.id}: phases keep both releases working and end with the plain statement's data`, async () => {
      // What the plain statement produces.
      await reset();
      await a.query(sc.fixture);
      await a.query(sc.statement);
      const expected = await rows(sc.data);
      const expectedSchema = sc.schema ? await rows(sc.schema) : undefined;

      await reset();
      await a.query(sc.fixture);
      const offered = rewritesAt(sc.statement, 0, { ...sc.options, catalog: buildCatalog([sc.fixture]) }).find((r) => r.id === (sc.rewrite ?? sc.id));
      assert.ok(offered, `${sc.id} is offered`);
      const phases: Phase[] = offered.phases.filter((p) => p.kind !== 'standalone' || p.name !== 'moved');
      let round = 0;
      const apps = async (after: number) => {
        round++;
        if (sc.old && after < (sc.oldUntil ?? Infinity)) await sc.old(q, round);
        if (sc.new && after >= (sc.newFrom ?? Infinity)) await sc.new(q, round);
      };
      if (sc.old) await sc.old(q, round); // before any phase: the fixture and the old release agree
      for (const [k, p] of phases.entries()) {
        await run(p.up, p.inTransaction, `${sc.id} phase ${k} (${p.name})`);
        await apps(k);
      }
      // Rows the applications wrote differ between the two runs; compare the fixture's rows and the schema.
      if (!sc.old && !sc.new) assert.deepEqual(await rows(sc.data), expected);
      else {
        const got = await rows(sc.data);
        if (sc.id === 'add-column-backfill') assert.deepEqual({ ...got[0], n: undefined, filled: undefined, distinct_tokens: undefined }, { ...expected[0], n: undefined, filled: undefined, distinct_tokens: undefined });
        else if (/^SELECT id/.test(sc.data)) {
          const fixtureIds = new Set(expected.map((r) => String((r as { id: unknown }).id)));
          const mine = got.filter((r) => fixtureIds.has(String((r as { id: unknown }).id)));
          const touched = new Set(Array.from({ length: round + 1 }, (_, i) => [String(1 + i), String(100 + i), String(50 + i)]).flat());
          assert.deepEqual(mine.filter((r) => !touched.has(String((r as { id: unknown }).id))), expected.filter((r) => !touched.has(String((r as { id: unknown }).id))));
        } else assert.deepEqual(got, expected);
      }
      if (sc.schema) assert.deepEqual(await rows(sc.schema), expectedSchema, 'the final schema equals the plain statement\'s');
      if (sc.id === 'add-column-backfill') {
        const [r] = await rows(sc.data);
        assert.equal(r.filled, r.n, 'every row has a token');
        assert.deepEqual(await rows('SELECT count(DISTINCT token)::int AS d FROM users WHERE id <= 2500'), [{ d: 2500 }], 'each fixture row got its own value');
      }
    });

    it(`${sc.id}: the downs in reverse order bring the schema and data back`, async () => {
      await reset();
      await a.query(sc.fixture);
      const before = { schema: await rows(SCHEMA), constraints: await rows(CONSTRAINTS), triggers: await rows(TRIGGERS) };
      const offered = rewritesAt(sc.statement, 0, { ...sc.options, catalog: buildCatalog([sc.fixture]) }).find((r) => r.id === (sc.rewrite ?? sc.id))!;
      const phases = offered.phases.filter((p) => p.kind !== 'standalone' || p.name !== 'moved');
      // Up to the first phase that cannot be undone.
      const firstIrreversible = phases.findIndex((p) => !p.down || /IRREVERSIBLE/.test(p.down));
      const reversible = firstIrreversible < 0 ? phases : phases.slice(0, firstIrreversible);
      // DETACH (bounds unknown) and add-lock-timeout (the statement itself: the reverse-migration generator's job) have no down.
      assert.ok(reversible.length > 0 || sc.id === 'detach-partition-concurrently' || sc.id === 'add-lock-timeout');
      for (const [k, p] of reversible.entries()) await run(p.up, p.inTransaction, `${sc.id} phase ${k} up`);
      for (const [k, p] of [...reversible.entries()].reverse()) {
        // Documented exception: rolling back the type swap restores NOT NULL on the old column with a scan.
        await run(p.down!, p.inTransaction, `${sc.id} phase ${k} down`, p.kind === 'switch');
      }
      assert.deepEqual({ schema: await rows(SCHEMA), constraints: await rows(CONSTRAINTS), triggers: await rows(TRIGGERS) }, before);
    });
  }
});
