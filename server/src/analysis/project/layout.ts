/**
 * Where migration tools keep their files and how they name them: which tool a path belongs to, its direction,
 * version and place in the apply order, and the sequence (folder) it is part of. This level reads names, folder
 * listings and the tools' plan/manifest files, never the SQL itself, except to tell apart formats that share a name
 * pattern (a goose, dbmate or node-pg-migrate file is recognized by its markers; a gobuffalo/pop file by its Go
 * template). `order` keys compare as plain strings in the order the tool applies the files.
 */
import { basename, dirname, isDir, joinPath, listDir, readText, relativeTo, type ProjectHost } from './host';
import { Lru } from './lru';
import { parseSqitchPlan, temporalManifestFiles, type SqitchPlan } from './metadata';
import { markerTool } from './sections';
import { hash53, numericKey } from './sqltext';

export type MigrationTool =
  | 'golang-migrate'
  | 'pop'
  | 'popx'
  | 'diesel'
  | 'dbmate'
  | 'goose'
  | 'node-pg-migrate'
  | 'flyway'
  | 'sqitch'
  | 'prisma'
  | 'supabase'
  | 'graphile-worker'
  | 'postgres-migrations'
  | 'sqlx'
  | 'temporal'
  | 'none';

export type MigrationRole = 'up' | 'down' | 'single' | 'deploy' | 'revert' | 'verify' | 'repeatable';

/** What a file's name and place say. */
export interface NameMatch {
  tool: MigrationTool;
  role: MigrationRole;
  /** The version as the tool reads it: `42`, `20220513200300000000`, `2.1`, `1.10`, a sqitch change name. */
  version?: string;
  /** Apply-order key within `sequence` (string comparison); an up and its down share it. */
  order?: string;
  /** The directory that holds the sequence. */
  sequence?: string;
  /** The descriptive part of the name. */
  name: string;
  direction?: 'up' | 'down';
  /** Ory popx: the dialect infix (`postgres`); undefined for a file that serves every dialect. */
  dialect?: string;
  autocommit?: boolean;
  /** Why PostgreSQL never runs this file as part of the sequence (another dialect, not in the plan, …). */
  excluded?: string;
  notes: string[];
}

/** Lookups shared by the matches of one pass over a folder (a sqitch plan or temporal manifest is read once). */
type Memo = Map<string, unknown>;

function memo<T>(m: Memo | undefined, key: string, compute: () => T): T {
  if (!m) return compute();
  if (m.has(key)) return m.get(key) as T;
  const value = compute();
  m.set(key, value);
  return value;
}

interface Layout {
  match(path: string, host: ProjectHost, m?: Memo): NameMatch | undefined;
  /** Every path that may belong to the sequence held in `dir` (not all need to exist, see `MigrationStep`). */
  files(dir: string, host: ProjectHost): string[];
}

const SQL = /\.sql$/i;

function sqlFiles(dir: string, host: ProjectHost): string[] {
  return listDir(host, dir)
    .filter((n) => SQL.test(n))
    .map((n) => joinPath(dir, n));
}

/**
 * Entries of `dir` whose name matches, each joined with `file`. Entries are not stat'ed (a folder of 500 migrations
 * would cost 500 calls per keystroke): a name that matches but is not a directory yields paths nobody can read.
 */
function filesInSubdirs(dir: string, host: ProjectHost, pattern: RegExp, file: string[]): string[] {
  return listDir(host, dir)
    .filter((n) => pattern.test(n) && !SQL.test(n))
    .flatMap((n) => file.map((f) => joinPath(dir, n, f)));
}

function named(tool: MigrationTool, role: MigrationRole, name: string, rest: Partial<NameMatch> = {}): NameMatch {
  return { tool, role, name, notes: [], ...rest };
}

/** `1.10` → `0…1.0…10`; trailing `.0` parts dropped, as Flyway treats `1.0` and `1` as the same version. */
function dottedKey(version: string, width = 20): string {
  const parts = version.split(/[._]/);
  while (parts.length > 1 && /^0+$/.test(parts[parts.length - 1])) parts.pop();
  return parts.map((p) => numericKey(p, width)).join('.');
}

// --- sqitch ---------------------------------------------------------------------------------------------------------

