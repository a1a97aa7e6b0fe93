/**
 * The disk as the analysis library's host, shared by the CLI and the language server. Files are decoded by their
 * byte order mark (UTF-8 by default, UTF-16 LE/BE when marked; invalid UTF-8 becomes U+FFFD). Reads are cached by
 * modification time and size, so re-analyzing on every keystroke costs a stat per earlier migration, not a read,
 * and a CLI run reads each file once. In the editor, open documents win over their files on disk (unsaved edits to
 * an earlier migration count).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ProjectHost } from '../analysis';

export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

interface Cached<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

export interface DiskHostOptions {
  /** The editor's text for an open document, else undefined. */
  openText?: (path: string) => string | undefined;
  /**
   * Files do not change while this host lives (one CLI run): each path is read or listed once, misses included, with
   * no stat to revalidate (a folder's earlier migrations are asked for once per file linted in it).
   */
  snapshot?: boolean;
}

export class CachedDiskHost implements ProjectHost {
  private readonly files = new Map<string, Cached<string | undefined>>();
  private readonly dirs = new Map<string, Cached<string[]>>();
  private readonly openText: (path: string) => string | undefined;
  private readonly snapshot: boolean;

  constructor(options: DiskHostOptions = {}) {
    this.openText = options.openText ?? (() => undefined);
    this.snapshot = options.snapshot ?? false;
  }

  readFile(path: string): string | undefined {
    const open = this.openText(path);
    if (open !== undefined) return open;
    const hit = this.files.get(path);
    if (hit && this.snapshot) return hit.value;
    try {
      const st = statSync(path);
      if (!st.isFile()) return this.remember(path, undefined);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
      const value = decode(readFileSync(path));
      this.files.set(path, { mtimeMs: st.mtimeMs, size: st.size, value });
      return value;
    } catch {
      return this.remember(path, undefined);
    }
  }

  /** Records a miss: kept in a snapshot, forgotten otherwise (the file may appear). */
  private remember(path: string, value: undefined): undefined {
    if (this.snapshot) this.files.set(path, { mtimeMs: 0, size: 0, value });
    else this.files.delete(path);
    return value;
  }

  readDir(dir: string): string[] {
    const hit = this.dirs.get(dir);
    if (hit && this.snapshot) return hit.value;
    try {
      const st = statSync(dir);
      if (hit && hit.mtimeMs === st.mtimeMs) return hit.value;
      const value = readdirSync(dir);
      this.dirs.set(dir, { mtimeMs: st.mtimeMs, size: 0, value });
      return value;
    } catch {
      if (this.snapshot) this.dirs.set(dir, { mtimeMs: 0, size: 0, value: [] });
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
