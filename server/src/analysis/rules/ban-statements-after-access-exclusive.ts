/** Statements that run after an ACCESS EXCLUSIVE lock in the same transaction: the lock is held across all of them. */
import { statementLabel } from '../ast';
import { heldAccessExclusive, lineOf, longWorkAt } from '../lockHold';
import { defineRule } from '../rule';

/** Statements that take no lock and do no work worth mentioning. */
const HARMLESS = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt']);

export default defineRule({
  id: 'ban-statements-after-access-exclusive',
  description: 'Statements that run after an ACCESS EXCLUSIVE lock in the same transaction keep the table blocked while they run.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    heldAcross: '`{table}` is still locked ACCESS EXCLUSIVE by the {earlier} on line {line} while this {statement} runs: every read and write of `{table}` waits for it too, and for any lock it has to wait for, until the transaction commits.',
    heldAcrossMore: '`{table}` is still locked ACCESS EXCLUSIVE by the {earlier} on line {line} while this {statement} and the {more} after it run: every read and write of `{table}` waits for all of them, and for any lock they have to wait for, until the transaction commits.',
  },
  help: 'Commit right after the statement that takes the ACCESS EXCLUSIVE lock: move what follows into its own transaction or migration, or fold several changes to the same table into one ALTER TABLE.',
  docs: {
    rationale:
      'PostgreSQL keeps every table lock until the transaction ends. Once a statement has taken an ACCESS EXCLUSIVE lock (most ALTER TABLE forms, DROP/CREATE TRIGGER, REFRESH MATERIALIZED VIEW…), each later statement of the same transaction extends the time nobody can read or write the table; worse, if a later statement waits for a lock on another table, the first table stays blocked for the whole wait. Keep the transaction that holds the lock short: commit right after it, and combine changes to one table into a single ALTER TABLE. Statements that rewrite or scan a table while the lock is held are reported by `ban-rewrite-under-access-exclusive` instead. The finding appears once per lock, on the first statement that runs under it, and counts the statements after it. SET and transaction control are not flagged, nor are locks on tables created earlier in the same migration or dropped by it. After Eugene\'s E4 hint.',
    bad: ['BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nUPDATE settings SET value = \'on\' WHERE key = \'nicknames\';\nCOMMIT;'],
    good: [
      'BEGIN;\nUPDATE settings SET value = \'on\' WHERE key = \'nicknames\';\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;',
      'ALTER TABLE users ADD COLUMN nickname text;\nUPDATE settings SET value = \'on\' WHERE key = \'nicknames\';',
    ],
  },
  check(ctx) {
    const { statement, file, report } = ctx;
    if (HARMLESS.has(statement.kind)) return;
    const held = heldAccessExclusive(file, statement.index);
    if (held.length === 0) return;
    // Long work under the lock is the stronger finding of ban-rewrite-under-access-exclusive.
    if (longWorkAt(ctx).length > 0) return;
    const first = held[0];
    // One finding per lock: on the first statement that runs under it, counting the others, not one per statement.
    const holds = (i: number) => heldAccessExclusive(file, i).some((h) => h.statement === first.statement);
    const counts = (i: number) => !HARMLESS.has(file.file.statements[i].kind) && !!file.file.statements[i].node;
    for (let i = first.statement.index + 1; i < statement.index; i++) if (counts(i) && holds(i)) return;
    let more = 0;
    for (let i = statement.index + 1; i < file.file.statements.length && holds(i); i++) if (counts(i)) more++;
    const data = { table: first.relation, earlier: statementLabel(first.statement.kind), line: lineOf(file, first.statement), statement: statementLabel(statement.kind) };
    report(more > 0 ? { messageId: 'heldAcrossMore', data: { ...data, more: more === 1 ? 'statement' : `${more} statements` } } : { messageId: 'heldAcross', data });
  },
});
