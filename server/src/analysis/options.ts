/**
 * Analysis options, resolved the same way for the CLI and the language server (the caller passes what it read from
 * settings, flags or config files; defaults live here and nowhere else).
 */
import { DEFAULT_SMALL_TABLE_ROWS, type TableSizeMap } from './sizes';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

export interface AnalysisOptions {
  /** Target PostgreSQL major version (10–18). */
  postgresVersion?: number;
  /** Per-rule severity overrides; `off` disables a rule. */
  rules?: Record<string, RuleSetting>;
  /** Treat the whole file as running inside one transaction (frameworks that wrap migrations). */
  assumeInTransaction?: boolean;
  /** Base of the rule documentation links; `<id>.md` is appended. */
  docsBaseUrl?: string;
  /**
   * Estimated table sizes by table name (`users`, `app.settings`; see `sizes.ts`): lock findings on small tables
   * become `info`, on big ones they say so, and hover shows them. Unknown tables change nothing.
   */
  tableSizes?: TableSizeMap;
  /** Tables with fewer estimated rows than this are small (default 10,000). */
  smallTableRows?: number;
  /**
   * Absolute path of a stats JSON file (`{"tables": {"public.users": {"rows": N, "bytes": N}}}`): `analyzeMigration`
   * reads it through its host into `tableSizes`. `analyze` itself ignores it.
   */
  statsFile?: string;
}

export interface ResolvedOptions {
  postgresVersion: number;
  rules: Record<string, RuleSetting>;
  assumeInTransaction: boolean;
  docsBaseUrl: string;
  tableSizes: TableSizeMap;
  smallTableRows: number;
}

export const DEFAULT_POSTGRES_VERSION = 16;
export const DEFAULT_DOCS_BASE_URL = 'https://github.com/migration-guard/migration-guard/blob/main/docs/rules/';

export function resolveOptions(o: AnalysisOptions = {}): ResolvedOptions {
  const v = o.postgresVersion;
  return {
    postgresVersion: typeof v === 'number' && Number.isFinite(v) && v >= 9 ? Math.floor(v) : DEFAULT_POSTGRES_VERSION,
    rules: { ...(o.rules ?? {}) },
    assumeInTransaction: o.assumeInTransaction ?? false,
    docsBaseUrl: o.docsBaseUrl ?? DEFAULT_DOCS_BASE_URL,
    tableSizes: o.tableSizes ?? {},
    smallTableRows: typeof o.smallTableRows === 'number' && Number.isFinite(o.smallTableRows) && o.smallTableRows >= 0 ? o.smallTableRows : DEFAULT_SMALL_TABLE_ROWS,
  };
}
