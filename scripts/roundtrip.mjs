// The full rollback round trip over the shared corpus (issue 4): bundles test/pg/support/sweep.ts with esbuild and
// runs it from the repository root. Writes docs/ROUNDTRIP.md (results table) and a JSON file of every unit's outcome.
// Usage: node scripts/roundtrip.mjs [repo-substring …] [--no-generated]
// Needs PostgreSQL server binaries (scripts/ensure-postgres.sh, or MG_PG_BIN) and the corpus in ../shared/corpus.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(process.env.MG_BUILD_ROOT ?? tmpdir(), 'dist-roundtrip');
mkdirSync(out, { recursive: true });
copyFileSync(join('node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), join(out, 'libpg-query.wasm'));
await esbuild.build({
  entryPoints: { sweep: 'test/pg/support/sweep.ts' },
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
});
const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, 'sweep.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
