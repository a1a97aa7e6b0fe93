/**
 * Table sizes that scale risk (a SHARE lock on a 200-row table is not an incident; on 50 million rows it is), from a
 * stats JSON file for CI: `{"tables": {"public.users": {"rows": 50000000, "bytes": 123}}}`. Pure parsing: the caller
 * reads the file (or asks an engine, `server/src/engines/sizes.ts`). Keys are normalized like the lock model's
 * relation keys without `public.` ("users", "app.settings").
 */

export interface TableSize {
  /** Estimated rows. */
  rows: number;
  /** Total size on disk (heap, indexes, TOAST), when known. */
  bytes?: number;
}

export type TableSizeMap = Record<string, TableSize>;

export interface SizesParseResult {
  tables: TableSizeMap;
  /** One sentence per problem ("tables.users.rows must be a non-negative number"); the valid entries are still read. */
  problems: string[];
}

/** `public.users`, `"public"."users"` and `users` are the same table; other schemas stay qualified. */
export function normalizeTableName(name: string): string {
  const parts = name.split('.').map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
  if (parts.length === 2 && parts[0] === 'public') return parts[1];
  return parts.join('.');
}

export function parseSizesJson(text: string): SizesParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { tables: {}, problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  const tablesNode = (doc as { tables?: unknown } | null)?.tables;
  if (!tablesNode || typeof tablesNode !== 'object' || Array.isArray(tablesNode)) {
    return { tables: {}, problems: ['expected an object {"tables": {"<schema.table>": {"rows": N, "bytes": N}}}'] };
  }
  const tables: TableSizeMap = {};
  const problems: string[] = [];
  const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  for (const [name, entry] of Object.entries(tablesNode as Record<string, unknown>)) {
    const e = entry as { rows?: unknown; bytes?: unknown } | null;
    if (!e || typeof e !== 'object' || !nonNegative(e.rows)) {
      problems.push(`tables.${name}.rows must be a non-negative number`);
      continue;
    }
    const size: TableSize = { rows: e.rows as number };
    if (e.bytes !== undefined) {
      if (nonNegative(e.bytes)) size.bytes = e.bytes as number;
      else problems.push(`tables.${name}.bytes must be a non-negative number`);
    }
    tables[normalizeTableName(name)] = size;
  }
  return { tables, problems };
}

/** The size of the table a lock-model key (`public.users`) names, if known. */
export function sizeOf(tables: TableSizeMap, relationKey: string): TableSize | undefined {
  return tables[normalizeTableName(relationKey)];
}
