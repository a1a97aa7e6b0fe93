// The snippets (snippets/*.code-snippets) as VS Code inserts them with every tab stop at its default: each parses,
// lints clean with the recommended rules, and does on a real PostgreSQL what its description says (fixture tables
// with rows; the backfills fill every row, the procedure commits once per batch).
// Needs PostgreSQL server binaries (CI: scripts/ensure-postgres.sh; or MG_PG_BIN).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { analyze, initParser, parseFile, RULES, type AnalysisOptions } from '../../server/src/analysis';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';
import { expandSnippet, tabStops } from '../snippets/expand.cjs';

interface Snippet {
  file: string;
  name: string;
  prefix: string[];
  description: string;
  body: string[];
}

const SNIPPET_DIR = path.join(process.cwd(), 'snippets');

function loadSnippets(): Snippet[] {
  return fs
    .readdirSync(SNIPPET_DIR)
    .filter((f) => f.endsWith('.code-snippets'))
    .flatMap((file) =>
      Object.entries(JSON.parse(fs.readFileSync(path.join(SNIPPET_DIR, file), 'utf8')) as Record<string, Omit<Snippet, 'file' | 'name' | 'prefix'> & { prefix: string | string[] }>).map(
        ([name, s]) => ({ file, name, ...s, prefix: Array.isArray(s.prefix) ? s.prefix : [s.prefix] }),
      ),
    );
}

const SNIPPETS = loadSnippets();

/** A client collecting the server's notices (RAISE NOTICE, DEBUG messages). */
interface Db {
  client: Client;
  notices: string[];
}

/** The statements of a file as psql runs them, one at a time (each its own transaction unless inside BEGIN). */
async function runStatements(db: Db, text: string): Promise<void> {
  for (const s of parseFile(text).statements) await db.client.query(s.text);
}

async function rows<T extends Record<string, unknown>>(db: Db, sql: string): Promise<T[]> {
  return (await db.client.query<T>(sql)).rows;
}

async function one<T>(db: Db, sql: string): Promise<T> {
  const r = await rows<{ v: T }>(db, sql);
  assert.equal(r.length, 1, sql);
  return r[0].v;
}

/** 12,000 users with even ids (keyset walks must not assume dense keys); `full_name` empty, `email` filled. */
const USERS = `
  CREATE TABLE users (id bigint PRIMARY KEY, name text, full_name text, email text);
  INSERT INTO users (id, name, email) SELECT g * 2, 'user ' || g, 'u' || g || '@example.com' FROM generate_series(1, 12000) g;
  ANALYZE users;
`;
const USER_ROWS = 12000;

async function assertBackfilled(db: Db): Promise<void> {
  assert.equal(await one<string>(db, 'SELECT count(*)::text AS v FROM users WHERE full_name IS DISTINCT FROM name'), '0');
  assert.equal(await one<string>(db, 'SELECT count(*)::text AS v FROM users WHERE full_name IS NOT NULL'), String(USER_ROWS));
}

/** Rows grouped by the transaction that last wrote them, in key order. */
async function xminGroups(db: Db): Promise<{ rows: number; first: number; last: number }[]> {
  const r = await rows<{ n: string; first: string; last: string }>(db, 'SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM users GROUP BY xmin::text ORDER BY min(id)');
  return r.map((g) => ({ rows: Number(g.n), first: Number(g.first), last: Number(g.last) }));
}

interface SnippetCase {
  /** Lint also as a migration the tool wraps in a transaction (`assumeInTransaction`). */
  lintInTransaction?: boolean;
  /** Info-level findings the snippet is expected to keep, by rule id, with the reason in a comment. */
  info?: string[];
  /** Fixture SQL run before the snippet. */
  fixture: string;
  /** Runs the expanded snippet and checks its effect. A second client is there for concurrency checks. */
  run(db: Db, text: string, other: Db): Promise<void>;
}

