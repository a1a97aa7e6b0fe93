/**
 * Deploy-phase classification as tables: statement kinds in, expand / contract / breaking / neutral out, with the
 * schema from "earlier migrations" where the answer depends on it (a column's type, default, a unique index). Then
 * the file verdicts and summaries, and the phases the expand-contract generators produce, classified back.
 */
import * as assert from 'node:assert/strict';
import { buildCatalog, initParser } from '../../server/src/analysis';
import { classifyMigration, phasesOf, typeChangeKind, type StatementPhase } from '../../server/src/analysis/phase';
import { typeInfo } from '../../server/src/analysis/catalog';
import { changeColumnTypePhases, renameColumnPhases, renameTablePhases, setNotNullPhases, addColumnBackfillPhases } from '../../server/src/analysis/rewrites';

const EARLIER = `
CREATE TABLE users (id bigint PRIMARY KEY, name text, email varchar(100) NOT NULL, age int4, score numeric(10,2),
  status text DEFAULT 'active', nickname text, created_at timestamptz NOT NULL DEFAULT now(), CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_age_pos CHECK (age > 0));
CREATE UNIQUE INDEX users_name_key ON users (name);
CREATE INDEX users_created_idx ON users (created_at);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE TYPE mood AS ENUM ('sad', 'ok');
`;

const CASES: [sql: string, phase: StatementPhase, objects?: string[]][] = [
  // expand: additions the running code does not see
  ['CREATE TABLE audit (id bigint);', 'expand', ['audit']],
  ['ALTER TABLE users ADD COLUMN full_name text;', 'expand', ['users.full_name']],
  ["ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'x';", 'expand', ['users.kind']],
  ['ALTER TABLE users ADD COLUMN n bigserial NOT NULL;', 'expand'],
  ['ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;', 'expand'],
  ['CREATE INDEX CONCURRENTLY users_name_idx ON users (name);', 'expand', ['users']],
  ['CREATE UNIQUE INDEX CONCURRENTLY users_nick_key ON users (nickname);', 'expand'],
  ['ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;', 'expand', ['orders.user_id']],
  ['ALTER TABLE users ADD CONSTRAINT users_age_max CHECK (age < 200) NOT VALID;', 'expand', ['users']],
  ['ALTER TABLE users ADD CONSTRAINT users_nick_key UNIQUE USING INDEX users_nick_key;', 'expand'],
  ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', 'expand', ['users.email']],
  ["ALTER TABLE users ALTER COLUMN nickname SET DEFAULT 'anon';", 'expand'],
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(200);', 'expand'],
  ['ALTER TABLE users ALTER COLUMN email TYPE text;', 'expand'],
  ['ALTER TABLE users ALTER COLUMN age TYPE bigint;', 'expand'],
  ['ALTER TABLE users ALTER COLUMN score TYPE numeric(12,2);', 'expand'],
  ['ALTER TABLE users ALTER COLUMN status SET NOT NULL;', 'expand', ['users.status']],
  ['ALTER TABLE users DROP CONSTRAINT users_age_pos;', 'expand'],
  ["ALTER TYPE mood ADD VALUE 'happy';", 'expand', ['mood']],
  ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', 'expand'],
  ['CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();', 'expand', ['users']],
  ['CREATE VIEW active_users AS SELECT * FROM users;', 'expand'],
  ['GRANT SELECT ON users TO reporting;', 'expand'],
  // contract: removals and restrictions, only after no running code needs what goes
  ['ALTER TABLE users DROP COLUMN name;', 'contract', ['users.name']],
  ['DROP TABLE orders;', 'contract', ['orders']],
  ['DROP VIEW active_users;', 'contract'],
  ['DROP FUNCTION f();', 'contract'],
  ['DROP TRIGGER t ON users;', 'contract'],
  ['DROP TYPE mood;', 'contract'],
  ['ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;', 'contract', ['users.nickname']],
  ['ALTER TABLE users ADD CONSTRAINT users_nickname_not_null CHECK (nickname IS NOT NULL) NOT VALID;', 'contract', ['users.nickname']],
  ['ALTER TABLE users ALTER COLUMN status DROP DEFAULT;', 'contract', ['users.status']],
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(50);', 'contract', ['users.email']],
  ['ALTER TABLE users ALTER COLUMN name TYPE varchar(20);', 'contract'],
  ['ALTER TABLE users ALTER COLUMN age TYPE smallint;', 'contract'],
  ['ALTER TABLE users DROP CONSTRAINT users_email_key;', 'contract', ['users.email', 'users']],
  ['DROP INDEX users_name_key;', 'contract', ['users_name_key']],
  ['REVOKE SELECT ON users FROM reporting;', 'contract'],
  ['ALTER TABLE users ENABLE ROW LEVEL SECURITY;', 'contract'],
  // breaking: no deploy order is safe
  ['ALTER TABLE users RENAME COLUMN name TO full_name;', 'breaking', ['users.name']],
  ['ALTER TABLE users RENAME TO members;', 'breaking', ['users']],
  ['ALTER TABLE users ALTER COLUMN name TYPE integer USING name::integer;', 'breaking', ['users.name']],
  ['ALTER TABLE users ALTER COLUMN age TYPE text;', 'breaking'],
  ['ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;', 'breaking', ['users.tenant_id']],
  ['ALTER TABLE users SET SCHEMA archive;', 'breaking'],
  ["ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';", 'breaking'],
  ['ALTER FUNCTION f() RENAME TO g;', 'breaking'],
  // neutral: nothing the running code sees
  ['DROP INDEX users_created_idx;', 'neutral'],
  ['ALTER TABLE users VALIDATE CONSTRAINT users_age_max;', 'neutral'],
  ["UPDATE users SET status = 'active' WHERE status IS NULL;", 'neutral'],
  ["SET lock_timeout = '5s';", 'neutral'],
  ['COMMENT ON TABLE users IS $$people$$;', 'neutral'],
  ['ALTER INDEX users_created_idx RENAME TO users_created_at_idx;', 'neutral'],
  ['ALTER TABLE users RENAME CONSTRAINT users_age_pos TO users_age_positive;', 'neutral'],
  ['ANALYZE users;', 'neutral'],
  ['BEGIN;', 'neutral'],
  ['ALTER TABLE users ALTER COLUMN age SET STATISTICS 500;', 'neutral'],
];

