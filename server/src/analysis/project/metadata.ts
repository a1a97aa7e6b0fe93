/**
 * Parsers for the non-SQL files that change how a migration tool runs its SQL: sqitch's `sqitch.plan` (order),
 * diesel's `metadata.toml` (transaction), Flyway's per-script `.conf` (transaction) and temporal-sql-tool's
 * `manifest.json` (which files a version runs, in order). Each takes text and never throws: a file that does not
 * parse counts as absent, and the caller falls back to the file-name convention.
 */
import { parse as parseToml } from 'smol-toml';

export interface SqitchPlanEntry {
  /** The change name as the plan spells it. */
  change: string;
  /** The script name its deploy/revert/verify files carry: `change`, or `change@tag` for a reworked earlier copy. */
  script: string;
  /** 0-based position in the plan (deploy order). */
  index: number;
  /** Direct dependencies (`[a b !c]`; conflicts `!c` are left out). */
  requires: string[];
}

export interface SqitchPlan {
  project?: string;
  entries: SqitchPlanEntry[];
  /** `script` → entry. */
  byScript: Map<string, SqitchPlanEntry>;
}

/**
 * Parses a sqitch plan (sqitch-plan(5)): `%pragma` lines, `@tag` lines, and change lines
 * `[+]name [deps] timestamp planner <email> # note`. A change that appears again after a tag is a rework: sqitch keeps
 * the earlier scripts as `name@tag.sql`, tag being the first tag after the earlier copy. `-name` lines (reverts
 * recorded in the plan) are skipped.
 */
export function parseSqitchPlan(text: string): SqitchPlan {
  let project: string | undefined;
  const items: ({ kind: 'change'; change: string; requires: string[] } | { kind: 'tag'; tag: string })[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('%')) {
      const m = /^%\s*project\s*=\s*(\S+)/.exec(line);
      if (m) project = m[1];
      continue;
    }
    if (line.startsWith('@')) {
      const m = /^@(\S+)/.exec(line);
      if (m) items.push({ kind: 'tag', tag: m[1] });
      continue;
    }
    if (line.startsWith('-')) continue;
    const m = /^\+?\s*([^\s[#]+)\s*(?:\[([^\]]*)\])?/.exec(line);
    if (!m) continue;
    const requires = (m[2] ?? '').split(/\s+/).filter((d) => d && !d.startsWith('!'));
    items.push({ kind: 'change', change: m[1], requires });
  }
  const lastIndexOf = new Map<string, number>();
  items.forEach((it, i) => {
    if (it.kind === 'change') lastIndexOf.set(it.change, i);
  });
  const entries: SqitchPlanEntry[] = [];
  items.forEach((it, i) => {
    if (it.kind !== 'change') return;
    let script = it.change;
    if (lastIndexOf.get(it.change) !== i) {
      const tag = items.slice(i + 1).find((x) => x.kind === 'tag');
      if (tag && tag.kind === 'tag') script = `${it.change}@${tag.tag}`;
    }
    entries.push({ change: it.change, script, index: entries.length, requires: it.requires });
  });
  return { project, entries, byScript: new Map(entries.map((e) => [e.script, e])) };
}

/**
 * diesel `metadata.toml` next to `up.sql`: `run_in_transaction = false` runs both directions outside a transaction
 * (diesel_migrations, `TomlMetadata`). Returns undefined when the key is absent or the TOML does not parse.
 */
export function dieselRunInTransaction(toml: string): boolean | undefined {
  try {
    const value = parseToml(toml)['run_in_transaction'];
    return typeof value === 'boolean' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Flyway script configuration (`V1__x.sql.conf`, Java properties): `executeInTransaction=false` runs the script
 * outside a transaction. Returns undefined when the key is absent.
 */
export function flywayExecuteInTransaction(conf: string): boolean | undefined {
  for (const raw of conf.split(/\r?\n/)) {
    const m = /^\s*executeInTransaction\s*[=:]\s*(\S+)\s*$/i.exec(raw);
    if (m) return m[1].toLowerCase() === 'false' ? false : m[1].toLowerCase() === 'true' ? true : undefined;
  }
  return undefined;
}

/** temporal-sql-tool `versioned/vX.Y/manifest.json`: the files of the version in the order they run. */
export function temporalManifestFiles(json: string): string[] | undefined {
  try {
    const files = (JSON.parse(json) as { SchemaUpdateCqlFiles?: unknown }).SchemaUpdateCqlFiles;
    return Array.isArray(files) && files.every((f) => typeof f === 'string') ? (files as string[]) : undefined;
  } catch {
    return undefined;
  }
}
