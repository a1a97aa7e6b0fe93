/**
 * The file access the project layer needs, passed in by the caller (the CLI reads the disk, the language server
 * prefers open documents), so the analysis library stays free of I/O. Paths are whatever the host uses: both `/`
 * and `\` are separators here, and a joined path keeps the separator of the directory it extends.
 */

export interface ProjectHost {
  /** Entry names (not paths) of a directory; `[]` (or a throw) when it does not exist. */
  readDir(dir: string): string[];
  isDirectory(path: string): boolean;
  /** The file's text, or `undefined` when it cannot be read. */
  readFile(path: string): string | undefined;
}

/** `readDir` that never throws. */
export function listDir(host: ProjectHost, dir: string): string[] {
  try {
    return host.readDir(dir) ?? [];
  } catch {
    return [];
  }
}

export function readText(host: ProjectHost, path: string): string | undefined {
  try {
    return host.readFile(path);
  } catch {
    return undefined;
  }
}

export function isDir(host: ProjectHost, path: string): boolean {
  try {
    return host.isDirectory(path);
  } catch {
    return false;
  }
}

function lastSeparator(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
}

/** The directory part of a path (`''` for a bare name, the root for a file at the root). */
export function dirname(path: string): string {
  const i = lastSeparator(path);
  if (i < 0) return '';
  return i === 0 || (i === 2 && path[1] === ':') ? path.slice(0, i + 1) : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(lastSeparator(path) + 1);
}

export function joinPath(dir: string, ...names: string[]): string {
  let out = dir;
  for (const name of names) {
    if (!out) {
      out = name;
      continue;
    }
    const sep = out.includes('\\') && !out.includes('/') ? '\\' : '/';
    out = out.endsWith('/') || out.endsWith('\\') ? out + name : out + sep + name;
  }
  return out;
}

/** The path segments after `dir` (which must be an ancestor of `path`), joined with `/`. */
export function relativeTo(dir: string, path: string): string {
  const rest = path.slice(dir.length).replace(/^[\\/]+/, '');
  return rest.replace(/\\/g, '/');
}
