/**
 * Table sizes from a real database: `pg_class.reltuples` (the planner's row estimate) and `pg_total_relation_size`,
 * from an engine (after its earlier migrations) or straight from a database URL (read-only transaction). The result
 * has the shape of the stats JSON file that `analysis/sizes.ts` parses, so CI can save it and read it back. A table
 * never analyzed or vacuumed has `rows: -1` (PostgreSQL 14+ reports its reltuples as unknown).
 */
import { Client } from 'pg';
import type { TableSizeMap } from '../analysis/sizes';
import { readTableSizes } from './core';
import type { Engine, MigrationInput } from './engine';

export async function tableSizes(source: Engine | string, earlier: MigrationInput[] = []): Promise<TableSizeMap> {
  if (typeof source !== 'string') return source.tableSizes(earlier);
  const c = new Client({ connectionString: source, application_name: 'migration-guard' });
  await c.connect();
  try {
    await c.query('BEGIN READ ONLY');
    return await readTableSizes(c);
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end().catch(() => undefined);
  }
}

/** The stats JSON file's text for `sizes` (`{"tables": {...}}`); tables never analyzed (rows -1) are left out. */
export function sizesJson(sizes: TableSizeMap): string {
  return JSON.stringify({ tables: Object.fromEntries(Object.entries(sizes).filter(([, s]) => s.rows >= 0)) }, null, 2);
}
