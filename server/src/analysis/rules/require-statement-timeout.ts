/**
 * A statement that reads or rewrites a whole existing table while holding a lock that blocks reads or writes should run
 * with a statement_timeout, so an unexpectedly large table fails the migration instead of blocking traffic for an hour.
 * lock_timeout bounds the wait for the lock; statement_timeout bounds how long it is held.
 */
import type { Node, VariableSetStmt } from '@pgsql/types';
import { as, statementLabel } from '../ast';
import type { FileFacts, StatementFacts } from '../context';
import { blocks, modeLabel, type RelationLock } from '../locks';
import { defineRule } from '../rule';

export const DEFAULT_STATEMENT_TIMEOUT = '5s';

/** `SET statement_timeout …` → true (a timeout), false (RESET, DEFAULT, 0), undefined (not about it). */
function timeoutChange(node: Node | undefined): boolean | undefined {
  const s = as<VariableSetStmt>(node, 'VariableSetStmt');
  if (!s || (s.name !== 'statement_timeout' && s.kind !== 'VAR_RESET_ALL')) return undefined;
  if (s.kind === 'VAR_RESET' || s.kind === 'VAR_RESET_ALL' || s.kind === 'VAR_SET_DEFAULT') return false;
  const value = JSON.stringify(s.args ?? []);
  return value !== '[]' && !/"ival":0\b|"ival":\{\}|"sval":" *0+(?:\.0*)? *(?:us|ms|s|min|h|d)? *"/.test(value);
}

/**
 * Whether statement_timeout is in force before each statement, following the rules of SET (docs "SET"): SET LOCAL lasts
 * until the end of the transaction and does nothing outside one; ROLLBACK undoes a SET made inside the transaction.
 */
function timeoutBefore(file: FileFacts): boolean[] {
  const out: boolean[] = [];
  let on = false;
  let atTxStart = false;
  let localInTx = false;
  let inTx = false;
  for (const stmt of file.file.statements) {
    out.push(on);
    const kind = as<{ kind?: string }>(stmt.node, 'TransactionStmt')?.kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      if (!inTx) atTxStart = on;
      inTx = true;
    }
    const change = timeoutChange(stmt.node);
    const local = !!as<VariableSetStmt>(stmt.node, 'VariableSetStmt')?.is_local;
    if (change !== undefined && !(local && !inTx && !file.options.assumeInTransaction)) {
      on = change;
      if (local) localInTx = true;
    }
    if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
      if (kind !== 'TRANS_STMT_COMMIT' || localInTx) on = atTxStart;
      inTx = false;
      localInTx = false;
    }
  }
  return out;
}

/** The lock of a statement that reads or rewrites an existing relation while blocking its reads or writes. */
function longBlockingLock(f: StatementFacts): RelationLock | undefined {
  return f.effect.locks.find((l) => {
    if (f.createdBefore.has(l.key)) return false;
    const b = blocks(l.mode);
    const heavy = f.effect.rewrites.includes(l.relation) || f.effect.scans.includes(l.relation);
    return heavy && (b.reads || b.writes);
  });
}

export default defineRule({
  id: 'require-statement-timeout',
  description: 'Statements that read or rewrite a whole table while blocking its reads or writes should run with a statement_timeout.',
  category: 'locking',
  defaultSeverity: 'warning',
  // Opt-in: the rule for each such statement already names the long lock, and a timeout is a policy that also bounds
  // deliberate long operations.
  recommended: false,
  fixable: true,
  messages: {
    missing: '{statement} holds {mode} lock on `{table}` while it reads or rewrites the whole table, with no statement_timeout: on a large table, traffic to `{table}` is blocked for as long as that takes.',
  },
  help: `Start the migration with SET statement_timeout = '${DEFAULT_STATEMENT_TIMEOUT}' (raise it deliberately for a known large table), so an unexpectedly long lock fails the migration instead of stalling traffic.`,
  docs: {
    rationale:
      'lock_timeout limits how long a migration waits for its lock; statement_timeout limits how long it holds it. A table rewrite, an index build or a validation scan holds a lock that blocks reads or writes for as long as it reads the table, which depends on a size the migration author rarely checks. With a statement_timeout, an unexpectedly large table makes the migration fail (and roll back) instead of blocking traffic for minutes. Only statements the lock model says read or rewrite an existing table while blocking its reads or writes are reported, once per file: statements that hold no such lock (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, plain DML) or touch only tables created in the same migration are not. squawk\'s require-statement-timeout reports any potentially slow statement. Off by default: the rule for each such statement (require-concurrent-index-creation, changing-column-type, …) already reports the long lock, and a timeout at the top also bounds deliberate long operations later in the file, such as a CREATE INDEX CONCURRENTLY, which it would leave INVALID.',
    bad: ['ALTER TABLE users ALTER COLUMN id TYPE bigint;', 'CREATE INDEX users_email_idx ON users (email);'],
    good: [
      "SET statement_timeout = '5s';\nALTER TABLE users ALTER COLUMN id TYPE bigint;",
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'ALTER TABLE users ADD COLUMN nickname text;',
    ],
  },
  check({ statement, facts, file, report }) {
    const lock = longBlockingLock(facts);
    if (!lock) return;
    const before = timeoutBefore(file);
    if (before[statement.index]) return;
    // One finding per file: only the first statement that needs the timeout reports.
    for (let i = 0; i < statement.index; i++) if (!before[i] && longBlockingLock(file.statements[i])) return;
    // The SET goes at the top, unless an earlier statement sets, resets or disables statement_timeout: then a SET at
    // the top would be undone, so it goes right before this statement.
    const touched = file.file.statements.slice(0, statement.index).some((s) => timeoutChange(s.node) !== undefined);
    const anchor = touched ? statement : file.file.statements[0];
    const lines = file.file.lines;
    const lineStart = lines.lineStart(lines.positionAt(anchor.span.start).line);
    const eol = /\r\n/.test(file.file.text) ? '\r\n' : '\n';
    const insertAt = /^[ \t]*$/.test(file.file.text.slice(lineStart, anchor.span.start)) ? lineStart : anchor.span.start;
    report({
      messageId: 'missing',
      data: { statement: statementLabel(statement.kind), mode: `${/^[AEIOU]/.test(modeLabel(lock.mode)) ? 'an' : 'a'} ${modeLabel(lock.mode)}`, table: lock.relation },
      fix: {
        title: touched ? 'Set statement_timeout before this statement' : 'Set statement_timeout at the top of the migration',
        edits: [{ start: insertAt, end: insertAt, newText: `SET statement_timeout = '${DEFAULT_STATEMENT_TIMEOUT}';${eol}` }],
        // Not preferred: a timeout at the top also bounds every later statement, including deliberate long ones.
        preferred: false,
      },
    });
  },
});
