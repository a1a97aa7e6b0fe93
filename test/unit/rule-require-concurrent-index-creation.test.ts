/** require-concurrent-index-creation: CREATE INDEX without CONCURRENTLY blocks writes for the whole build. */
import rule from '../../server/src/analysis/rules/require-concurrent-index-creation';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add CONCURRENTLY', preferred: true };

ruleTests(rule, {
  valid: [
    'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);',
    { name: 'table created earlier in this migration', sql: 'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);' },
    {
      name: 'schema-qualified table created earlier',
      sql: 'CREATE TABLE app.users (email text);\nCREATE UNIQUE INDEX users_email_key ON app.users (email);',
    },
    { name: 'public. is implied', sql: 'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON public.users (email);' },
    { name: 'created earlier with CREATE TABLE AS', sql: 'CREATE TABLE stats AS SELECT 1 AS n;\nCREATE INDEX stats_n_idx ON stats (n);' },
    {
      name: 'created earlier, index inside the same transaction',
      sql: 'BEGIN;\nCREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;',
    },
    { name: 'dropping an index', sql: 'DROP INDEX users_email_idx;' },
  ],
  invalid: [
    {
      sql: '«CREATE INDEX users_email_idx ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' }, fix: FIX }],
      output: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    },
    {
      name: 'UNIQUE',
      sql: '«CREATE UNIQUE INDEX users_email_key ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' }, fix: FIX }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
    },
    {
      name: 'UNIQUE IF NOT EXISTS',
      sql: '«CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' } }],
      output: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);',
    },
    {
      name: 'schema-qualified',
      sql: '«CREATE INDEX users_email_idx ON app.users USING btree (lower(email)) WHERE deleted_at IS NULL»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'app.users' } }],
      output: 'CREATE INDEX CONCURRENTLY users_email_idx ON app.users USING btree (lower(email)) WHERE deleted_at IS NULL;',
    },
    {
      name: 'unnamed index, lower case, across lines',
      sql: '«create\n  index on users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' } }],
      output: 'create\n  index CONCURRENTLY on users (email);',
    },
    {
      name: 'same-named table created in another schema',
      sql: 'CREATE TABLE app.users (email text);\n«CREATE INDEX users_email_idx ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' } }],
      output: 'CREATE TABLE app.users (email text);\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    },
    {
      name: 'table created later in the file does not count',
      sql: '«CREATE INDEX i ON users (email)»;\nCREATE TABLE users (email text);',
      errors: [{ messageId: 'blocksWrites' }],
      output: 'CREATE INDEX CONCURRENTLY i ON users (email);\nCREATE TABLE users (email text);',
    },
    {
      name: 'inside BEGIN … COMMIT the fix is offered but not preferred (CONCURRENTLY would fail there)',
      sql: 'BEGIN;\n«CREATE INDEX users_email_idx ON users (email)»;\nCOMMIT;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' }, fix: { title: 'Add CONCURRENTLY', preferred: false } }],
      output: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;',
    },
    {
      name: 'not preferred when the tool wraps the file in a transaction',
      sql: '«CREATE INDEX users_email_idx ON users (email)»;',
      options: { assumeInTransaction: true },
      errors: [{ messageId: 'blocksWrites', fix: { preferred: false } }],
      output: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    },
    {
      name: 'preferred again after COMMIT',
      sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\n«CREATE INDEX i ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', fix: FIX }],
      output: 'BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (email);',
    },
    {
      name: 'two indexes: both fixed',
      sql: '«CREATE INDEX a ON users (a)»;\n-- next\n«CREATE UNIQUE INDEX b ON orders (b)»;',
      errors: [
        { messageId: 'blocksWrites', data: { table: 'users' } },
        { messageId: 'blocksWrites', data: { table: 'orders' } },
      ],
      output: 'CREATE INDEX CONCURRENTLY a ON users (a);\n-- next\nCREATE UNIQUE INDEX CONCURRENTLY b ON orders (b);',
    },
    {
      name: 'non-ASCII before the statement: the fix lands at the right offset',
      sql: '-- café ☕ 😀\n«CREATE INDEX "索引" ON "用户" ("名")»;',
      errors: [{ messageId: 'blocksWrites', data: { table: '用户' } }],
      output: '-- café ☕ 😀\nCREATE INDEX CONCURRENTLY "索引" ON "用户" ("名");',
    },
    {
      name: 'no fix when a comment sits inside the CREATE INDEX keywords',
      sql: '«CREATE /* why */ INDEX i ON users (email)»;',
      errors: [{ messageId: 'blocksWrites', data: { table: 'users' } }],
    },
  ],
});
