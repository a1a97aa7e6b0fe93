/**
 * The migrations of a folder in the order the tool runs them, the forward migrations that run before a given file
 * (the schema it can rely on), and the catalog built from them. Catalogs are cached by the paths and texts they
 * were built from (a chained content hash), and a longer prefix is built on the longest cached one, so typing in a
 * migration rebuilds nothing, and opening the next one applies one file.
 */
import { buildCatalog, type Catalog } from '../catalog';
import { isDir, joinPath, listDir, readText, type ProjectHost } from './host';
import { Lru } from './lru';
import { buildSequence, samePath, type MigrationStep, type SequenceLayout } from './layout';
import { detectConvention, type MigrationConvention } from './conventions';
import { sectionsOf } from './sections';
import { hash53 } from './sqltext';

export type { MigrationStep, SequenceLayout } from './layout';

export interface EarlierMigration {
  path: string;
  /** The SQL that runs forward: the whole file, or its up section for single-file up/down formats. */
  text: string;
}

/** The sequence `path` belongs to, as its tool runs it; undefined for a file outside any sequence. */
export function migrationSequence(path: string, host: ProjectHost, text?: string): SequenceLayout | undefined {
  const conv = detectConvention(path, host, text);
  return sequenceOf(conv, host);
}

/**
 * The sequence a folder holds (`migrations/`, `prisma/migrations/`, a sqitch top directory, temporal's
 * `versioned/`), found by detecting the SQL files in it and one or two levels below until one belongs to a
 * sequence held by this folder. Undefined when none does.
 */
export function folderSequence(dir: string, host: ProjectHost): SequenceLayout | undefined {
  let tried = 0;
  const visit = (d: string, depth: number): SequenceLayout | undefined => {
    const names = listDir(host, d).sort();
    for (const n of names.filter((x) => /\.sql$/i.test(x))) {
      if (++tried > 50) return undefined;
      const conv = detectConvention(joinPath(d, n), host);
      if (conv.sequence !== undefined && samePath(conv.sequence, dir)) return sequenceOf(conv, host);
    }
    if (depth >= 2) return undefined;
    for (const n of names.filter((x) => !/\.sql$/i.test(x))) {
      const sub = joinPath(d, n);
      if (!isDir(host, sub)) continue;
      const found = visit(sub, depth + 1);
      if (found || tried > 50) return found;
    }
    return undefined;
  };
  return visit(dir, 0);
}

function sequenceOf(conv: MigrationConvention, host: ProjectHost): SequenceLayout | undefined {
  if (conv.tool === 'none' || conv.sequence === undefined) return undefined;
  return buildSequence(conv.tool, conv.sequence, host);
}

/** The forward SQL of a step: the file, or its up section. */
function forwardText(step: MigrationStep, tool: MigrationConvention['tool'], host: ProjectHost): string | undefined {
  if (!step.forward) return undefined;
  const text = readText(host, step.forward);
  if (text === undefined) return undefined;
  if (tool === 'goose' || tool === 'dbmate' || tool === 'node-pg-migrate') {
    const up = sectionsOf(tool, text).up;
    return text.slice(up.start, up.end);
  }
  return text;
}

/**
 * The steps whose forward migration has run when `conv`'s file runs: every earlier one for an up (single, deploy,
 * repeatable), and for a down, revert or verify script its own forward migration too (a down runs with its up
 * applied).
 */
function stepsBefore(conv: MigrationConvention, seq: SequenceLayout): MigrationStep[] {
  const order = conv.order;
  if (order === undefined) return [];
  const inclusive = conv.role === 'down' || conv.role === 'revert' || conv.role === 'verify';
  return seq.steps.filter((s) => (inclusive ? s.order <= order : s.order < order));
}

/**
 * The forward migrations that run before the file at `path`, in order, as texts (for `buildCatalog`). Files the
 * host cannot read are skipped. Empty for a file outside any sequence.
 */
export function earlierMigrations(path: string, host: ProjectHost, text?: string): EarlierMigration[] {
  const conv = detectConvention(path, host, text);
  return earlierOf(conv, host);
}

export function earlierOf(conv: MigrationConvention, host: ProjectHost): EarlierMigration[] {
  const seq = sequenceOf(conv, host);
  if (!seq) return [];
  const out: EarlierMigration[] = [];
  for (const step of stepsBefore(conv, seq)) {
    const sql = forwardText(step, conv.tool, host);
    if (sql !== undefined) out.push({ path: step.forward!, text: sql });
  }
  return out;
}

/**
 * The forward SQL of every migration of the sequence `dir` holds, in apply order (for a new migration kept outside
 * the folder: it runs after all of them); undefined when `dir` holds no sequence.
 */
export function folderMigrations(dir: string, host: ProjectHost): EarlierMigration[] | undefined {
  const seq = folderSequence(dir, host);
  if (!seq) return undefined;
  const out: EarlierMigration[] = [];
  for (const step of seq.steps) {
    const sql = forwardText(step, seq.tool, host);
    if (sql !== undefined) out.push({ path: step.forward!, text: sql });
  }
  return out;
}

/** Built catalogs, keyed by a chained hash of the (path, text) list they were built from. */
export class CatalogCache {
  private readonly lru: Lru<string, Catalog>;

  /**
   * Each earlier file's text hash, by path: typing in one migration asks for the same hundreds of earlier texts on
   * every keystroke, and the host hands back the same strings, so comparing them is cheap where hashing is not.
   */
  private readonly textHashes = new Map<string, { text: string; hash: number }>();

  constructor(capacity = 32) {
    this.lru = new Lru(capacity);
  }

  private textHash(path: string, text: string): number {
    const known = this.textHashes.get(path);
    if (known && known.text === text) return known.hash;
    const hash = hash53(text);
    this.textHashes.set(path, { text, hash });
    return hash;
  }

  /** The catalog after applying `migrations` in order. The result is shared: do not modify it (`analyze` clones it). */
  catalogFor(migrations: readonly EarlierMigration[]): Catalog {
    const keys = this.keysOf(migrations);
    const full = keys[migrations.length];
    const hit = this.lru.get(full);
    if (hit) return hit;
    let from = 0;
    let base: Catalog | undefined;
    for (let i = migrations.length - 1; i > 0; i--) {
      base = this.lru.get(keys[i]);
      if (base) {
        from = i;
        break;
      }
    }
    const catalog = buildCatalog(
      migrations.slice(from).map((m) => m.text),
      base,
    );
    this.lru.set(full, catalog);
    return catalog;
  }

  /**
   * Records `catalog` as the one after applying `migrations` in order (the caller built it so: `analyze` applies the
   * file it analyzes, which is what the next file's catalog needs). Keys are content-derived, so a wrong guess about
   * which list comes next costs a cache slot, never a stale catalog.
   */
  remember(migrations: readonly EarlierMigration[], catalog: Catalog): void {
    const keys = this.keysOf(migrations);
    this.lru.set(keys[migrations.length], catalog);
  }

  /** keys[i] identifies migrations[0..i); keys[0] is the empty list. */
  private keysOf(migrations: readonly EarlierMigration[]): string[] {
    const keys: string[] = ['0'];
    let h = 0;
    for (const m of migrations) {
      h = hash53(`${m.path}\u0000${this.textHash(m.path, m.text)}`, h);
      keys.push(`${keys.length}:${h}`);
    }
    return keys;
  }

  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
    this.textHashes.clear();
  }
}

/** The cache `migrationContext` uses unless given another. Content-keyed, so sharing it cannot serve stale schema. */
export const defaultCatalogCache = new CatalogCache();
