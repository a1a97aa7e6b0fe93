/**
 * What the rewrites share: whether a rule reports the statement (a rewrite is offered only where a rule it fixes
 * reports), the text of a part of the statement, the table's key from the catalog, and placing phase 0 in the
 * current file (moved out when it cannot run in the file's transaction; wrapped in BEGIN … COMMIT when its
 * statements must commit together and the file has no transaction).
 */
import type { AlterTableCmd, AlterTableStmt, RangeVar } from '@pgsql/types';
import { as } from '../ast';
import { resolveOptions } from '../options';
import { parseFile } from '../parse';
import type { Phase } from '../plan';
import type { Fix } from '../rule';
import { RULES_BY_ID } from '../rules';
import type { Token } from '../tokens';
import type { RewriteContext, RewriteResult } from './rewrite';
import type { TableName } from './sql';

/** The findings (with their fixes) that rule `id` reports on the statement. */
export function ruleReports(ctx: RewriteContext, id: string): { messageId: string; fix?: Fix }[] {
  const rule = RULES_BY_ID.get(id);
  const out: { messageId: string; fix?: Fix }[] = [];
  rule?.check?.({
    statement: ctx.statement,
    facts: ctx.facts,
    file: ctx.file,
    options: resolveOptions({ postgresVersion: ctx.options.postgresVersion, assumeInTransaction: ctx.file.options.assumeInTransaction }),
    catalog: ctx.catalog,
    report: (r) => out.push({ messageId: r.messageId, fix: r.fix }),
  });
  return out;
}

export function reports(ctx: RewriteContext, ...ids: string[]): boolean {
  return ids.some((id) => ruleReports(ctx, id).length > 0);
}

/** The statement when it is an ALTER TABLE with exactly one subcommand, of type `subtype`. */
export function soleAlterCommand(ctx: RewriteContext, subtype: string): { alter: AlterTableStmt; cmd: AlterTableCmd } | undefined {
  const alter = as<AlterTableStmt>(ctx.statement.node, 'AlterTableStmt');
  if (alter?.cmds?.length !== 1) return undefined;
  const cmd = as<AlterTableCmd>(alter.cmds[0], 'AlterTableCmd');
  return cmd?.subtype === subtype ? { alter, cmd } : undefined;
}

export function tableName(rv: RangeVar | undefined): TableName {
  return { schema: rv?.schemaname, table: rv?.relname ?? '?' };
}

/** The single-column primary key the catalog knows for the table. */
export function primaryKey(ctx: RewriteContext, rv: RangeVar | undefined): string | undefined {
  const pk = ctx.catalog.table(rv)?.constraints.find((k) => k.kind === 'primary');
  return pk?.columns.length === 1 ? pk.columns[0] : undefined;
}

/** The file's text from token `from` through token `to` (inclusive). */
export function tokenText(ctx: RewriteContext, tokens: readonly Token[], from: number, to: number): string {
  return ctx.file.file.text.slice(tokens[from].start, tokens[to].end);
}

/** The statement's text with a rule fix's edits applied (offsets are the file's). */
export function applyFix(ctx: RewriteContext, fix: Fix): string {
  let text = ctx.statement.text;
  const base = ctx.statement.span.start;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, e.start - base) + e.newText + text.slice(e.end - base);
  }
  return text;
}

const SET_LINE = /^SET (?:lock|statement)_timeout = '[^']*';\n/gm;

/**
 * The result for the current file. When phase 0 cannot run in the file's transaction, a comment takes the
 * statement's place and the phases move to new files. The prologue is left out of the replacement when the file
 * already set lock_timeout before the statement.
 */
export function place(ctx: RewriteContext, title: string, preferred: boolean, phases: Phase[], what: string): RewriteResult {
  if (ctx.facts.inTransaction && !phases[0].inTransaction) {
    const moved: Phase = {
      kind: 'standalone',
      name: 'moved',
      header: '-- Deploy 1: this migration.',
      up: `-- ${what} moved to the next migration: it cannot run inside a transaction block.\n`,
      inTransaction: true,
    };
    phases = [moved, ...phases];
    return { title: `${title} (${phases.length - 1} new migration${phases.length > 2 ? 's' : ''})`, preferred, replacement: moved.up.trimEnd(), phases };
  }
  let replacement = ctx.facts.lockTimeoutSet ? phases[0].up.replace(SET_LINE, '') : phases[0].up;
  const statements = parseFile(replacement).statements.filter((s) => s.kind !== 'VariableSetStmt').length;
  if (!ctx.facts.inTransaction && phases[0].inTransaction && statements > 1) replacement = `BEGIN;\n${replacement}COMMIT;\n`;
  const extra = phases.length - 1;
  return { title: extra ? `${title} (${extra} more migration${extra > 1 ? 's' : ''})` : title, preferred, replacement: replacement.trimEnd(), phases };
}
