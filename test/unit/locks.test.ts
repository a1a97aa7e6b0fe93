/**
 * The lock model's current claims, as a regression table: statement → lock per relation, rewrites, scans, and whether
 * it can run in a transaction. This is not evidence that the claims are true (the PostgreSQL oracle in test/pg checks
 * them against pg_locks); it pins them so a change to the model is a visible decision.
 */
import * as assert from 'node:assert/strict';
import { analyze, blocks, describeBlocking, describeStatementAt, initParser, modeLabel, parseFile, statementEffect } from '../../server/src/analysis';
import { conflicts, LOCK_MODES, strength } from '../../server/src/analysis/locks';

/** `relation=Mode` per lock, `~relation` per rewrite, `?relation` per scan, `!tx` when non-transactional. */
function summary(sql: string, postgresVersion = 16): string[] {
  const file = parseFile(sql);
  assert.equal(file.statements.length, 1, `expected one statement: ${sql}`);
  const node = file.statements[0].node;
  assert.ok(node, `does not parse: ${sql}: ${file.statements[0].error?.message}`);
  const e = statementEffect(node, { postgresVersion });
  return [
    ...e.locks.map((l) => `${l.relation}=${l.mode.replace(/Lock$/, '')}`),
    ...e.rewrites.map((r) => `~${r}`),
    ...e.scans.map((r) => `?${r}`),
    ...(e.nonTransactional ? ['!tx'] : []),
  ];
}

