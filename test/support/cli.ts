/** Runs the bundled CLI (`dist/cli.js`) as a child process, for the CLI test suites; and its JSON output's types. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Tests are bundled into dist-test/, so the repository is one level up. */
export const CLI_JS = join(__dirname, '..', 'dist', 'cli.js');
export const REPO = process.cwd();

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = REPO, input?: string): Run {
  const r = spawnSync(process.execPath, [CLI_JS, ...args], { cwd, encoding: 'utf8', timeout: 60_000, input });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One finding of `lint --format json`. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  help: string | null;
  lock: { relation: string; mode: string }[];
}
