/**
 * File discovery and decoding for the CLI (the analysis library does no I/O). Directories are walked recursively for
 * `.sql` files, skipping dot-directories and node_modules; files are decoded by their byte order mark (UTF-8 by
 * default, UTF-16 LE/BE when marked); invalid UTF-8 decodes to U+FFFD instead of failing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export interface InputFile {
  /** The path as shown to the user: relative to the working directory. */
  display: string;
  path: string;
}

export class UsageError extends Error {}

export function collectFiles(paths: string[], cwd = process.cwd()): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push({ path: p, display: relative(cwd, p) || p });
  };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.sql')) add(p);
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
  return out;
}

export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

export function readText(path: string): string {
  return decode(readFileSync(path));
}
