/** ban-duplicate-column-assignments: one column assigned, defined or changed twice in one statement. */
import rule from '../../server/src/analysis/rules/ban-duplicate-column-assignments';
import { ruleTests } from '../support/ruleTester';

const REMOVE = { title: 'Remove the earlier subcommands', preferred: true };

ruleTests(rule, {
  valid: [
    "UPDATE users SET name = 'a', email = 'b';",
    { name: 'different array elements', sql: 'UPDATE matrix SET cells[1] = 0, cells[2] = 0;' },
    { name: 'different fields of a composite', sql: 'INSERT INTO t (point.x, point.y) VALUES (1, 2);' },
    { name: 'type and default of one column', sql: "ALTER TABLE users ALTER COLUMN status TYPE text, ALTER COLUMN status SET DEFAULT 'new';" },
    { name: 'drop and re-add a column', sql: 'ALTER TABLE users DROP COLUMN legacy, ADD COLUMN legacy jsonb;' },
    { name: 'a repeated IF NOT EXISTS is skipped with a notice', sql: 'ALTER TABLE t ADD COLUMN IF NOT EXISTS b int, ADD COLUMN IF NOT EXISTS b int;' },
    { name: 'same property of different columns', sql: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;' },
    { name: 'case-different quoted names are different columns', sql: 'CREATE TABLE t ("A" int, a int);' },
    'CREATE VIEW v (a, b) AS SELECT 1, 2;',
  ],
  invalid: [
    {
      sql: "UPDATE users SET name = 'a', email = 'b', «name» = 'c';",
      errors: [{ messageId: 'update', data: { column: 'name' } }],
    },
    {
      name: 'UPDATE: multi-column assignment, and a whole column with one of its elements',
      sql: 'UPDATE t SET (a, b) = (1, 2), «a» = 3, c = \'{}\', «c»[1] = 4;',
      errors: [{ messageId: 'update', data: { column: 'a' } }, { messageId: 'update', data: { column: 'c' } }],
    },
    {
      name: 'INSERT column list, case folded',
      sql: 'WITH x AS (SELECT 1) INSERT INTO t AS y (a, «A») SELECT 1, 2;',
      errors: [{ messageId: 'insert', data: { column: 'a' } }],
    },
    {
      name: 'CREATE TABLE',
      sql: 'CREATE TABLE t (a int, b int, «a» text);',
      errors: [{ messageId: 'createTable', data: { column: 'a' } }],
    },
    {
      name: 'CREATE VIEW column list and aliases',
      sql: 'CREATE VIEW v (a, «a») AS SELECT 1, 2;\n«CREATE VIEW w AS SELECT 1 AS x, 2 AS x»;',
      errors: [{ messageId: 'view', data: { column: 'a' } }, { messageId: 'view', data: { column: 'x' } }],
    },
    {
      name: 'ALTER TABLE: type twice, add twice, drop twice',
      sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint, «ALTER COLUMN a TYPE text», ADD COLUMN c int, «ADD c int», DROP d, «DROP COLUMN d»;',
      errors: [{ messageId: 'typeTwice', data: { column: 'a' } }, { messageId: 'addTwice', data: { column: 'c' } }, { messageId: 'dropTwice', data: { column: 'd' } }],
    },
    {
      name: 'ALTER TABLE: the same property set twice; the fix keeps the last',
      sql: "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new', ALTER COLUMN name SET NOT NULL, «ALTER COLUMN status SET DEFAULT 'active'»;",
      errors: [{ messageId: 'redundant', data: { column: 'status', aspect: 'default', count: 'twice' }, fix: REMOVE }],
      output: "ALTER TABLE users ALTER COLUMN name SET NOT NULL, ALTER COLUMN status SET DEFAULT 'active';",
    },
    {
      name: 'ALTER TABLE: three times, across lines',
      sql: 'ALTER TABLE t\n  ALTER a SET STATISTICS 100,\n  ALTER a SET STATISTICS 200,\n  «ALTER a SET STATISTICS 300»;',
      errors: [{ messageId: 'redundant', data: { column: 'a', aspect: 'statistics target', count: '3 times' } }],
      output: 'ALTER TABLE t\n  ALTER a SET STATISTICS 300;',
    },
    {
      name: 'ALTER TABLE: SET and DROP of the same property run in PostgreSQL\'s order',
      sql: 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 5, «ALTER COLUMN a DROP DEFAULT»;\nALTER TABLE t ALTER COLUMN b SET NOT NULL, «ALTER COLUMN b DROP NOT NULL»;',
      errors: [{ messageId: 'conflicting', data: { column: 'a', aspect: 'default' } }, { messageId: 'conflicting', data: { column: 'b', aspect: 'NOT NULL' } }],
    },
  ],
});
