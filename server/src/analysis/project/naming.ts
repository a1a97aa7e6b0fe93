/**
 * Names new migration files the way the folder's tool would: the next version number or timestamp in the folder's
 * own format (zero padding, separators, timestamp width, diesel's `-0000` suffix), the tool's layout (up/down files,
 * a directory per migration, single-file sections, sqitch's plan line) and its way of running a file outside a
 * transaction. Invariants: every generated name sorts after every existing migration in the tool's order, successive
 * phases get increasing versions, and an existing non-empty file is never in `create` (it goes to `conflicts`).
 * Pure: the folder is read through the `ProjectHost`; `initParser()` must have resolved (goose bodies are split).
 */
import { parseFile } from '../parse';
import type { FileToCreate } from '../plan';
import type { TextEdit } from '../rule';
import { detectConvention } from './conventions';
import { basename, dirname, isDir, joinPath, listDir, readText, type ProjectHost } from './host';
import { buildSequence, findSqitchPlan, type MigrationTool, type NameMatch } from './layout';
import { folderSequence } from './ordering';

/** One migration to write: what a `Phase` carries, with header and transaction optional. */
export interface NewMigrationPhase {
  /** Slug for the file name (`add_full_name`); characters the tool cannot take become `_`. */
  name: string;
  up: string;
  /** Its rollback; written where the convention has rollbacks. */
  down?: string;
  /** Comment lines put first in each file (`--` added where missing). */
  header?: string;
  /** False when the migration must run outside a transaction block. Default true. */
  inTransaction?: boolean;
}

/** Edits to an existing file other than the one being analyzed (sqitch.plan, a separate down file). */
export interface FileEdit {
  path: string;
  edits: TextEdit[];
}

export interface NewMigrationFiles {
  /** The tool the folder uses (`none`: a plain folder). */
  tool: MigrationTool;
  /** The sequence directory the files go into. */
  dir: string;
  create: FileToCreate[];
  /** Files that would have been written but exist with content. */
  conflicts: FileToCreate[];
  /** Edits to existing files: the line each sqitch change adds to `sqitch.plan`. */
  edits: FileEdit[];
  /** Per phase, in order: its version and the files that hold its forward and backward parts. */
  migrations: { name: string; version: string; forward: string; backward?: string }[];
  notes: string[];
}

export interface NewMigrationOptions {
  /** The clock (UTC) for timestamp versions. */
  now?: Date;
  /** Overrides the detected tool (for an empty folder). */
  tool?: MigrationTool;
}

// --- the folder ------------------------------------------------------------------------------------------------------

interface Folder {
  tool: MigrationTool;
  dir: string;
  files: (NameMatch & { path: string })[];
}

/** The sequence `dirOrPath` names: a migration file, its folder, a diesel/Prisma migration's own folder, sqitch's `deploy/`. */
function resolveFolder(dirOrPath: string, host: ProjectHost, tool?: MigrationTool): Folder {
  let dir = dirOrPath.replace(/[\\/]+$/, '') || dirOrPath;
  if (!isDir(host, dir) && /\.sql$/i.test(dir)) {
    const conv = detectConvention(dir, host);
    if (conv.tool !== 'none' && conv.sequence !== undefined && (!tool || tool === conv.tool)) return folderOf(conv.tool, conv.sequence, host);
    dir = dirname(dir);
  }
  if (tool) return folderOf(tool, dir, host);
  for (const candidate of [dir, dirname(dir)]) {
    if (!candidate) continue;
    const seq = folderSequence(candidate, host);
    if (seq && seq.tool !== 'none') return folderOf(seq.tool, candidate, host);
  }
  const norm = dir.replace(/\\/g, '/');
  if (readText(host, joinPath(dir, 'sqitch.plan')) !== undefined) return folderOf('sqitch', dir, host);
  if (/(^|\/)supabase\/migrations$/.test(norm)) return folderOf('supabase', dir, host);
  if (/(^|\/)prisma\/migrations$/.test(norm)) return folderOf('prisma', dir, host);
  if (/(^|\/)versioned$/.test(norm)) return folderOf('temporal', dir, host);
  return folderOf('none', dir, host);
}

