/** DISABLE TRIGGER ALL also disables the system triggers that enforce foreign keys. */
import type { AlterTableCmd, AlterTableStmt } from '@pgsql/types';
import { as, relationName } from '../ast';
import { defineRule } from '../rule';
import { findWords, tokenize, type Token } from '../tokens';

export default defineRule({
  id: 'ban-disable-trigger-all',
  description: 'DISABLE TRIGGER ALL switches off foreign key enforcement on the table along with its own triggers.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    disableAll: 'DISABLE TRIGGER ALL on `{table}` also disables the system triggers that enforce its foreign keys: rows written meanwhile are never checked, so orphans can stay for good; it also takes a SHARE ROW EXCLUSIVE lock that blocks writes until the transaction commits.',
  },
  help: 'Disable only the triggers you mean (DISABLE TRIGGER USER, or by name); if foreign key checks must be skipped for a load, validate the data afterwards.',
  docs: {
    rationale:
      'ALL includes the internal RI_ConstraintTrigger_* triggers that implement foreign keys (and requires superuser for that reason). While they are off, INSERTs and UPDATEs on the table are not checked against the referenced table, nor are deletes on the referenced table checked against this one; re-enabling the triggers does not re-check the rows written in between, so the foreign key silently stops being true. DISABLE TRIGGER USER disables only user-defined triggers, which is usually what a migration means. The quick fix does that, but is not preferred: it changes behaviour if the migration really meant to skip foreign key checks. `SET session_replication_role = replica` has the same effect and is not detected.',
    bad: ['ALTER TABLE orders DISABLE TRIGGER ALL;'],
    good: ['ALTER TABLE orders DISABLE TRIGGER USER;', 'ALTER TABLE orders DISABLE TRIGGER orders_audit;', 'ALTER TABLE orders ENABLE TRIGGER ALL;'],
  },
  check({ statement, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation) return;
    let tokens: Token[] | undefined;
    let from = 0;
    for (const c of alter.cmds ?? []) {
      if (as<AlterTableCmd>(c, 'AlterTableCmd')?.subtype !== 'AT_DisableTrigAll') continue;
      // Scanned only when needed: most ALTER TABLE statements disable no trigger.
      tokens ??= tokenize(statement.text);
      const at = findWords(tokens, ['disable', 'trigger', 'all'], from);
      const all = at < 0 ? undefined : tokens[at + 2];
      if (at >= 0) from = at + 3;
      report({
        messageId: 'disableAll',
        data: { table: relationName(alter.relation) },
        fix: all && {
          title: 'Disable only user triggers',
          edits: [{ start: statement.span.start + all.start, end: statement.span.start + all.end, newText: all.text === 'all' ? 'user' : 'USER' }],
          preferred: false,
        },
      });
    }
  },
});
