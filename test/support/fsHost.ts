/**
 * `ProjectHost` implementations for tests: the real file system, an in-memory tree, and an overlay that adds files
 * to another host (to supply tool metadata, like diesel's `metadata.toml` or a `sqitch.plan`, a folder lacks).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ProjectHost } from '../../server/src/analysis/project';

export function fsHost(): ProjectHost {
  return {
    readDir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    isDirectory: (path) => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

function norm(path: string): string {
  return path.replace(/[\\/]+/g, '/').replace(/\/$/, '');
}

/** The directories that hold `files` (every ancestor of every file path). */
function directoriesOf(files: Iterable<string>): Map<string, Set<string>> {
  const dirs = new Map<string, Set<string>>();
  for (const file of files) {
    const parts = norm(file).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') || '/';
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]);
    }
  }
  return dirs;
}

/** A read-only tree from `{ 'path/to/file.sql': 'text' }`; directories are implied by the paths. */
export function memoryHost(files: Record<string, string>): ProjectHost {
  const byPath = new Map(Object.entries(files).map(([p, t]) => [norm(p), t]));
  const dirs = directoriesOf(byPath.keys());
  return {
    readDir: (dir) => [...(dirs.get(norm(dir)) ?? [])],
    isDirectory: (path) => dirs.has(norm(path)),
    readFile: (path) => byPath.get(norm(path)),
  };
}

/** `base` with `files` added (or replaced). */
export function overlayHost(base: ProjectHost, files: Record<string, string>): ProjectHost {
  const byPath = new Map(Object.entries(files).map(([p, t]) => [norm(p), t]));
  const dirs = directoriesOf(byPath.keys());
  return {
    readDir: (dir) => [...new Set([...base.readDir(dir), ...(dirs.get(norm(dir)) ?? [])])],
    isDirectory: (path) => dirs.has(norm(path)) || base.isDirectory(path),
    readFile: (path) => byPath.get(norm(path)) ?? base.readFile(path),
  };
}

/** `base` with every answer remembered: for read-only trees (the corpus) read many times over. */
export function memoizedHost(base: ProjectHost): ProjectHost {
  const dirs = new Map<string, string[]>();
  const isDirs = new Map<string, boolean>();
  const files = new Map<string, string | undefined>();
  const remember = <V>(map: Map<string, V>, key: string, compute: () => V): V => {
    if (!map.has(key)) map.set(key, compute());
    return map.get(key) as V;
  };
  return {
    readDir: (dir) => remember(dirs, dir, () => base.readDir(dir)),
    isDirectory: (path) => remember(isDirs, path, () => base.isDirectory(path)),
    readFile: (path) => remember(files, path, () => base.readFile(path)),
  };
}
