/**
 * The CONCURRENTLY forms shared by the index and partition rewrites: the rule's own fix (CONCURRENTLY inserted) as a
 * phase that runs outside a transaction block, moved to a new migration when the file runs in one.
 */
import type { Phase } from '../plan';
import { applyFix, place, ruleReports } from './helpers';
import type { RewriteContext, RewriteResult } from './rewrite';
import { prologue } from './sql';

export function concurrentRewrite(ctx: RewriteContext, ruleId: string, what: string, before: (sql: string) => string, down: string, lockTimeout = false): RewriteResult | undefined {
  const fix = ruleReports(ctx, ruleId).find((r) => r.fix)?.fix;
  if (!fix) return undefined;
  const sql = applyFix(ctx, fix);
  const phase: Phase = {
    kind: 'standalone',
    name: what.toLowerCase().replace(/[^a-z]+/g, '_') + '_concurrently',
    header: `-- ${what} CONCURRENTLY: reads and writes continue; it cannot run inside a transaction block.`,
    up: `${lockTimeout ? prologue(ctx.options) : ''}${before(sql)}${sql};\n`,
    down,
    inTransaction: false,
  };
  return place(ctx, 'Use CONCURRENTLY', !ctx.facts.inTransaction, [phase], what);
}
