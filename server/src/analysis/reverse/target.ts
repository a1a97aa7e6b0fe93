/**
 * `reverseForMigration`: the reverse of a migration file, placed where its tool looks for the rollback: the
 * `.down.sql` next to a golang-migrate/popx up, diesel's `down.sql`, Flyway's `U<ver>__<desc>.sql`, sqitch's
 * `revert/<change>.sql`, or the down section of a dbmate, goose or node-pg-migrate file. Up-only tools (Prisma,
 * Supabase, …) have no place for it: `downPath` is then undefined and `reason` says why. An existing non-empty down
 * is never overwritten: the generated one goes in `conflicts`.
 */
import { basename, dirname, joinPath, readText, type ProjectHost } from '../project/host';
import { migrationContext } from '../project/context';
import { isCommentOnly } from '../project/sqltext';
import type { Catalog } from '../catalog';
import type { WorkspacePlan } from '../plan';
import { reverseMigration, type ReverseResult } from './index';

export interface ReversePlan extends WorkspacePlan {
  result: ReverseResult;
  /** Where the down goes (for a single-file format: the file itself). */
  downPath?: string;
  /** The down that is there already (for a single-file format: its down section, marker included). */
  existingDown?: string;
  /** Why there is no place for the down (up-only tool, not an up migration). */
  reason?: string;
}

export interface ReverseForMigrationOptions {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  postgresVersion?: number;
  /**
   * The schema before the up, instead of the catalog of the earlier migrations (e.g. that catalog completed with the
   * schema PostgreSQL reports after replaying them: `catalogWithLive`). Not modified.
   */
  catalog?: Catalog;
}

const TITLE = 'Generate reverse migration';

const UP_ONLY: Record<string, string> = {
  prisma: 'Prisma Migrate has no down migrations (it rolls forward; `migrate diff` writes a new migration instead).',
  supabase: 'Supabase migrations are forward-only: there is no down migration file.',
  'graphile-worker': 'graphile-worker migrations are forward-only.',
  'postgres-migrations': 'postgres-migrations is forward-only: it has no down migrations.',
  sqlx: 'This sqlx migration uses the forward-only format (`<version>_<name>.sql`); reversible sqlx migrations are `.up.sql`/`.down.sql` pairs.',
  temporal: 'temporal-sql-tool has no down migrations.',
  none: 'No migration tool was recognized for this file, so there is no conventional place for its down migration.',
};

/** The down file a file-based convention expects for `path`, when it does not exist yet. */
function derivedDownPath(tool: string, path: string): string | undefined {
  const dir = dirname(path);
  const base = basename(path);
  switch (tool) {
    case 'golang-migrate':
    case 'pop':
    case 'popx':
      return /\.up\.(sql|fizz)$/i.test(base) ? joinPath(dir, base.replace(/\.up\.(sql|fizz)$/i, '.down.$1')) : undefined;
    case 'diesel':
      return joinPath(dir, 'down.sql');
    case 'flyway':
      return /^V/.test(base) ? joinPath(dir, `U${base.slice(1)}`) : undefined;
    case 'sqitch': {
      const m = /^(.*[\\/])deploy([\\/].*)$/.exec(path);
      return m ? `${m[1]}revert${m[2]}` : undefined;
    }
    default:
      return undefined;
  }
}

const MARKERS: Record<string, string> = { dbmate: '-- migrate:down', goose: '-- +goose Down', 'node-pg-migrate': '-- Down Migration' };

/** The reverse of the migration at `path` and where it goes; see the module comment. Needs `initParser()`. */
export function reverseForMigration(path: string, host: ProjectHost, opts: ReverseForMigrationOptions = {}): ReversePlan {
  const ctx = migrationContext(path, host, { text: opts.text });
  const conv = ctx.convention;
  const result = reverseMigration(ctx.text, { catalog: opts.catalog ?? ctx.catalog(), assumeInTransaction: ctx.assumeInTransaction, postgresVersion: opts.postgresVersion });
  const plan: ReversePlan = { title: TITLE, edits: [], create: [], preferred: false, result };

  if (conv.role === 'down' || conv.role === 'revert' || conv.role === 'verify') {
    plan.reason = `This file is a ${conv.role} script, not a forward migration.`;
    return plan;
  }
  const marker = MARKERS[conv.tool];
  if (marker && conv.sections) {
    const content = opts.text ?? readText(host, path) ?? '';
    plan.downPath = path;
    let body = result.sql;
    // goose sends a StatementBegin … StatementEnd block as one statement: keep the up's choice.
    if (conv.tool === 'goose' && /^--\s*\+goose StatementBegin\s*$/m.test(content.slice(conv.sections.up.start, conv.sections.up.end)) && body) {
      body = `-- +goose StatementBegin\n${body}-- +goose StatementEnd\n`;
    }
    const down = conv.sections.down;
    if (down) {
      plan.existingDown = content.slice(down.start, down.end);
      const nl = content.indexOf('\n', down.start);
      const bodyStart = nl < 0 || nl > down.end ? down.end : nl + 1;
      if (!isCommentOnly(content, bodyStart, down.end)) {
        plan.conflicts = [{ path, text: `${content.slice(0, bodyStart)}${nl < 0 ? '\n' : ''}${body}${content.slice(down.end)}` }];
      } else {
        const prefix = nl < 0 ? '\n' : '';
        plan.edits = [{ start: bodyStart, end: down.end, newText: `${prefix}${body}` }];
      }
    } else {
      const sep = content.length === 0 || content.endsWith('\n') ? '' : '\n';
      plan.edits = [{ start: content.length, end: content.length, newText: `${sep}\n${marker}\n${body}` }];
    }
    return plan;
  }
  const up = UP_ONLY[conv.tool];
  if (up || (conv.tool === 'goose' || conv.tool === 'dbmate' || conv.tool === 'node-pg-migrate')) {
    plan.reason = up ?? `No place for a down migration in this ${conv.tool} file.`;
    return plan;
  }
  const downPath = ctx.downPath ?? derivedDownPath(conv.tool, path);
  if (!downPath) {
    plan.reason = `${conv.tool} has no down migration for ${basename(path)}.`;
    return plan;
  }
  plan.downPath = downPath;
  const existing = ctx.downText ?? readText(host, downPath);
  if (existing !== undefined) plan.existingDown = existing;
  if (existing !== undefined && existing.trim() !== '') plan.conflicts = [{ path: downPath, text: result.sql }];
  else plan.create = [{ path: downPath, text: result.sql }];
  return plan;
}
