/** BEGIN without a matching COMMIT: the migration's work is rolled back when the connection closes. */
import type { TransactionStmt } from '@pgsql/types';
import { as } from '../ast';
import type { Statement } from '../parse';
import { defineRule } from '../rule';

/** Index of the BEGIN whose transaction is still open at the end of the file. COMMIT/ROLLBACK AND CHAIN keep it open. */
function unclosedBegin(statements: readonly Statement[]): number | undefined {
  let open: number | undefined;
  for (const s of statements) {
    const t = as<TransactionStmt>(s.node, 'TransactionStmt');
    if (t?.kind === 'TRANS_STMT_BEGIN' || t?.kind === 'TRANS_STMT_START') open ??= s.index;
    else if (t?.kind === 'TRANS_STMT_COMMIT' || t?.kind === 'TRANS_STMT_ROLLBACK' || t?.kind === 'TRANS_STMT_PREPARE') {
      if (!t.chain) open = undefined;
    }
  }
  return open;
}

export default defineRule({
  id: 'ban-uncommitted-transaction',
  description: 'A transaction that is begun and never committed loses the migration\'s work.',
  category: 'correctness',
  defaultSeverity: 'error',
  recommended: true,
  fixable: true,
  messages: {
    open: 'This transaction is never committed or rolled back: when the connection closes, PostgreSQL rolls back everything after this {begin}.',
  },
  help: 'End the transaction with COMMIT (or ROLLBACK) at the end of the migration.',
  docs: {
    rationale:
      'A transaction that is still open when the session ends is rolled back. Depending on the tool, the migration then looks applied but changed nothing, or the open transaction leaks into the next use of a pooled connection, holding its locks. The fix appends COMMIT, which is what the migration almost always means. When the tool wraps every migration in its own transaction (`assumeInTransaction`), a BEGIN is ignored and the tool commits; transaction-nesting reports that case instead. On by default; its severity is error rather than squawk\'s warning, because the migration\'s work is lost.',
    bad: ['BEGIN;\nCREATE TABLE users (id bigint);', 'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\nSTART TRANSACTION;\nCREATE TABLE b (id bigint);\n'],
    good: ['BEGIN;\nCREATE TABLE users (id bigint);\nCOMMIT;', 'BEGIN;\nCREATE TABLE users (id bigint);\nROLLBACK;'],
  },
  check({ statement, file, options, report }) {
    if (options.assumeInTransaction || !as<TransactionStmt>(statement.node, 'TransactionStmt')) return;
    const statements = file.file.statements;
    if (unclosedBegin(statements) !== statement.index) return;
    const text = file.file.text;
    const eol = /\r\n/.test(text) ? '\r\n' : '\n';
    const last = statements[statements.length - 1];
    const edits = [];
    // A last statement without its `;` would run into the COMMIT.
    if (last.end === last.span.end && text[last.span.end] !== ';') edits.push({ start: last.span.end, end: last.span.end, newText: ';' });
    const endsWithEol = /\n$/.test(text);
    edits.push({ start: text.length, end: text.length, newText: endsWithEol ? `COMMIT;${eol}` : `${eol}COMMIT;` });
    report({
      messageId: 'open',
      data: { begin: /^start/i.test(statement.text) ? 'START TRANSACTION' : 'BEGIN' },
      fix: { title: 'Add COMMIT at the end', edits, preferred: true },
    });
  },
});
