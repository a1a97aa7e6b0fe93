import { ruleTests } from '../support/ruleTester';
import rule from '../../server/src/analysis/rules/require-complete-down';

const down = (downText: string) => ({ role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '1_x.down.sql', downText }) as const;

ruleTests(rule, {
  valid: [
    { sql: 'CREATE TABLE posts (id bigint);\nCREATE INDEX posts_id_idx ON posts (id);\nALTER TABLE posts ADD COLUMN title text;', rollback: down('DROP TABLE posts;') },
    { name: 'rename undone', sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;', rollback: down('ALTER TABLE users RENAME COLUMN full_name TO name;') },
    { name: 'table rename undone', sql: 'ALTER TABLE users RENAME TO accounts;', rollback: down('ALTER TABLE accounts RENAME TO users;') },
    { name: 'dropped object recreated', sql: 'DROP INDEX users_email_idx;', rollback: down('CREATE INDEX users_email_idx ON users (email);') },
    { name: 'schema-qualified and not', sql: 'CREATE TABLE public.t (id int);', rollback: down('DROP TABLE IF EXISTS t;') },
    { name: 'replaced function restored', sql: 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;', rollback: down('CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;') },
    { name: 'created and dropped within the up', sql: 'CREATE TABLE tmp (a int);\nDROP TABLE tmp;', rollback: down('SELECT 1;') },
    { name: 'NOT NULL undone', sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', rollback: down('ALTER TABLE users ALTER COLUMN email DROP NOT NULL;') },
    { name: 'seed rows deleted', sql: "INSERT INTO plans (name) VALUES ('pro');", rollback: down("DELETE FROM plans WHERE name = 'pro';") },
    { name: 'schema dropped with its objects', sql: 'CREATE SCHEMA app;\nCREATE TABLE app.t (id int);', rollback: down('DROP SCHEMA app CASCADE;') },
    { name: 'constraint dropped', sql: 'ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0);', rollback: down('ALTER TABLE t DROP CONSTRAINT t_a_check;') },
    { name: 'irreversible marker: left to require-down-migration', sql: 'CREATE TABLE t (id int);', rollback: { ...down('-- nothing\n'), irreversibleMarker: true } },
    { name: 'no down at all: left to require-down-migration', sql: 'CREATE TABLE t (id int);', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required' } },
  ],
  invalid: [
    {
      sql: '«CREATE TABLE posts (id bigint)»;\nCREATE INDEX posts_id_idx ON posts (id);',
      rollback: down('DROP INDEX posts_id_idx;'),
      errors: [{ messageId: 'created', data: { noun: 'table', name: 'posts', label: 'CREATE TABLE' } }],
    },
    {
      sql: '«ALTER TABLE users ADD COLUMN nickname text»;\n«CREATE UNIQUE INDEX users_nickname_idx ON users (nickname)»;',
      rollback: down('SELECT 1;'),
      errors: [
        { messageId: 'created', data: { noun: 'column', name: 'users.nickname', label: 'ADD COLUMN' } },
        { messageId: 'created', data: { noun: 'index', name: 'users_nickname_idx', label: 'CREATE INDEX' } },
      ],
    },
    {
      sql: '«ALTER TABLE users RENAME COLUMN name TO full_name»;',
      rollback: down('ALTER TABLE users RENAME COLUMN full_name TO other;'),
      errors: [{ messageId: 'renamed', data: { noun: 'column', from: 'users.name', to: 'users.full_name' } }],
    },
    {
      sql: '«DROP INDEX users_email_idx»;',
      rollback: down('SELECT 1;'),
      errors: [{ messageId: 'dropped', data: { noun: 'index', name: 'users_email_idx', label: 'DROP INDEX' } }],
    },
    {
      sql: '«ALTER TABLE users ALTER COLUMN id TYPE bigint»;',
      rollback: down('SELECT 1;'),
      errors: [{ messageId: 'altered', data: { label: 'ALTER COLUMN TYPE', name: 'users.id' } }],
    },
    {
      sql: "«INSERT INTO plans (name) VALUES ('pro')»;",
      rollback: down('SELECT 1;'),
      errors: [{ messageId: 'inserted', data: { name: 'plans' } }],
    },
    {
      sql: '«CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE active»;',
      rollback: down('SELECT 1;'),
      errors: [{ messageId: 'replaced', data: { noun: 'view', name: 'active_users', label: 'CREATE VIEW' } }],
    },
    {
      name: 'a single-file down section',
      sql: '-- migrate:up\n«CREATE TYPE mood AS ENUM (\'ok\')»;\n',
      rollback: { role: 'up', tool: 'dbmate', expectation: 'required', sameFile: true, downPath: 'x.sql', downText: '\n\n-- migrate:down\nDROP TABLE other;\n' },
      errors: [{ messageId: 'created', data: { noun: 'type', name: 'mood' } }],
    },
  ],
});
