/**
 * The table as a statement finds it, for rules whose verdict depends on it: the catalog before the statement, or for a
 * table the catalog never saw created, the earlier statements of this file replayed onto a stand-in; and whether a
 * column is proven NOT NULL there (already NOT NULL, or a validated CHECK (col IS NOT NULL)).
 */
import type { AlterTableStmt } from '@pgsql/types';
import { relationKey, relationName } from './ast';
import { Catalog, type Table } from './catalog';
import type { RuleContext } from './rule';

/**
 * The table as it stood before this statement. The catalog knows only tables whose CREATE it saw; for any other table,
 * the earlier statements of this file are replayed onto an empty stand-in, so a CHECK added and validated above (or a
 * column added above, with its type) counts. Shared with changing-column-type.
 */
export function tableBefore(ctx: RuleContext<string>, alter: AlterTableStmt): Table | undefined {
  const known = ctx.catalog.table(alter.relation);
  if (known) return known;
  const key = relationKey(alter.relation);
  const scratch = new Catalog();
  scratch.tables.set(key, { key, name: relationName(alter.relation), columns: new Map(), constraints: [], partitioned: false });
  for (const s of ctx.file.file.statements.slice(0, ctx.statement.index)) scratch.apply(s.node);
  return scratch.tables.get(key);
}

/** Whether a CHECK (col IS NOT NULL) on the table proves the column, and the name of a NOT VALID one if any. */
export function provenNotNull(table: Table | undefined, column: string): { validated: boolean; notValid?: string } {
  const checks = (table?.constraints ?? []).filter((k) => k.kind === 'check' && k.notNullColumn === column);
  const pending = checks.find((k) => !k.validated);
  return {
    validated: checks.some((k) => k.validated),
    notValid: pending ? (pending.name ? `\`${pending.name}\`` : '(unnamed)') : undefined,
  };
}