const TABLE: [sql: string, expected: string[], postgresVersion?: number][] = [
  // CREATE INDEX
  ['CREATE INDEX i ON t (a)', ['t=Share', '?t']],
  ['CREATE UNIQUE INDEX i ON t (a)', ['t=Share', '?t']],
  ['CREATE INDEX CONCURRENTLY i ON s.t (a)', ['s.t=ShareUpdateExclusive', '?s.t', '!tx']],
  // ALTER TABLE … ADD COLUMN
  ['ALTER TABLE t ADD COLUMN c text', ['t=AccessExclusive']],
  ["ALTER TABLE t ADD COLUMN c text DEFAULT 'x'", ['t=AccessExclusive']],
  ["ALTER TABLE t ADD COLUMN c text DEFAULT 'x'", ['t=AccessExclusive', '~t'], 10],
  ['ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()', ['t=AccessExclusive']],
  ['ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t ADD COLUMN c bigserial', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1) STORED', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1) VIRTUAL', ['t=AccessExclusive']],
  ['ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS IDENTITY', ['t=AccessExclusive', '~t']],
  // verified by the oracle: a new column without a DEFAULT is all NULL, so its foreign key is not validated
  ['ALTER TABLE t ADD COLUMN c int REFERENCES u (id)', ['t=AccessExclusive', 'u=ShareRowExclusive']],
  ['ALTER TABLE t ADD COLUMN c int UNIQUE', ['t=AccessExclusive', '?t']],
  // other column changes
  ['ALTER TABLE t DROP COLUMN c', ['t=AccessExclusive']],
  ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', ['t=AccessExclusive', '?t']],
  ['ALTER TABLE t ALTER COLUMN c DROP NOT NULL', ['t=AccessExclusive']],
  ['ALTER TABLE t ALTER COLUMN c TYPE text', ['t=AccessExclusive']],
  ['ALTER TABLE t ALTER COLUMN c TYPE varchar(20)', ['t=AccessExclusive']],
  ['ALTER TABLE t ALTER COLUMN c TYPE bigint', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t ALTER COLUMN c TYPE char(3)', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t ALTER COLUMN c SET DEFAULT 1', ['t=AccessExclusive']],
  ['ALTER TABLE t ALTER COLUMN c SET STATISTICS 100', ['t=ShareUpdateExclusive']],
  // constraints
  ['ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0)', ['t=AccessExclusive', '?t']],
  ['ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0) NOT VALID', ['t=AccessExclusive']],
  // verified by the oracle: the validation reads the referenced table too
  ['ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u (id)', ['t=ShareRowExclusive', 'u=ShareRowExclusive', '?t', '?u']],
  ['ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES s.u (id) NOT VALID', ['t=ShareRowExclusive', 's.u=ShareRowExclusive']],
  ['ALTER TABLE t VALIDATE CONSTRAINT k', ['t=ShareUpdateExclusive', '?t']],
  ['ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY (id)', ['t=AccessExclusive', '?t']],
  ['ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX i', ['t=AccessExclusive']],
  ['ALTER TABLE t DROP CONSTRAINT k', ['t=AccessExclusive']],
  // storage parameters, triggers, persistence
  ['ALTER TABLE t SET (fillfactor = 70)', ['t=ShareUpdateExclusive']],
  ['ALTER TABLE t SET (autovacuum_enabled = false)', ['t=ShareUpdateExclusive']],
  ['ALTER TABLE t SET (parallel_workers = 2, user_catalog_table = true)', ['t=AccessExclusive']],
  ['ALTER TABLE t ENABLE TRIGGER tr', ['t=ShareRowExclusive']],
  ['ALTER TABLE t DISABLE TRIGGER ALL', ['t=ShareRowExclusive']],
  ['ALTER TABLE t SET LOGGED', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t SET TABLESPACE fast', ['t=AccessExclusive', '~t']],
  ['ALTER TABLE t CLUSTER ON i', ['t=ShareUpdateExclusive']],
  // the strongest sub-command wins
  ['ALTER TABLE t SET (fillfactor = 70), ALTER COLUMN c SET NOT NULL', ['t=AccessExclusive', '?t']],
  // partitions and inheritance
  ['ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)', ['p=ShareUpdateExclusive', 'c=AccessExclusive', '?c']],
  ['ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)', ['p=AccessExclusive', 'c=AccessExclusive', '?c'], 11],
  ['ALTER TABLE p DETACH PARTITION c', ['p=AccessExclusive', 'c=AccessExclusive']],
  // verified by the oracle: the second transaction takes ACCESS EXCLUSIVE on the partition
  ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', ['p=ShareUpdateExclusive', 'c=AccessExclusive', '!tx']],
  ['ALTER TABLE t INHERIT parent', ['t=AccessExclusive', 'parent=ShareUpdateExclusive']],
  ['CREATE TABLE c PARTITION OF p FOR VALUES IN (1)', ['p=AccessExclusive']],
  ['CREATE TABLE c () INHERITS (p)', ['p=ShareUpdateExclusive']],
  // renames
  ['ALTER TABLE t RENAME COLUMN a TO b', ['t=AccessExclusive']],
  ['ALTER TABLE t RENAME TO u', ['t=AccessExclusive']],
  ['ALTER INDEX i RENAME TO j', ['i=ShareUpdateExclusive']],
  ['ALTER INDEX i RENAME TO j', ['i=AccessExclusive'], 11],
  // drops
  ['DROP TABLE t, s.u', ['t=AccessExclusive', 's.u=AccessExclusive']],
  ['DROP INDEX i', ['i=AccessExclusive']],
  ['DROP INDEX CONCURRENTLY i', ['i=ShareUpdateExclusive', '!tx']],
  ['DROP TRIGGER tr ON t', ['t=AccessExclusive']],
  ['DROP POLICY p ON s.t', ['s.t=AccessExclusive']],
  ['DROP FUNCTION f()', []],
  // CREATE TABLE, triggers, policies
  ['CREATE TABLE n (id int)', []],
  ['CREATE TABLE n (id int REFERENCES u (id), x int, FOREIGN KEY (x) REFERENCES v (id))', ['u=ShareRowExclusive', 'v=ShareRowExclusive']],
  ['CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', ['t=ShareRowExclusive']],
  ['CREATE POLICY p ON t USING (true)', ['t=AccessExclusive']],
  // maintenance
  ['TRUNCATE t, u', ['t=AccessExclusive', 'u=AccessExclusive', '~t', '~u']],
  ['VACUUM t', ['t=ShareUpdateExclusive', '!tx']],
  ['VACUUM FULL t', ['t=AccessExclusive', '~t', '!tx']],
  ['ANALYZE t', ['t=ShareUpdateExclusive']],
  ['CLUSTER t USING i', ['t=AccessExclusive', '~t']],
  ['REINDEX TABLE t', ['t=Share', '~t']],
  ['REINDEX INDEX i', ['i=AccessExclusive', '~i']],
  ['REINDEX TABLE CONCURRENTLY t', ['t=ShareUpdateExclusive', '~t', '!tx']],
  ['REFRESH MATERIALIZED VIEW m', ['m=AccessExclusive', '~m']],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY m', ['m=Exclusive']],
  // explicit locks
  ['LOCK TABLE t', ['t=AccessExclusive']],
  ['LOCK TABLE t IN SHARE MODE', ['t=Share']],
  ['LOCK TABLE t IN ACCESS SHARE MODE', ['t=AccessShare']],
  ['LOCK TABLE t IN ROW EXCLUSIVE MODE', ['t=RowExclusive']],
  ['LOCK TABLE t, u IN SHARE ROW EXCLUSIVE MODE', ['t=ShareRowExclusive', 'u=ShareRowExclusive']],
  // DML
  ['INSERT INTO t VALUES (1)', ['t=RowExclusive']],
  ['UPDATE s.t SET a = 1', ['s.t=RowExclusive']],
  ['DELETE FROM t', ['t=RowExclusive']],
  // verified by the oracle: the source relation is read (ACCESS SHARE)
  ['MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE', ['t=RowExclusive', 'u=AccessShare']],
  // comments and statements without table locks
  ["COMMENT ON TABLE t IS 'x'", ['t=ShareUpdateExclusive']],
  ["COMMENT ON COLUMN s.t.c IS 'x'", ['s.t=ShareUpdateExclusive']],
  ['SELECT 1', []],
  ["SET lock_timeout = '1s'", []],
  ['CREATE VIEW v AS SELECT 1', []],
  ['BEGIN', []],
];

