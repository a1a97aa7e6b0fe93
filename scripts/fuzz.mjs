#!/usr/bin/env node
// Long-mode fuzzing (`npm run fuzz`): the property tests of test/unit/fuzz.test.ts and test/server/fuzz-server.test.ts
// with FUZZ_RUNS cases (default 100,000 in all), split over worker processes with distinct seeds, then one summary
// line: cases, failures, seeds, time. Usage: node scripts/fuzz.mjs [--runs N] [--workers W] [--seed S] [--no-build]
// Builds into MG_BUILD_ROOT (default .) first; a failing worker's output is printed in full (seed and shrunk input).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const runs = Number(arg('runs', process.env.FUZZ_RUNS ?? 100_000));
const workers = Math.max(1, Number(arg('workers', 2)));
const baseSeed = Number(arg('seed', Date.now() % 2_000_000_000));
const root = process.env.MG_BUILD_ROOT ?? '.';
const distTest = join(root, 'dist-test');
const mocha = join('node_modules', 'mocha', 'bin', 'mocha.js');

if (!process.argv.includes('--no-build')) {
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit', env: process.env });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

/** Runs mocha on `files` with the given FUZZ_RUNS and seed; resolves with its output and counts. */
function run(name, files, fuzzRuns, seed) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mocha, '--reporter', 'spec', ...files], {
      env: { ...process.env, FUZZ_RUNS: String(fuzzRuns), FUZZ_SEED: String(seed) },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
      const failing = Number(/(\d+) failing/.exec(out)?.[1] ?? (code === 0 ? 0 : 1));
      const cases = [...out.matchAll(/^FUZZ .*?: (\d+) (?:cases|documents)/gm)].reduce((n, m) => n + Number(m[1]), 0);
      const lines = [...out.matchAll(/^FUZZ .*$/gm)].map((m) => m[0]);
      resolve({ name, seed, code, passing, failing, cases, lines, out });
    });
  });
}

const t0 = Date.now();
const unit = join(distTest, 'unit-fuzz.test.js');
const server = join(distTest, 'server-fuzz-server.test.js');
const jobs = [];
for (let w = 0; w < workers; w++) jobs.push(run(`unit#${w}`, [unit], Math.ceil(runs / workers), baseSeed + w * 7_919));
jobs.push(run('server', [server], runs, baseSeed + 104_729));
const results = await Promise.all(jobs);

let cases = 0;
let failures = 0;
for (const r of results) {
  cases += r.cases;
  failures += r.failing;
  console.log(`${r.name} (seed ${r.seed}): ${r.cases} cases, ${r.passing} passing, ${r.failing} failing`);
  for (const l of r.lines) console.log(`  ${l}`);
  if (r.code !== 0) console.log(r.out);
}
const seconds = ((Date.now() - t0) / 1000).toFixed(0);
console.log(`FUZZ SUMMARY: ${cases} cases, ${failures} failures, seeds ${results.map((r) => r.seed).join(',')}, ${seconds} s`);
process.exit(failures ? 1 : 0);