const SQITCH_DIRS = ['deploy', 'revert', 'verify'] as const;
type SqitchDir = (typeof SQITCH_DIRS)[number];
const planCache = new Lru<string, SqitchPlan>(16);

/** The sqitch.plan that governs a top directory: `top/sqitch.plan` (sqitch's default), else up to two levels up. */
export function findSqitchPlan(top: string, host: ProjectHost): { path: string; plan: SqitchPlan } | undefined {
  let dir = top;
  for (let i = 0; i < 3; i++) {
    const path = joinPath(dir, 'sqitch.plan');
    const text = readText(host, path);
    if (text !== undefined) {
      const key = `${path}\0${hash53(text)}`;
      let plan = planCache.get(key);
      if (!plan) planCache.set(key, (plan = parseSqitchPlan(text)));
      return { path, plan };
    }
    const up = dirname(dir);
    if (!up || up === dir) break;
    dir = up;
  }
  return undefined;
}

const sqitch: Layout = {
  match(path, host, m) {
    if (!SQL.test(path)) return undefined;
    let d = dirname(path);
    for (let depth = 0; depth < 4 && d; depth++) {
      const seg = basename(d) as SqitchDir;
      if (SQITCH_DIRS.includes(seg)) {
        const top = dirname(d);
        const found = memo(m, `plan:${top}`, () => findSqitchPlan(top, host));
        const hasSiblings = memo(m, `sqitch-dirs:${top}:${seg}`, () => SQITCH_DIRS.some((x) => x !== seg && isDir(host, joinPath(top, x))));
        if (!found && !hasSiblings) return undefined;
        const script = relativeTo(d, path).replace(SQL, '');
        const role = seg;
        if (!found) {
          return named('sqitch', role, script, {
            version: script,
            order: script,
            sequence: top,
            notes: ['No sqitch.plan found: the order is taken from the script names, which sqitch does not use.'],
          });
        }
        const entry = found.plan.byScript.get(script);
        return named('sqitch', role, script, {
          version: entry?.change ?? script,
          order: entry ? numericKey(String(entry.index), 8) : undefined,
          sequence: top,
          excluded: entry ? undefined : `not in ${found.path}: sqitch never deploys it`,
        });
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
    return undefined;
  },
  files(top, host) {
    const walk = (dir: string, depth: number): string[] =>
      listDir(host, dir).flatMap((n) => {
        const p = joinPath(dir, n);
        if (SQL.test(n)) return [p];
        return depth < 3 && isDir(host, p) ? walk(p, depth + 1) : [];
      });
    return SQITCH_DIRS.flatMap((d) => walk(joinPath(top, d), 0));
  },
};

// --- temporal-sql-tool ----------------------------------------------------------------------------------------------

const TEMPORAL_VERSION = /^v(\d+(?:\.\d+)*)$/;

const temporal: Layout = {
  match(path, host, m) {
    if (!SQL.test(path)) return undefined;
    const base = basename(path);
    const vdir = dirname(path);
    const vm = TEMPORAL_VERSION.exec(basename(vdir));
    const versioned = dirname(vdir);
    if (vm && basename(versioned) === 'versioned') {
      const listed = memo(m, `manifest:${vdir}`, () => {
        const manifest = readText(host, joinPath(vdir, 'manifest.json'));
        return manifest === undefined ? undefined : temporalManifestFiles(manifest);
      });
      const index = listed ? listed.indexOf(base) : -1;
      // ' ' sorts before '.', so every file of v1.5 comes before v1.5.1.
      const within = listed ? (index >= 0 ? numericKey(String(index), 6) : undefined) : base;
      return named('temporal', 'single', base.replace(SQL, ''), {
        version: vm[1],
        order: within === undefined ? undefined : `${dottedKey(vm[1], 10)} ${within}`,
        sequence: versioned,
        excluded: listed && index < 0 ? `not listed in ${joinPath(vdir, 'manifest.json')}` : undefined,
      });
    }
    if (isDir(host, joinPath(dirname(path), 'versioned'))) {
      return named('temporal', 'single', base.replace(SQL, ''), {
        notes: ['temporal-sql-tool applies this file on its own (setup-schema / database creation), not as part of versioned/.'],
      });
    }
    return undefined;
  },
  files(versioned, host) {
    return listDir(host, versioned)
      .filter((n) => TEMPORAL_VERSION.test(n))
      .flatMap((n) => sqlFiles(joinPath(versioned, n), host));
  },
};

// --- directory per migration: diesel, Prisma -------------------------------------------------------------------------

const DIESEL_DIR = /^(\d[\d-]*)_(.+)$/;

const diesel: Layout = {
  match(path) {
    const base = basename(path);
    if (base !== 'up.sql' && base !== 'down.sql') return undefined;
    const dir = dirname(path);
    const m = DIESEL_DIR.exec(basename(dir));
    if (!m) return undefined;
    // diesel_migrations: the version is the directory name up to the first `_`, dashes removed; versions sort as strings.
    const version = m[1].replace(/-/g, '');
    const direction = base === 'up.sql' ? 'up' : 'down';
    return named('diesel', direction, m[2], { version, order: version, sequence: dirname(dir), direction });
  },
  files(dir, host) {
    return filesInSubdirs(dir, host, DIESEL_DIR, ['up.sql', 'down.sql']);
  },
};

const PRISMA_DIR = /^(\d+)_?(.*)$/;

const prisma: Layout = {
  match(path) {
    if (basename(path) !== 'migration.sql') return undefined;
    const dir = dirname(path);
    const m = PRISMA_DIR.exec(basename(dir));
    if (!m) return undefined;
    // Prisma applies migration directories in lexicographic order of their names.
    return named('prisma', 'single', m[2], { version: basename(dir), order: basename(dir), sequence: dirname(dir) });
  },
  files(dir, host) {
    return filesInSubdirs(dir, host, PRISMA_DIR, ['migration.sql']);
  },
};

// --- one folder, names carry version and direction ------------------------------------------------------------------

const FLYWAY_VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;

const flyway: Layout = {
  match(path) {
    const base = basename(path);
    const v = FLYWAY_VERSIONED.exec(base);
    if (v) {
      const version = v[2].replace(/_/g, '.');
      return named('flyway', v[1] === 'V' ? 'single' : 'down', v[3], {
        version,
        order: `0 ${dottedKey(version)}`,
        sequence: dirname(path),
        direction: v[1] === 'V' ? 'up' : 'down',
      });
    }
    const r = FLYWAY_REPEATABLE.exec(base);
    // Repeatable migrations run after all versioned ones, ordered by description.
    if (r) return named('flyway', 'repeatable', r[1], { order: `1 ${r[1]}`, sequence: dirname(path) });
    return undefined;
  },
  files: sqlFiles,
};

// ory/x popx MigrationFileRegexp.
const POPX = /^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.sql$/;
const POPX_DIALECTS = new Set(['postgres', 'cockroach', 'mysql', 'sqlite3', 'sqlite', 'mariadb']);

const popx: Layout = {
  match(path) {
    const m = POPX.exec(basename(path));
    if (!m) return undefined;
    let dialect: string | undefined = m[3]?.slice(1);
    let autocommit = !!m[4];
    if (dialect === 'autocommit' && !autocommit) {
      dialect = undefined;
      autocommit = true;
    }
    // Ory versions are 20 digits (timestamp + split index), and `.autocommit.` is popx's own; a shorter version with
    // only a dialect infix is gobuffalo/pop, popx's parent.
    if (m[1].length !== 20 && !autocommit) return undefined;
    const direction = m[5] as 'up' | 'down';
    return named('popx', direction, m[2], {
      version: m[1],
      order: m[1],
      sequence: dirname(path),
      direction,
      dialect,
      autocommit,
      excluded: dialect && dialect !== 'postgres' ? `a ${dialect} migration: PostgreSQL never runs it` : undefined,
    });
  },
  files: sqlFiles,
};

const UP_DOWN = /^(\d+)_(.*)\.(up|down)\.sql$/;

function upDown(tool: 'golang-migrate' | 'pop'): Layout {
  return {
    match(path) {
      const base = basename(path);
      const m = UP_DOWN.exec(base);
      if (!m) return undefined;
      const direction = m[3] as 'up' | 'down';
      if (tool === 'golang-migrate') {
        // golang-migrate parses the version as a number (so `0042` is `42`).
        return named(tool, direction, m[2], { version: m[1], order: numericKey(m[1]), sequence: dirname(path), direction });
      }
      // gobuffalo/pop: `<version>_<name>[.<dialect>].(up|down).sql`, versions compared as strings.
      const p = POPX.exec(base);
      const dialect = p?.[3] && POPX_DIALECTS.has(p[3].slice(1)) ? p[3].slice(1) : undefined;
      return named(tool, direction, dialect ? p![2] : m[2], {
        version: m[1],
        order: m[1],
        sequence: dirname(path),
        direction,
        dialect,
        excluded: dialect && dialect !== 'postgres' ? `a ${dialect} migration: PostgreSQL never runs it` : undefined,
      });
    },
    files: sqlFiles,
  };
}

// --- one folder, one file per migration -----------------------------------------------------------------------------

function single(tool: MigrationTool, pattern: RegExp, order: (m: RegExpExecArray, base: string) => string, guard?: (path: string) => boolean): Layout {
  return {
    match(path) {
      const base = basename(path);
      const m = pattern.exec(base);
      if (!m || (guard && !guard(path))) return undefined;
      return named(tool, 'single', (m[2] ?? '').trim() || base.replace(SQL, ''), { version: m[1], order: order(m, base), sequence: dirname(path) });
    },
    files: sqlFiles,
  };
}

const byNumber = (m: RegExpExecArray) => numericKey(m[1]);
const byName = (_m: RegExpExecArray, base: string) => base;
const NOT_UP_DOWN = /\.(up|down)\.sql$/i;

export const LAYOUTS: Record<Exclude<MigrationTool, 'none'>, Layout> = {
  sqitch,
  temporal,
  diesel,
  prisma,
  flyway,
  popx,
  'golang-migrate': upDown('golang-migrate'),
  pop: upDown('pop'),
  // graphile-worker src/migrate.ts: `^[0-9]{6}\.sql$`, sorted by name.
  'graphile-worker': single('graphile-worker', /^(\d{6})\.sql$/, byName),
  // goose: `<int64 version>_<name>.sql`, numeric order.
  goose: single('goose', /^(\d+)_(.*)\.sql$/, byNumber, (p) => !NOT_UP_DOWN.test(p)),
  // dbmate: `^(\d+).*\.sql$`, versions compared as strings.
  dbmate: single('dbmate', /^(\d+)[-_]?(.*)\.sql$/, (m) => m[1], (p) => !NOT_UP_DOWN.test(p)),
  'node-pg-migrate': single('node-pg-migrate', /^(\d+)[-_]?(.*)\.sql$/, byNumber, (p) => !NOT_UP_DOWN.test(p)),
  // supabase CLI: `^([0-9]+)_(.*)\.sql$` in supabase/migrations, applied in file-name order.
  supabase: single('supabase', /^(\d+)_(.*)\.sql$/, byName, (p) => /(^|[\\/])supabase[\\/]migrations$/.test(dirname(p))),
  // postgres-migrations (ThomWright): `<id>-<name>.sql` / `<id>_<name>.sql`, ordered by the integer id.
  'postgres-migrations': single('postgres-migrations', /^(\d+)[-_](.*)\.sql$/, byNumber, (p) => !NOT_UP_DOWN.test(p)),
  // sqlx: `<i64 version>_<description>.sql` (simple, forward-only), numeric order.
  sqlx: single('sqlx', /^(\d+)_(.*)\.sql$/, byNumber, (p) => !NOT_UP_DOWN.test(p)),
};

/** The single-file format the nearest siblings with markers use, for a file that has none yet (a new migration). */
function siblingMarkerTool(path: string, host: ProjectHost): 'goose' | 'dbmate' | 'node-pg-migrate' | undefined {
  const base = basename(path);
  const dir = dirname(path);
  const names = listDir(host, dir)
    .filter((n) => n !== base && /^\d+[-_].*\.sql$/i.test(n) && !NOT_UP_DOWN.test(n))
    .sort();
  // The files just before this one in name order are the ones most like it; then the newest.
  const before = names.filter((n) => n < base).slice(-3);
  const sample = before.length ? before : names.slice(-3);
  for (const n of sample.reverse()) {
    const tool = markerTool(readText(host, joinPath(dir, n)) ?? '');
    if (tool) return tool;
  }
  return undefined;
}

const GO_TEMPLATE = /\{\{[\s\S]*?\}\}/;

/** A `<version>_<name>.<dialect>.(up|down).sql` name in the file's folder: a gobuffalo/pop folder. */
function folderHasDialectInfix(path: string, host: ProjectHost): boolean {
  return listDir(host, dirname(path)).some((n) => {
    const p = POPX.exec(n);
    return !!p?.[3] && POPX_DIALECTS.has(p[3].slice(1));
  });
}

/**
 * Which tool a file belongs to, by its place and name first (sqitch, temporal, diesel, Prisma, Flyway, Ory popx,
 * golang-migrate, graphile-worker), then by its markers (goose, dbmate, node-pg-migrate; for a file without markers,
 * its siblings'), then by name alone (Supabase, postgres-migrations `NNNN-name.sql`, sqlx `<version>_<name>.sql`).
 */
export function locate(path: string, host: ProjectHost, content?: string): NameMatch {
  const text = () => (content ??= readText(host, path) ?? '');
  for (const tool of ['sqitch', 'temporal', 'diesel', 'prisma', 'flyway', 'popx', 'golang-migrate', 'graphile-worker'] as const) {
    const m = LAYOUTS[tool].match(path, host);
    if (!m) continue;
    // gobuffalo/pop runs SQL migrations through text/template and knows dialect infixes; golang-migrate does neither.
    if (tool === 'golang-migrate' && (GO_TEMPLATE.test(text()) || folderHasDialectInfix(path, host))) return LAYOUTS.pop.match(path, host)!;
    return m;
  }
  const base = basename(path);
  if (/^\d+[-_].*\.sql$/i.test(base)) {
    const marked = markerTool(text()) ?? siblingMarkerTool(path, host);
    const m = marked && LAYOUTS[marked].match(path, host);
    if (m) return m;
    const alone =
      LAYOUTS.supabase.match(path, host) ??
      (/^\d+-/.test(base) ? LAYOUTS['postgres-migrations'].match(path, host) : undefined) ??
      LAYOUTS.sqlx.match(path, host);
    if (alone) return alone;
  }
  return named('none', 'single', base.replace(SQL, ''));
}

/** One migration of a sequence: the files the tool runs for it. */
export interface MigrationStep {
  order: string;
  version?: string;
  /** The file that runs forward: up, single, deploy or repeatable. */
  forward?: string;
  /**
   * The file that rolls it back (down, revert). For a directory-per-migration tool (diesel) the path is where the
   * tool looks, whether or not the file exists. Single-file up/down formats have their down inside `forward`.
   */
  backward?: string;
  /** sqitch verify script. */
  verify?: string;
  /** Files of this migration PostgreSQL never runs: Ory generic files under a `.postgres.` one. */
  shadowed: { path: string; by: string }[];
}

export interface SequenceLayout {
  tool: MigrationTool;
  dir: string;
  /** Every file of the sequence folder the tool recognizes, with what its name says. */
  files: (NameMatch & { path: string })[];
  /** In apply order. */
  steps: MigrationStep[];
  /** What the order comes from: versions in names, a sqitch plan, temporal manifests, or names alone (a guess). */
  orderSource: 'version' | 'plan' | 'manifest' | 'name';
  notes: string[];
  /** `steps` by order key. */
  byOrder: ReadonlyMap<string, MigrationStep>;
}

const FORWARD: ReadonlySet<MigrationRole> = new Set(['up', 'single', 'deploy', 'repeatable']);
const BACKWARD: ReadonlySet<MigrationRole> = new Set(['down', 'revert']);

/** Path identity across separators and doubled separators. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/[\\/]+/g, '/');
  return norm(a) === norm(b);
}

/**
 * What besides the file list decides a sequence: the sqitch plan's text, the temporal manifests' texts. Part of the
 * cache key, so an edited plan is a new sequence.
 */
function metadataKey(tool: MigrationTool, dir: string, host: ProjectHost): string {
  if (tool === 'sqitch') {
    const found = findSqitchPlan(dir, host);
    return found ? `${found.path}\0${found.plan.entries.map((e) => e.script).join('\0')}` : '';
  }
  if (tool === 'temporal') {
    return listDir(host, dir)
      .filter((n) => TEMPORAL_VERSION.test(n))
      .map((n) => `${n}\0${readText(host, joinPath(dir, n, 'manifest.json')) ?? ''}`)
      .join('\0');
  }
  return '';
}

/**
 * What decides which files a sequence has: the listings of the folders it lives in (one folder for most tools; the
 * version folders too for temporal; the script trees for sqitch). Compared as a string, not hashed: a listing of
 * 700 names is compared faster than it is hashed.
 */
function listingSignature(tool: MigrationTool, dir: string, host: ProjectHost): string {
  if (tool === 'sqitch') return LAYOUTS.sqitch.files(dir, host).join('\n');
  const names = listDir(host, dir);
  if (tool !== 'temporal') return names.join('\n');
  const versions = names.filter((n) => TEMPORAL_VERSION.test(n));
  return [names.join('\n'), ...versions.map((v) => listDir(host, joinPath(dir, v)).join('\n'))].join('\n\n');
}

const sequenceCache = new Lru<string, { signature: string; meta: string; layout: SequenceLayout }>(64);

/**
 * The sequence held in `dir` as `tool` runs it. Cached per folder and checked against the folder listing and the
 * metadata on every call, so a new file or an edited plan is seen at once while an unchanged folder is not matched
 * and sorted again.
 */
export function buildSequence(tool: Exclude<MigrationTool, 'none'>, dir: string, host: ProjectHost): SequenceLayout {
  const key = `${tool}\0${dir}`;
  const signature = listingSignature(tool, dir, host);
  const meta = metadataKey(tool, dir, host);
  const cached = sequenceCache.get(key);
  if (cached && cached.signature === signature && cached.meta === meta) return cached.layout;
  const layout = computeSequence(tool, dir, host, LAYOUTS[tool].files(dir, host));
  sequenceCache.set(key, { signature, meta, layout });
  return layout;
}

function computeSequence(tool: Exclude<MigrationTool, 'none'>, dir: string, host: ProjectHost, paths: string[]): SequenceLayout {
  const layout = LAYOUTS[tool];
  const files: (NameMatch & { path: string })[] = [];
  const shared: Memo = new Map();
  for (const path of paths) {
    const m = layout.match(path, host, shared);
    if (m && m.sequence !== undefined && samePath(m.sequence, dir)) files.push({ ...m, path });
  }
  const groups = new Map<string, (NameMatch & { path: string })[]>();
  for (const f of files) {
    if (f.order === undefined || f.excluded) continue;
    const g = groups.get(f.order);
    if (g) g.push(f);
    else groups.set(f.order, [f]);
  }
  const notes: string[] = [];
  const steps: MigrationStep[] = [];
  for (const order of [...groups.keys()].sort()) {
    const group = groups.get(order)!.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const step: MigrationStep = { order, version: group[0].version, shadowed: [] };
    const pick = (roles: ReadonlySet<MigrationRole>): string | undefined => {
      const candidates = group.filter((f) => roles.has(f.role));
      if (candidates.length === 0) return undefined;
      // Ory popx and gobuffalo/pop: for one version and direction, the `.postgres.` file beats the one for every dialect.
      const winner = candidates.find((f) => f.dialect === 'postgres') ?? candidates[0];
      for (const c of candidates) {
        if (c === winner) continue;
        if ((tool === 'popx' || tool === 'pop') && !c.dialect) step.shadowed.push({ path: c.path, by: winner.path });
        else notes.push(`${c.path} has the same version as ${winner.path}; ${tool} refuses duplicate versions.`);
      }
      return winner.path;
    };
    step.forward = pick(FORWARD);
    step.backward = pick(BACKWARD);
    step.verify = group.find((f) => f.role === 'verify')?.path;
    steps.push(step);
  }
  let orderSource: SequenceLayout['orderSource'] = 'version';
  if (tool === 'sqitch') orderSource = findSqitchPlan(dir, host) ? 'plan' : 'name';
  if (tool === 'temporal') {
    const versions = listDir(host, dir).filter((n) => TEMPORAL_VERSION.test(n));
    const withManifest = versions.filter((v) => readText(host, joinPath(dir, v, 'manifest.json')) !== undefined);
    orderSource = versions.length > 0 && withManifest.length === versions.length ? 'manifest' : 'version';
  }
  if (orderSource === 'name') notes.push('No sqitch.plan: the order is taken from script names, which sqitch does not use.');
  return { tool, dir, files, steps, orderSource, notes, byOrder: new Map(steps.map((s) => [s.order, s])) };
}