function folderOf(tool: MigrationTool, dir: string, host: ProjectHost): Folder {
  return { tool, dir, files: tool === 'none' ? [] : buildSequence(tool, dir, host).files };
}

// --- versions --------------------------------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDDHHMMSS` in UTC. */
function stamp14(d: Date): string {
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
}

/** The instant a version's leading `YYYYMMDDHHMMSS` names, when it is one. */
function parseStamp14(version: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(version.replace(/-/g, ''));
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function maxBig(values: string[]): bigint | undefined {
  let max: bigint | undefined;
  for (const v of values) {
    if (!/^\d+$/.test(v)) continue;
    const b = BigInt(v);
    if (max === undefined || b > max) max = b;
  }
  return max;
}

/** The versions of the folder's numbered files. */
function versions(folder: Folder): string[] {
  return folder.files.map((f) => f.version).filter((v): v is string => v !== undefined);
}

/**
 * Successive timestamps: the first is `now`, or one second after the newest existing timestamp when the clock is
 * behind it (a migration from another branch, a clock skew); each next one a second later.
 */
class Clock {
  private next: Date;

  constructor(now: Date, existing: string[]) {
    let latest: Date | undefined;
    for (const v of existing) {
      const d = parseStamp14(v);
      if (d && (!latest || d > latest)) latest = d;
    }
    const floor = new Date(Math.floor(now.getTime() / 1000) * 1000);
    this.next = latest && latest >= floor ? new Date(latest.getTime() + 1000) : floor;
  }

  take(): Date {
    const d = this.next;
    this.next = new Date(d.getTime() + 1000);
    return d;
  }
}

/** A sequence of numbers after the folder's largest, with its zero padding (when the folder pads). */
function counter(existing: string[], minWidth = 0): () => string {
  const numeric = existing.filter((v) => /^\d+$/.test(v));
  let n = maxBig(numeric) ?? 0n;
  // The newest version's width, when the folder pads (supabase/storage has `0009`, `00010`, `0011`, …, `0063`).
  const padded = numeric.some((v) => v.length > 1 && v.startsWith('0'));
  const newest = numeric.reduce<string | undefined>((a, v) => (a === undefined || BigInt(v) > BigInt(a) ? v : a), undefined);
  const width = Math.max(minWidth, padded && newest ? newest.length : 0);
  return () => {
    n += 1n;
    return String(n).padStart(width, '0');
  };
}

/** Version style of a numbered folder: timestamps (14 digits), unix seconds (10), milliseconds (13), or a counter. */
function numberedVersions(existing: string[], now: Date, opts: { empty: 'stamp' | 'counter'; counterWidth?: number }): () => string {
  const numeric = existing.filter((v) => /^\d+$/.test(v));
  const newest = numeric.reduce<string | undefined>((a, v) => (a === undefined || BigInt(v) > BigInt(a) ? v : a), undefined);
  if (newest === undefined) {
    if (opts.empty === 'counter') return counter([], opts.counterWidth);
    const clock = new Clock(now, []);
    return () => stamp14(clock.take());
  }
  if (newest.length === 14 && parseStamp14(newest)) {
    const clock = new Clock(now, numeric);
    return () => stamp14(clock.take());
  }
  if (newest.length === 10 && newest.startsWith('1')) {
    let s = BigInt(Math.floor(now.getTime() / 1000));
    const max = maxBig(numeric)!;
    if (s <= max) s = max + 1n;
    return () => String(s++);
  }
  if (newest.length === 13 && newest.startsWith('1')) {
    let ms = BigInt(now.getTime());
    const max = maxBig(numeric)!;
    if (ms <= max) ms = max + 1n;
    return () => String(ms++);
  }
  return counter(numeric, opts.counterWidth);
}

// --- names and texts -------------------------------------------------------------------------------------------------

/** The word separator recent names of the folder use (`-` in `0063-fix-search.sql`), `_` otherwise. */
function wordSeparator(folder: Folder): '_' | '-' {
  const names = folder.files.slice(-10).map((f) => f.name);
  const dashed = names.filter((n) => n.includes('-') && !n.includes('_')).length;
  return dashed > names.length / 2 ? '-' : '_';
}

function slug(name: string, sep: '_' | '-'): string {
  const s = name
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/[_-]+/g, sep)
    .replace(/^[_-]+|[_-]+$/g, '');
  return s || 'migration';
}