/** One case per snippet, keyed by the snippet's first prefix. */
const CASES: Record<string, SnippetCase> = {
  lock_timeout: {
    fixture: '',
    async run(db, text) {
      await runStatements(db, text);
      assert.equal(await one<string>(db, "SELECT current_setting('lock_timeout') AS v"), '5s');
      assert.equal(await one<string>(db, "SELECT current_setting('statement_timeout') AS v"), '15min');
    },
  },

  backfill: {
    fixture: USERS,
    async run(db, text) {
      // Sent as one query string, the statements share an implicit transaction and the COMMIT inside is refused:
      // the reason the description says "each statement on its own". Nothing of it stays behind.
      await assert.rejects(db.client.query(text), /invalid transaction termination/);
      assert.equal(await one<string | null>(db, "SELECT to_regprocedure('backfill_users_full_name(integer, interval)')::text AS v"), null);

      db.notices.length = 0;
      await runStatements(db, text);
      await assertBackfilled(db);
      // One transaction per batch of 5,000 keys: the rows of each batch carry that batch's xmin.
      assert.deepEqual(await xminGroups(db), [
        { rows: 5000, first: 2, last: 10000 },
        { rows: 5000, first: 10002, last: 20000 },
        { rows: 2000, first: 20002, last: 24000 },
      ]);
      assert.deepEqual(db.notices, [
        'backfill users.full_name: batch 1, 5000 rows updated so far, up to id 10000',
        'backfill users.full_name: batch 2, 10000 rows updated so far, up to id 20000',
        'backfill users.full_name: batch 3, 12000 rows updated so far, up to id 24000',
      ]);
      assert.equal(await one<string | null>(db, "SELECT to_regprocedure('backfill_users_full_name(integer, interval)')::text AS v"), null, 'the procedure is dropped');

      // Run again: rows already equal are skipped, so nothing is rewritten.
      db.notices.length = 0;
      await runStatements(db, text);
      assert.equal(db.notices.at(-1), 'backfill users.full_name: batch 3, 0 rows updated so far, up to id 24000');
      assert.equal((await xminGroups(db)).length, 3);
    },
  },

  'backfill-do': {
    lintInTransaction: true,
    fixture: USERS,
    async run(db, text, other) {
      // As a framework that wraps the migration in a transaction runs it.
      await db.client.query('BEGIN');
      await runStatements(db, text);
      // The description's warning: every updated row stays locked until the migration's transaction commits.
      await other.client.query("SET lock_timeout = '200ms'");
      await assert.rejects(other.client.query(`UPDATE users SET email = email WHERE id = ${USER_ROWS * 2}`), /lock timeout/);
      await db.client.query('COMMIT');
      await other.client.query(`UPDATE users SET email = email WHERE id = ${USER_ROWS * 2}`);

      await assertBackfilled(db);
      assert.deepEqual(db.notices, [
        'backfill users.full_name: 5000 rows updated so far, up to id 10000',
        'backfill users.full_name: 10000 rows updated so far, up to id 20000',
        'backfill users.full_name: 12000 rows updated so far, up to id 24000',
      ]);
      // One transaction for all batches (the last row was rewritten by the other client's UPDATE since).
      assert.equal(await one<string>(db, `SELECT count(DISTINCT xmin::text)::text AS v FROM users WHERE id < ${USER_ROWS * 2}`), '1');
    },
  },

  'backfill-batch': {
    lintInTransaction: true,
    fixture: USERS,
    async run(db, text, other) {
      // The application holds a lock on one row: batches skip it instead of waiting.
      await other.client.query('BEGIN');
      await other.client.query('SELECT * FROM users WHERE id = 2 FOR UPDATE');
      await db.client.query("SET lock_timeout = '1s'");
      const counts: number[] = [];
      for (let n = -1; n !== 0; ) {
        n = (await db.client.query(text)).rowCount ?? 0;
        counts.push(n);
        assert.ok(counts.length < 10, 'the batch loop does not end');
      }
      assert.deepEqual(counts, [5000, 5000, 1999, 0]);
      assert.equal(await one<string | null>(db, 'SELECT full_name AS v FROM users WHERE id = 2'), null);
      await other.client.query('ROLLBACK');
      assert.equal((await db.client.query(text)).rowCount, 1);
      assert.equal((await db.client.query(text)).rowCount, 0);
      await assertBackfilled(db);
    },
  },

  cic: {
    fixture: `
      CREATE TABLE users (id bigint PRIMARY KEY, email text);
      INSERT INTO users SELECT g, 'u' || (g % 500) || '@example.com' FROM generate_series(1, 5000) g;`,
    async run(db, text) {
      const validity = (): Promise<boolean | null> => one<boolean | null>(db, "SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('users_email_idx')) AS v");
      // First run: nothing to clean up.
      await runStatements(db, text);
      assert.equal(await validity(), true);
      // A failed build (here a UNIQUE one over duplicates) leaves an INVALID index of that name behind …
      await db.client.query('DROP INDEX users_email_idx');
      await assert.rejects(db.client.query('CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email)'), /could not create unique index/);
      assert.equal(await validity(), false);
      // … which CREATE INDEX CONCURRENTLY IF NOT EXISTS alone keeps …
      const create = parseFile(text).statements.find((s) => s.text.startsWith('CREATE INDEX'))!;
      await db.client.query(create.text);
      assert.equal(await validity(), false);
      // … and the snippet's clean-up replaces.
      await runStatements(db, text);
      assert.equal(await validity(), true);
    },
  },

  notvalid: {
    fixture: USERS,
    async run(db, text) {
      await runStatements(db, text);
      assert.equal(await one<boolean>(db, "SELECT convalidated AS v FROM pg_constraint WHERE conname = 'users_email_check'"), true);
      await runStatements(db, text); // re-runnable after a failure half way
      await assert.rejects(db.client.query("INSERT INTO users (id, email) VALUES (1, '')"), /users_email_check/);
    },
  },

  fk: {
    fixture: `
      CREATE TABLE users (id bigint PRIMARY KEY);
      INSERT INTO users SELECT generate_series(1, 100);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
      INSERT INTO orders SELECT g, 1 + g % 100 FROM generate_series(1, 3000) g;`,
    async run(db, text) {
      await runStatements(db, text);
      assert.equal(await one<boolean>(db, "SELECT convalidated AS v FROM pg_constraint WHERE conname = 'orders_user_id_fkey'"), true);
      assert.equal(await one<boolean>(db, "SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'orders_user_id_idx'::regclass"), true);
      await runStatements(db, text);
      await assert.rejects(db.client.query('INSERT INTO orders VALUES (0, 1000)'), /orders_user_id_fkey/);
    },
  },

  notnull: {
    fixture: USERS,
    async run(db, text) {
      // PostgreSQL reports at DEBUG1 when SET NOT NULL is proved by a constraint instead of a scan.
      await db.client.query('SET client_min_messages = debug1');
      await runStatements(db, text);
      await db.client.query('RESET client_min_messages');
      assert.ok(
        db.notices.some((n) => n === 'existing constraints on column "users.email" are sufficient to prove that it does not contain nulls'),
        `no proof notice among:\n${db.notices.join('\n')}`,
      );
      assert.equal(await one<boolean>(db, "SELECT attnotnull AS v FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'"), true);
      assert.equal(await one<string>(db, "SELECT count(*)::text AS v FROM pg_constraint WHERE conname = 'users_email_not_null'"), '0');
    },
  },

  addcolumn: {
    fixture: USERS,
    async run(db, text) {
      const file = (): Promise<string> => one<string>(db, "SELECT pg_relation_filenode('users')::text AS v");
      const before = await file();
      await runStatements(db, text);
      assert.equal(await file(), before, 'no table rewrite');
      assert.equal(await one<string>(db, 'SELECT count(*)::text AS v FROM users WHERE plan IS NULL'), String(USER_ROWS));
      assert.equal(await one<string>(db, "INSERT INTO users (id) VALUES (1) RETURNING plan AS v"), 'free');
      await runStatements(db, text);
    },
  },

  'rename-expand': {
    // CREATE TRIGGER blocks writes to `users` until it commits: the rule reminds at info level, and the snippet's
    // description says to keep the step in a short migration of its own (it also sets lock_timeout).
    info: ['ban-trigger-ddl-on-existing-table'],
    fixture: USERS,
    async run(db, text) {
      await runStatements(db, text);
      const pair = (id: number): Promise<{ name: string | null; full_name: string | null }> =>
        rows<{ name: string | null; full_name: string | null }>(db, `SELECT name, full_name FROM users WHERE id = ${id}`).then((r) => r[0]);
      // Old code writes `name`, new code writes `full_name`; both releases are live.
      await db.client.query("INSERT INTO users (id, name) VALUES (1, 'old writer')");
      assert.deepEqual(await pair(1), { name: 'old writer', full_name: 'old writer' });
      await db.client.query("INSERT INTO users (id, full_name) VALUES (3, 'new writer')");
      assert.deepEqual(await pair(3), { name: 'new writer', full_name: 'new writer' });
      await db.client.query("UPDATE users SET name = 'renamed by old code' WHERE id = 1");
      assert.deepEqual(await pair(1), { name: 'renamed by old code', full_name: 'renamed by old code' });
      await db.client.query("UPDATE users SET full_name = 'renamed by new code' WHERE id = 3");
      assert.deepEqual(await pair(3), { name: 'renamed by new code', full_name: 'renamed by new code' });
      // Rows nobody wrote since wait for the backfill; any write to one fills it in.
      assert.deepEqual(await pair(2), { name: 'user 1', full_name: null });
      await db.client.query("UPDATE users SET email = 'x@example.com' WHERE id = 4");
      assert.deepEqual(await pair(4), { name: 'user 2', full_name: 'user 2' });
      // The `backfill` snippet with its defaults completes the step.
      await runStatements(db, expandSnippet(SNIPPETS.find((s) => s.prefix[0] === 'backfill')!.body));
      assert.equal(await one<string>(db, 'SELECT count(*)::text AS v FROM users WHERE full_name IS DISTINCT FROM name'), '0');
    },
  },
};

