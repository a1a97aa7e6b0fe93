import { ruleTests } from '../support/ruleTester';
import rule from '../../server/src/analysis/rules/ban-down-data-loss';

/** dbmate: the up section, then a down that drops a column the up did not add. */
const UP = '-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n';
const DOWN = '-- migrate:down\nALTER TABLE users DROP COLUMN email;\n';
const blank = (s: string) => s.replace(/[^\n]/g, ' ');

const up = (upText: string) => ({ role: 'down', tool: 'golang-migrate', upPath: '1_x.up.sql', upText }) as const;

ruleTests(rule, {
  valid: [
    { sql: 'DROP INDEX users_email_idx;', rollback: up('CREATE INDEX users_email_idx ON users (email);') },
    { name: 'seed rows deleted by key', sql: "DELETE FROM plans WHERE name = 'pro';", rollback: up("INSERT INTO plans (name) VALUES ('pro');") },
    { name: 'restoring values the up changed', sql: "UPDATE users SET status = NULL WHERE status = 'active';", rollback: up("UPDATE users SET status = 'active' WHERE status IS NULL;") },
    { name: 'no up known', sql: 'DROP TABLE users;', rollback: { role: 'down', tool: 'golang-migrate' } },
    { name: 'an up file with a separate down is not checked here', sql: 'DROP TABLE users;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downText: 'DROP TABLE t;' } },
    { name: 'view', sql: 'DROP VIEW v;', rollback: up('SELECT 1;') },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users DROP COLUMN full_name»;',
      rollback: up('ALTER TABLE users ADD COLUMN full_name text;'),
      errors: [{ messageId: 'sinceUp', data: { name: 'users.full_name', label: 'DROP COLUMN', noun: 'column' }, severity: 'info' }],
    },
    {
      name: 'a table the up created',
      sql: '«DROP TABLE posts»;',
      rollback: up('CREATE TABLE posts (id bigint);'),
      errors: [{ messageId: 'sinceUp', data: { name: 'posts', label: 'DROP TABLE', noun: 'table' }, severity: 'info' }],
    },
    {
      name: 'a column the up did not create',
      sql: '«ALTER TABLE users DROP COLUMN email»;',
      rollback: up('CREATE INDEX users_email_idx ON users (email);'),
      errors: [{ messageId: 'preexisting', data: { name: 'users.email', label: 'DROP COLUMN', noun: 'column' }, severity: 'warning' }],
    },
    {
      sql: '«TRUNCATE audit_log»;',
      rollback: up('ALTER TABLE audit_log ADD COLUMN actor text;'),
      errors: [{ messageId: 'preexistingRows', data: { name: 'audit_log', label: 'TRUNCATE' }, severity: 'warning' }],
    },
    {
      name: 'DELETE without WHERE of a table the up seeded',
      sql: '«DELETE FROM plans»;',
      rollback: up("INSERT INTO plans (name) VALUES ('pro');"),
      errors: [{ messageId: 'rowsSinceUp', data: { name: 'plans', label: 'DELETE' }, severity: 'info' }],
    },
    {
      name: 'the down section of a single-file migration (the analyzed text has it blanked)',
      sql: `${UP}${blank('-- migrate:down\n')}«${blank('ALTER TABLE users DROP COLUMN email')}»${blank(';\n')}`,
      rollback: { role: 'up', tool: 'dbmate', expectation: 'required', sameFile: true, downPath: 'db/migrations/1_x.sql', downText: `${blank(UP)}${DOWN}` },
      errors: [{ messageId: 'preexisting', data: { name: 'users.email', label: 'DROP COLUMN', noun: 'column' } }],
    },
  ],
});
