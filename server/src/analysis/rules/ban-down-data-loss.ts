/**
 * What a down migration destroys: data written since the up in what the up created (information), and, worse, data
 * that existed before the up in what it did not create (a warning).
 */
import type { DeleteStmt, UpdateStmt } from '@pgsql/types';
import { as } from '../ast';
import { parseFile, type ParsedFile } from '../parse';
import { migrationEffects, netChanges, type Effect } from '../rollback';
import { defineRule } from '../rule';

const hasWhere = (file: ParsedFile, e: Effect): boolean => {
  const node = file.statements[e.statementIndex]?.node;
  return !!(as<DeleteStmt>(node, 'DeleteStmt')?.whereClause ?? as<UpdateStmt>(node, 'UpdateStmt')?.whereClause);
};

export default defineRule({
  id: 'ban-down-data-loss',
  description: 'A down migration should not destroy data: it loses what was written since the up, or what existed before it.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    sinceUp: 'Data written since the up in `{name}` is lost by {label}: the up created this {noun}, and rolling back deletes it with everything stored in it.',
    rowsSinceUp: 'Rows written to `{name}` since the up are lost by {label}.',
    preexisting: '{label} deletes {noun} `{name}`, which the up did not create: it existed before the migration, and rolling back destroys it with its data.',
    preexistingRows: '{label} changes rows of `{name}` that the up did not write: rolling back destroys data that existed before the migration.',
  },
  help: 'Roll back without destroying data where you can (keep the column and stop using it, rename instead of dropping), and take a backup of what a rollback must drop.',
  docs: {
    rationale:
      'A rollback usually runs after the new code has been live for a while. Dropping a column or table the up added is the correct undo for the schema, but everything the application wrote into it since the up is gone: that is reported as information, so the cost is visible where the down is written. A down that drops, truncates, deletes or updates what the up did not create or write destroys data that existed before the migration: a rollback that loses more than the migration ever added, reported as a warning. The up is read from the pair file (or the up section of the same file), so the rule needs the migration project.',
    bad: [
      { sql: 'ALTER TABLE users DROP COLUMN full_name;', rollback: { role: 'down', upPath: '000042_full_name.up.sql', upText: 'ALTER TABLE users ADD COLUMN full_name text;\n' } },
      { sql: 'DROP TABLE users;', rollback: { role: 'down', upPath: '000043_users_email_idx.up.sql', upText: 'CREATE INDEX users_email_idx ON users (email);\n' } },
      { sql: 'DELETE FROM users;', rollback: { role: 'down', upPath: '000044_users_status.up.sql', upText: 'ALTER TABLE users ADD COLUMN status text;\n' } },
    ],
    good: [
      { sql: 'DROP INDEX users_email_idx;', rollback: { role: 'down', upPath: '000043_users_email_idx.up.sql', upText: 'CREATE INDEX users_email_idx ON users (email);\n' } },
      { sql: "DELETE FROM plans WHERE name = 'enterprise';", rollback: { role: 'down', upPath: '000045_enterprise_plan.up.sql', upText: "INSERT INTO plans (name) VALUES ('enterprise');\n" } },
      'DROP TABLE users;',
    ],
  },
  checkFile({ file, rollback, report }) {
    let up: ParsedFile;
    let down: ParsedFile;
    let inDown: boolean;
    if (rollback?.role === 'down' && rollback.upText !== undefined) {
      up = parseFile(rollback.upText);
      down = file.file;
      inDown = true;
    } else if (rollback?.role === 'up' && rollback.sameFile && rollback.downText !== undefined) {
      up = file.file;
      down = parseFile(rollback.downText);
      inDown = false;
    } else return;
    const net = netChanges(migrationEffects(up));
    const created = (kind: string, key: string) => net.created.get(`${kind}:${key}`)?.op === 'create';
    // Findings in a single-file down section point into it; the analyzed text has that section blanked.
    const at = (e: Effect) => ({ span: e.span, statementIndex: inDown ? e.statementIndex : -1 });
    for (const e of migrationEffects(down)) {
      const o = e.object;
      const data = { name: o.name, label: e.label, noun: o.noun };
      if (e.op === 'drop' && (o.kind === 'column' || (o.kind === 'relation' && o.noun === 'table'))) {
        const mine = created(o.kind, o.key) || (!!o.table && created('relation', o.table)) || net.created.get(`schema:${o.schema}`)?.op === 'create';
        if (mine) report({ messageId: 'sinceUp', data, severity: 'info', ...at(e) });
        else report({ messageId: 'preexisting', data, ...at(e) });
      } else if (e.op === 'truncate' || e.op === 'delete' || e.op === 'update') {
        if (created('relation', o.key)) {
          if (e.op === 'truncate' || !hasWhere(down, e)) report({ messageId: 'rowsSinceUp', data, severity: 'info', ...at(e) });
        } else if (!net.written.has(o.key)) {
          report({ messageId: 'preexistingRows', data, ...at(e) });
        } else if (e.op !== 'update' && !hasWhere(down, e)) {
          report({ messageId: 'rowsSinceUp', data, severity: 'info', ...at(e) });
        }
      }
    }
  },
});