/** The expander against VS Code's snippet syntax: body → text with every tab stop at its default. */
const EXPANSIONS: [body: string, expected: string, variables?: Record<string, string>][] = [
  ['${1:users}.$1 ${1}', 'users.users users'],
  ['$2 ${2:mirrored before its placeholder}', 'mirrored before its placeholder mirrored before its placeholder'],
  ['${1|a,b,c|} $1', 'a a'],
  ['${3:${1:orders}_${2:user_id}_fkey} $1 $2', 'orders_user_id_fkey orders user_id'],
  ['${2:$1_idx} ${1:t}', 't_idx t'],
  ['$0${1}end', 'end'],
  ['\\$1 \\} \\\\ \\x', '$1 } \\ \\x'],
  ['AS $$ BEGIN END $$; $ 5', 'AS $$ BEGIN END $$; $ 5'],
  ['${1:a}, ${1:a}', 'a, a'],
  ['${1:app.users} backfill_${1/[^A-Za-z0-9_]+/_/g}', 'app.users backfill_app_users'],
  ['${1:ab}${1/(.*)/${1:/upcase}/}', 'abAB'],
  ['${1:x}${1/^(y)?.*$/${1:?yes:no}/}', 'xno'],
  ['$TM_FILENAME_BASE ${TM_FILENAME/[.]sql$//}', '001_init 001_init.up', { TM_FILENAME_BASE: '001_init', TM_FILENAME: '001_init.up.sql' }],
  ['${UNKNOWN} ${UNSET:fallback} $UNKNOWN', 'UNKNOWN fallback UNKNOWN'],
  ['${1:open', '${1:open'],
  ['a } b', 'a } b'],
];

