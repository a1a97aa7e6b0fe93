/** ban-unbatched-backfill: UPDATE / DELETE of every row of an existing table in one statement. */
import rule from '../../server/src/analysis/rules/ban-unbatched-backfill';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    "UPDATE users SET status = 'active' WHERE id BETWEEN 1 AND 5000;",
    'DELETE FROM sessions WHERE expires_at < now();',
    { name: 'table created earlier', sql: "CREATE TABLE plans (name text);\nUPDATE plans SET name = lower(name);" },
    { name: 'IS NULL on a column that was not added here', sql: "UPDATE users SET plan = 'free' WHERE plan IS NULL;" },
    { name: 'column added with a default', sql: "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nUPDATE users SET plan = 'pro' WHERE plan IS NULL;" },
    { name: 'column added to another table', sql: "ALTER TABLE accounts ADD COLUMN plan text;\nUPDATE users SET plan = 'free' WHERE plan IS NULL;" },
    "INSERT INTO users (id) VALUES (1);",
  ],
  invalid: [
    {
      sql: "«UPDATE users SET status = 'active'»;",
      errors: [{ messageId: 'whole', data: { verb: 'UPDATE', table: 'users' } }],
    },
    {
      sql: '«DELETE FROM app.sessions»;',
      errors: [{ messageId: 'whole', data: { verb: 'DELETE', table: 'app.sessions' } }],
    },
    {
      name: 'WHERE true',
      sql: "«UPDATE users SET status = 'active' WHERE true»;",
      errors: [{ messageId: 'whole', data: { verb: 'UPDATE' } }],
    },
    {
      name: 'WHERE 1 = 1',
      sql: '«DELETE FROM sessions WHERE 1 = 1»;',
      errors: [{ messageId: 'whole', data: { verb: 'DELETE' } }],
    },
    {
      name: 'UPDATE … FROM without WHERE',
      sql: '«UPDATE orders SET total = t.total FROM totals t»;',
      errors: [{ messageId: 'whole', data: { table: 'orders' } }],
    },
    {
      name: 'backfilling a column added earlier in the migration',
      sql: "ALTER TABLE users ADD COLUMN plan text;\n«UPDATE users SET plan = 'free' WHERE plan IS NULL»;",
      errors: [{ messageId: 'newColumn', data: { verb: 'UPDATE', table: 'users', column: 'plan' } }],
    },
    {
      name: 'a table of the same name in another schema was created',
      sql: 'CREATE TABLE app.users (id bigint);\n«DELETE FROM users»;',
      errors: [{ messageId: 'whole', data: { table: 'users' } }],
    },
  ],
});