/** The header as comment lines, each starting with `--`. */
function headerLines(phase: NewMigrationPhase): string {
  const text = phase.header?.trim() ? phase.header : `Migration: ${phase.name}`;
  return (
    text
      .trim()
      .split(/\r?\n/)
      .map((l) => (l.trimStart().startsWith('--') ? l.trimStart() : `-- ${l}`.trimEnd()))
      .join('\n') + '\n'
  );
}

/** A body followed by exactly one line break (empty stays empty). */
function body(sql: string | undefined): string {
  const t = (sql ?? '').replace(/^\s*\n/, '').trimEnd();
  return t ? `${t}\n` : '';
}

function statementCount(sql: string): number {
  return parseFile(sql).statements.filter((s) => s.node || s.error).length;
}

/** goose splits on `;` at line ends: statements holding a dollar-quoted body go between StatementBegin/End. */
function gooseBody(sql: string): string {
  if (!/\$[A-Za-z_0-9]*\$/.test(sql)) return body(sql);
  const parsed = parseFile(sql);
  let out = '';
  let at = 0;
  for (const s of parsed.statements) {
    const text = sql.slice(s.span.start, s.end);
    out += sql.slice(at, s.span.start);
    out += /\$[A-Za-z_0-9]*\$/.test(text) ? `-- +goose StatementBegin\n${text}${text.trimEnd().endsWith(';') ? '' : ';'}\n-- +goose StatementEnd` : text;
    at = s.end;
  }
  out += sql.slice(at);
  return body(out);
}

function exists(host: ProjectHost, path: string): boolean {
  const text = readText(host, path);
  return text !== undefined && text.trim() !== '';
}

/** `host` with `files` added: to check what the tool makes of the names just generated. */
function withFiles(host: ProjectHost, files: FileToCreate[]): ProjectHost {
  const norm = (p: string) => p.replace(/[\\/]+/g, '/').replace(/\/$/, '');
  const byPath = new Map(files.map((f) => [norm(f.path), f.text]));
  const children = new Map<string, Set<string>>();
  for (const f of byPath.keys()) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/') || '/';
      if (!children.has(d)) children.set(d, new Set());
      children.get(d)!.add(parts[i]);
    }
  }
  return {
    readDir: (d) => [...new Set([...listDir(host, d), ...(children.get(norm(d)) ?? [])])],
    isDirectory: (p) => children.has(norm(p)) || isDir(host, p),
    readFile: (p) => (byPath.has(norm(p)) ? byPath.get(norm(p)) : readText(host, p)),
  };
}

// --- per tool --------------------------------------------------------------------------------------------------------

interface Written {
  version: string;
  files: FileToCreate[];
  forward: string;
  backward?: string;
}

interface Writer {
  /** Writes one phase (the writer keeps its own version counter). */
  write(phase: NewMigrationPhase, index: number): Written;
  /** Called once after all phases (sqitch's plan lines). */
  finish?(): void;
}

interface WriterContext {
  folder: Folder;
  host: ProjectHost;
  now: Date;
  sep: '_' | '-';
  notes: string[];
  edits: FileEdit[];
  /** The folder writes rollbacks (it has some, or it is empty). */
  downs: boolean;
}

function note(ctx: WriterContext, text: string): void {
  if (!ctx.notes.includes(text)) ctx.notes.push(text);
}

