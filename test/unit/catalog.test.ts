/** The static schema catalog: what exists after applying DDL in order. */
import * as assert from 'node:assert/strict';
import { buildCatalog, initParser } from '../../server/src/analysis';

describe('catalog', () => {
  before(async () => {
    await initParser();
  });

  it('records tables, columns with types, nullability and defaults', () => {
    const c = buildCatalog(["CREATE TABLE app.users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, name text DEFAULT 'x', tags text[]);"]);
    const t = c.tables.get('app.users')!;
    assert.equal(t.name, 'app.users');
    assert.deepEqual([...t.columns.keys()], ['id', 'email', 'name', 'tags']);
    assert.equal(t.columns.get('email')!.type, 'varchar(255)');
    assert.equal(t.columns.get('id')!.notNull, true);
    assert.equal(t.columns.get('name')!.notNull, false);
    assert.equal(t.columns.get('name')!.hasDefault, true);
    assert.equal(t.columns.get('tags')!.isArray, true);
    assert.deepEqual(t.constraints.map((k) => k.kind), ['primary']);
  });

  it('follows ALTER TABLE: add/drop column, type change, NOT NULL, defaults, constraints and validation', () => {
    const c = buildCatalog([
      'CREATE TABLE t (a int, b text);',
      'ALTER TABLE t ADD COLUMN c numeric(10,2), DROP COLUMN b, ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL, ALTER COLUMN c SET DEFAULT 0;',
      'ALTER TABLE t ADD CONSTRAINT c_not_null CHECK (c IS NOT NULL) NOT VALID;',
    ]);
    const t = c.tables.get('public.t')!;
    assert.deepEqual([...t.columns.keys()], ['a', 'c']);
    assert.equal(t.columns.get('a')!.type, 'int8');
    assert.equal(t.columns.get('a')!.notNull, true);
    assert.equal(t.columns.get('c')!.type, 'numeric(10,2)');
    assert.equal(t.columns.get('c')!.hasDefault, true);
    const check = t.constraints.find((k) => k.name === 'c_not_null')!;
    assert.equal(check.notNullColumn, 'c');
    assert.equal(check.validated, false);
    const after = buildCatalog(['ALTER TABLE t VALIDATE CONSTRAINT c_not_null;'], c);
    assert.equal(after.tables.get('public.t')!.constraints.find((k) => k.name === 'c_not_null')!.validated, true);
    // The base catalog is not modified by building on it.
    assert.equal(check.validated, false);
  });

  it('follows renames of tables, columns and constraints, and moves indexes with their table', () => {
    const c = buildCatalog([
      'CREATE TABLE users (name text, CONSTRAINT n_check CHECK (name <> \'\'));',
      'CREATE INDEX users_name_idx ON users (name);',
      'ALTER TABLE users RENAME COLUMN name TO full_name;',
      'ALTER TABLE users RENAME CONSTRAINT n_check TO full_name_check;',
      'ALTER TABLE users RENAME TO members;',
    ]);
    assert.equal(c.tables.has('public.users'), false);
    const t = c.tables.get('public.members')!;
    assert.deepEqual([...t.columns.keys()], ['full_name']);
    assert.equal(t.constraints[0].name, 'full_name_check');
    assert.equal(c.indexes.get('public.users_name_idx')!.tableKey, 'public.members');
    assert.deepEqual(c.indexesOf('public.members').map((i) => i.name), ['users_name_idx']);
  });

  it('drops tables with their indexes, indexes, and types', () => {
    const c = buildCatalog([
      "CREATE TYPE mood AS ENUM ('sad', 'ok');",
      "ALTER TYPE mood ADD VALUE 'happy';",
      'CREATE TABLE a (m mood);',
      'CREATE UNIQUE INDEX a_m ON a (m);',
    ]);
    assert.deepEqual(c.enums.get('public.mood'), ['sad', 'ok', 'happy']);
    assert.equal(c.indexes.get('public.a_m')!.unique, true);
    const dropped = buildCatalog(['DROP TABLE a;', 'DROP TYPE mood;'], c);
    assert.equal(dropped.tables.size, 0);
    assert.equal(dropped.indexes.size, 0);
    assert.equal(dropped.enums.size, 0);
  });

  it('ignores statements that do not parse and DDL on unknown tables', () => {
    // The broken ALTER is skipped; the CREATE TABLE before it still counts (statement-level recovery).
    const c = buildCatalog(['CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN;', 'ALTER TABLE unknown ADD COLUMN x int;']);
    assert.deepEqual([...c.tables.keys()], ['public.t']);
    const ok = buildCatalog(['CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN;\nALTER TABLE t ADD COLUMN b int;']);
    assert.deepEqual([...ok.tables.get('public.t')!.columns.keys()], ['a', 'b']);
  });
});
