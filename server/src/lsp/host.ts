/**
 * The language server's view of the disk for the analysis library: open documents win over their files on disk
 * (unsaved edits to an earlier migration count), and disk reads are cached by modification time and size, so that
 * re-analyzing on every keystroke costs a stat per earlier migration, not a read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ProjectHost } from '../analysis';
import { decode } from '../cli/files';

interface Cached<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

export class CachedDiskHost implements ProjectHost {
  private readonly files = new Map<string, Cached<string>>();
  private readonly dirs = new Map<string, Cached<string[]>>();

  /** `openText(path)` returns the editor's text for an open document, else undefined. */
  constructor(private readonly openText: (path: string) => string | undefined) {}

  readFile(path: string): string | undefined {
    const open = this.openText(path);
    if (open !== undefined) return open;
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      const hit = this.files.get(path);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
      const value = decode(readFileSync(path));
      this.files.set(path, { mtimeMs: st.mtimeMs, size: st.size, value });
      return value;
    } catch {
      this.files.delete(path);
      return undefined;
    }
  }

  readDir(dir: string): string[] {
    try {
      const st = statSync(dir);
      const hit = this.dirs.get(dir);
      if (hit && hit.mtimeMs === st.mtimeMs) return hit.value;
      const value = readdirSync(dir);
      this.dirs.set(dir, { mtimeMs: st.mtimeMs, size: 0, value });
      return value;
    } catch {
      return [];
    }
  }

  isDirectory(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }
}