/** Notes for a phase that must run outside a transaction in a tool that sends the file as one query. */
function oneQueryNote(ctx: WriterContext, phase: NewMigrationPhase, tool: string): void {
  if (phase.inTransaction !== false || statementCount(phase.up) <= 1) return;
  note(ctx, `${tool} sends a migration file as one query, which PostgreSQL runs as one implicit transaction: \`${phase.name}\` holds statements that cannot run in a transaction block, so give each its own migration.`);
}

function downsWritten(folder: Folder): boolean {
  return folder.files.length === 0 || folder.files.some((f) => f.direction === 'down' || f.role === 'down');
}

function upDownWriter(ctx: WriterContext, tool: 'golang-migrate' | 'pop' | 'popx'): Writer {
  const existing = versions(ctx.folder);
  let next: () => string;
  if (tool === 'popx') {
    const clock = new Clock(ctx.now, existing);
    next = () => `${stamp14(clock.take())}000000`;
  } else next = numberedVersions(existing, ctx.now, { empty: tool === 'pop' ? 'stamp' : 'counter', counterWidth: tool === 'golang-migrate' && existing.length === 0 ? 6 : 0 });
  const dialect = (tool === 'popx' || tool === 'pop') && ctx.folder.files.some((f) => f.dialect === 'postgres') ? '.postgres' : '';
  return {
    write(phase) {
      const version = next();
      let infix = dialect;
      if (phase.inTransaction === false) {
        if (tool === 'popx') infix += '.autocommit';
        else if (tool === 'pop') note(ctx, 'gobuffalo/pop runs every migration in a transaction; a phase that must run outside one needs another runner.');
        else oneQueryNote(ctx, phase, 'golang-migrate');
      }
      if (dialect) note(ctx, 'Written as `.postgres.` migrations: other dialects of this folder need their own files for the same versions.');
      const base = `${version}_${slug(phase.name, ctx.sep)}${infix}`;
      const forward = joinPath(ctx.folder.dir, `${base}.up.sql`);
      const files: FileToCreate[] = [{ path: forward, text: headerLines(phase) + body(phase.up) }];
      let backward: string | undefined;
      if (ctx.downs) {
        backward = joinPath(ctx.folder.dir, `${base}.down.sql`);
        files.push({ path: backward, text: headerLines(phase) + body(phase.down) });
      }
      return { version, files, forward, backward };
    },
  };
}

const DIESEL_NAME = /^(\d{4})-(\d{2})-(\d{2})-(\d{6})(-\d{4})?_/;

function dieselWriter(ctx: WriterContext): Writer {
  const existing = versions(ctx.folder);
  const clock = new Clock(ctx.now, existing.filter((v) => !/^0+$/.test(v)));
  // diesel compares versions as strings, dashes removed: follow the newest folder's shape (`-0000` suffix or not).
  const dirs = ctx.folder.files.map((f) => basename(dirname(f.path))).sort();
  const newest = dirs.filter((d) => DIESEL_NAME.test(d)).pop();
  const suffix = newest ? (DIESEL_NAME.exec(newest)![5] ?? '') : '';
  const compact = !newest && dirs.some((d) => /^\d{14}_/.test(d));
  return {
    write(phase) {
      const d = clock.take();
      const s = stamp14(d);
      const version = compact ? s : `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}${suffix}`;
      const dir = joinPath(ctx.folder.dir, `${version}_${slug(phase.name, ctx.sep)}`);
      const forward = joinPath(dir, 'up.sql');
      const backward = joinPath(dir, 'down.sql');
      const files: FileToCreate[] = [
        { path: forward, text: headerLines(phase) + body(phase.up) },
        { path: backward, text: headerLines(phase) + body(phase.down) },
      ];
      if (phase.inTransaction === false) files.push({ path: joinPath(dir, 'metadata.toml'), text: 'run_in_transaction = false\n' });
      return { version: version.replace(/-/g, ''), files, forward, backward };
    },
  };
}

