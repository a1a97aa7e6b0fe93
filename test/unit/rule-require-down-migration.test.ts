import { ruleTests } from '../support/ruleTester';
import rule from '../../server/src/analysis/rules/require-down-migration';

const required = { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: 'migrations/000042_x.down.sql' } as const;

ruleTests(rule, {
  valid: [
    { name: 'down present', sql: 'ALTER TABLE users ADD COLUMN nickname text;', rollback: { ...required, downText: 'ALTER TABLE users DROP COLUMN nickname;\n' } },
    { name: 'no migration project', sql: 'ALTER TABLE users ADD COLUMN a text;' },
    { name: 'a down file is not checked for its own down', sql: 'ALTER TABLE users DROP COLUMN nickname;', rollback: { role: 'down', tool: 'golang-migrate', upPath: 'migrations/000042_x.up.sql' } },
    { name: 'dbmate down section', sql: '-- migrate:up\nCREATE TABLE t (id int);\n', rollback: { role: 'up', tool: 'dbmate', expectation: 'required', downPath: 'db/migrations/1_t.sql', sameFile: true, downText: '\n\n-- migrate:down\nDROP TABLE t;\n' } },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE users ADD COLUMN nickname text»;',
      rollback: required,
      errors: [{ messageId: 'missing', data: { where: '`000042_x.down.sql` does not exist', tool: 'golang-migrate' }, severity: 'warning' }],
    },
    {
      name: 'goose project that writes down sections',
      sql: '-- +goose Up\n«CREATE TABLE t (id int)»;\n',
      rollback: { role: 'up', tool: 'goose', expectation: 'required' },
      errors: [{ messageId: 'missing', data: { where: 'no `-- +goose Down` section', tool: 'goose' } }],
    },
    {
      name: 'first line of a multi-line statement',
      sql: '«CREATE TABLE t (»\n  id int\n);',
      rollback: { role: 'up', tool: 'diesel', expectation: 'required', downPath: 'migrations/2024-01-01-000000_t/down.sql' },
      errors: [{ messageId: 'missing', data: { where: '`down.sql` does not exist', tool: 'diesel' } }],
    },
    {
      name: 'up-only tool: information',
      sql: '«CREATE INDEX i ON t (a)»;',
      rollback: { role: 'up', tool: 'prisma', expectation: 'information' },
      errors: [{ messageId: 'upOnly', data: { tool: 'Prisma' }, severity: 'info' }],
    },
    {
      name: 'explicit irreversible marker: reported differently, as information',
      sql: '«DROP TABLE legacy»;',
      rollback: { ...required, downText: '-- cannot be undone\n', irreversibleMarker: true },
      errors: [{ messageId: 'marked', severity: 'info' }],
    },
    {
      name: 'an empty dbmate down section',
      sql: '-- migrate:up\n«DROP TABLE legacy»;\n',
      rollback: { role: 'up', tool: 'dbmate', expectation: 'required', sameFile: true, downPath: 'x.sql', downText: '\n\n-- migrate:down\n', irreversibleMarker: true },
      errors: [{ messageId: 'marked', severity: 'info' }],
    },
  ],
});
