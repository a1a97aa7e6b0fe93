/**
 * `migration-guard reverse FILE [--dir MIGRATIONS_DIR] [--pg-version N] [--config PATH]`: prints the generated down
 * migration of FILE. The schema before FILE comes from the earlier migrations of its folder (as `lint` sees them);
 * with --dir, from every forward migration of that folder when FILE is not one of them (a new migration kept
 * elsewhere). Exit codes: 0 fully reversible, 3 some part is irreversible (the SQL is still printed with its
 * `-- IRREVERSIBLE:` lines), 2 usage or I/O error, or a file none of whose statements parse.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCatalogCache, parseFile, resolveConfig } from '../analysis';
import { reverseMigration, type ReverseResult } from '../analysis/reverse';
import { reverseForMigration } from '../analysis/reverse/target';
import { CachedDiskHost } from '../host/disk';
import { readText, UsageError } from './files';
import { dirMigrations, parsePgVersion } from './flags';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}



export function reverse(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { dir: { type: 'string' }, 'pg-version': { type: 'string' }, config: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('reverse needs exactly one migration file');
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${positionals[0]}`);
  const host = new CachedDiskHost({ snapshot: true });
  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = resolve(io.cwd, values.config);
    if (!existsSync(configPath) || !statSync(configPath).isFile()) throw new UsageError(`--config: no such file: ${values.config}`);
  }
  const config = resolveConfig(path, host, { configPath, overrides: { postgresVersion: parsePgVersion(values['pg-version']) } });
  for (const p of config.problems) io.err(`migration-guard: warning: ${relative(io.cwd, p.path) || p.path}:${p.range.start.line + 1}: ${p.message}`);
  const postgresVersion = config.options.postgresVersion;
  const text = readText(path);

  const statements = parseFile(text).statements;
  if (statements.length > 0 && statements.every((s) => s.error)) {
    io.err(`migration-guard: ${positionals[0]}: no statement parses (${statements[0].error?.message ?? 'syntax error'})`);
    return 2;
  }

  let result: ReverseResult;
  let where: string | undefined;
  const dir = values.dir === undefined ? undefined : resolve(io.cwd, values.dir);
  if (dir !== undefined && (!existsSync(dir) || !statSync(dir).isDirectory())) throw new UsageError(`--dir: no such directory: ${values.dir}`);
  const plan = reverseForMigration(path, host, { text, postgresVersion });
  const inside = dir !== undefined && plan.result && relative(dir, path).split(/[\\/]/)[0] !== '..' && plan.downPath !== undefined;
  if (dir !== undefined && !inside) {
    const catalog = defaultCatalogCache.catalogFor(dirMigrations(dir, host, path));
    result = reverseMigration(text, { catalog, postgresVersion, assumeInTransaction: config.options.assumeInTransaction });
  } else {
    result = plan.result;
    where = plan.downPath ?? plan.reason;
  }
  io.out(result.sql.replace(/\n$/, ''));
  if (where) io.err(`migration-guard: down migration for ${relative(io.cwd, path) || path}: ${plan.downPath ? relative(io.cwd, plan.downPath) || plan.downPath : where}`);
  if (!result.complete) {
    io.err(`migration-guard: ${result.irreversible.length} part(s) cannot be undone (see the -- IRREVERSIBLE lines)`);
    return 3;
  }
  return 0;
}