function dbmateWriter(ctx: WriterContext): Writer {
  const clock = new Clock(ctx.now, versions(ctx.folder));
  return {
    write(phase) {
      const version = stamp14(clock.take());
      const opt = phase.inTransaction === false ? ' transaction:false' : '';
      const path = joinPath(ctx.folder.dir, `${version}_${slug(phase.name, ctx.sep)}.sql`);
      const text = `${headerLines(phase)}-- migrate:up${opt}\n${body(phase.up)}\n-- migrate:down${opt}\n${body(phase.down)}`;
      return { version, files: [{ path, text }], forward: path };
    },
  };
}

function gooseWriter(ctx: WriterContext): Writer {
  // goose create: timestamps by default, `-s` numbers them `%05d`.
  const next = numberedVersions(versions(ctx.folder), ctx.now, { empty: 'stamp', counterWidth: 5 });
  return {
    write(phase) {
      const version = next();
      const path = joinPath(ctx.folder.dir, `${version}_${slug(phase.name, ctx.sep)}.sql`);
      const noTx = phase.inTransaction === false ? '-- +goose NO TRANSACTION\n' : '';
      const text = `${headerLines(phase)}${noTx}-- +goose Up\n${gooseBody(phase.up)}\n-- +goose Down\n${gooseBody(phase.down ?? '')}`;
      return { version, files: [{ path, text }], forward: path };
    },
  };
}

function nodePgMigrateWriter(ctx: WriterContext): Writer {
  const existing = versions(ctx.folder);
  const newest = existing.reduce((w, v) => Math.max(w, v.length), 0);
  let next: () => string;
  if (newest === 17) {
    // `--migration-filename-format utc`: YYYYMMDDHHmmssSSS.
    const clock = new Clock(ctx.now, existing);
    next = () => `${stamp14(clock.take())}000`;
  } else {
    let ms = BigInt(ctx.now.getTime());
    const max = maxBig(existing);
    if (newest > 0 && newest !== 13) next = numberedVersions(existing, ctx.now, { empty: 'stamp' });
    else {
      if (max !== undefined && ms <= max) ms = max + 1n;
      next = () => String(ms++);
    }
  }
  return {
    write(phase) {
      const version = next();
      if (phase.inTransaction === false) note(ctx, 'node-pg-migrate runs SQL migrations in a transaction and has no per-file opt-out: run this migration with `--no-single-transaction` and a JS migration calling `pgm.noTransaction()`.');
      const path = joinPath(ctx.folder.dir, `${version}_${slug(phase.name, ctx.sep)}.sql`);
      const text = `${headerLines(phase)}-- Up Migration\n${body(phase.up)}\n-- Down Migration\n${body(phase.down)}`;
      return { version, files: [{ path, text }], forward: path };
    },
  };
}

function flywayWriter(ctx: WriterContext): Writer {
  const vs = ctx.folder.files.filter((f) => f.role !== 'repeatable').map((f) => f.version!).filter(Boolean);
  const undo = ctx.folder.files.some((f) => f.role === 'down');
  let next: () => string;
  if (vs.length > 0 && vs.every((v) => /^\d+$/.test(v))) next = numberedVersions(vs, ctx.now, { empty: 'counter' });
  else if (vs.length > 0) {
    // Dotted versions: one more in the last part of the newest.
    const cmp = (a: string, b: string) => {
      const pa = a.split('.').map(Number);
      const pb = b.split('.').map(Number);
      for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
      return 0;
    };
    let cur = [...vs].sort(cmp).pop()!.split('.').map(Number);
    next = () => {
      cur = [...cur.slice(0, -1), cur[cur.length - 1] + 1];
      return cur.join('.');
    };
  } else next = counter([]);
  return {
    write(phase) {
      const version = next();
      const file = `${version}__${slug(phase.name, ctx.sep)}.sql`;
      const forward = joinPath(ctx.folder.dir, `V${file}`);
      const files: FileToCreate[] = [{ path: forward, text: headerLines(phase) + body(phase.up) }];
      let backward: string | undefined;
      if (undo) {
        backward = joinPath(ctx.folder.dir, `U${file}`);
        files.push({ path: backward, text: headerLines(phase) + body(phase.down) });
      }
      if (phase.inTransaction === false) {
        files.push({ path: `${forward}.conf`, text: 'executeInTransaction=false\n' });
        if (backward) files.push({ path: `${backward}.conf`, text: 'executeInTransaction=false\n' });
      }
      return { version, files, forward, backward };
    },
  };
}

