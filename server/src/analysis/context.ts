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

export function computeFacts(file: ParsedFile, options: ResolvedOptions): FileFacts {
  const statements: StatementFacts[] = [];
  const created = new Set<string>();
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
      createdBefore: new Set(created),
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

function recordCreated(stmt: Statement, created: Set<string>): void {
  const c = as<CreateStmt>(stmt.node, 'CreateStmt');
  if (c?.relation) created.add(relationKey(c.relation));
  const ctas = as<{ into?: { rel?: { relname?: string; schemaname?: string } } }>(stmt.node, 'CreateTableAsStmt');
  if (ctas?.into?.rel) created.add(relationKey(ctas.into.rel));
}
