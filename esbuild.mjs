// Bundles the client (extension), the language server and the CLI into dist/, and the test suites into dist-test/.
// The libpg-query WASM binary is copied next to the bundles: its loader looks for it in `__dirname`.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const withTests = !process.argv.includes('--no-tests');
// MG_BUILD_ROOT=/tmp/x builds into /tmp/x/dist and /tmp/x/dist-test, so that several people (or agents) working in
// one checkout can build and run tests without overwriting each other's bundles. Tests find the repository through
// process.cwd() and the bundles through __dirname, so they run the same from either place.
const root = process.env.MG_BUILD_ROOT ?? '.';
const DIST = join(root, 'dist');
const DIST_TEST = join(root, 'dist-test');

const wasm = join('node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm');

/** Copies the WASM parser next to a bundle directory. */
function copyWasm(dir) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(wasm, join(dir, 'libpg-query.wasm'));
}

// PGlite (the embedded engine, bundled into dist/pglite-worker.js) loads its runtime relative to its module, which
// after bundling is the worker bundle itself: PostgreSQL's WASM, initdb's WASM and the file-system bundle go next to it.
const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];
function copyPgliteAssets(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of PGLITE_ASSETS) copyFileSync(join('node_modules', '@electric-sql', 'pglite', 'dist', f), join(dir, f));
}

// A freshly initialized PGlite data directory, dumped (gzip tar, ~4.5 MB): the worker loads it instead of running
// initdb on every start (measured: initdb 4–5 s and ~730 MB peak; loading the dump ~1.3 s and ~400 MB). Made once per
// PGlite version (the stamp file says which), so rebuilds do not pay it.
async function pgliteTemplate(dir) {
  const out = join(dir, 'pglite-template.tar.gz');
  const stamp = join(dir, '.pglite-template-version');
  const version = JSON.parse(readFileSync(join('node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version;
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ relaxedDurability: true });
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
  writeFileSync(stamp, version);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

/** Every `*.test.ts` under test/unit and test/server becomes its own bundle so mocha can run them. */
function testEntries() {
  const entries = {};
  for (const dir of ['test/unit', 'test/server', 'test/pg']) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.test.ts')) entries[`${dir.replace(/^test\//, '')}-${f.replace(/\.ts$/, '')}`] = join(dir, f);
    }
  }
  return entries;
}

const builds = [
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: DIST },
  { ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: DIST },
  // Big documents are analyzed in a worker thread (server/src/lsp/scheduler.ts) so other documents stay responsive.
  { ...common, entryPoints: { analysisWorker: 'server/src/lsp/analysisWorker.ts' }, outdir: DIST },
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: DIST, banner: { js: '#!/usr/bin/env node' } },
  // `ws` is only required by PGlite's socket emulation, which the worker never uses. PGlite's ES module finds its
  // assets through import.meta.url, which a CommonJS bundle lacks: it becomes the bundle's own file URL.
  {
    ...common,
    entryPoints: { 'pglite-worker': 'server/src/engines/pglite/worker.ts' },
    outdir: DIST,
    external: ['vscode', 'ws'],
    define: { 'import.meta.url': '__mgModuleUrl' },
    banner: { js: 'const __mgModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  },
];
if (withTests) {
  builds.push({ ...common, entryPoints: testEntries(), outdir: DIST_TEST, external: ['vscode', 'mocha'] });
  if (existsSync('test/e2e/suite/index.ts')) {
    builds.push({ ...common, entryPoints: { 'suite/index': 'test/e2e/suite/index.ts' }, outdir: join(DIST_TEST, 'e2e') });
  }
}

copyWasm(DIST);
copyPgliteAssets(DIST);
await pgliteTemplate(DIST);
if (withTests) copyWasm(DIST_TEST);

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