function sqitchWriter(ctx: WriterContext): Writer {
  const top = ctx.folder.dir;
  const found = findSqitchPlan(top, ctx.host);
  const planPath = found?.path ?? joinPath(top, 'sqitch.plan');
  const planText = found ? (readText(ctx.host, found.path) ?? '') : '';
  const project = found?.plan.project ?? basename(top);
  const taken = new Set(found?.plan.entries.map((e) => e.change) ?? []);
  // Planner name and email as the plan's last change line has them.
  const planner = [...planText.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\s+([^<\n]+?)\s+<([^>\n]*)>/g)].pop();
  const who = planner ? `${planner[1]} <${planner[2]}>` : 'Migration Guard <migration-guard@example.invalid>';
  const clock = new Clock(ctx.now, []);
  const lines: string[] = [];
  let previous = found?.plan.entries[found.plan.entries.length - 1]?.change;
  return {
    write(phase) {
      let change = slug(phase.name, ctx.sep);
      for (let i = 2; taken.has(change); i++) change = `${slug(phase.name, ctx.sep)}_${i}`;
      if (change !== slug(phase.name, ctx.sep)) note(ctx, `sqitch.plan already has a change \`${slug(phase.name, ctx.sep)}\`: named \`${change}\`.`);
      taken.add(change);
      const iso = new Date(clock.take()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const firstHeader = headerLines(phase).split('\n')[0].replace(/^--\s*/, '');
      const requires = previous && lines.length > 0 ? ` [${previous}]` : '';
      lines.push(`${change}${requires} ${iso} ${who} # ${firstHeader}`);
      previous = change;
      const wrap = (sql: string | undefined, end: 'COMMIT' | 'ROLLBACK') =>
        phase.inTransaction === false ? body(sql) : `BEGIN;\n\n${body(sql)}\n${end};\n`;
      const deploy = joinPath(top, 'deploy', `${change}.sql`);
      const revert = joinPath(top, 'revert', `${change}.sql`);
      const verify = joinPath(top, 'verify', `${change}.sql`);
      return {
        version: change,
        forward: deploy,
        backward: revert,
        files: [
          { path: deploy, text: `-- Deploy ${project}:${change} to pg\n${headerLines(phase)}\n${wrap(phase.up, 'COMMIT')}` },
          { path: revert, text: `-- Revert ${project}:${change} from pg\n${headerLines(phase)}\n${wrap(phase.down, 'COMMIT')}` },
          { path: verify, text: `-- Verify ${project}:${change} on pg\n\nBEGIN;\n\n-- Add verifications here.\n\nROLLBACK;\n` },
        ],
      };
    },
    finish() {
      if (lines.length === 0) return;
      if (!found) {
        note(ctx, `No sqitch.plan found: ${planPath} must be created with these changes.`);
        ctx.edits.push({ path: planPath, edits: [{ start: 0, end: 0, newText: `%syntax-version=1.0.0\n%project=${project}\n\n${lines.join('\n')}\n` }] });
        return;
      }
      const lead = planText.length === 0 || planText.endsWith('\n') ? '' : '\n';
      ctx.edits.push({ path: planPath, edits: [{ start: planText.length, end: planText.length, newText: `${lead}${lines.join('\n')}\n` }] });
    },
  };
}

