/**
 * The rollback round trip over the shared corpus (issue 4, "Verification on real PostgreSQL"): for every up/down pair
 * of a repository, replayed in the tool's order on a throwaway PostgreSQL, the schema dump before the up is compared
 * with the dump after up + down, for the human-written down and for the generated one. Databases are snapshots taken
 * with `CREATE DATABASE … TEMPLATE`, one trial at a time; ordering, pairing and the text each tool runs come from the
 * project layer (`migrationSequence`, `migrationContext`), never from the MANIFEST's own answers.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseFile } from '../../../server/src/analysis/parse';
import { migrationContext, migrationSequence, type ProjectHost } from '../../../server/src/analysis/project';
import type { MigrationStep, SequenceLayout } from '../../../server/src/analysis/project';
import type { LocalCluster } from '../../../server/src/engines/localCluster';
import type { ManifestRow } from '../../support/corpus';

/** How a file is sent: inside BEGIN … COMMIT (the tool wraps it, or sends several statements as one query), or one statement at a time. */
export type RunMode = 'transaction' | 'statements';

export interface Script {
  path: string;
  text: string;
  mode: RunMode;
}

/** One round-trip unit: a migration and its rollback, or for Ory popx a timestamp group (its downs roll back the group). */
export interface UnitPlan {
  id: string;
  ups: Script[];
  /** The human-written rollback, in the order it runs; undefined when the migration has none (the up is still applied). */
  downs?: Script[];
  /** Why the unit is not tested (templated SQL); its ups are still applied. */
  skip?: string;
}

export interface RepoPlan {
  repo: string;
  /** What the tool creates before it runs any migration, when migrations use it (diesel's bookkeeping table). */
  prelude?: string;
  sequences: { dir: string; tool: string; steps: number }[];
  units: UnitPlan[];
}

/** What a generator answers for one up: the reverse SQL, whether it claims to be complete, and what it flagged. */
export interface GeneratedDown {
  sql: string;
  complete: boolean;
  irreversible: { reason: string }[];
}
export type Generator = (upPath: string, host: ProjectHost) => GeneratedDown;

export type Status = 'exact' | 'differs' | 'down-error';
export interface Trial {
  status: Status;
  /** The dumps hold the same lines in another order (column order, object order). */
  sameLines?: boolean;
  error?: string;
  diff?: string[];
}

export interface UnitResult {
  id: string;
  /** Not tested: the up failed (`upError`), the unit is templated (`skip`), or it has no rollback (`noDown`). */
  upError?: string;
  skip?: string;
  noDown?: boolean;
  /** Some script ran statement by statement after PostgreSQL refused it in a transaction block. */
  fellBack?: boolean;
  human?: Trial;
  generated?: Trial & { complete: boolean; flags: string[] };
}

