/**
 * Facts about a file that many rules need, computed once per analysis and handed to every rule: the lock effect of
 * each statement, the explicit transaction it runs in, the tables created earlier in the file, and whether a
 * lock_timeout was set before it.
 */
import type { CreateStmt, Node, VariableSetStmt } from '@pgsql/types';
import { as, relationKey } from './ast';
import { statementEffect, type StatementEffect } from './locks';
import type { ParsedFile, Statement } from './parse';
import type { ResolvedOptions } from './options';

export interface StatementFacts {
  effect: StatementEffect;
  /** Inside an explicit BEGIN … COMMIT (or the whole file when `assumeInTransaction`). */
  inTransaction: boolean;
  /** Index of the BEGIN statement of the enclosing transaction, if explicit. */
  transactionStart?: number;
  /** Relation keys (`schema.name`) created by earlier statements of this file. */
  createdBefore: ReadonlySet<string>;
  /** A `SET lock_timeout` ran earlier in this file (and was not reset). */
  lockTimeoutSet: boolean;
}

/**
 * The relations created before statement `limit`: a view over one map shared by all statements of a file (key →
 * index of the statement that first created it), so a file of N statements costs O(N) memory, not O(N²).
 */
class CreatedBefore implements ReadonlySet<string> {
  constructor(
    private readonly createdAt: ReadonlyMap<string, number>,
    private readonly limit: number,
  ) {}

  has(key: string): boolean {
    const at = this.createdAt.get(key);
    return at !== undefined && at < this.limit;
  }

  *values(): SetIterator<string> {
    for (const [k, at] of this.createdAt) if (at < this.limit) yield k;
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *entries(): SetIterator<[string, string]> {
    for (const k of this.values()) yield [k, k];
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  get size(): number {
    let n = 0;
    for (const at of this.createdAt.values()) if (at < this.limit) n++;
    return n;
  }

  forEach(cb: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    for (const k of this.values()) cb(k, k, this);
  }
}

export interface FileFacts {
  file: ParsedFile;
  options: ResolvedOptions;
  statements: StatementFacts[];
}

function transactionKind(node: Node | undefined): string | undefined {
  return as<{ kind?: string }>(node, 'TransactionStmt')?.kind;
}

/** `SET lock_timeout = …` / `SET LOCAL lock_timeout …` / `RESET lock_timeout`: returns true (set), false (reset), undefined. */
function lockTimeoutChange(node: Node | undefined): boolean | undefined {
  const s = as<VariableSetStmt>(node, 'VariableSetStmt');
  if (!s || (s.name !== 'lock_timeout' && s.kind !== 'VAR_RESET_ALL')) return undefined;
  if (s.kind === 'VAR_RESET' || s.kind === 'VAR_RESET_ALL' || s.kind === 'VAR_SET_DEFAULT') return false;
  // `SET lock_timeout = 0` (or '0', '0s', '0ms', …) disables the timeout.
  const value = JSON.stringify(s.args ?? []);
  return !/"ival":0\b|"ival":\{\}|"sval":" *0+(?:\.0*)? *(?:us|ms|s|min|h|d)? *"/.test(value) && value !== '[]';
}

export function computeFacts(file: ParsedFile, options: ResolvedOptions, createdInUnit: Iterable<string> = []): FileFacts {
  const statements: StatementFacts[] = [];
  // Relations created by earlier files of the same deploy unit count as created before the first statement.
  const created = new Map<string, number>([...createdInUnit].map((k) => [k, -1] as [string, number]));
  let txStart: number | undefined;
  let lockTimeout = false;
  let lockTimeoutAtTxStart = false;
  let localSetInTx = false;
  for (const stmt of file.statements) {
    const tk = transactionKind(stmt.node);
    if (tk === 'TRANS_STMT_BEGIN' || tk === 'TRANS_STMT_START') {
      txStart ??= stmt.index;
      lockTimeoutAtTxStart = lockTimeout;
    }
    const setChange = lockTimeoutChange(stmt.node);
    const isLocal = !!as<VariableSetStmt>(stmt.node, 'VariableSetStmt')?.is_local;
    // SET LOCAL outside a transaction block has no effect (PostgreSQL only warns), so it sets nothing.
    if (setChange !== undefined && !(isLocal && txStart === undefined && !options.assumeInTransaction)) {
      lockTimeout = setChange;
      if (isLocal) localSetInTx = true;
    }
    const inTransaction = txStart !== undefined || options.assumeInTransaction;
    statements.push({
      effect: statementEffect(stmt.node, options),
      inTransaction,
      transactionStart: txStart,
      createdBefore: new CreatedBefore(created, stmt.index),
      lockTimeoutSet: lockTimeout,
    });
    recordCreated(stmt, created);
    if (tk === 'TRANS_STMT_COMMIT' || tk === 'TRANS_STMT_ROLLBACK' || tk === 'TRANS_STMT_PREPARE') {
      // SET LOCAL ends with the transaction; a ROLLBACK also undoes a plain SET made inside it.
      if (tk !== 'TRANS_STMT_COMMIT' || localSetInTx) lockTimeout = lockTimeoutAtTxStart;
      txStart = undefined;
      localSetInTx = false;
    }
  }
  return { file, options, statements };
}

function recordCreated(stmt: Statement, created: Map<string, number>): void {
  const add = (key: string) => {
    if (!created.has(key)) created.set(key, stmt.index);
  };
  const c = as<CreateStmt>(stmt.node, 'CreateStmt');
  if (c?.relation) add(relationKey(c.relation));
  const ctas = as<{ into?: { rel?: { relname?: string; schemaname?: string } } }>(stmt.node, 'CreateTableAsStmt');
  if (ctas?.into?.rel) add(relationKey(ctas.into.rel));
}
