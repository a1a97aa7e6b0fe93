/** require-concurrent-refresh: a plain REFRESH MATERIALIZED VIEW blocks reads of the view for the whole refresh. */
import rule from '../../server/src/analysis/rules/require-concurrent-refresh';
import { ruleTests } from '../support/ruleTester';

const UNIQUE = 'CREATE UNIQUE INDEX daily_sales_day_key ON daily_sales (day);\n';

ruleTests(rule, {
  valid: [
    'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    { name: 'WITH NO DATA only empties the view', sql: 'REFRESH MATERIALIZED VIEW daily_sales WITH NO DATA;' },
    { name: 'view created earlier in this migration', sql: 'CREATE MATERIALIZED VIEW daily_sales AS SELECT 1 AS day;\nREFRESH MATERIALIZED VIEW daily_sales;' },
    { name: 'schema-qualified view created earlier', sql: 'CREATE MATERIALIZED VIEW rpt.sales AS SELECT 1 AS day;\nREFRESH MATERIALIZED VIEW rpt.sales;' },
  ],
  invalid: [
    {
      name: 'no unique index known: the fix is offered, not preferred',
      sql: '«REFRESH MATERIALIZED VIEW daily_sales»;',
      errors: [{ messageId: 'blocksReads', data: { view: 'daily_sales' }, fix: { title: 'Add CONCURRENTLY', preferred: false } }],
      output: 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    },
    {
      name: 'a unique index on plain columns: preferred',
      sql: `${UNIQUE}«REFRESH MATERIALIZED VIEW daily_sales»;`,
      errors: [{ messageId: 'blocksReads', fix: { preferred: true } }],
      output: `${UNIQUE}REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;`,
    },
    {
      name: 'a partial unique index does not count (PostgreSQL refuses CONCURRENTLY)',
      sql: 'CREATE UNIQUE INDEX k ON daily_sales (day) WHERE day > 0;\n«REFRESH MATERIALIZED VIEW daily_sales»;',
      errors: [{ messageId: 'blocksReads', fix: { preferred: false } }],
      output: 'CREATE UNIQUE INDEX k ON daily_sales (day) WHERE day > 0;\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    },
    {
      name: 'an expression index does not count',
      sql: 'CREATE UNIQUE INDEX k ON daily_sales (lower(day));\n«REFRESH MATERIALIZED VIEW daily_sales»;',
      errors: [{ messageId: 'blocksReads', fix: { preferred: false } }],
      output: 'CREATE UNIQUE INDEX k ON daily_sales (lower(day));\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    },
    {
      name: 'a non-unique index does not count',
      sql: 'CREATE INDEX k ON daily_sales (day);\n«REFRESH MATERIALIZED VIEW daily_sales»;',
      errors: [{ messageId: 'blocksReads', fix: { preferred: false } }],
      output: 'CREATE INDEX k ON daily_sales (day);\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    },
    {
      name: 'schema-qualified, lower case, across lines, with a comment',
      sql: '«refresh materialized /* nightly */\n  view rpt.daily_sales»;',
      errors: [{ messageId: 'blocksReads', data: { view: 'rpt.daily_sales' } }],
      output: 'refresh materialized /* nightly */\n  view CONCURRENTLY rpt.daily_sales;',
    },
    {
      name: 'a view of the same name in another schema was created',
      sql: 'CREATE MATERIALIZED VIEW rpt.daily_sales AS SELECT 1 AS day;\n«REFRESH MATERIALIZED VIEW daily_sales»;',
      errors: [{ messageId: 'blocksReads', data: { view: 'daily_sales' } }],
      output: 'CREATE MATERIALIZED VIEW rpt.daily_sales AS SELECT 1 AS day;\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
    },
    {
      name: 'inside a transaction block CONCURRENTLY still works',
      sql: `BEGIN;\n${UNIQUE}«REFRESH MATERIALIZED VIEW daily_sales»;\nCOMMIT;`,
      errors: [{ messageId: 'blocksReads', fix: { preferred: true } }],
      output: `BEGIN;\n${UNIQUE}REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;\nCOMMIT;`,
    },
  ],
});
