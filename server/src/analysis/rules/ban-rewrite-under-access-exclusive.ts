/** A rewrite or full scan while the transaction already holds an ACCESS EXCLUSIVE lock: the table is blocked for all of it. */
import { statementLabel } from '../ast';
import { heldAccessExclusive, lineOf, longWorkAt } from '../lockHold';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-rewrite-under-access-exclusive',
  description: 'A statement that rewrites or scans a table while the transaction holds an ACCESS EXCLUSIVE lock keeps the locked table blocked for the whole operation.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    rewrite: 'This {statement} rewrites `{target}` while `{table}` is still locked ACCESS EXCLUSIVE by the {earlier} on line {line}: every read and write of `{table}` waits for the whole rewrite.',
    scan: 'This {statement} reads every row of `{target}` while `{table}` is still locked ACCESS EXCLUSIVE by the {earlier} on line {line}: every read and write of `{table}` waits for the whole scan.',
  },
  help: 'Commit the statement that takes the ACCESS EXCLUSIVE lock first, and run the rewrite or scan in a later transaction (in its online form: CONCURRENTLY, NOT VALID + VALIDATE).',
  docs: {
    rationale:
      'Table locks last until the transaction ends. When an earlier statement of the transaction took an ACCESS EXCLUSIVE lock (a quick ADD COLUMN, a RENAME, a DROP TRIGGER), a later statement that rewrites a table (ALTER COLUMN … TYPE, VACUUM FULL, a volatile default) or reads it in full (CREATE INDEX, a validated constraint, SET NOT NULL) keeps the locked table unreadable for minutes instead of milliseconds, even when the slow statement itself works on another table or takes a weaker lock. The lock model decides what rewrites and scans. A single statement that rewrites the table it locks is reported by the rule for that operation (`adding-field-with-default`, `constraint-missing-not-valid`, `require-concurrent-index-creation`, …); this rule is about the lock carried over from an earlier statement. Tables created earlier in the same migration are not flagged. After Eugene\'s E10 hint.',
    bad: ['BEGIN;\nALTER TABLE users RENAME COLUMN name TO full_name;\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;'],
    good: [
      'BEGIN;\nALTER TABLE users RENAME COLUMN name TO full_name;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'BEGIN;\nCREATE TABLE accounts (id bigint, email text);\nCREATE INDEX accounts_email_idx ON accounts (email);\nCOMMIT;',
    ],
  },
  check(ctx) {
    const { statement, file, report } = ctx;
    const held = heldAccessExclusive(file, statement.index);
    if (held.length === 0) return;
    const work = longWorkAt(ctx)[0];
    if (!work) return;
    const first = held.find((h) => h.key === work.key) ?? held[0];
    report({
      messageId: work.kind,
      data: {
        statement: statementLabel(statement.kind),
        target: work.relation,
        table: first.relation,
        earlier: statementLabel(first.statement.kind),
        line: lineOf(file, first.statement),
      },
    });
  },
});
