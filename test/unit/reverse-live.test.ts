/**
 * `reverse/live.ts` on examples: a schema snapshot (the shape `engines/schema.ts` reads, attributes as PostgreSQL's
 * catalog functions print them) → DDL text; with the earlier migrations' catalog, only what it lacks; and the
 * reverse generated from the completed catalog. `test/pg/reverse-engine.test.ts` runs the DDL on PostgreSQL.
 */
import * as assert from 'node:assert/strict';
import { buildCatalog, initParser, parseFile } from '../../server/src/analysis';
import { catalogWithLive, liveSchemaSql, reverseMigration, unknownDefinitions, type LiveObject, type LiveSchema } from '../../server/src/analysis/reverse';

function snapshot(objects: LiveObject[], columnOrder?: Record<string, string[]>): LiveSchema {
  return { objects: Object.fromEntries(objects.map((o) => [`${o.kind} ${o.name}`, o])), ...(columnOrder ? { columnOrder } : {}) };
}

const USERS: LiveObject[] = [
  { kind: 'table', name: 'users', attrs: { kind: 'table' } },
  { kind: 'column', name: 'users.id', attrs: { type: 'integer', default: "nextval('users_id_seq'::regclass)", 'not null': 'NOT NULL' } },
  { kind: 'column', name: 'users.email', attrs: { type: 'character varying(255)', 'not null': 'NOT NULL', collation: 'C' } },
  { kind: 'column', name: 'users.team_id', attrs: { type: 'bigint' } },
  { kind: 'sequence', name: 'users_id_seq', attrs: { type: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', 'owned by': 'users.id' } },
  { kind: 'constraint', name: 'users.users_team_id_fkey', attrs: { definition: 'FOREIGN KEY (team_id) REFERENCES app.teams(id)', validated: 'yes' } },
  { kind: 'constraint', name: 'users.users_pkey', attrs: { definition: 'PRIMARY KEY (id)', validated: 'yes' } },
  { kind: 'index', name: 'users_lower_idx', attrs: { definition: 'CREATE INDEX users_lower_idx ON public.users USING btree (lower((email)::text))' } },
  { kind: 'schema', name: 'app', attrs: {} },
  { kind: 'table', name: 'app.teams', attrs: { kind: 'table' } },
  { kind: 'column', name: 'app.teams.id', attrs: { type: 'bigint', identity: 'GENERATED ALWAYS', 'not null': 'NOT NULL' } },
  { kind: 'constraint', name: 'app.teams.teams_pkey', attrs: { definition: 'PRIMARY KEY (id)', validated: 'yes' } },
];

describe('reverse: the schema read from PostgreSQL as DDL', () => {
  before(async () => {
    await initParser();
  });

  it('writes tables (columns in attnum order, serial kept), keys before foreign keys, then indexes', () => {
    const sql = liveSchemaSql(snapshot(USERS, { users: ['id', 'email', 'team_id'], 'app.teams': ['id'] }));
    assert.equal(
      sql,
      [
        'SET check_function_bodies = off;',
        'CREATE SCHEMA app;',
        'CREATE TABLE users (',
        '  id serial NOT NULL,',
        '  email character varying(255) COLLATE "C" NOT NULL,',
        '  team_id bigint',
        ');',
        'CREATE TABLE app.teams (',
        '  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL',
        ');',
        'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);',
        'ALTER TABLE app.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);',
        'ALTER TABLE users ADD CONSTRAINT users_team_id_fkey FOREIGN KEY (team_id) REFERENCES app.teams(id);',
        'CREATE INDEX users_lower_idx ON public.users USING btree (lower((email)::text));',
        '',
      ].join('\n'),
    );
    for (const s of parseFile(sql).statements) assert.equal(s.error, undefined, s.text);
  });

  it('keeps a sequence that a default reads under another name than serial would give it', () => {
    const objects = USERS.map((o) => (o.name === 'users_id_seq' ? { ...o, name: 'user_ids' } : o.name === 'users.id' ? { ...o, attrs: { ...o.attrs, default: "nextval('user_ids'::regclass)" } } : o));
    const sql = liveSchemaSql(snapshot(objects));
    assert.match(sql, /^CREATE SEQUENCE user_ids AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;$/m);
    assert.match(sql, /^ {2}id integer DEFAULT nextval\('user_ids'::regclass\) NOT NULL,$/m);
    assert.match(sql, /^ALTER SEQUENCE user_ids OWNED BY users.id;$/m);
  });

  it('with the earlier migrations’ catalog: only what it lacks', () => {
    const known = buildCatalog(['CREATE SCHEMA app;\nCREATE TABLE app.teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCREATE TABLE users (id serial PRIMARY KEY, email varchar(255) COLLATE "C" NOT NULL);']);
    const sql = liveSchemaSql(snapshot(USERS), known);
    assert.equal(
      sql,
      [
        'SET check_function_bodies = off;',
        'ALTER TABLE users ADD COLUMN team_id bigint;',
        'ALTER TABLE users ADD CONSTRAINT users_team_id_fkey FOREIGN KEY (team_id) REFERENCES app.teams(id);',
        'CREATE INDEX users_lower_idx ON public.users USING btree (lower((email)::text));',
        '',
      ].join('\n'),
    );
    assert.equal(liveSchemaSql(snapshot(USERS.filter((o) => o.name !== 'users.team_id' && o.name !== 'users.users_team_id_fkey' && o.kind !== 'index')), known), '');
  });

  it('places a view after the views it reads', () => {
    const sql = liveSchemaSql(
      snapshot([
        { kind: 'view', name: 'a_top', attrs: { definition: ' SELECT z_base.id\n   FROM z_base\n  LIMIT 1;' } },
        { kind: 'view', name: 'z_base', attrs: { definition: ' SELECT 1 AS id;' } },
      ]),
    );
    assert.equal(sql, 'SET check_function_bodies = off;\nCREATE VIEW z_base AS\nSELECT 1 AS id;\nCREATE VIEW a_top AS\nSELECT z_base.id\n   FROM z_base\n  LIMIT 1;\n');
  });

  it('completes the catalog, so the reversers that said "unknown" rebuild the objects', () => {
    const earlier = "CREATE TABLE t (id int PRIMARY KEY);\nDO $$ BEGIN EXECUTE 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS ''SELECT a'''; EXECUTE 'ALTER TABLE t ADD COLUMN note text NOT NULL DEFAULT ''-'''; END $$;";
    const up = 'DROP FUNCTION f(int);\nALTER TABLE t DROP COLUMN note;';
    const known = buildCatalog([earlier]);
    const before = reverseMigration(up, { catalog: known });
    assert.deepEqual(unknownDefinitions(before), [
      'function f is not in the schema built from the earlier migrations: its definition is unknown',
      't.note is not in the schema built from the earlier migrations: its definition is unknown',
    ]);
    const live = snapshot([
      { kind: 'table', name: 't', attrs: { kind: 'table' } },
      { kind: 'column', name: 't.id', attrs: { type: 'integer', 'not null': 'NOT NULL' } },
      { kind: 'column', name: 't.note', attrs: { type: 'text', default: "'-'::text", 'not null': 'NOT NULL' } },
      { kind: 'constraint', name: 't.t_pkey', attrs: { definition: 'PRIMARY KEY (id)', validated: 'yes' } },
      { kind: 'function', name: 'f(a integer)', attrs: { definition: 'CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a$function$\n' } },
    ]);
    const after = reverseMigration(up, { catalog: catalogWithLive(live, known) });
    assert.equal(after.sql, "-- IRREVERSIBLE: data in t.note is lost\nALTER TABLE t ADD COLUMN note text DEFAULT '-'::text NOT NULL;\nCREATE FUNCTION public.f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;\n");
    assert.deepEqual(unknownDefinitions(after), []);
    assert.deepEqual(after.irreversible.map((i) => i.reason), ['data in t.note is lost']);
    // The static catalog is left as it was.
    assert.equal(known.routines.size, 0);
    assert.equal(known.tables.get('public.t')?.columns.has('note'), false);
  });

  it('tells definitions that are unknown from data that is lost', () => {
    const r = reverseMigration('DROP TABLE IF EXISTS legacy;\nDROP DOMAIN d;', { catalog: buildCatalog(['CREATE TABLE x (a int);']) });
    assert.deepEqual(unknownDefinitions(r), [
      'legacy is not in the schema built from the earlier migrations: its definition is unknown',
      'the definition of domain d is not kept statically',
    ]);
    assert.deepEqual(unknownDefinitions(reverseMigration('ALTER TABLE x DROP COLUMN a;', { catalog: buildCatalog(['CREATE TABLE x (a int);']) })), []);
  });
});
