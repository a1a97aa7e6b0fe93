/**
 * File discovery for the CLI (the analysis library does no I/O). Directories are walked recursively for `.sql` files,
 * skipping dot-directories, node_modules and whatever `--exclude` matches; files and standard input are decoded like
 * the editor's disk host does (`decode` in host/disk.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { globMatcher, relativePath } from '../analysis';
import { decode } from '../host/disk';

export interface InputFile {
  /** The path as shown to the user: relative to the working directory. */
  display: string;
  /** Absolute path; for standard input, where `--stdin-filename` says it lives (used to find its config). */
  path: string;
  /** The text, when it does not come from `path` (standard input). */
  text?: string;
}

export class UsageError extends Error {}

/** What the walk found, and how many paths `--exclude` left out. */
export interface Collected {
  files: InputFile[];
  excluded: number;
}

/** `--exclude` globs as a test on absolute paths; the globs are relative to the working directory. */
export function excludeMatcher(exclude: readonly string[], cwd: string): (path: string) => boolean {
  const matches = globMatcher(exclude);
  return (p) => matches(relativePath(cwd, p));
}

export function collectFiles(paths: string[], cwd = process.cwd(), exclude: readonly string[] = []): Collected {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const isExcluded = excludeMatcher(exclude, cwd);
  let excluded = 0;
  const add = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    if (isExcluded(p)) excluded++;
    else out.push({ path: p, display: relative(cwd, p) || p });
  };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (isExcluded(p)) excluded++;
        else walk(p);
      } else if (e.isFile() && e.name.toLowerCase().endsWith('.sql')) add(p);
    }
  };
  for (const given of paths) {
    const p = resolve(cwd, given);
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${given}`);
    }
    if (st.isDirectory()) walk(p);
    else add(p);
  }
  return { files: out, excluded };
}

export function readText(path: string): string {
  return decode(readFileSync(path));
}

/** All of standard input, decoded like a file. */
export function readStdin(): string {
  return decode(readFileSync(0));
}