describe('deploy phase: statement table (schema from earlier migrations)', () => {
  before(async () => {
    await initParser();
  });

  for (const [sql, phase, objects] of CASES) {
    it(`${phase}: ${sql}`, () => {
      const catalog = buildCatalog([EARLIER]);
      const r = classifyMigration(sql, { catalog });
      assert.equal(r.statements.length, 1);
      const s = r.statements[0];
      assert.equal(s.phase, phase, s.reason);
      assert.ok(s.reason.startsWith(`${phase[0].toUpperCase()}${phase.slice(1)}: `), s.reason);
      assert.ok(/[.!]$/.test(s.reason), `a sentence: ${s.reason}`);
      if (objects) assert.deepEqual(s.objects, objects);
      assert.deepEqual(s.span, { start: 0, end: sql.length - 1 });
    });
  }
});

describe('deploy phase: reasons, context and files', () => {
  before(async () => {
    await initParser();
  });

  it('a NOT NULL check on a column added here is expand when a sync trigger created above fills it, breaking otherwise', () => {
    const catalog = buildCatalog([EARLIER]);
    const fn = (assign: string) =>
      `CREATE FUNCTION users_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${assign} RETURN NEW; END $$;\n` +
      'CREATE TRIGGER users_fill BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_fill();\n' +
      'ALTER TABLE users ADD COLUMN login text, ADD CONSTRAINT users_login_nn CHECK (login IS NOT NULL) NOT VALID;';
    const filled = classifyMigration(fn('NEW.login := NEW.name;'), { catalog });
    assert.equal(filled.file, 'expand', filled.summary);
    assert.deepEqual(phasesOf(filled.statements[2]), ['expand'], filled.statements[2].reason);
    // A trigger that does not assign the column, or one that only fires on INSERT, does not make it safe.
    assert.equal(classifyMigration(fn('NEW.name := lower(NEW.name);'), { catalog }).file, 'breaking');
    assert.equal(classifyMigration(fn('NEW.login := NEW.name;').replace('INSERT OR UPDATE', 'INSERT'), { catalog }).file, 'breaking');
  });

  it('says what to wait for, in the hover sentence', () => {
    const catalog = buildCatalog([EARLIER]);
    assert.equal(
      classifyMigration('ALTER TABLE users DROP COLUMN name;', { catalog }).statements[0].reason,
      'Contract: run only after all running code stops reading and writing `users.name`.',
    );
    assert.equal(
      classifyMigration('ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;', { catalog }).statements[0].reason,
      'Contract: run only after all running code writes `users.nickname` on every insert and update.',
    );
    assert.equal(
      classifyMigration('ALTER TABLE users ALTER COLUMN email TYPE varchar(50);', { catalog }).statements[0].reason,
      'Contract: narrows `users.email` from varchar(100) to varchar(50): run only after all running code writes values that fit.',
    );
  });

  it('without the earlier schema: SET NOT NULL is contract, a type change breaking, DROP INDEX neutral', () => {
    assert.equal(classifyMigration('ALTER TABLE users ALTER COLUMN status SET NOT NULL;').statements[0].phase, 'contract');
    assert.equal(classifyMigration('ALTER TABLE users ALTER COLUMN email TYPE text;').statements[0].phase, 'breaking');
    assert.equal(classifyMigration('DROP INDEX users_name_key;').statements[0].phase, 'neutral');
  });

  it('everything on a table created earlier in the file is expand', () => {
    const r = classifyMigration('CREATE TABLE t (a int, b text);\nALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t DROP COLUMN b;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nDROP TABLE t;');
    assert.deepEqual(r.statements.map((s) => s.phase), ['expand', 'expand', 'expand', 'expand', 'expand']);
    assert.equal(r.file, 'expand');
  });

  it('a column added earlier in the file (or statement): SET NOT NULL without a default is breaking, with one expand', () => {
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN x int, ADD CONSTRAINT x_nn CHECK (x IS NOT NULL) NOT VALID;', { catalog: buildCatalog([EARLIER]) }).file, 'breaking');
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN x int, ALTER COLUMN x SET DEFAULT 0, ADD CONSTRAINT x_nn CHECK (x IS NOT NULL) NOT VALID;', { catalog: buildCatalog([EARLIER]) }).file, 'expand');
    const catalog = buildCatalog([EARLIER]);
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN x int;\nALTER TABLE users ALTER COLUMN x SET NOT NULL;', { catalog }).statements[1].phase, 'breaking');
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN x int DEFAULT 0;\nALTER TABLE users ALTER COLUMN x SET NOT NULL;', { catalog }).statements[1].phase, 'expand');
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN x int;\nALTER TABLE users DROP COLUMN x;', { catalog }).statements[1].phase, 'expand');
  });

  it('one ALTER TABLE that adds and drops is contract and lists both parts', () => {
    const r = classifyMigration('ALTER TABLE users ADD COLUMN full_name text, DROP COLUMN name;', { catalog: buildCatalog([EARLIER]) });
    assert.equal(r.statements[0].phase, 'contract');
    assert.deepEqual(r.statements[0].parts, ['expand', 'contract']);
    assert.deepEqual(r.statements[0].objects, ['users.full_name', 'users.name']);
    assert.equal(r.file, 'mixed');
  });

  it('file verdicts and summaries', () => {
    const catalog = buildCatalog([EARLIER]);
    const mixed = classifyMigration('ALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX i ON users (full_name);\nALTER TABLE users DROP COLUMN name;', { catalog });
    assert.equal(mixed.file, 'mixed');
    assert.equal(
      mixed.summary,
      'Mixed: 2 expand and 1 contract step; the expand steps must run before the new code ships, the contract steps (`users.name`) only after, so split this migration.',
    );
    const contract = classifyMigration("SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN name;", { catalog });
    assert.equal(contract.file, 'contract');
    assert.equal(contract.summary, 'Contract: run only after all running code stops reading and writing `users.name`.');
    const two = classifyMigration('ALTER TABLE users DROP COLUMN name;\nDROP TABLE orders;', { catalog });
    assert.equal(two.summary, 'Contract: run only after all running code stops using `users.name`, `orders`.');
    const breaking = classifyMigration('ALTER TABLE users ADD COLUMN a text;\nALTER TABLE users RENAME COLUMN name TO full_name;', { catalog });
    assert.equal(breaking.file, 'breaking');
    assert.match(breaking.summary, /^Breaking: renaming `users.name` to `full_name` breaks the running code/);
    assert.equal(classifyMigration('ALTER TABLE users ADD COLUMN a text;', { catalog }).file, 'expand');
    assert.equal(classifyMigration("UPDATE users SET name = 'x';\nSELECT 1;", { catalog }).file, 'neutral');
    assert.equal(classifyMigration('').file, 'neutral');
  });

  it('statements that do not parse are skipped, the others classified', () => {
    const r = classifyMigration('ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUM x int;\nCREATE TABLE t (a int);');
    assert.deepEqual(r.statements.map((s) => [s.statementIndex, s.phase]), [[0, 'contract'], [2, 'expand']]);
  });

  it('type changes as the code sees them', () => {
    const t = (sql: string) => {
      const c = buildCatalog([`CREATE TABLE x (c ${sql.split('→')[0]}, d ${sql.split('→')[1]});`]).tables.get('public.x')!;
      return typeChangeKind(c.columns.get('c')!, c.columns.get('d')!);
    };
    assert.equal(t('varchar(10)→varchar(20)'), 'widen');
    assert.equal(t('varchar(20)→varchar(10)'), 'narrow');
    assert.equal(t('text→varchar(10)'), 'narrow');
    assert.equal(t('int2→int8'), 'widen');
    assert.equal(t('int8→int4'), 'narrow');
    assert.equal(t('int4→float8'), 'other');
    assert.equal(t('numeric(10,2)→numeric(12,2)'), 'widen');
    assert.equal(t('numeric(10,2)→numeric(12,3)'), 'narrow');
    assert.equal(t('int4→numeric'), 'widen');
    assert.equal(t('timestamptz(3)→timestamptz'), 'widen');
    assert.equal(t('timestamp→timestamptz'), 'other');
    assert.equal(t('json→jsonb'), 'other');
    assert.equal(t('text[]→text'), 'other');
    assert.equal(t('text→text'), 'same');
    assert.equal(typeChangeKind(typeInfo(undefined), typeInfo(undefined)), 'same');
  });
});

