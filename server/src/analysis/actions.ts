/**
 * Workspace actions as plans: the expand-contract rewrites of the statement at a position and a new empty migration,
 * each turned into a `WorkspacePlan` (edits to this file plus new files named by the folder's convention). The
 * language server's code actions and palette commands and the CLI call these, so they produce the same files.
 * Pure: the folder is read through the `ProjectHost`; `initParser()` must have resolved.
 */
import { phasesForTool } from './rewrites/one-statement';
import { resolveConfig } from './config';
import type { WorkspacePlan } from './plan';
import { migrationContext, type ProjectHost } from './project';
import { newMigration, newMigrationFiles, type NewMigrationFiles } from './project/naming';
import { rewritesAt, type RewriteOptions } from './rewrites';
import type { Span } from './text';

export interface RewritePlan extends WorkspacePlan {
  /** The rewrite's id (`rename-column`, …). */
  id: string;
  statementIndex: number;
  span: Span;
  /** How many migrations the change spans (this file included). */
  phases: number;
  notes: string[];
}

export interface RewritePlanOptions extends Pick<RewriteOptions, 'lockTimeout' | 'statementTimeout' | 'batchSize'> {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  /** Editor default; the config file and the migration tool rank above it as for `analyzeMigration`. */
  postgresVersion?: number;
  /** The clock for timestamp-named migrations. */
  now?: Date;
}

function toPlan(title: string, files: NewMigrationFiles): Pick<WorkspacePlan, 'create' | 'conflicts' | 'fileEdits'> & { title: string } {
  return { title, create: files.create, conflicts: files.conflicts, fileEdits: files.edits.length ? files.edits : undefined };
}

/**
 * The rewrites offered for the statement at `offset` of the migration at `path`: the statement is replaced by the
 * expand phase, and the later phases become new migrations after the folder's last one (ups and downs where the
 * convention has them). A plan whose later files already exist lists them as conflicts and is never preferred.
 */
export function rewritePlansAt(path: string, host: ProjectHost, offset: number, opts: RewritePlanOptions = {}): RewritePlan[] {
  const text = opts.text ?? host.readFile(path) ?? '';
  const config = resolveConfig(path, host, { defaults: { postgresVersion: opts.postgresVersion } });
  const context = migrationContext(path, host, { text });
  const rewrites = rewritesAt(context.text, offset, {
    catalog: context.catalog(),
    assumeInTransaction: config.options.assumeInTransaction ?? context.assumeInTransaction,
    postgresVersion: config.options.postgresVersion,
    lockTimeout: opts.lockTimeout,
    statementTimeout: opts.statementTimeout,
    batchSize: opts.batchSize,
  });
  // A tool that sends a file as one query runs a multi-statement file in one implicit transaction, where CONCURRENTLY
  // fails: its phases outside a transaction are written one statement per migration.
  const tool = context.convention.tool;
  return rewrites.map((r) => {
    // The phase that replaces the statement here too: its first statement stays, the others go to new migrations.
    const first = phasesForTool(tool, r.phases.slice(0, 1));
    const replacement = first.length > 1 ? first[0].up.replace(/\n$/, '') : r.replacement;
    const later = [...first.slice(1), ...phasesForTool(tool, r.phases.slice(1))];
    const files = later.length
      ? newMigrationFiles(path, host, later.map((p) => ({ name: p.name, up: p.up, down: p.down, header: p.header, inTransaction: p.inTransaction })), { now: opts.now })
      : undefined;
    const notes = [...(files?.notes ?? [])];
    if (later.length && context.downPath && context.downPath !== path && context.downText?.trim()) {
      notes.push(`The down migration ${context.downPath} still undoes the original statement; replace that part with: ${first[0].down ?? '(nothing)'}`);
    }
    return {
      id: r.id,
      statementIndex: r.statementIndex,
      span: r.span,
      phases: 1 + later.length,
      notes,
      title: r.title.replace(/\(\d+ more migrations?\)/, `(${later.length} more migration${later.length === 1 ? '' : 's'})`),
      edits: [{ start: r.span.start, end: r.span.end, newText: replacement }],
      create: files?.create ?? [],
      conflicts: files?.conflicts.length ? files.conflicts : undefined,
      fileEdits: files?.edits.length ? files.edits : undefined,
      preferred: r.preferred && !files?.conflicts.length,
    };
  });
}

/** One empty migration named by the convention of the folder `dirOrPath` names (with its down where there is one). */
export function newMigrationPlan(dirOrPath: string, host: ProjectHost, name: string, opts: { now?: Date } = {}): WorkspacePlan & { notes: string[] } {
  const files = newMigration(dirOrPath, host, name, opts);
  return { ...toPlan(`New migration ${name}`, files), edits: [], notes: files.notes };
}