describe('snippet expansion (the test helper)', () => {
  for (const [body, expected, variables] of EXPANSIONS) {
    it(JSON.stringify(body), () => assert.equal(expandSnippet(body, variables), expected));
  }
  it('lists tab stops and whether each has a default', () => {
    assert.deepEqual(tabStops(['${1:a} $2 ${3|x,y|}', '${4:${2:b}} $0']), [
      { index: 0, hasDefault: false },
      { index: 1, hasDefault: true },
      { index: 2, hasDefault: true },
      { index: 3, hasDefault: true },
      { index: 4, hasDefault: true },
    ]);
  });
});

/** Findings of the recommended rules on a snippet, as `rule/severity: message`. */
function lint(text: string, options: AnalysisOptions): { ruleId: string; severity: string; message: string }[] {
  return analyze(text, options).findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message }));
}

describe('snippets', () => {
  before(async () => {
    await initParser();
  });

  it('are all contributed by package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { contributes: { snippets: { path: string }[] } };
    const contributed = pkg.contributes.snippets.map((s) => path.normalize(s.path));
    const files = [...new Set(SNIPPETS.map((s) => s.file))].map((f) => path.normalize(`snippets/${f}`));
    assert.deepEqual(files.sort(), contributed.sort());
  });

  it('have unique prefixes, and every snippet a PostgreSQL case', () => {
    const prefixes = SNIPPETS.flatMap((s) => s.prefix);
    assert.deepEqual(prefixes.filter((p, i) => prefixes.indexOf(p) !== i), []);
    assert.deepEqual(SNIPPETS.map((s) => s.prefix[0]).sort(), Object.keys(CASES).sort());
  });

  it('include every snippet a rule refers to', () => {
    const referred = RULES.flatMap((r) => [...`${r.help} ${r.docs.rationale}`.matchAll(/the `([\w-]+)` snippet/g)].map((m) => m[1]));
    assert.ok(referred.includes('backfill'), 'ban-unbatched-backfill refers to the `backfill` snippet');
    for (const p of referred) assert.ok(SNIPPETS.some((s) => s.prefix.includes(p)), `no snippet with prefix "${p}"`);
  });

  for (const s of SNIPPETS) {
    describe(s.name, () => {
      it('has a default for every tab stop but $0, and ends at $0', () => {
        const stops = tabStops(s.body);
        assert.deepEqual(stops.filter((t) => t.index !== 0 && !t.hasDefault), []);
        assert.ok(stops.some((t) => t.index === 0));
      });

      it('parses as inserted', () => {
        const text = expandSnippet(s.body);
        assert.doesNotMatch(text, /\$\{|\$\d/, 'a tab stop was left unexpanded');
        const file = parseFile(text);
        assert.equal(file.unterminated, undefined);
        assert.deepEqual(file.psqlLines, []);
        assert.ok(file.statements.length > 0);
        assert.deepEqual(file.statements.filter((st) => !st.node).map((st) => st.error?.message), []);
      });

      const c = CASES[s.prefix[0]];
      const modes: [string, AnalysisOptions][] = [['on its own', {}]];
      if (c?.lintInTransaction) modes.push(['inside a transaction', { assumeInTransaction: true }]);
      for (const [mode, options] of modes) {
        it(`lints clean with the recommended rules (${mode})`, () => {
          const findings = lint(expandSnippet(s.body), options);
          const unexpected = findings.filter((f) => !(f.severity === 'info' && c?.info?.includes(f.ruleId)));
          assert.deepEqual(unexpected, []);
          assert.deepEqual([...new Set(findings.map((f) => f.ruleId))].sort(), [...(c?.info ?? [])].sort(), 'expected info findings');
        });
      }
    });
  }
});

describe('snippets on PostgreSQL', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  const open: Client[] = [];

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
  });

  // The throwaway cluster allows few connections: each case closes its own.
  afterEach(async () => {
    for (const c of open.splice(0)) await c.end().catch(() => {});
  });

  after(async () => {
    await cluster?.stop();
  });

  async function connect(database: string): Promise<Db> {
    const client = new Client(cluster.connectionConfig(database));
    const db: Db = { client, notices: [] };
    client.on('notice', (n) => db.notices.push(n.message ?? ''));
    await client.connect();
    open.push(client);
    return db;
  }

  for (const s of SNIPPETS) {
    const c = CASES[s.prefix[0]];
    if (!c) continue; // reported by "every snippet a PostgreSQL case"
    it(`${s.name} (${s.prefix[0]})`, async () => {
      const admin = await connect('postgres');
      const database = `snippet_${s.prefix[0].replace(/\W/g, '_')}`;
      await admin.client.query(`CREATE DATABASE ${database}`);
      const db = await connect(database);
      const other = await connect(database);
      if (c.fixture) await db.client.query(c.fixture);
      db.notices.length = 0;
      await c.run(db, expandSnippet(s.body), other);
    });
  }
});
