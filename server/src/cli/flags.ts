/**
 * Flags that several CLI commands share (`--pg-version`, `--dir`), parsed and checked in one place so the commands
 * accept and reject the same values with the same message.
 */
import { resolve } from 'node:path';
import { folderMigrations, type ProjectHost } from '../analysis';
import { MAX_POSTGRES_VERSION, MIN_POSTGRES_VERSION } from '../analysis/config';
import { UsageError } from './files';

/** `--pg-version N`: a major version the lock model knows (undefined when the flag is absent). */
export function parsePgVersion(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < MIN_POSTGRES_VERSION || n > MAX_POSTGRES_VERSION) {
    throw new UsageError(`--pg-version must be a major version from ${MIN_POSTGRES_VERSION} to ${MAX_POSTGRES_VERSION}, got "${v}"`);
  }
  return n;
}

/** `--dir DIR` of `reverse`, `trace` and `verify`: the forward migrations of the folder's sequence, without `except`. */
export function dirMigrations(dir: string, host: ProjectHost, except: string): { path: string; text: string }[] {
  const all = folderMigrations(dir, host);
  if (!all) throw new UsageError(`--dir: no migrations found in ${dir}`);
  return all.filter((m) => resolve(m.path) !== except);
}