/** Tools with one forward-only file per migration and a timestamp or number in front of the name. */
function singleFileWriter(ctx: WriterContext, tool: 'supabase' | 'sqlx' | 'postgres-migrations' | 'none'): Writer {
  const existing = tool === 'none' ? noneVersions(ctx) : versions(ctx.folder);
  const next = numberedVersions(existing, ctx.now, { empty: tool === 'postgres-migrations' ? 'counter' : 'stamp', counterWidth: tool === 'postgres-migrations' ? 4 : 0 });
  const joiner = tool === 'postgres-migrations' ? (noneSeparator(ctx) ?? '-') : tool === 'none' ? (noneSeparator(ctx) ?? '_') : '_';
  return {
    write(phase) {
      const version = next();
      const path = joinPath(ctx.folder.dir, `${version}${joiner}${slug(phase.name, ctx.sep)}.sql`);
      let text = headerLines(phase) + body(phase.up);
      if (phase.inTransaction === false) {
        if (tool === 'sqlx') text = `-- no-transaction\n${text}`;
        else if (tool === 'postgres-migrations') text = `${headerLines(phase)}-- postgres-migrations disable-transaction\n${body(phase.up)}`;
        else if (tool === 'supabase') oneQueryNote(ctx, phase, 'The Supabase CLI');
      }
      if (phase.down?.trim() && tool !== 'none') note(ctx, `${tool === 'supabase' ? 'Supabase' : tool} migrations are forward-only: the rollback SQL was not written.`);
      if (phase.down?.trim() && tool === 'none') note(ctx, 'No migration tool recognized: the rollback SQL was not written.');
      return { version, files: [{ path, text }], forward: path };
    },
  };
}

/** Leading numbers of the `.sql` files of a folder no tool claims. */
function noneVersions(ctx: WriterContext): string[] {
  return listDir(ctx.host, ctx.folder.dir)
    .map((n) => /^(\d+)[-_]/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined);
}

function noneSeparator(ctx: WriterContext): '-' | '_' | undefined {
  const names = listDir(ctx.host, ctx.folder.dir).filter((n) => /^\d+[-_].*\.sql$/i.test(n)).sort();
  const last = names.pop();
  return last ? (/^\d+-/.test(last) ? '-' : '_') : undefined;
}

function prismaWriter(ctx: WriterContext): Writer {
  const clock = new Clock(ctx.now, versions(ctx.folder).map((v) => /^\d+/.exec(v)?.[0] ?? v));
  return {
    write(phase) {
      const version = stamp14(clock.take());
      const path = joinPath(ctx.folder.dir, `${version}_${slug(phase.name, '_')}`, 'migration.sql');
      oneQueryNote(ctx, phase, 'Prisma Migrate');
      if (phase.down?.trim()) note(ctx, 'Prisma Migrate has no down migrations: the rollback SQL was not written.');
      return { version, files: [{ path, text: headerLines(phase) + body(phase.up) }], forward: path };
    },
  };
}

function graphileWriter(ctx: WriterContext): Writer {
  const next = counter(versions(ctx.folder), 6);
  return {
    write(phase) {
      const version = next();
      const path = joinPath(ctx.folder.dir, `${version}.sql`);
      if (phase.inTransaction === false) note(ctx, 'graphile-worker runs every migration between BEGIN and COMMIT.');
      return { version, files: [{ path, text: headerLines(phase) + body(phase.up) }], forward: path };
    },
  };
}

