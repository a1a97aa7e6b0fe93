/**
 * CHECK / FOREIGN KEY constraints that PostgreSQL validates against every existing row while it holds the ALTER's lock:
 * ADD CONSTRAINT without NOT VALID, the ones written inline in ADD COLUMN where PostgreSQL checks them, and a VALIDATE
 * CONSTRAINT run in the same transaction as its NOT VALID add (the add's lock is still held).
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, Node } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import type { FileFacts } from '../context';
import { defineRule } from '../rule';

const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/**
 * Whether PostgreSQL checks existing rows against a FOREIGN KEY written inline in ADD COLUMN. It skips the check when
 * the new column has no default, all its values being NULL (parse_utilcmd.c, transformFKConstraints). Checked on
 * PostgreSQL 15: no scan without a default or with an identity column; a scan of both tables with any DEFAULT clause
 * (`DEFAULT NULL` included), a serial type or a stored generated expression.
 */
export function inlineForeignKeyValidates(col: ColumnDef | undefined): boolean {
  const type = strings(col?.typeName?.names).pop()?.toLowerCase() ?? '';
  return SERIAL.has(type) || columnConstraints(col).some((k) => k.contype === 'CONSTR_DEFAULT' || (k.contype === 'CONSTR_GENERATED' && k.generated_kind !== 'v'));
}

const TRANSACTION_END = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED']);

/** True when statements `from` < `to` run in one transaction: both inside one, and nothing in between ends it. */
function sameTransaction(file: FileFacts, from: number, to: number): boolean {
  const a = file.statements[from];
  const b = file.statements[to];
  if (!a.inTransaction || !b.inTransaction || a.transactionStart !== b.transactionStart) return false;
  for (let i = from; i < to; i++) {
    const kind = as<{ kind?: string }>(file.file.statements[i].node, 'TransactionStmt')?.kind;
    if (kind && TRANSACTION_END.has(kind)) return false;
  }
  return true;
}

export default defineRule({
  id: 'constraint-missing-not-valid',
  description: 'Adding a CHECK or FOREIGN KEY constraint without NOT VALID scans the whole table while holding a lock that blocks writes.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    check: 'Adding CHECK constraint {name} validates every row of `{table}` while holding an ACCESS EXCLUSIVE lock, blocking reads and writes.',
    foreign: 'Adding FOREIGN KEY {name} validates every row of `{table}` while holding SHARE ROW EXCLUSIVE locks on `{table}` and `{ref}`, blocking writes to both.',
    inlineCheck: 'The CHECK on new column `{column}` is validated against every row of `{table}` while ADD COLUMN holds its ACCESS EXCLUSIVE lock, blocking reads and writes until the scan ends.',
    inlineForeign: 'The REFERENCES `{ref}` on new column `{column}` is validated against every row of `{table}` because the column gets a value: ADD COLUMN holds an ACCESS EXCLUSIVE lock on `{table}` and a SHARE ROW EXCLUSIVE lock on `{ref}` meanwhile, blocking reads and writes of `{table}` and writes to `{ref}`.',
    validateSameTransaction: 'VALIDATE CONSTRAINT `{name}` runs in the transaction that added it NOT VALID, which still holds {mode} lock on `{table}`: the validation scan blocks {blocked} as if NOT VALID had not been used.',
  },
  help: 'Add the constraint with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction (it takes only a SHARE UPDATE EXCLUSIVE lock).',
  docs: {
    rationale:
      'Without NOT VALID, PostgreSQL checks every existing row while it holds the lock the constraint needs: ACCESS EXCLUSIVE for CHECK (no reads or writes), SHARE ROW EXCLUSIVE on both tables for a foreign key (no writes). With NOT VALID the constraint applies to new rows at once, and VALIDATE CONSTRAINT checks old rows later under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes continue.\n\nThe same holds for constraints written inside ADD COLUMN, which cannot be NOT VALID: a CHECK there is always checked against every row, even for a column that is all NULL; a REFERENCES is checked only when the new column gets a value (a DEFAULT clause, even `DEFAULT NULL`, a serial type or a stored generated expression), and is not reported otherwise (all checked on PostgreSQL 15). Add the column first, then the constraint NOT VALID.\n\nVALIDATE CONSTRAINT gains nothing in the transaction that added the constraint: the lock of the ADD is held until COMMIT, so the scan runs under it. Validate in a later transaction (a separate migration when the tool wraps each file in one).',
    bad: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);',
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      'ALTER TABLE orders ADD COLUMN discount int CHECK (discount >= 0);',
      'BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\nCOMMIT;',
    ],
    good: [
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
      'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);',
    ],
  },
  check({ statement, facts, file, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        const column = col?.colname ?? '?';
        for (const k of columnConstraints(col)) {
          if (k.contype === 'CONSTR_CHECK') report({ messageId: 'inlineCheck', data: { column, table } });
          else if (k.contype === 'CONSTR_FOREIGN' && inlineForeignKeyValidates(col)) {
            report({ messageId: 'inlineForeign', data: { column, table, ref: relationName(k.pktable) } });
          }
        }
        continue;
      }
      if (cmd?.subtype === 'AT_ValidateConstraint' && cmd.name) {
        const added = notValidAdd(file, statement.index, relationKey(alter.relation), cmd.name);
        if (added === undefined || !sameTransaction(file, added.index, statement.index)) continue;
        const foreign = added.contype === 'CONSTR_FOREIGN';
        report({
          messageId: 'validateSameTransaction',
          data: {
            name: cmd.name,
            table,
            mode: foreign ? 'a SHARE ROW EXCLUSIVE' : 'an ACCESS EXCLUSIVE',
            blocked: foreign ? `writes to \`${table}\` and \`${added.ref}\`` : 'reads and writes',
          },
        });
        continue;
      }
      if (cmd?.subtype !== 'AT_AddConstraint') continue;
      const con = as<Constraint>(cmd.def, 'Constraint');
      if (!con || con.skip_validation) continue;
      const name = con.conname ? `\`${con.conname}\`` : '(unnamed)';
      if (con.contype === 'CONSTR_CHECK') report({ messageId: 'check', data: { name, table } });
      else if (con.contype === 'CONSTR_FOREIGN') report({ messageId: 'foreign', data: { name, table, ref: relationName(con.pktable) } });
    }
  },
});

/** The latest earlier statement that added CHECK / FOREIGN KEY `name` NOT VALID to the table `key`. */
function notValidAdd(file: FileFacts, before: number, key: string, name: string): { index: number; contype: string; ref: string } | undefined {
  for (let i = before - 1; i >= 0; i--) {
    const alter = as<AlterTableStmt>(file.file.statements[i].node, 'AlterTableStmt');
    if (!alter?.relation || relationKey(alter.relation) !== key) continue;
    for (const c of alter.cmds ?? ([] as Node[])) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const con = cmd?.subtype === 'AT_AddConstraint' ? as<Constraint>(cmd.def, 'Constraint') : undefined;
      if (con?.conname === name && con.skip_validation && (con.contype === 'CONSTR_CHECK' || con.contype === 'CONSTR_FOREIGN')) {
        return { index: i, contype: con.contype, ref: relationName(con.pktable) };
      }
    }
  }
  return undefined;
}