describe('deploy phase: the expand-contract generators classified back', () => {
  before(async () => {
    await initParser();
  });

  // Per generator, the file phase of each migration, in deploy order.
  const cases = [
    { name: 'rename column', expected: ['expand', 'neutral', 'contract'], phases: () => renameColumnPhases({ table: 'users', column: 'name', newName: 'full_name', type: 'text' }) },
    { name: 'rename table', expected: ['expand', 'contract'], phases: () => renameTablePhases({ table: 'users', newName: 'members' }) },
    // The swap renames the columns: the running release must accept the new type (its header says so).
    { name: 'change column type', expected: ['expand', 'neutral', 'breaking', 'contract'], phases: () => changeColumnTypePhases({ table: 'users', column: 'age', type: 'bigint' }) },
    // CHECK … NOT VALID is lock-safe but restricts new writes at once: for the deploy order it is contract.
    { name: 'set not null', expected: ['contract', 'neutral', 'contract'], phases: () => setNotNullPhases({ table: 'users', column: 'nickname' }) },
    // With a default, inserts that omit the column get a value: NOT NULL never breaks the running code.
    { name: 'add not null column', expected: ['expand', 'neutral', 'neutral', 'expand'], phases: () => addColumnBackfillPhases({ table: 'users', column: 'tenant', type: 'bigint', default: '0', notNull: true }) },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.expected.join(' → ')}, none mixed`, () => {
      let catalog = buildCatalog([EARLIER]);
      const got: string[] = [];
      for (const p of c.phases()) {
        const r = classifyMigration(p.up, { catalog });
        got.push(r.file);
        catalog = buildCatalog([p.up], catalog);
      }
      assert.deepEqual(got, c.expected);
    });
  }

  it('rename table: a rename is expand when the same file puts a view under the old name, breaking without it', () => {
    const [first] = renameTablePhases({ table: 'users', newName: 'members' });
    const r = classifyMigration(first.up, { catalog: buildCatalog([EARLIER]) });
    assert.deepEqual(r.statements.map((s) => s.phase), ['neutral', 'expand', 'expand']);
    assert.match(r.statements[1].reason, /keeps the old name as a view/);
    const viewFirst = classifyMigration('CREATE VIEW users AS SELECT 1;\nALTER TABLE users RENAME TO members;');
    assert.equal(viewFirst.statements[1].phase, 'breaking');
  });
});
