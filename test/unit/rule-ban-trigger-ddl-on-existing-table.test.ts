/** ban-trigger-ddl-on-existing-table: CREATE / DROP TRIGGER lock the table until the transaction commits. */
import rule from '../../server/src/analysis/rules/ban-trigger-ddl-on-existing-table';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    { name: 'table created earlier', sql: 'CREATE TABLE audit (id bigint);\nCREATE TRIGGER t BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION stamp();' },
    { name: 'trigger dropped on a table created earlier', sql: 'CREATE TABLE audit (id bigint);\nDROP TRIGGER IF EXISTS t ON audit;' },
    'DROP FUNCTION users_sync();',
    'ALTER TABLE users ENABLE TRIGGER users_sync;',
  ],
  invalid: [
    {
      sql: '«CREATE TRIGGER users_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync()»;',
      errors: [{ messageId: 'create', data: { table: 'users' } }],
    },
    {
      name: 'CREATE OR REPLACE, schema-qualified',
      sql: '«CREATE OR REPLACE TRIGGER t AFTER DELETE ON app.users FOR EACH STATEMENT EXECUTE FUNCTION f()»;',
      errors: [{ messageId: 'create', data: { table: 'app.users' } }],
    },
    {
      name: 'constraint trigger',
      sql: '«CREATE CONSTRAINT TRIGGER t AFTER INSERT ON orders DEFERRABLE FOR EACH ROW EXECUTE FUNCTION check_order()»;',
      errors: [{ messageId: 'create', data: { table: 'orders' } }],
    },
    {
      sql: '«DROP TRIGGER users_sync ON users»;',
      errors: [{ messageId: 'drop', data: { table: 'users' } }],
    },
    {
      name: 'DROP TRIGGER IF EXISTS, schema-qualified',
      sql: '«DROP TRIGGER IF EXISTS t ON app.users CASCADE»;',
      errors: [{ messageId: 'drop', data: { table: 'app.users' } }],
    },
    {
      name: 'table of the same name created in another schema',
      sql: 'CREATE TABLE app.users (id bigint);\n«DROP TRIGGER t ON users»;',
      errors: [{ messageId: 'drop', data: { table: 'users' } }],
    },
  ],
});
