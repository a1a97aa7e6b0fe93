/**
 * Lock hazards of the statements inside a DO block, or inside a function or procedure that the migration calls: the
 * other rules see only the DO or CALL statement, which the lock model cannot see into (squawk issues #528, #411).
 */
import type { CreateStmt, RangeVar, VariableSetStmt } from '@pgsql/types';
import { as, relationKey, statementLabel } from '../ast';
import { blocks, describeBlocking, statementEffect } from '../locks';
import { lockPhrase, longWork } from '../lockHold';
import { bodiesRunBy } from '../plpgsql';
import { defineRule } from '../rule';
import type { Span } from '../text';

export default defineRule({
  id: 'ban-blocking-ddl-in-do-block',
  description: 'Statements inside a DO block or a called routine that block reads or writes are as dangerous as they are outside one, but harder to see.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    longUnderLock: '{statement} {where} {work} `{table}` while holding {lock} lock on it, which {blocking} for the whole {noun}.',
    noLockTimeout: '{statement} {where} waits for {lock} lock on `{table}` with no lock_timeout: while it waits, every later query on `{table}` queues behind it.',
    cannotRun: '{statement} {where} fails: it cannot run inside a function or DO block, which always runs inside a transaction.',
  },
  help: 'Run the statement at the top level of the migration, where its lock is visible and it can use its online form (CONCURRENTLY, NOT VALID + VALIDATE); guard it with IF [NOT] EXISTS instead of a DO block.',
  docs: {
    rationale:
      'Migrations wrap DDL in DO blocks to make it conditional ("add the column if it is missing"), or call a procedure that runs it. The statements inside take the same locks as anywhere else, but linters that look only at top-level statements (squawk, for one: issues #528 and #411) see a harmless `DO`. This rule reads the body with the PL/pgSQL parser and reports, for each static statement and each EXECUTE of a constant string: a rewrite or full scan of an existing table under a lock that blocks reads or writes; a lock that blocks reads or writes taken with no lock_timeout set (once per body: one SET covers them all); and statements that cannot run inside a function at all (CREATE INDEX CONCURRENTLY and other non-transactional forms fail with "cannot be executed from a function"). Functions and procedures are analyzed where the migration calls them (CALL p(), SELECT f()) when an earlier statement of the same file defines them. Tables created earlier in the migration, or earlier in the same body, are exempt. EXECUTE of a string built at run time is reported by `prefer-static-sql-in-do-block`.',
    bad: [
      "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email_idx') THEN\n    CREATE INDEX users_email_idx ON users (email);\n  END IF;\nEND\n$$;",
      'DO $$ BEGIN ALTER TABLE users ALTER COLUMN email TYPE varchar(512); END $$;',
    ],
    good: [
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);',
      "SET lock_timeout = '5s';\nDO $$ BEGIN ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text; END $$;",
      'DO $$ BEGIN CREATE TABLE audit (id bigint); CREATE INDEX audit_id_idx ON audit (id); END $$;',
    ],
  },
  check({ statement, facts, file, options, report }) {
    for (const run of bodiesRunBy(statement, file.file.statements)) {
      const inDo = run.definedBy === statement;
      const where = inDo ? 'inside this DO block' : `inside \`${run.routine}\` (defined on line ${file.file.lines.positionAt(run.definedBy.span.start).line + 1})`;
      const exempt = new Set(facts.createdBefore);
      let timeoutSet = facts.lockTimeoutSet;
      let timeoutReported = false;
      for (const e of run.body.statements) {
        const span: Span = inDo ? { start: statement.span.start + e.span.start, end: statement.span.start + e.span.end } : statement.span;
        const label = statementLabel(e.kind);
        const set = as<VariableSetStmt>(e.node, 'VariableSetStmt');
        if (set?.name === 'lock_timeout') timeoutSet = set.kind === 'VAR_SET_VALUE';
        const effect = statementEffect(e.node, options);
        const created = as<CreateStmt>(e.node, 'CreateStmt')?.relation ?? as<{ into?: { rel?: RangeVar } }>(e.node, 'CreateTableAsStmt')?.into?.rel;
        if (created) exempt.add(relationKey(created));
        if (effect.nonTransactional) {
          report({ messageId: 'cannotRun', data: { statement: label, where }, span });
          continue;
        }
        const blocking = effect.locks.filter((l) => !exempt.has(l.key) && (blocks(l.mode).reads || blocks(l.mode).writes));
        const work = longWork(e.kind, { effect }, exempt).find((w) => blocking.some((l) => l.key === w.key));
        if (work) {
          const lock = blocking.find((l) => l.key === work.key)!;
          report({
            messageId: 'longUnderLock',
            data: { statement: label, where, work: work.kind === 'rewrite' ? 'rewrites' : 'reads every row of', table: lock.relation, lock: lockPhrase(lock.mode), blocking: describeBlocking(lock.mode), noun: work.kind },
            span,
          });
        } else if (blocking.length > 0 && !timeoutSet && !timeoutReported) {
          // Once per body, like require-lock-timeout once per file: one SET fixes them all.
          timeoutReported = true;
          report({ messageId: 'noLockTimeout', data: { statement: label, where, lock: lockPhrase(blocking[0].mode), table: blocking[0].relation }, span });
        }
      }
    }
  },
});
