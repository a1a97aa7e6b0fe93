/**
 * Reverse migrations checked on a real PostgreSQL: the static reverse first (the catalog of the earlier migrations);
 * where it cannot know a definition (an object created in a DO block, by EXECUTE, by a function), the schema the
 * engine reports after replaying the earlier migrations fills the gaps (`catalogWithLive`), and the down is generated
 * again. Then the chosen down is run after the up on the engine and the schema compared with the one before the up:
 * a down is `verified` only when nothing differs and nothing failed; otherwise the differences are returned, never
 * dropped. When the verified down still differs, a down generated from the engine's schema alone is tried too (the
 * earlier migrations may have changed objects the static catalog knows), and the one with fewer differences is kept.
 */
import type { Catalog } from '../analysis/catalog';
import type { ProjectHost } from '../analysis/project/host';
import { migrationContext } from '../analysis/project/context';
import { catalogWithLive, reverseMigration, unknownDefinitions, type LiveSchema, type ReverseResult } from '../analysis/reverse';
import { reverseForMigration, type ReversePlan } from '../analysis/reverse/target';
import type { CallOptions, Engine, MigrationInput } from './engine';
import type { SchemaSnapshot } from './schema';
import { migrationInputs, verifyMigrationRollback, type MigrationText, type RollbackVerification } from './migration';

/** Where the schema before the up came from. */
export type ReverseSource = 'migrations' | 'migrations+engine' | 'engine';

export interface EngineReverseInput {
  /** The earlier migrations of the folder, in the tool's order. */
  earlier: MigrationText[];
  /** The up. */
  text: string;
  /** The catalog of `earlier` (static). */
  catalog: Catalog;
  assumeInTransaction?: boolean;
  /** The version the project targets (for the reversers); the engine runs its own. */
  postgresVersion?: number;
  /** Run up → down on the engine (default true). */
  verify?: boolean;
}

export interface ReverseCandidate {
  source: ReverseSource;
  irreversible: number;
  /** Differences and errors of its verification (undefined when not verified). */
  problems?: number;
}

export interface EngineReverseResult {
  /** The chosen down. */
  result: ReverseResult;
  source: ReverseSource;
  /** The schema before the up the chosen down was generated from. */
  catalog: Catalog;
  /** The static reverse's reasons the engine's schema was read for (definitions the earlier migrations do not show). */
  unknown: string[];
  /** Every down generated, in the order tried. */
  candidates: ReverseCandidate[];
  verification?: RollbackVerification;
  /** Verified on the engine: the schema after up → down equals the schema before, and nothing failed. */
  verified: boolean;
}

/** Column names in attnum order (the snapshot leaves order out), by snapshot table name. */
const COLUMN_ORDER_SQL = `
SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
       string_agg(a.attname, E'\\n' ORDER BY a.attnum) AS columns
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
 GROUP BY 1`;

/** The schema after `earlier` on `engine`, with column order. */
export async function liveSchema(engine: Engine, earlier: MigrationInput[], opts?: CallOptions): Promise<SchemaSnapshot & { columnOrder: Record<string, string[]> }> {
  const snapshot = await engine.schema(earlier, opts);
  const rows = await engine.query<{ name: string; columns: string }>(earlier, COLUMN_ORDER_SQL, opts);
  return { objects: snapshot.objects, columnOrder: Object.fromEntries(rows.map((r) => [r.name, r.columns.split('\n')])) };
}

const problems = (v: RollbackVerification) => v.diffs.length + v.upErrors.length + v.downErrors.length;

/** See the module comment. Needs `initParser()` to have resolved. */
export async function reverseOnEngine(engine: Engine, input: EngineReverseInput, opts?: CallOptions): Promise<EngineReverseResult> {
  const reverse = (catalog: Catalog) => reverseMigration(input.text, { catalog, assumeInTransaction: input.assumeInTransaction, postgresVersion: input.postgresVersion });
  const staticResult = reverse(input.catalog);
  const unknown = unknownDefinitions(staticResult);
  let chosen = { source: 'migrations' as ReverseSource, result: staticResult, catalog: input.catalog };
  const candidates: ReverseCandidate[] = [{ source: 'migrations', irreversible: staticResult.irreversible.length }];

  const major = Math.floor((await engine.version(opts)) / 10000);
  const earlier = migrationInputs(input.earlier, major);
  let live: LiveSchema | undefined;
  const readLive = async () => (live ??= await liveSchema(engine, earlier, opts));

  if (unknown.length) {
    const catalog = catalogWithLive(await readLive(), input.catalog);
    const result = reverse(catalog);
    candidates.push({ source: 'migrations+engine', irreversible: result.irreversible.length });
    if (unknownDefinitions(result).length < unknown.length) chosen = { source: 'migrations+engine', result, catalog };
  }
  if (input.verify === false) return { ...chosen, unknown, candidates, verified: false };

  const verify = (down: string) => verifyMigrationRollback(engine, { earlier: input.earlier, up: input.text, down }, opts);
  let verification = await verify(chosen.result.sql);
  candidates.find((c) => c.source === chosen.source)!.problems = problems(verification);
  if (problems(verification) > 0 && verification.upErrors.length === 0) {
    const catalog = catalogWithLive(await readLive());
    const result = reverse(catalog);
    if (result.sql !== chosen.result.sql) {
      const v = await verify(result.sql);
      candidates.push({ source: 'engine', irreversible: result.irreversible.length, problems: problems(v) });
      if (problems(v) < problems(verification)) {
        chosen = { source: 'engine', result, catalog };
        verification = v;
      }
    }
  }
  return { ...chosen, unknown, candidates, verification, verified: problems(verification) === 0 };
}

export interface ReverseWithEngineOptions {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  postgresVersion?: number;
  verify?: boolean;
}

/**
 * `reverseForMigration` on an engine: the plan (where the down goes, never overwriting) holds the chosen down, and the
 * engine's findings come with it.
 */
export async function reverseWithEngine(
  path: string,
  host: ProjectHost,
  engine: Engine,
  options: ReverseWithEngineOptions = {},
  opts?: CallOptions,
): Promise<EngineReverseResult & { plan: ReversePlan }> {
  const ctx = migrationContext(path, host, { text: options.text });
  const r = await reverseOnEngine(
    engine,
    {
      earlier: ctx.earlier.map((e) => ({ path: e.path, text: e.text })),
      text: ctx.text,
      catalog: ctx.catalog(),
      assumeInTransaction: ctx.assumeInTransaction,
      postgresVersion: options.postgresVersion,
      verify: options.verify,
    },
    opts,
  );
  const plan = reverseForMigration(path, host, { text: options.text, postgresVersion: options.postgresVersion, catalog: r.catalog });
  return { ...r, plan };
}
