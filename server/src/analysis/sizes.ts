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

/** From this many estimated rows a table is big: lock findings on it say so. */
export const BIG_TABLE_ROWS = 1_000_000;
/** Below this many estimated rows a table is small: its lock findings become `info` (configurable: `smallTableRows`). */
export const DEFAULT_SMALL_TABLE_ROWS = 10_000;

const COUNT_UNITS: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * A row count for people: `200`, `20.0 k`, `50.0 M` (one decimal from a thousand up), or with `short` two significant
 * digits and no trailing zero: `50 M`, `1.2 M`, `20 k`.
 */
export function formatRows(rows: number, short = false): string {
  const n = Math.round(rows);
  for (const [unit, suffix] of COUNT_UNITS) {
    if (n >= unit) {
      const v = n / unit;
      const text = short ? String(Number(v.toPrecision(2))) : v.toFixed(1);
      return `${text} ${suffix}`;
    }
  }
  return String(n);
}

const BYTE_UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** A size on disk the way `pg_size_pretty` counts (1 kB = 1024 bytes), one decimal: `8.0 kB`, `12.3 GB`. */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** `≈ 50.0 M rows, 12.3 GB` (the bytes only when known). */
export function describeSize(size: TableSize): string {
  return `≈ ${formatRows(size.rows)} rows${size.bytes !== undefined ? `, ${formatBytes(size.bytes)}` : ''}`;
}
