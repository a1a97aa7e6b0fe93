/** An up migration without the down its tool and project expect: it cannot be rolled back. */
import { defineRule, type RollbackContext } from '../rule';
import type { FileFacts } from '../context';
import type { Span } from '../text';

/** The first line of the file's first statement (the top of the file when it has none). */
export function fileHead(file: FileFacts): Span {
  const first = file.file.statements[0];
  if (!first) return { start: 0, end: 0 };
  const text = file.file.text;
  const nl = text.slice(first.span.start, first.span.end).search(/[\r\n]/); // before a \r\n, not between its halves
  return { start: first.span.start, end: nl < 0 ? first.span.end : first.span.start + nl };
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Where the down should be, for the message. */
function where(r: RollbackContext): string {
  if (r.downPath && !r.sameFile) return `\`${baseName(r.downPath)}\` does not exist`;
  if (r.tool === 'dbmate') return 'no `-- migrate:down` section';
  if (r.tool === 'goose') return 'no `-- +goose Down` section';
  if (r.tool === 'node-pg-migrate') return 'no `-- Down Migration` section';
  return 'no down file';
}

export default defineRule({
  id: 'require-down-migration',
  description: 'An up migration should have the down migration its tool and project expect.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    missing: 'This migration has no down migration ({where}), although the {tool} migrations of this project have them: it cannot be rolled back.',
    upOnly: '{tool} migrations have no down migration: undoing this one means writing a new migration that reverses it.',
    marked: 'The down migration of this file is empty (comments only): rolling back runs nothing, so the migration is marked irreversible.',
  },
  help: 'Write the down migration (the "Generate Reverse Migration" command drafts it), or leave it empty with a comment saying why the migration cannot be undone.',
  docs: {
    rationale:
      'A rollback that does not exist cannot be run when a deploy goes wrong. Where the tool has down migrations (golang-migrate and sqlx `.down.sql`, diesel `down.sql`, dbmate `-- migrate:down`, goose `-- +goose Down`, node-pg-migrate `-- Down Migration`, Flyway `U` scripts, sqitch `revert/`) and the project writes them, a missing one is a warning. Tools without rollbacks (Prisma, Supabase, forward-only sqlx, …) get an information note. An empty or comment-only down is an explicit "irreversible" marker: it is respected and reported as information, not as missing. Findings need the migration project (the CLI and the editor supply it): plain SQL outside a migration folder is not checked.',
    bad: [
      { sql: 'ALTER TABLE users ADD COLUMN nickname text;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: 'migrations/000042_add_nickname.down.sql' } },
      { sql: 'CREATE INDEX users_email_idx ON users (email);', rollback: { role: 'up', tool: 'prisma', expectation: 'information' } },
      { sql: 'DROP TABLE legacy_sessions;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: 'migrations/000043_drop_legacy.down.sql', downText: '-- irreversible: the sessions are gone\n', irreversibleMarker: true } },
    ],
    good: [
      {
        sql: 'ALTER TABLE users ADD COLUMN nickname text;',
        rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: 'migrations/000042_add_nickname.down.sql', downText: 'ALTER TABLE users DROP COLUMN nickname;\n' },
      },
      'ALTER TABLE users ADD COLUMN nickname text;',
    ],
  },
  checkFile({ file, rollback, report }) {
    if (rollback?.role !== 'up') return;
    const span = fileHead(file);
    const tool = rollback.tool ?? 'This tool';
    if (rollback.irreversibleMarker) {
      report({ messageId: 'marked', span, statementIndex: -1, severity: 'info' });
      return;
    }
    if (rollback.downText !== undefined) return;
    if (rollback.expectation === 'required') report({ messageId: 'missing', data: { where: where(rollback), tool }, span, statementIndex: -1 });
    else report({ messageId: 'upOnly', data: { tool: tool.charAt(0).toUpperCase() + tool.slice(1) }, span, statementIndex: -1, severity: 'info' });
  },
});
