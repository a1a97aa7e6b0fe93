/** DETACH PARTITION → DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), outside a transaction block. */
import { concurrentRewrite } from './concurrently';
import { defineRewrite } from './rewrite';

export default defineRewrite({
  id: 'detach-partition-concurrently',
  title: 'Use CONCURRENTLY',
  description: 'Detaches with DETACH PARTITION … CONCURRENTLY outside a transaction block, which needs only SHARE UPDATE EXCLUSIVE on the partitioned table.',
  appliesTo: ['require-concurrent-partition-detach'],
  examples: [
    {
      before: 'ALTER TABLE measurements DETACH PARTITION measurements_2020;',
      phases: [
        `-- [standalone] detach_partition_concurrently (no transaction)
-- DETACH PARTITION CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.
SET lock_timeout = '5s';
ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;

-- down:
-- IRREVERSIBLE here: the partition bounds are not known; re-attach it with ALTER TABLE … ATTACH PARTITION … FOR VALUES ….
`,
      ],
    },
  ],
  rewrite(ctx) {
    return concurrentRewrite(
      ctx,
      'require-concurrent-partition-detach',
      'DETACH PARTITION',
      () => '',
      '-- IRREVERSIBLE here: the partition bounds are not known; re-attach it with ALTER TABLE … ATTACH PARTITION … FOR VALUES ….\n',
      true, // its second transaction takes ACCESS EXCLUSIVE on the partition
    );
  },
});
