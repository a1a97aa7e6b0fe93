/** An explicit LOCK TABLE in a mode that blocks writes (ACCESS EXCLUSIVE by default), held until commit. */
import type { LockStmt, RangeVar } from '@pgsql/types';
import { as, relationKey } from '../ast';
import { blocks, describeBlocking } from '../locks';
import { lockPhrase } from '../lockHold';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-lock-table',
  description: 'An explicit LOCK TABLE blocks the table for the rest of the transaction, on top of what the statements themselves need.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    held: 'LOCK TABLE takes {lock} lock on `{table}`, which {blocking} until the transaction commits.',
  },
  help: 'Drop the LOCK TABLE and let each statement take the lock it needs; if the order of locks matters, use the weakest mode that works, right before the statements that need it, with a lock_timeout.',
  docs: {
    rationale:
      'LOCK TABLE without a mode takes ACCESS EXCLUSIVE, the strongest lock: no SELECT can run until the transaction commits, for however long the rest of the migration takes. The statements that follow take the locks they need anyway, so an explicit lock usually only widens the window. Modes from SHARE upward block writes; the weaker modes (ACCESS SHARE to SHARE UPDATE EXCLUSIVE) are not flagged. Outside a transaction block LOCK TABLE is an error (most migration tools wrap each migration in one, which the analysis cannot always see, so that case is not reported separately). Tables created earlier in the same migration are not flagged. VACUUM FULL and CLUSTER, which also hold ACCESS EXCLUSIVE for a long time, are the subject of `prefer-repack`.',
    bad: ['BEGIN;\nLOCK TABLE users;\nUPDATE users SET plan = \'free\' WHERE plan IS NULL;\nCOMMIT;', 'BEGIN;\nLOCK TABLE orders IN SHARE MODE;\nCOMMIT;'],
    good: ['BEGIN;\nLOCK TABLE users IN ACCESS SHARE MODE;\nCOMMIT;', 'BEGIN;\nCREATE TABLE staging (id bigint);\nLOCK TABLE staging;\nCOMMIT;'],
  },
  check({ statement, facts, report }) {
    const lock = as<LockStmt>(statement.node, 'LockStmt');
    if (!lock) return;
    for (const r of lock.relations ?? []) {
      const key = relationKey(as<RangeVar>(r, 'RangeVar'));
      const l = facts.effect.locks.find((x) => x.key === key);
      if (!l || facts.createdBefore.has(key) || !blocks(l.mode).writes) continue;
      report({ messageId: 'held', data: { lock: lockPhrase(l.mode), table: l.relation, blocking: describeBlocking(l.mode) } });
    }
  },
});
