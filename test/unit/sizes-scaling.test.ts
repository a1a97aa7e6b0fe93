// Table sizes scaling risk: the hover shows each locked table's size and what a rewrite or scan goes through; lock
// findings on tables known to be small become info ("brief"), on big ones they name the size; unknown tables and
// non-locking findings are untouched. Tables in, text out.
import * as assert from 'node:assert/strict';
import { analyze, describeStatementAt, initParser } from '../../server/src/analysis';
import { describeSize, formatBytes, formatRows } from '../../server/src/analysis/sizes';

const GB_12_3 = Math.round(12.3 * 1024 ** 3);
const SIZES = {
  users: { rows: 50_000_000, bytes: GB_12_3 },
  tags: { rows: 200, bytes: 16_384 },
  orders: { rows: 20_000 },
  'app.settings': { rows: 3 },
};

const findings = (sql: string, extra: { smallTableRows?: number } = {}) =>
  analyze(sql, { tableSizes: SIZES, ...extra }).findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message }));
const hover = (sql: string) => describeStatementAt(analyze(sql, { tableSizes: SIZES }), sql.length - 1)!.markdown;

describe('table sizes: formatting', () => {
  for (const [rows, long, short] of [
    [0, '0', '0'],
    [200, '200', '200'],
    [9_999.6, '10.0 k', '10 k'],
    [20_000, '20.0 k', '20 k'],
    [1_234_567, '1.2 M', '1.2 M'],
    [50_000_000, '50.0 M', '50 M'],
    [3_400_000_000, '3.4 G', '3.4 G'],
  ] as const) {
    it(`${rows} rows: "${long}", short "${short}"`, () => {
      assert.equal(formatRows(rows), long);
      assert.equal(formatRows(rows, true), short);
    });
  }
  it('bytes the way pg_size_pretty counts them', () => {
    assert.deepEqual([0, 1023, 8192, 16_384, 5 * 1024 ** 2, GB_12_3, 2 * 1024 ** 4].map(formatBytes), ['0 bytes', '1023 bytes', '8.0 kB', '16.0 kB', '5.0 MB', '12.3 GB', '2.0 TB']);
  });
  it('a size: rows, and bytes when known', () => {
    assert.equal(describeSize(SIZES.users), '≈ 50.0 M rows, 12.3 GB');
    assert.equal(describeSize(SIZES.orders), '≈ 20.0 k rows');
  });
});

describe('table sizes: hover', () => {
  before(async () => {
    await initParser();
  });

  it('shows the size next to each locked table, and what a rewrite goes through', () => {
    const md = hover('ALTER TABLE users ALTER COLUMN id TYPE bigint;');
    assert.match(md, /^\| `users` ≈ 50\.0 M rows, 12\.3 GB \| ACCESS EXCLUSIVE/m);
    assert.match(md, /^Rewrites ≈ 12\.3 GB \(`users`\)\.$/m);
  });

  it('what a scan reads, per table; unknown tables get no size', () => {
    const md = hover('ALTER TABLE tags ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES accounts (id);');
    assert.match(md, /^\| `tags` ≈ 200 rows, 16\.0 kB \| SHARE ROW EXCLUSIVE/m);
    assert.match(md, /^\| `accounts` \| SHARE ROW EXCLUSIVE/m);
    assert.match(md, /^Reads ≈ 200 rows of `tags`\.$/m);
    assert.doesNotMatch(md, /of `accounts`/);
  });

  it('a rewrite of a table without bytes counts rows; schema-qualified names match', () => {
    assert.match(hover('ALTER TABLE orders ALTER COLUMN id TYPE bigint;'), /^Rewrites ≈ 20\.0 k rows \(`orders`\)\.$/m);
    assert.match(hover('ALTER TABLE public.users ADD COLUMN x int;'), /^\| `public\.users` ≈ 50\.0 M rows, 12\.3 GB \|/m);
    assert.match(hover('ALTER TABLE app.settings ADD COLUMN x int;'), /^\| `app\.settings` ≈ 3 rows \|/m);
  });

  it('a table created earlier in the file is new, whatever the stats say', () => {
    const md = hover('CREATE TABLE tags (id int, name text);\nALTER TABLE tags ALTER COLUMN id TYPE bigint;');
    assert.match(md, /^\| `tags` \(created earlier in this file\) \|/m);
    assert.doesNotMatch(md, /≈/);
  });

  it('without sizes the hover is as before', () => {
    const sql = 'CREATE INDEX users_email_idx ON users (email);';
    const md = describeStatementAt(analyze(sql), 0)!.markdown;
    assert.match(md, /^\| `users` \| SHARE/m);
    assert.doesNotMatch(md, /≈|Reads/);
  });
});

