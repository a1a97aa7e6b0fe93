/**
 * File discovery and decoding for the CLI (the analysis library does no I/O). Directories are walked recursively for
 * `.sql` files, skipping dot-directories, node_modules and whatever `--exclude` matches; files are decoded by their
 * byte order mark (UTF-8 by default, UTF-16 LE/BE when marked); invalid UTF-8 decodes to U+FFFD instead of failing.
 * Also the file-system `ConfigHost` through which the library reads config files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { globMatcher, relativePath, type ProjectHost } from '../analysis';

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

export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

export function readText(path: string): string {
  return decode(readFileSync(path));
}

/** All of standard input, decoded like a file. */
export function readStdin(): string {
  return decode(readFileSync(0));
}

/** Reads config files from disk, once each (every migration of a folder asks for the same files). */
/**
 * The disk as the analysis library's host (config files, migration folders). Reads are memoized for the run: a
 * folder's earlier migrations are read once however many of its files are linted.
 */
export function fileSystemHost(): ProjectHost {
  const cache = new Map<string, string | undefined>();
  const dirs = new Map<string, string[]>();
  return {
    readFile(path) {
      if (!cache.has(path)) {
        let text: string | undefined;
        try {
          text = statSync(path).isFile() ? decode(readFileSync(path)) : undefined;
        } catch {
          text = undefined;
        }
        cache.set(path, text);
      }
      return cache.get(path);
    },
    readDir(dir) {
      let entries = dirs.get(dir);
      if (!entries) {
        try {
          entries = readdirSync(dir);
        } catch {
          entries = [];
        }
        dirs.set(dir, entries);
      }
      return entries;
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
