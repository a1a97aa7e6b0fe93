/** require-concurrent-partition-detach: DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+). */
import rule from '../../server/src/analysis/rules/require-concurrent-partition-detach';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add CONCURRENTLY', preferred: true };

ruleTests(rule, {
  valid: [
    'ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;',
    'ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;',
    { name: 'no CONCURRENTLY before PostgreSQL 14', sql: 'ALTER TABLE measurements DETACH PARTITION m2020;', options: { postgresVersion: 13 } },
    {
      name: 'partitioned table created earlier in this migration',
      sql: 'CREATE TABLE m (k int) PARTITION BY RANGE (k);\nCREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);\nALTER TABLE m DETACH PARTITION m1;',
    },
    { name: 'ATTACH is not DETACH', sql: 'ALTER TABLE m ATTACH PARTITION m1 FOR VALUES FROM (0) TO (10);' },
  ],
  invalid: [
    {
      sql: '«ALTER TABLE measurements DETACH PARTITION measurements_2020»;',
      errors: [{ messageId: 'detach', data: { table: 'measurements', partition: 'measurements_2020' }, fix: FIX }],
      output: 'ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;',
    },
    {
      name: 'schema-qualified, ONLY, a comment after the statement',
      sql: '«ALTER TABLE ONLY app.m DETACH PARTITION app.m1»; -- old data',
      errors: [{ messageId: 'detach', data: { table: 'app.m', partition: 'app.m1' } }],
      output: 'ALTER TABLE ONLY app.m DETACH PARTITION app.m1 CONCURRENTLY; -- old data',
    },
    {
      name: 'no semicolon at the end of the file',
      sql: '«ALTER TABLE m DETACH PARTITION m1»',
      errors: [{ messageId: 'detach' }],
      output: 'ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY',
    },
    {
      name: 'PostgreSQL 14',
      sql: '«ALTER TABLE m DETACH PARTITION m1»;',
      options: { postgresVersion: 14 },
      errors: [{ messageId: 'detach', data: { table: 'm', partition: 'm1' } }],
      output: 'ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY;',
    },
    {
      name: 'inside BEGIN … COMMIT the fix is not preferred (CONCURRENTLY fails there)',
      sql: 'BEGIN;\n«ALTER TABLE m DETACH PARTITION m1»;\nCOMMIT;',
      errors: [{ messageId: 'detach', fix: { title: 'Add CONCURRENTLY', preferred: false } }],
      output: 'BEGIN;\nALTER TABLE m DETACH PARTITION m1 CONCURRENTLY;\nCOMMIT;',
    },
  ],
});
