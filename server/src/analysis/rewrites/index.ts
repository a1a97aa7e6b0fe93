/**
 * The rewrite registry (one line per rewrite; a test checks every rewrite file is registered once) and `rewritesAt`,
 * the entry point for code actions: text, cursor and context in, the rewrites of the statement under the cursor out.
 * Pure: no I/O. Offsets are UTF-16.
 */
import { Catalog } from '../catalog';
import { computeFacts } from '../context';
import { resolveOptions } from '../options';
import { parseFile } from '../parse';
import type { Span } from '../text';
import addColumnBackfill from './add-column-backfill';
import addConstraintNotValid from './add-constraint-not-valid';
import addLockTimeout from './add-lock-timeout';
import addUniqueUsingIndex from './add-unique-using-index';
import changeColumnType from './change-column-type';
import createIndexConcurrently from './create-index-concurrently';
import detachPartitionConcurrently from './detach-partition-concurrently';
import dropIndexConcurrently from './drop-index-concurrently';
import reindexConcurrently from './reindex-concurrently';
import renameColumn from './rename-column';
import renameTable from './rename-table';
import setNotNull from './set-not-null';
import { resolvePhaseOptions } from './phases';
import type { RewriteDefinition, RewriteOptions, RewriteResult } from './rewrite';

export const REWRITES: readonly RewriteDefinition[] = [
  addColumnBackfill,
  addConstraintNotValid,
  addLockTimeout,
  addUniqueUsingIndex,
  changeColumnType,
  createIndexConcurrently,
  detachPartitionConcurrently,
  dropIndexConcurrently,
  reindexConcurrently,
  renameColumn,
  renameTable,
  setNotNull,
];

export type RewriteAt = RewriteResult & { id: string; statementIndex: number; span: Span };

/**
 * The rewrites offered for the statement at `offset` (from its first token through its `;`), the multi-migration
 * ones first, `add-lock-timeout` last. `initParser()` must have resolved.
 */
export function rewritesAt(text: string, offset: number, opts: RewriteOptions = {}): RewriteAt[] {
  const file = parseFile(text);
  const statement = file.statements.find((s) => offset >= s.span.start && offset <= s.end);
  if (!statement?.node) return [];
  const analysis = resolveOptions({ postgresVersion: opts.postgresVersion, assumeInTransaction: opts.assumeInTransaction });
  const facts = computeFacts(file, analysis);
  const catalog = opts.catalog ? opts.catalog.clone() : new Catalog();
  for (const s of file.statements.slice(0, statement.index)) catalog.apply(s.node);
  const options = resolvePhaseOptions({ ...opts, postgresVersion: analysis.postgresVersion });
  const ctx = { statement, facts: facts.statements[statement.index], file: facts, catalog, options };
  const out: RewriteAt[] = [];
  for (const r of REWRITES) {
    const result = r.rewrite(ctx);
    if (result) out.push({ ...result, id: r.id, statementIndex: statement.index, span: { start: statement.span.start, end: statement.end } });
  }
  return out.sort((a, b) => Number(a.id === 'add-lock-timeout') - Number(b.id === 'add-lock-timeout'));
}

export { phaseGenerators } from './phases';
export * from './phases';
export { renderPhase, type RewriteDefinition, type RewriteOptions, type RewriteResult, type RewriteExample, type RewriteContext } from './rewrite';