export interface RepoResult {
  repo: string;
  units: UnitResult[];
  ms: number;
  /** Where the time went: database copies, schema dumps. */
  stats: { copies: number; copyMs: number; dumps: number; dumpMs: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Planning: the project layer decides order, pairing, text and transaction.

/** The sequences `files` belong to, in the order their first file is listed (keto's vendored networkx, supabase/postgres's init-scripts run first). */
function sequencesOf(files: string[], host: ProjectHost): SequenceLayout[] {
  const found = new Map<string, SequenceLayout>();
  for (const f of files) {
    const layout = migrationSequence(f, host);
    if (layout && !found.has(`${layout.tool}\0${layout.dir}`)) found.set(`${layout.tool}\0${layout.dir}`, layout);
  }
  return [...found.values()];
}

/** What the tool sends for a forward file (the up section only for single-file formats) and how. */
function upScript(path: string, host: ProjectHost): Script {
  const ctx = migrationContext(path, host);
  return { path, text: ctx.text, mode: ctx.assumeInTransaction ? 'transaction' : 'statements' };
}

/** The rollback of a non-popx step: the down file, or the down section of a single-file format; undefined when none exists. */
function downScripts(step: MigrationStep, host: ProjectHost): Script[] | undefined {
  const ctx = migrationContext(step.forward!, host);
  if (ctx.downPath === undefined || ctx.downText === undefined) return undefined;
  if (ctx.downPath === step.forward) {
    return [{ path: ctx.downPath, text: ctx.downText, mode: ctx.downAssumeInTransaction ? 'transaction' : 'statements' }];
  }
  const down = migrationContext(ctx.downPath, host);
  return [{ path: ctx.downPath, text: down.text, mode: down.assumeInTransaction ? 'transaction' : 'statements' }];
}

/** diesel creates its bookkeeping table before migrating (diesel_migrations, `CREATE_MIGRATIONS_TABLE`); Lemmy's migrations refer to it. */
const DIESEL_PRELUDE = `CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
  version VARCHAR(50) PRIMARY KEY NOT NULL,
  run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);`;

/** Placeholders the tool substitutes before running a file, per tool (Tamarou's sqitch data holds a literal `{{`). */
const TEMPLATED: Partial<Record<string, [RegExp, string]>> = {
  pop: [/\{\{[\s\S]*?\}\}/, 'Go template ({{ … }}) placeholders'],
  'graphile-worker': [/:GRAPHILE_WORKER_SCHEMA\b/, 'graphile-worker :GRAPHILE_WORKER_SCHEMA placeholder'],
};

function templated(tool: string, scripts: Script[]): string | undefined {
  const t = TEMPLATED[tool];
  for (const s of scripts) if (t && t[0].test(s.text)) return `${s.path}: ${t[1]}`;
  return undefined;
}

/**
 * The round-trip units of one repository. River's `/* TEMPLATE: schema *\/` is a comment, which PostgreSQL runs as
 * river does with an empty schema prefix, so river is tested; `{{ }}` and graphile's placeholder are skipped.
 */
export function planRepo(repo: string, rows: ManifestRow[], host: ProjectHost): RepoPlan {
  const files = rows.filter((r) => r.repo === repo && r.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  return planFiles(repo, files.map((r) => r.file), host);
}

/** The round-trip units of the sequences `files` belong to, sequences in the order of their first file. */
export function planFiles(repo: string, files: string[], host: ProjectHost): RepoPlan {
  const seqs = sequencesOf(files, host);
  const units: UnitPlan[] = [];
  for (const seq of seqs) {
    const rel = (p: string) => p.slice(seq.dir.length + 1);
    if (seq.tool === 'popx') {
      // Ory: the downs of a timestamp group roll back the whole group, so the group is the unit.
      const groups = new Map<string, MigrationStep[]>();
      for (const s of seq.steps) {
        const g = (s.version ?? s.order).slice(0, 14);
        groups.set(g, [...(groups.get(g) ?? []), s]);
      }
      for (const [g, steps] of groups) {
        const ups = steps.filter((s) => s.forward).map((s) => upScript(s.forward!, host));
        const backs = steps.filter((s) => s.backward).reverse();
        const downs = backs.map((s) => {
          const c = migrationContext(s.backward!, host);
          return { path: s.backward!, text: c.text, mode: (c.assumeInTransaction ? 'transaction' : 'statements') as RunMode };
        });
        const unit: UnitPlan = { id: `${rel(seq.dir + '/' + g)} (group of ${ups.length})`, ups, downs: downs.length && ups.length ? downs : undefined };
        unit.skip = templated(seq.tool, [...ups, ...downs]);
        units.push(unit);
      }
      continue;
    }
    for (const s of seq.steps) {
      if (!s.forward) continue;
      const ups = [upScript(s.forward, host)];
      const downs = downScripts(s, host);
      units.push({ id: rel(s.forward), ups, downs, skip: templated(seq.tool, [...ups, ...(downs ?? [])]) });
    }
  }
  const prelude = seqs.some((s) => s.tool === 'diesel') ? DIESEL_PRELUDE : undefined;
  return { repo, prelude, sequences: seqs.map((s) => ({ dir: s.dir, tool: s.tool, steps: s.steps.length })), units };
}

// ---------------------------------------------------------------------------------------------------------------
// Running SQL and dumping schemas.

/** psql meta-command lines (sqitch scripts' `\copy`, `\set`) blanked: PostgreSQL does not run them, psql does. */
function withoutPsqlLines(text: string): string {
  const lines = parseFile(text).psqlLines;
  let out = text;
  for (const l of lines) out = out.slice(0, l.start) + ' '.repeat(l.end - l.start) + out.slice(l.end);
  return out;
}

const NOT_IN_TRANSACTION = '25001'; // active_sql_transaction: "… cannot run inside a transaction block"

async function runStatements(c: Client, text: string): Promise<void> {
  for (const st of parseFile(text).statements) {
    try {
      await c.query(st.text);
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {}); // a script's own BEGIN must not outlive its failure
      throw e;
    }
  }
}

/**
 * Runs a script as its tool would. A transaction-wrapped script that PostgreSQL refuses in a transaction block
 * (CONCURRENTLY where the corpus lacks the metadata that opts out) is run again statement by statement; returns
 * whether that happened.
 */
export async function runScript(c: Client, script: { text: string; mode: RunMode }): Promise<boolean> {
  const text = withoutPsqlLines(script.text);
  if (script.mode === 'statements') {
    await runStatements(c, text);
    return false;
  }
  if (parseFile(text).statements.length === 0) return false;
  try {
    await c.query('BEGIN');
    await c.query(text);
    await c.query('COMMIT');
    return false;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    if ((e as { code?: string }).code !== NOT_IN_TRANSACTION) throw e;
  }
  await runStatements(c, text);
  return true;
}

/** `pg_dump --schema-only` of a database, normalized: comments, SET lines, `\restrict` lines and blank lines dropped. */
export function dumpSchema(cluster: LocalCluster, db: string): Promise<string> {
  const args = ['--schema-only', '--no-owner', '--restrict-key=roundtrip', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', '-d', db];
  return new Promise((resolve, reject) => {
    execFile(join(cluster.binDir, 'pg_dump'), args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PGTZ: 'UTC' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pg_dump ${db}: ${stderr || err.message}`));
      else resolve(normalizeDump(stdout));
    });
  });
}

export function normalizeDump(dump: string): string {
  return dump
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('--') && !/^SET /.test(l) && !/^SELECT pg_catalog\.set_config/.test(l) && !/^\\(un)?restrict\b/.test(l))
    .join('\n');
}

/** The first lines one dump has and the other lacks (`-` before, `+` after). */
export function dumpDiff(before: string, after: string, max = 6): string[] {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const l of s.split('\n')) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const a = count(before);
  const b = count(after);
  const out: string[] = [];
  for (const l of before.split('\n')) if ((b.get(l) ?? 0) < (a.get(l) ?? 0) && out.length < max && !out.includes(`- ${l}`)) out.push(`- ${l}`);
  const minus = out.length;
  for (const l of after.split('\n')) if ((a.get(l) ?? 0) < (b.get(l) ?? 0) && out.length < minus + max && !out.includes(`+ ${l}`)) out.push(`+ ${l}`);
  return out;
}

function sameLines(a: string, b: string): boolean {
  return a.split('\n').sort().join('\n') === b.split('\n').sort().join('\n');
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
}

// ---------------------------------------------------------------------------------------------------------------
// The sweep.

export interface RunOptions {
  generate?: Generator;
  host: ProjectHost;
  /** Test only the first `limit` units that have a rollback (the rest of the repository is not applied). */
  limit?: number;
  log?: (s: string) => void;
  /** statement_timeout for every script, ms. Default 60 s. */
  statementTimeoutMs?: number;
  /** Units between checkpoint copies of the working database. Default 40. */
  checkpointEvery?: number;
}

/**
 * Replays a repository on one working database. Copying a database costs ~0.5 s here against ~0.1 s for a dump,
 * so copies are made only when needed: after a down whose dump matches, re-applying the up restores the state;
 * after a down that differs or fails (or an up that fails), the working database is rebuilt from a checkpoint
 * database (`CREATE DATABASE … TEMPLATE`) plus the ups applied since, which are replayed. The checkpoint moves
 * forward every `checkpointEvery` units. A failing up is recorded, its unit is not tested, and the sequence
 * continues without it. At most two databases exist at a time.
 */
export async function runRepo(cluster: LocalCluster, plan: RepoPlan, opts: RunOptions): Promise<RepoResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const admin = new Client(cluster.connectionConfig());
  await admin.connect();
  const timeout = opts.statementTimeoutMs ?? 60_000;
  const connect = async (db: string): Promise<Client> => {
    const c = new Client(cluster.connectionConfig(db));
    c.on('error', () => {});
    await c.connect();
    await c.query(`SET statement_timeout = ${timeout}; SET client_min_messages = warning`);
    return c;
  };
  const drop = (db: string) => admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  const stats = { copies: 0, copyMs: 0, dumps: 0, dumpMs: 0 };
  const copy = async (db: string, template: string) => {
    const t = Date.now();
    await drop(db);
    await admin.query(`CREATE DATABASE ${db} TEMPLATE ${template}`);
    stats.copies++;
    stats.copyMs += Date.now() - t;
  };
  const dump = async (db: string) => {
    const t = Date.now();
    const d = await dumpSchema(cluster, db);
    stats.dumps++;
    stats.dumpMs += Date.now() - t;
    return d;
  };
  /** Applies scripts in order; throws the first error, naming the file it came from. */
  const apply = async (c: Client, scripts: { path?: string; text: string; mode: RunMode }[]): Promise<boolean> => {
    let fell = false;
    for (const s of scripts) {
      try {
        fell = (await runScript(c, s)) || fell;
      } catch (e) {
        const short = s.path ? `${s.path.slice(s.path.lastIndexOf('/', s.path.lastIndexOf('/') - 1) + 1)}: ` : '';
        throw new Error(`${short}${firstLine(e)}`);
      }
    }
    return fell;
  };

  const WORK = 'rt_work';
  const CKPT = 'rt_ckpt';
  let w: Client | undefined;
  /** Ups applied to the working database since the checkpoint. */
  let replay: Script[][] = [];
  const restore = async (extra?: Script[]) => {
    await w?.end().catch(() => {});
    w = undefined;
    await copy(WORK, CKPT);
    w = await connect(WORK);
    for (const ups of extra ? [...replay, extra] : replay) await apply(w, ups);
  };
  const checkpoint = async () => {
    await w?.end().catch(() => {});
    w = undefined;
    await copy(CKPT, WORK);
    w = await connect(WORK);
    replay = [];
  };
  /**
   * Runs `downs` on the working database (at the state after `ups`), compares with `before`, and brings the database
   * back to the state after `ups`. When that takes a rebuild from the checkpoint, `rebuilt` holds the new dump of the
   * state before `ups`: objects that capture the moment they were created (a view's `'now'::timestamp` constant) differ
   * between builds, so what is compared next must be compared with the rebuilt state, not the first one.
   */
  const tryDown = async (ups: Script[], downs: { path?: string; text: string; mode: RunMode }[], before: string): Promise<Trial & { fell: boolean; rebuilt?: { before: string } }> => {
    let t: Trial & { fell: boolean };
    try {
      const fell = await apply(w!, downs);
      const after = await dump(WORK);
      t = after === before ? { status: 'exact', fell } : { status: 'differs', sameLines: sameLines(before, after), diff: dumpDiff(before, after), fell };
    } catch (e) {
      t = { status: 'down-error', error: firstLine(e), fell: false };
    }
    let back = false;
    if (t.status === 'exact') {
      try {
        await apply(w!, ups);
        back = true;
      } catch {
        // The down left data the up trips over: rebuild.
      }
    }
    if (!back) {
      await restore();
      const fresh = await dump(WORK);
      await apply(w!, ups);
      return { ...t, rebuilt: { before: fresh } };
    }
    return t;
  };

  const units: UnitResult[] = [];
  try {
    await drop(WORK);
    await drop(CKPT);
    await copy(CKPT, 'template0');
    if (plan.prelude) {
      const c = await connect(CKPT);
      await c.query(plan.prelude).finally(() => c.end());
    }
    await copy(WORK, CKPT);
    w = await connect(WORK);
    // The working database's dump, taken when a unit needs it (units without a rollback only advance it).
    let dumped: string | undefined;
    let tested = 0;
    for (const u of plan.units) {
      if (opts.limit !== undefined && tested >= opts.limit) break;
      const r: UnitResult = { id: u.id };
      units.push(r);
      if (u.skip) r.skip = u.skip;
      if (u.downs === undefined) r.noDown = true;
      const testable = u.downs !== undefined && !u.skip;
      let before = testable ? (dumped ??= await dump(WORK)) : '';
      try {
        r.fellBack = await apply(w, u.ups);
      } catch (e) {
        r.upError = firstLine(e);
        log(`${plan.repo} ${u.id}: up failed: ${r.upError}`);
        await restore();
        continue;
      }
      dumped = undefined;
      if (testable) {
        tested++;
        let afterUp = await dump(WORK);
        let rebuilt = false;
        const h = await tryDown(u.ups, u.downs!, before);
        if (h.rebuilt) {
          before = h.rebuilt.before;
          rebuilt = true;
        }
        r.human = { status: h.status, sameLines: h.sameLines, error: h.error, diff: h.diff };
        r.fellBack ||= h.fell;
        if (opts.generate) {
          let flags: string[] = [];
          let complete = true;
          const gens: Script[] = [];
          try {
            // A group's reverse is the reverse of each up, last up first.
            for (const up of [...u.ups].reverse()) {
              const g = opts.generate(up.path, opts.host);
              complete &&= g.complete;
              flags = flags.concat(g.irreversible.map((i) => i.reason));
              gens.push({ path: `${up.path} (generated)`, text: g.sql, mode: up.mode });
            }
          } catch (e) {
            r.generated = { status: 'down-error', error: `generator: ${firstLine(e)}`, complete: false, flags: [`generator threw: ${firstLine(e)}`] };
          }
          if (!r.generated) {
            const g = await tryDown(u.ups, gens, before);
            rebuilt ||= g.rebuilt !== undefined;
            r.generated = { status: g.status, sameLines: g.sameLines, error: g.error, diff: g.diff, complete, flags };
          }
        }
        // After a rebuild the state after the up is the rebuilt one (the next unit's "before").
        if (rebuilt) afterUp = await dump(WORK);
        dumped = afterUp;
      }
      replay.push(u.ups);
      if (replay.length >= (opts.checkpointEvery ?? 40)) await checkpoint();
    }
  } finally {
    await w?.end().catch(() => {});
    await drop(WORK).catch(() => {});
    await drop(CKPT).catch(() => {});
    await admin.end().catch(() => {});
  }
  return { repo: plan.repo, units, ms: Date.now() - t0, stats };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures.

export interface Figures {
  repo: string;
  /** Units with a rollback (pairs; Ory: groups). */
  pairs: number;
  skipped: number;
  upErrors: number;
  /** Pairs whose up ran: the denominator of every fraction below. */
  tested: number;
  human: { exact: number; differs: number; sameLines: number; errors: number };
  generated?: {
    /** Pairs the generator calls fully reversible. */
    reversible: number;
    exact: number;
    differs: number;
    errors: number;
    /** Over every tested pair, flagged or not. */
    exactAll: number;
    flagged: number;
    /** Reversible (unflagged) pairs whose schema differs or whose down fails: generator bugs. */
    unflaggedWrong: { id: string; status: Status; detail: string[] }[];
  };
  ms: number;
}

export function figuresOf(r: RepoResult): Figures {
  const units = r.units.filter((u) => !u.noDown);
  const tested = units.filter((u) => !u.skip && !u.upError);
  const f: Figures = {
    repo: r.repo,
    pairs: units.length,
    skipped: units.filter((u) => u.skip).length,
    upErrors: units.filter((u) => !u.skip && u.upError).length,
    tested: tested.length,
    human: {
      exact: tested.filter((u) => u.human?.status === 'exact').length,
      differs: tested.filter((u) => u.human?.status === 'differs').length,
      sameLines: tested.filter((u) => u.human?.status === 'differs' && u.human.sameLines).length,
      errors: tested.filter((u) => u.human?.status === 'down-error').length,
    },
    ms: r.ms,
  };
  const gen = tested.filter((u) => u.generated);
  if (gen.length) {
    const rev = gen.filter((u) => u.generated!.complete);
    f.generated = {
      reversible: rev.length,
      exact: rev.filter((u) => u.generated!.status === 'exact').length,
      differs: rev.filter((u) => u.generated!.status === 'differs').length,
      errors: rev.filter((u) => u.generated!.status === 'down-error').length,
      exactAll: gen.filter((u) => u.generated!.status === 'exact').length,
      flagged: gen.length - rev.length,
      unflaggedWrong: rev
        .filter((u) => u.generated!.status !== 'exact')
        .map((u) => ({ id: u.id, status: u.generated!.status, detail: u.generated!.error ? [u.generated!.error] : u.generated!.diff ?? [] })),
    };
  }
  return f;
}

export function totalOf(figs: Figures[]): Figures {
  const sum = (g: (f: Figures) => number | undefined) => figs.reduce((a, f) => a + (g(f) ?? 0), 0);
  const t: Figures = {
    repo: 'total',
    pairs: sum((f) => f.pairs),
    skipped: sum((f) => f.skipped),
    upErrors: sum((f) => f.upErrors),
    tested: sum((f) => f.tested),
    human: {
      exact: sum((f) => f.human.exact),
      differs: sum((f) => f.human.differs),
      sameLines: sum((f) => f.human.sameLines),
      errors: sum((f) => f.human.errors),
    },
    ms: sum((f) => f.ms),
  };
  if (figs.some((f) => f.generated)) {
    t.generated = {
      reversible: sum((f) => f.generated?.reversible),
      exact: sum((f) => f.generated?.exact),
      differs: sum((f) => f.generated?.differs),
      errors: sum((f) => f.generated?.errors),
      exactAll: sum((f) => f.generated?.exactAll),
      flagged: sum((f) => f.generated?.flagged),
      unflaggedWrong: figs.flatMap((f) => (f.generated?.unflaggedWrong ?? []).map((w) => ({ ...w, id: `${f.repo}: ${w.id}` }))),
    };
  }
  return t;
}

export const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

/** The results table (Markdown) of a sweep. */
export function renderTable(figs: Figures[]): string {
  const rows = [...figs, totalOf(figs)];
  const head = [
    '| repository | pairs | skipped | up fails | tested | human exact | human differs (same lines) | human down fails | human exact % | generated reversible | gen. exact / reversible | gen. differs | gen. down fails | gen. exact % of reversible | gen. exact (all tested) | flagged | time |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const line = (f: Figures) => {
    const g = f.generated;
    const name = f.repo === 'total' ? '**total**' : f.repo;
    return `| ${name} | ${f.pairs} | ${f.skipped} | ${f.upErrors} | ${f.tested} | ${f.human.exact} | ${f.human.differs} (${f.human.sameLines}) | ${f.human.errors} | ${pct(f.human.exact, f.tested)} | ${
      g ? `${g.reversible} | ${g.exact} | ${g.differs} | ${g.errors} | ${pct(g.exact, g.reversible)} | ${g.exactAll} | ${g.flagged}` : '– | – | – | – | – | – | –'
    } | ${(f.ms / 1000).toFixed(0)} s |`;
  };
  return [...head, ...rows.map(line)].join('\n');
}