describe('table sizes: lock findings', () => {
  before(async () => {
    await initParser();
  });

  it('on a small table they become info, marked brief', () => {
    assert.deepEqual(findings('CREATE INDEX tags_idx ON tags (name);'), [
      { rule: 'require-concurrent-index-creation', severity: 'info', message: 'CREATE INDEX takes a SHARE lock on `tags`, blocking writes until the index is built. (`tags` has ≈ 200 rows: brief)' },
      { rule: 'require-lock-timeout', severity: 'info', message: 'CREATE INDEX waits for a SHARE lock on `tags` with no lock_timeout: while it waits, every later query on `tags` queues behind it. (`tags` has ≈ 200 rows: brief)' },
    ]);
  });

  it('on a big table they keep their severity and name the size', () => {
    const f = findings('CREATE INDEX users_email_idx ON users (email);');
    assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['require-concurrent-index-creation', 'warning'], ['require-lock-timeout', 'warning']]);
    for (const x of f) assert.ok(x.message.endsWith(' (`users` has ≈ 50 M rows)'), x.message);
  });

  it('a table between small and big, and an unknown table, change nothing', () => {
    for (const sql of ['CREATE INDEX o_idx ON orders (x);', 'CREATE INDEX a_idx ON accounts (x);']) {
      assert.deepEqual(findings(sql), analyze(sql).findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message })), sql);
    }
  });

  it('two tables: small only when every one is known and small; a big one is named', () => {
    const mixed = findings('ALTER TABLE tags ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES accounts (id);');
    assert.ok(mixed.every((x) => x.severity === 'warning' && !x.message.includes('≈')), JSON.stringify(mixed));
    const big = findings('ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);');
    assert.ok(big.length > 0 && big.every((x) => x.severity === 'warning' && x.message.endsWith(' (`users` has ≈ 50 M rows)')), JSON.stringify(big));
    const small = findings('ALTER TABLE tags ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES app.settings (id);');
    assert.ok(small.length > 0 && small.every((x) => x.severity === 'info' && x.message.endsWith(' (`tags` has ≈ 200 rows, `app.settings` has ≈ 3 rows: brief)')), JSON.stringify(small));
  });

  it('smallTableRows moves the line', () => {
    const f = findings('CREATE INDEX o_idx ON orders (x);', { smallTableRows: 50_000 });
    assert.ok(f.length > 0 && f.every((x) => x.severity === 'info' && x.message.endsWith(' (`orders` has ≈ 20 k rows: brief)')), JSON.stringify(f));
    const none = findings('CREATE INDEX tags_idx ON tags (name);', { smallTableRows: 0 });
    assert.ok(none.every((x) => x.severity === 'warning' && !x.message.includes('≈')), JSON.stringify(none));
  });

  it('findings of other categories are untouched on a small table', () => {
    const f = findings('ALTER TABLE tags ADD COLUMN c char(3);');
    assert.deepEqual(f.map((x) => [x.rule, x.severity, x.message.includes('brief')]), [['require-lock-timeout', 'info', true], ['ban-char-field', 'warning', false]]);
  });

  it('an explicit severity of info stays info; errors on small tables drop to info too', () => {
    const sql = 'CREATE INDEX tags_idx ON tags (name);';
    const f = analyze(sql, { tableSizes: SIZES, rules: { 'require-concurrent-index-creation': 'error' } }).findings;
    assert.equal(f.find((x) => x.ruleId === 'require-concurrent-index-creation')?.severity, 'info');
    const plain = analyze(sql, { rules: { 'require-concurrent-index-creation': 'error' } }).findings;
    assert.equal(plain.find((x) => x.ruleId === 'require-concurrent-index-creation')?.severity, 'error');
  });
});