describe('lock model: statementEffect', () => {
  before(async () => {
    await initParser();
  });

  it('has a table of at least 40 statements', () => assert.ok(TABLE.length >= 40));

  for (const [sql, expected, version] of TABLE) {
    it(`${sql}${version ? ` (PostgreSQL ${version})` : ''}`, () => assert.deepEqual(summary(sql, version), expected));
  }

  it('returns an empty effect for a statement that did not parse', () => {
    assert.deepEqual(statementEffect(undefined, { postgresVersion: 16 }), { locks: [], rewrites: [], scans: [], nonTransactional: false, notes: [] });
  });

  it('keys relations with public. implied and keeps the written name', () => {
    const node = parseFile('DROP TABLE users, public.orders, app.items').statements[0].node;
    assert.deepEqual(
      statementEffect(node, { postgresVersion: 16 }).locks.map((l) => [l.relation, l.key]),
      [['users', 'public.users'], ['public.orders', 'public.orders'], ['app.items', 'app.items']],
    );
  });

  it('adds notes where the effect depends on what the model cannot see', () => {
    const notes = (sql: string) => statementEffect(parseFile(sql).statements[0].node, { postgresVersion: 16 }).notes;
    assert.match(notes('ALTER TABLE t ALTER COLUMN c TYPE text').join(' '), /binary-coercible/);
    assert.match(notes('ALTER TABLE t ALTER COLUMN c SET NOT NULL').join(' '), /CHECK \(col IS NOT NULL\)/);
    assert.match(notes('DROP INDEX i').join(' '), /index's table/);
    assert.deepEqual(notes('CREATE INDEX i ON t (a)'), []);
  });
});

describe('lock model: modes', () => {
  it('orders modes weakest to strongest', () => {
    assert.deepEqual(LOCK_MODES.map(strength), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('has a symmetric conflict table (docs table 13.2)', () => {
    for (const a of LOCK_MODES) for (const b of LOCK_MODES) assert.equal(conflicts(a, b), conflicts(b, a), `${a} / ${b}`);
  });

  it('says what each mode blocks', () => {
    const table = LOCK_MODES.map((m) => `${modeLabel(m)}: ${describeBlocking(m)}`);
    assert.deepEqual(table, [
      'ACCESS SHARE: blocks only conflicting table-level locks',
      'ROW SHARE: blocks only conflicting table-level locks',
      'ROW EXCLUSIVE: blocks only conflicting table-level locks',
      'SHARE UPDATE EXCLUSIVE: blocks schema changes, VACUUM and other maintenance',
      'SHARE: blocks writes',
      'SHARE ROW EXCLUSIVE: blocks writes',
      'EXCLUSIVE: blocks writes',
      'ACCESS EXCLUSIVE: blocks reads and writes',
    ]);
    assert.deepEqual(blocks('ShareLock'), { reads: false, writes: true, ddl: true });
    assert.deepEqual(blocks('AccessExclusiveLock'), { reads: true, writes: true, ddl: true });
    assert.deepEqual(blocks('ShareUpdateExclusiveLock'), { reads: false, writes: false, ddl: true });
  });
});

describe('lock model: describeStatementAt', () => {
  before(async () => {
    await initParser();
  });

  const SQL = [
    'BEGIN;', // line 1
    'ALTER TABLE users ADD COLUMN a text;', // line 2
    'SELECT 1;', // line 3
    'CREATE INDEX i ON orders (x);', // line 4
    'COMMIT;', // line 5
    'ALTER TABLE users ADD COLUMN b text;', // line 6
    'CREATE TABLE n (id int);', // line 7
    'CREATE INDEX j ON n (id);', // line 8
    'SELEC;', // line 9
  ].join('\n');
  const at = (needle: string) => {
    const r = analyze(SQL);
    const d = describeStatementAt(r, SQL.indexOf(needle));
    assert.ok(d, `no description at ${needle}`);
    return d;
  };

  it('inside a transaction: held until COMMIT, naming earlier statements whose locks are still held', () => {
    const d = at('CREATE INDEX i');
    assert.equal(d.statement.index, 3);
    assert.equal(
      d.markdown,
      [
        '**CREATE INDEX** (PostgreSQL 16)',
        '',
        '| relation | lock | blocks |',
        '|---|---|---|',
        '| `orders` | SHARE (`ShareLock`) | blocks writes |',
        '',
        'Scans `orders` while holding the lock.',
        '',
        'Held until **COMMIT**: this statement runs inside a transaction.',
        'Locks of earlier statements still held here:',
        '- line 2: `ALTER TABLE users ADD COLUMN a text`: ACCESS EXCLUSIVE on `users`',
      ].join('\n'),
    );
  });

  it('the first locking statement of a transaction names no earlier ones', () => {
    const md = at('ALTER TABLE users ADD COLUMN a').markdown;
    assert.match(md, /Held until \*\*COMMIT\*\*/);
    assert.doesNotMatch(md, /earlier statements/);
  });

  it('after COMMIT: held until the end of the statement', () => {
    const md = at('ALTER TABLE users ADD COLUMN b').markdown;
    assert.match(md, /\| `users` \| ACCESS EXCLUSIVE \(`AccessExclusiveLock`\) \| blocks reads and writes \|/);
    assert.match(md, /Held until the end of the statement \(no explicit transaction\)\./);
    assert.doesNotMatch(md, /COMMIT/);
  });

  it('marks tables created earlier in the file', () => {
    assert.match(at('CREATE INDEX j').markdown, /\| `n` \(created earlier in this file\) \| SHARE/);
  });

  it('statements without locks say so', () => {
    assert.match(at('SELECT 1').markdown, /Takes no table-level lock/);
    assert.match(at('BEGIN').markdown, /Takes no table-level lock/);
  });

  it('a statement that does not parse says so', () => {
    assert.match(at('SELEC;').markdown, /does not parse: syntax error at or near "SELEC"/);
  });

  it('the terminating semicolon belongs to the statement; outside every statement there is nothing', () => {
    const r = analyze(SQL);
    assert.equal(describeStatementAt(r, SQL.indexOf(';', SQL.indexOf('SELECT 1')))?.statement.index, 2);
    assert.equal(describeStatementAt(analyze('SELECT 1;\n\n-- tail\n'), 14), undefined);
  });

  it('names the PostgreSQL version it describes, and non-transactional statements', () => {
    const r = analyze('CREATE INDEX CONCURRENTLY i ON t (a);', { postgresVersion: 12 });
    const md = describeStatementAt(r, 0)?.markdown ?? '';
    assert.match(md, /\(PostgreSQL 12\)/);
    assert.match(md, /Cannot run inside a transaction block\./);
  });

  it('assumeInTransaction: held until COMMIT without an explicit BEGIN', () => {
    const sql = 'ALTER TABLE a ADD COLUMN x int;\nALTER TABLE b ADD COLUMN y int;';
    const r = analyze(sql, { assumeInTransaction: true });
    const md = describeStatementAt(r, sql.indexOf('ALTER TABLE b'))?.markdown ?? '';
    assert.match(md, /Held until \*\*COMMIT\*\*/);
    assert.match(md, /- line 1: `ALTER TABLE a ADD COLUMN x int`: ACCESS EXCLUSIVE on `a`/);
  });
});