function temporalWriter(ctx: WriterContext): Writer {
  const existing = listDir(ctx.host, ctx.folder.dir)
    .map((n) => /^v(\d+)\.(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let [major, minor] = existing.pop() ?? [1, -1];
  return {
    write(phase) {
      minor += 1;
      const version = `${major}.${minor}`;
      const dir = joinPath(ctx.folder.dir, `v${version}`);
      const file = `${slug(phase.name, ctx.sep)}.sql`;
      const path = joinPath(dir, file);
      const manifest = {
        CurrVersion: version,
        MinCompatibleVersion: version,
        Description: headerLines(phase).split('\n')[0].replace(/^--\s*/, ''),
        SchemaUpdateCqlFiles: [file],
      };
      return {
        version,
        forward: path,
        files: [
          { path, text: headerLines(phase) + body(phase.up) },
          { path: joinPath(dir, 'manifest.json'), text: `${JSON.stringify(manifest, null, 2)}\n` },
        ],
      };
    },
  };
}

function writerFor(ctx: WriterContext): Writer {
  switch (ctx.folder.tool) {
    case 'golang-migrate':
    case 'pop':
    case 'popx':
      return upDownWriter(ctx, ctx.folder.tool);
    case 'diesel':
      return dieselWriter(ctx);
    case 'dbmate':
      return dbmateWriter(ctx);
    case 'goose':
      return gooseWriter(ctx);
    case 'node-pg-migrate':
      return nodePgMigrateWriter(ctx);
    case 'flyway':
      return flywayWriter(ctx);
    case 'sqitch':
      return sqitchWriter(ctx);
    case 'prisma':
      return prismaWriter(ctx);
    case 'graphile-worker':
      return graphileWriter(ctx);
    case 'temporal':
      return temporalWriter(ctx);
    case 'supabase':
    case 'sqlx':
    case 'postgres-migrations':
    case 'none':
      return singleFileWriter(ctx, ctx.folder.tool);
  }
}

/** The largest order key among the folder's files (undefined for an empty folder). */
function maxOrder(folder: Folder): string | undefined {
  // Flyway's repeatable scripts run after every versioned one whatever their version: a new version goes before them.
  return folder.files.reduce<string | undefined>(
    (m, f) => (f.order !== undefined && f.role !== 'repeatable' && (m === undefined || f.order > m) ? f.order : m),
    undefined,
  );
}

/**
 * The files that add `phases`, in order, to the migration folder `dirOrPath` names (the folder, or a migration file
 * in it), named and numbered by the folder's convention.
 */
export function newMigrationFiles(dirOrPath: string, host: ProjectHost, phases: NewMigrationPhase[], opts: NewMigrationOptions = {}): NewMigrationFiles {
  const folder = resolveFolder(dirOrPath, host, opts.tool);
  const ctx: WriterContext = {
    folder,
    host,
    now: opts.now ?? new Date(),
    sep: wordSeparator(folder),
    notes: [],
    edits: [],
    downs: downsWritten(folder),
  };
  if (folder.tool === 'none') note(ctx, `No migration tool recognized in ${folder.dir}: files are named \`<version>_<name>.sql\`.`);
  const writer = writerFor(ctx);
  const create: FileToCreate[] = [];
  const conflicts: FileToCreate[] = [];
  const migrations: NewMigrationFiles['migrations'] = [];
  phases.forEach((phase, i) => {
    const w = writer.write(phase, i);
    for (const f of w.files) (exists(host, f.path) ? conflicts : create).push(f);
    migrations.push({ name: phase.name, version: w.version, forward: w.forward, backward: w.backward });
  });
  writer.finish?.();
  checkOrder(ctx, folder, migrations, [...create, ...conflicts], host);
  return { tool: folder.tool, dir: folder.dir, create, conflicts, edits: ctx.edits, migrations, notes: ctx.notes };
}

/** Self-check: the tool recognizes each new forward file, after every existing one and after the phase before it. */
function checkOrder(ctx: WriterContext, folder: Folder, migrations: NewMigrationFiles['migrations'], files: FileToCreate[], host: ProjectHost): void {
  if (folder.tool === 'none' || folder.tool === 'sqitch') return;
  let after = maxOrder(folder);
  const seen = withFiles(host, files);
  for (const m of migrations) {
    const conv = detectConvention(m.forward, seen);
    if (conv.tool !== folder.tool || conv.order === undefined || (after !== undefined && conv.order <= after)) {
      note(ctx, `${basename(m.forward)} may not run after the existing migrations: ${folder.tool} reads it as ${conv.tool} ${conv.order ?? '(no order)'}.`);
    }
    after = conv.order ?? after;
  }
}

/**
 * One empty migration named by the folder's convention, with its rollback where the convention has one: the
 * "New Migration" command.
 */
export function newMigration(dirOrPath: string, host: ProjectHost, name: string, opts: NewMigrationOptions = {}): NewMigrationFiles {
  return newMigrationFiles(dirOrPath, host, [{ name, up: '', down: '', header: `Migration: ${name}` }], opts);
}
