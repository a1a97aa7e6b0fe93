/**
 * The real-world migration corpus in /work/shared/corpus (`../shared/corpus` from the repository root): its
 * MANIFEST.tsv rows, the path of each file on disk, and the tool metadata the corpus left out (diesel
 * `metadata.toml`, `sqitch.plan`, temporal `manifest.json`) rebuilt from the MANIFEST's `flags` and `seq`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = join(process.cwd(), '..', 'shared', 'corpus');

export interface ManifestRow {
  repo: string;
  commit: string;
  /** Path inside the repository. */
  path: string;
  kind: 'up' | 'down' | 'single' | 'deploy' | 'revert' | 'verify' | 'undo';
  pairPath: string;
  bytes: number;
  tool: string;
  flags: Set<string>;
  seq?: number;
  /** Directory on disk that stands for the repository root. */
  root: string;
  /** The file on disk. */
  file: string;
}

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`MANIFEST.tsv has no column ${name}`);
    return i;
  };
  const [repo, commit, path, kind, pair, bytes, tool, flags, seq] = ['repo', 'commit', 'path', 'kind', 'pair_path', 'bytes', 'tool', 'flags', 'seq'].map(col);
  return lines.slice(1).map((line) => {
    const f = line.split('\t');
    const flagSet = new Set(f[flags].split(',').filter(Boolean));
    const dirName = f[repo].replace('/', '__');
    const root = flagSet.has('large') ? join(CORPUS_DIR, '_large', dirName) : join(CORPUS_DIR, dirName);
    return {
      repo: f[repo],
      commit: f[commit],
      path: f[path],
      kind: f[kind] as ManifestRow['kind'],
      pairPath: f[pair],
      bytes: Number(f[bytes]),
      tool: f[tool],
      flags: flagSet,
      seq: f[seq] ? Number(f[seq]) : undefined,
      root,
      file: join(root, f[path]),
    };
  });
}

function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * The metadata files the corpus did not copy, rebuilt from the MANIFEST, as `{ absolutePath: text }`:
 * - diesel `metadata.toml` with `run_in_transaction = false` for every migration flagged `no-transaction`;
 * - a `sqitch.plan` per sqitch project listing the changes in `seq` order (next to `deploy/`, sqitch's default);
 * - a temporal `manifest.json` per `versioned/vX.Y` directory listing its files in `seq` order.
 */
export function reconstructedMetadata(rows: ManifestRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    if (r.tool === 'diesel' && r.flags.has('no-transaction')) {
      out[join(r.root, parent(r.path), 'metadata.toml')] = 'run_in_transaction = false\n';
    }
  }
  const plans = new Map<string, ManifestRow[]>();
  for (const r of rows.filter((x) => x.tool === 'sqitch' && x.kind === 'deploy')) {
    const top = join(r.root, parent(parent(r.path)));
    plans.set(top, [...(plans.get(top) ?? []), r]);
  }
  for (const [top, deploys] of plans) {
    const lines = ['%syntax-version=1.0.0', `%project=${deploys[0].repo.split('/')[1]}`, ''];
    for (const d of deploys.sort((a, b) => a.seq! - b.seq!)) {
      const change = /(?:^|\/)deploy\/(.*)\.sql$/.exec(d.path)![1];
      lines.push(`${change} 2020-01-01T00:00:00Z Corpus Manifest <corpus@example.invalid> # position ${d.seq} in MANIFEST.tsv`);
    }
    out[join(top, 'sqitch.plan')] = `${lines.join('\n')}\n`;
  }
  const versions = new Map<string, ManifestRow[]>();
  for (const r of rows.filter((x) => x.tool === 'temporal-sql-tool' && /\/versioned\/v[\d.]+\//.test(x.path))) {
    const dir = join(r.root, parent(r.path));
    versions.set(dir, [...(versions.get(dir) ?? []), r]);
  }
  for (const [dir, files] of versions) {
    const names = files.sort((a, b) => a.seq! - b.seq!).map((f) => f.path.slice(f.path.lastIndexOf('/') + 1));
    out[join(dir, 'manifest.json')] = JSON.stringify({ CurrVersion: dir.slice(dir.lastIndexOf('/v') + 2), SchemaUpdateCqlFiles: names }, null, 2);
  }
  return out;
}
