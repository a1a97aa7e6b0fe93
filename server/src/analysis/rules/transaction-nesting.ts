/**
 * BEGIN inside a transaction (PostgreSQL ignores it), COMMIT or ROLLBACK outside one (ignored too), and either inside
 * the transaction a migration tool wraps around the file (`assumeInTransaction`), where COMMIT ends the tool's
 * transaction early.
 */
import type { TransactionStmt } from '@pgsql/types';
import { as } from '../ast';
import type { ParsedFile, Statement } from '../parse';
import { defineRule, type TextEdit } from '../rule';

type Event = { kind: 'ignoredBegin'; byTool: boolean; openedAt?: number } | { kind: 'noTransaction' } | { kind: 'endsTool' } | undefined;

/** What PostgreSQL does with the transaction statement at `index`, replaying the file's BEGINs and COMMITs up to it. */
function eventAt(statements: readonly Statement[], index: number, assumeInTransaction: boolean): Event {
  let tool = assumeInTransaction; // the tool's transaction is in progress
  let explicit: number | undefined; // the BEGIN that started the explicit transaction in progress
  for (const s of statements.slice(0, index + 1)) {
    const t = as<TransactionStmt>(s.node, 'TransactionStmt');
    if (!t) continue;
    let event: Event;
    if (t.kind === 'TRANS_STMT_BEGIN' || t.kind === 'TRANS_STMT_START') {
      if (tool || explicit !== undefined) event = { kind: 'ignoredBegin', byTool: tool, openedAt: explicit };
      else explicit = s.index;
    } else if (t.kind === 'TRANS_STMT_COMMIT' || t.kind === 'TRANS_STMT_ROLLBACK') {
      if (tool) event = { kind: 'endsTool' };
      else if (explicit === undefined) event = { kind: 'noTransaction' };
      tool = false;
      explicit = t.chain ? s.index : undefined;
    }
    if (s.index === index) return event;
  }
  return undefined;
}

/** Deletes a statement and its `;`, and its whole line when nothing else is on it. */
function removeStatement(file: ParsedFile, s: Statement): TextEdit {
  const text = file.text;
  let start = s.span.start;
  let end = s.end;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let after = end;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  const eol = text.startsWith('\r\n', after) ? 2 : text[after] === '\n' ? 1 : after === text.length ? 0 : -1;
  if (eol >= 0 && /^[ \t]*$/.test(text.slice(lineStart, start))) {
    start = lineStart;
    end = after + eol;
  }
  return { start, end, newText: '' };
}

export default defineRule({
  id: 'transaction-nesting',
  description: 'BEGIN inside a transaction and COMMIT or ROLLBACK outside one do not do what they say.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    nestedBegin: 'A transaction is already in progress (BEGIN on line {line}): PostgreSQL ignores this BEGIN with a warning, and the first COMMIT ends the whole transaction.',
    toolBegin: 'The migration tool already runs this file in a transaction: PostgreSQL ignores this BEGIN with a warning, and a COMMIT in the file ends the tool\'s transaction early.',
    noTransaction: 'No transaction is in progress, so this {command} does nothing (PostgreSQL only warns): every statement before it has already been committed on its own.',
    toolEnd: '{command} ends the transaction the migration tool opened around this file: the statements after it run outside any transaction, and the tool\'s own COMMIT finds nothing to commit.',
  },
  help: 'Remove the statement; when the tool wraps migrations in a transaction, leave BEGIN and COMMIT to it (or turn its transaction off for this file).',
  docs: {
    rationale:
      'PostgreSQL has no nested transactions: a second BEGIN only raises a warning, and the first COMMIT commits everything, so statements meant to be atomic with a later part of the file are not. A COMMIT or ROLLBACK outside a transaction block is ignored with a warning too; a ROLLBACK there is dangerous, because the statements it was meant to undo have already been committed. Many tools (Django, Rails, Flyway, diesel, sqlx) run each migration inside their own transaction: set `assumeInTransaction` and Migration Guard reports the BEGIN and COMMIT written in the file, since the COMMIT ends the tool\'s transaction early. Removing a statement PostgreSQL ignores is always safe, so that fix is preferred; so is removing a final COMMIT inside the tool\'s transaction, which the tool\'s own COMMIT replaces. Same id and cases as squawk. On by default as a warning, as in squawk.',
    bad: ['BEGIN;\nBEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;', 'ALTER TABLE users ADD COLUMN nickname text;\nROLLBACK;'],
    good: [
      'BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;',
      'BEGIN;\nCREATE TABLE a (id bigint);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id bigint);\nCOMMIT;',
    ],
  },
  check({ statement, file, options, report }) {
    const t = as<TransactionStmt>(statement.node, 'TransactionStmt');
    if (!t) return;
    const statements = file.file.statements;
    const event = eventAt(statements, statement.index, options.assumeInTransaction);
    if (!event) return;
    const command = t.kind === 'TRANS_STMT_ROLLBACK' ? 'ROLLBACK' : 'COMMIT';
    const remove = { title: 'Remove this statement', edits: [removeStatement(file.file, statement)], preferred: true };
    if (event.kind === 'ignoredBegin') {
      const opened = event.openedAt !== undefined ? statements[event.openedAt] : undefined;
      if (event.byTool || !opened) report({ messageId: 'toolBegin', fix: remove });
      else report({ messageId: 'nestedBegin', data: { line: file.file.lines.positionAt(opened.span.start).line + 1 }, fix: remove });
    } else if (event.kind === 'noTransaction') {
      report({ messageId: 'noTransaction', data: { command }, fix: remove });
    } else {
      // Only a final COMMIT can go: the tool commits right after it anyway.
      const last = statement.index === statements.length - 1;
      const fix = command === 'COMMIT' && !t.chain && last ? remove : undefined;
      report({ messageId: 'toolEnd', data: { command }, fix });
    }
  },
});
