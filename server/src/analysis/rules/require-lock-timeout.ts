/** A statement that waits for a strong lock without lock_timeout can queue every query behind it. */
import type { VariableSetStmt } from '@pgsql/types';
import { as, statementLabel } from '../ast';
import { blocks, modeLabel } from '../locks';
import { defineRule } from '../rule';

export const DEFAULT_LOCK_TIMEOUT = '5s';

export default defineRule({
  id: 'require-lock-timeout',
  description: 'Statements that take locks blocking reads or writes should run with a lock_timeout.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    missing: '{statement} waits for {mode} lock on `{table}` with no lock_timeout: while it waits, every later query on `{table}` queues behind it.',
  },
  help: "Start the migration with SET lock_timeout = '5s' (and retry on timeout), so a blocked migration fails fast instead of stalling traffic.",
  docs: {
    rationale:
      'A lock request waits in a queue. While an ALTER TABLE waits for a long-running query to release its lock, every new query on the table waits behind the ALTER TABLE, even plain SELECTs: a short migration becomes an outage. `SET lock_timeout` makes the statement give up after a bound; retry the migration later.',
    bad: ['ALTER TABLE users ADD COLUMN nickname text;'],
    good: ["SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;", 'CREATE TABLE users (id bigint);'],
  },
  check({ statement, facts, file, report }) {
    if (facts.lockTimeoutSet) return;
    const lock = facts.effect.locks.find((l) => !facts.createdBefore.has(l.key) && (blocks(l.mode).reads || blocks(l.mode).writes));
    if (!lock) return;
    // One finding per file: only the first statement that needs the timeout reports.
    for (let i = 0; i < statement.index; i++) {
      const f = file.statements[i];
      if (!f.lockTimeoutSet && f.effect.locks.some((l) => !f.createdBefore.has(l.key) && (blocks(l.mode).reads || blocks(l.mode).writes))) return;
    }
    // The SET goes at the top, unless an earlier statement sets, resets or disables lock_timeout: then a SET at the
    // top would be undone, so it goes right before this statement.
    const touched = file.file.statements.slice(0, statement.index).some((s) => {
      const v = as<VariableSetStmt>(s.node, 'VariableSetStmt');
      return !!v && (v.name === 'lock_timeout' || v.kind === 'VAR_RESET_ALL');
    });
    const anchor = touched ? statement : file.file.statements[0];
    const lines = file.file.lines;
    const line = lines.positionAt(anchor.span.start).line;
    const lineStart = lines.lineStart(line);
    const eol = /\r\n/.test(file.file.text) ? '\r\n' : '\n'; // keep a CRLF file CRLF
    const insertAt = /^[ \t]*$/.test(file.file.text.slice(lineStart, anchor.span.start)) ? lineStart : anchor.span.start;
    report({
      messageId: 'missing',
      data: { statement: statementLabel(statement.kind), mode: `${/^[AEIOU]/.test(modeLabel(lock.mode)) ? 'an' : 'a'} ${modeLabel(lock.mode)}`, table: lock.relation },
      fix: {
        title: touched ? 'Set lock_timeout before this statement' : 'Set lock_timeout at the top of the migration',
        edits: [{ start: insertAt, end: insertAt, newText: `SET lock_timeout = '${DEFAULT_LOCK_TIMEOUT}';${eol}` }],
        preferred: true,
      },
    });
  },
});
