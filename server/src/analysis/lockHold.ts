/**
 * How long locks are held. PostgreSQL releases a table lock only when the transaction that took it ends ("Explicit
 * Locking", section 13.3 of the docs), so an ACCESS EXCLUSIVE lock taken early in a transaction is held across every
 * later statement of it. This module answers, for one statement: which ACCESS EXCLUSIVE locks on pre-existing
 * relations are still held from earlier statements of its transaction, and which relations it reads or rewrites in
 * full (the work that makes a lock last minutes instead of milliseconds).
 */
import type { AlterTableCmd, AlterTableStmt, Node } from '@pgsql/types';
import { as, relationKey } from './ast';
import type { FileFacts, StatementFacts } from './context';
import { modeLabel, statementEffect, type LockMode } from './locks';
import type { RuleContext } from './rule';
import { provenNotNull, tableBefore } from './tableBefore';
import type { Statement } from './parse';

export interface HeldLock {
  /** As written in the statement that took the lock. */
  relation: string;
  key: string;
  /** The statement that took it. */
  statement: Statement;
}

const ENDS_TRANSACTION = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED']);
const DROPS_RELATION = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);
const STARTS_TRANSACTION = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);

interface TransactionMap {
  /** Index of the first statement of each statement's transaction; -1 for a statement that commits on its own. */
  first: number[];
  /** ACCESS EXCLUSIVE locks held when each statement starts. */
  held: HeldLock[][];
}

/** Computed in one pass per analyzed file (the cache entry dies with the file's facts). */
const transactions = new WeakMap<FileFacts, TransactionMap>();

function transactionMap(file: FileFacts): TransactionMap {
  const cached = transactions.get(file);
  if (cached) return cached;
  const map: TransactionMap = { first: [], held: [] };
  let first = -1;
  let held: HeldLock[] = [];
  file.file.statements.forEach((stmt, i) => {
    const facts = file.statements[i];
    const tk = as<{ kind?: string }>(stmt.node, 'TransactionStmt')?.kind ?? '';
    if (!facts?.inTransaction || STARTS_TRANSACTION.has(tk)) {
      first = facts?.inTransaction ? i : -1;
      held = [];
    } else if (first < 0) {
      first = i; // the tool wraps the file (assumeInTransaction), or a statement after COMMIT under it
    }
    map.first.push(first);
    map.held.push(held);
    if (ENDS_TRANSACTION.has(tk)) {
      first = -1;
      held = [];
      return;
    }
    if (!facts?.inTransaction || DROPS_RELATION.has(as<{ removeType?: string }>(stmt.node, 'DropStmt')?.removeType ?? '')) return;
    const added = facts.effect.locks.filter((l) => l.mode === 'AccessExclusiveLock' && !facts.createdBefore.has(l.key) && !held.some((h) => h.key === l.key));
    if (added.length > 0) held = [...held, ...added.map((l) => ({ relation: l.relation, key: l.key, statement: stmt }))];
  });
  transactions.set(file, map);
  return map;
}

/**
 * ACCESS EXCLUSIVE locks on relations that existed before the migration, taken by earlier statements of the same
 * transaction, earliest first (one per relation, from the statement that first took it). Dropped relations are left
 * out: they are gone, so nothing can keep using them. Empty outside a transaction block.
 */
export function heldAccessExclusive(file: FileFacts, index: number): readonly HeldLock[] {
  return transactionMap(file).held[index] ?? [];
}

/**
 * Index of the first statement of the transaction `index` runs in (its BEGIN, or the first statement when the tool
 * wraps the file); undefined when the statement commits on its own.
 */
export function transactionFirst(file: FileFacts, index: number): number | undefined {
  const first = transactionMap(file).first[index];
  return first === undefined || first < 0 ? undefined : first;
}

export interface LongWork {
  relation: string;
  key: string;
  kind: 'rewrite' | 'scan';
}

/** `schema.name` key of a relation name as the lock model writes it (`public.` implied). */
function keyOf(relation: string): string {
  return relation.includes('.') ? relation : `public.${relation}`;
}

/**
 * Relations the statement rewrites or reads in full, leaving out relations created earlier in the file (`exempt`
 * keys) and TRUNCATE, whose new empty file is instant. Rewrites first.
 */
export function longWork(kind: string, facts: Pick<StatementFacts, 'effect'>, exempt: ReadonlySet<string>): LongWork[] {
  if (kind === 'TruncateStmt') return [];
  const out: LongWork[] = [];
  const add = (relation: string, k: 'rewrite' | 'scan') => {
    const key = facts.effect.locks.find((l) => l.relation === relation)?.key ?? keyOf(relation);
    if (!exempt.has(key) && !out.some((w) => w.key === key)) out.push({ relation, key, kind: k });
  };
  for (const r of facts.effect.rewrites) add(r, 'rewrite');
  for (const r of facts.effect.scans) add(r, 'scan');
  return out;
}

/**
 * `longWork` of the rule's statement, knowing the table before it: SET NOT NULL reads no row when the column is
 * already NOT NULL or, from PostgreSQL 12, a validated CHECK (col IS NOT NULL) proves it (PostgreSQL skips the scan;
 * checked on 15), so its scan is left out unless another subcommand of the statement scans the table too.
 */
export function longWorkAt(ctx: RuleContext<string>): LongWork[] {
  const work = longWork(ctx.statement.kind, ctx.facts, ctx.facts.createdBefore);
  const alter = as<AlterTableStmt>(ctx.statement.node, 'AlterTableStmt');
  if (!alter?.relation || !work.some((w) => w.kind === 'scan')) return work;
  const setNotNull = (alter.cmds ?? []).filter((c) => {
    const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
    return cmd?.subtype === 'AT_SetNotNull' && !!cmd.name;
  });
  if (!setNotNull.length) return work;
  // Only now the table before the statement (for a table the catalog never saw created, a replay of the file so far).
  const table = tableBefore(ctx, alter);
  const proven = setNotNull.filter((c) => {
    const name = as<AlterTableCmd>(c, 'AlterTableCmd')!.name!;
    return !!table?.columns.get(name)?.notNull || (ctx.options.postgresVersion >= 12 && provenNotNull(table, name).validated);
  });
  if (!proven.length) return work;
  const rest = statementEffect({ AlterTableStmt: { ...alter, cmds: (alter.cmds ?? []).filter((c) => !proven.includes(c)) } } as Node, ctx.options);
  const key = relationKey(alter.relation);
  return work.filter((w) => !(w.kind === 'scan' && w.key === key && !rest.scans.some((r) => keyOf(r) === key)));
}

/** 1-based line of a statement, for messages that point at another statement. */
export function lineOf(file: FileFacts, stmt: Statement): number {
  return file.file.lines.positionAt(stmt.span.start).line + 1;
}

/** "an ACCESS EXCLUSIVE", "a SHARE": the mode's label with its article, for messages. */
export function lockPhrase(mode: LockMode): string {
  const label = modeLabel(mode);
  return `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
}
