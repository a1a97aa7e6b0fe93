// The CLI-side measurements: whole-corpus lint runs of each tool, interleaved, and a CPU profile of ours that
// separates parse time from analysis time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './proc.mjs';
import { summarizeProfile } from './cpuprofile.mjs';
import { nowMs } from './lsp.mjs';

/** The command lines of the three linters over a list of paths (directories or files). */
export function cliCommands({ dist, squawkBin, pgfenceBin }) {
  return {
    ours: (paths) => [process.execPath, [join(dist, 'cli.js'), 'lint', '--format', 'json', '--fail-on', 'never', ...paths]],
    // squawk takes files and glob patterns, not directories; it exits 1 when it finds violations (no flag turns
    // that off), so its exit code is recorded, not required to be 0.
    squawk: (paths) => [squawkBin, ['--reporter', 'json', ...paths]],
    pgfence: (paths) => [process.execPath, [pgfenceBin, 'analyze', '--output', 'json', ...paths]],
  };
}

/** Runs each named tool `rounds` times, alternating the order every round. */
export async function interleaved(tools, rounds, log) {
  const out = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  const names = Object.keys(tools);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const [cmd, args] = tools[name]();
      const m = await measure(cmd, args, { timeoutMs: 600_000 });
      log(`  ${name} round ${r + 1}: ${(m.wallMs / 1000).toFixed(2)} s, peak ${m.peakRssMb.toFixed(0)} MB, exit ${m.code}`);
      out[name].push(m);
    }
  }
  return out;
}

/**
 * Which top-level corpus folders pgfence finishes (it stops the whole run at the first statement its parser rejects,
 * exit 2). Returns { accepted: [dir], rejected: [{ dir, error }] }.
 */
export async function pgfenceAcceptedDirs(tools, dirs, filesOf) {
  const accepted = [];
  const rejected = [];
  for (const dir of dirs) {
    const [cmd, args] = tools.pgfence(filesOf(dir));
    const m = await measure(cmd, args, { timeoutMs: 120_000 });
    if (m.code === 0) accepted.push(dir);
    else rejected.push({ dir, error: (m.stderrTail.trim().split('\n').pop() ?? '').slice(0, 200), code: m.code });
  }
  return { accepted, rejected };
}

/**
 * Builds an unminified bundle of the CLI (the production bundle's names are mangled), runs it with --cpu-prof over
 * `paths`, and summarizes the profile. Returns { skipped } with the reason when the build fails.
 */
export async function profileCli({ repo, work, paths, prebuilt }) {
  let dist = prebuilt;
  if (!dist) {
    const root = join(work, 'profile-build');
    const b = spawnSync(process.execPath, ['esbuild.mjs', '--no-tests'], { cwd: repo, env: { ...process.env, MG_BUILD_ROOT: root }, encoding: 'utf8' });
    if (b.status !== 0) return { skipped: `unminified build failed: ${(b.stderr || b.stdout).slice(0, 500)}` };
    dist = join(root, 'dist');
  }
  const profDir = join(work, 'profile');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir);
  const start = nowMs();
  const m = await measure(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, join(dist, 'cli.js'), 'lint', '--format', 'json', '--fail-on', 'never', ...paths]);
  const files = existsSync(profDir) ? readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) return { skipped: `no profile written (exit ${m.code}): ${m.stderrTail.slice(0, 300)}` };
  return { wallMs: nowMs() - start, ...summarizeProfile(join(profDir, files[0]), join(dist, 'cli.js'), 12) };
}
