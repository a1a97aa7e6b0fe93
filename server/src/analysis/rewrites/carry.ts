/**
 * What moves with a column when an expand-contract sequence replaces it by a new column (rename, type change): its
 * indexes and its CHECK / FOREIGN KEY / UNIQUE constraints, rebuilt over the new column from the catalog's parse
 * trees, its comment, and, named so a phase comment can say so, what cannot be carried. The phase generators take
 * the result as SQL text, so they stay free of parse trees.
 */
import type { Constraint, IndexStmt, Node } from '@pgsql/types';
import { constraintName, type Catalog } from '../catalog';
import { deparse, rangeVarOf } from '../reverse/sql';
import { quoteIdent } from '../tokens';
import { objectName } from './sql';

export interface CarriedIndex {
  /** The original's name. */
  name: string;
  /** The copy's name while both exist (the original's with the column's name replaced). */
  tempName: string;
  /** `CREATE [UNIQUE] INDEX CONCURRENTLY <tempName> ON … (<new column> …)`, without `;`. */
  create: string;
  /** The index backs this UNIQUE constraint of the original (`ADD CONSTRAINT … USING INDEX` once the original is gone). */
  constraint?: 'UNIQUE';
}

export interface CarriedConstraint {
  name: string;
  tempName: string;
  /** `CHECK (…)` or `FOREIGN KEY (…) REFERENCES …` over the new column, without NOT VALID. */
  definition: string;
}

export interface Carried {
  indexes: CarriedIndex[];
  constraints: CarriedConstraint[];
  /** The column's comment as an SQL literal. */
  comment?: string;
  /** What uses the column but is not rebuilt ("the primary key `users_pkey`"), for a comment in the phases. */
  notCarried: string[];
}

/** A copy of `node` whose references to column `from` name `to` instead (column refs, index elements, key lists). */
function renamed<T>(node: T, from: string, to: string): T {
  const copy = structuredClone(node);
  const keyLists = new Set(['keys', 'fk_attrs', 'including', 'indexIncludingParams']);
  const visit = (v: unknown, inKeyList: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, inKeyList));
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const str = o.String as { sval?: string } | undefined;
    if (inKeyList && str?.sval === from) str.sval = to;
    const ref = o.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
    const last = ref?.fields?.[ref.fields.length - 1]?.String;
    if (last?.sval === from) last.sval = to;
    const elem = o.IndexElem as { name?: string } | undefined;
    if (elem?.name === from) elem.name = to;
    // The referenced table's columns (pk_attrs) are another table's names.
    for (const [k, child] of Object.entries(o)) if (k !== 'pk_attrs' && k !== 'pktable') visit(child, keyLists.has(k));
  };
  visit(copy, false);
  return copy;
}

const uses = (node: unknown, column: string): boolean => JSON.stringify(renamed(node, column, '\u0000')) !== JSON.stringify(node);

/** The object's name with the column's replaced by the new column's (`users_email_key` → `users_email_new_key`). */
export function carriedName(name: string, column: string, newColumn: string): string {
  const at = name.lastIndexOf(column);
  return at >= 0 ? objectName(name.slice(0, at) + newColumn + name.slice(at + column.length)) : objectName(name, newColumn);
}

/**
 * What `column` of table `tableKey` (`public.users`) carries, rebuilt over `newColumn`; undefined when the catalog
 * does not know the table (then nothing is known about its indexes and constraints).
 */
export function carriedFrom(catalog: Catalog, tableKey: string, column: string, newColumn: string): Carried | undefined {
  const table = catalog.tables.get(tableKey);
  if (!table?.columns.has(column)) return undefined;
  const rel = rangeVarOf(tableKey);
  const out: Carried = { indexes: [], constraints: [], notCarried: [] };
  for (const i of catalog.indexesOf(tableKey)) {
    if (!i.stmt || !uses(i.stmt, column)) continue;
    const tempName = carriedName(i.name, column, newColumn);
    const stmt: IndexStmt = { ...renamed(i.stmt, column, newColumn), idxname: tempName, concurrent: true, if_not_exists: false, relation: rel };
    out.indexes.push({ name: i.name, tempName, create: deparse({ IndexStmt: stmt } as Node) });
  }
  for (const k of table.constraints) {
    const name = constraintName(k);
    const node = k.node;
    if (!node || !(k.columns.includes(column) || uses(node.raw_expr, column))) continue;
    if (!name) {
      out.notCarried.push(`an unnamed ${k.kind} constraint`);
      continue;
    }
    const what = `the ${k.kind === 'primary' ? 'primary key' : k.kind === 'foreign' ? 'foreign key' : `${k.kind} constraint`} \`${name}\``;
    const tempName = carriedName(name, column, newColumn);
    const moved = renamed(node, column, newColumn);
    if (k.kind === 'check' || k.kind === 'foreign') {
      const def: Constraint = { ...moved, conname: undefined, skip_validation: false, initially_valid: true };
      out.constraints.push({ name, tempName, definition: deparse({ Constraint: def } as Node) });
    } else if (k.kind === 'unique' && !node.indexname && !node.including?.length && !node.deferrable && !node.indexspace && !node.options?.length) {
      const cols = (moved.keys ?? []).map((n) => quoteIdent((n as { String?: { sval?: string } }).String?.sval ?? '?'));
      const nulls = node.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
      const table = rel.schemaname ? `${quoteIdent(rel.schemaname)}.${quoteIdent(rel.relname!)}` : quoteIdent(rel.relname!);
      out.indexes.push({ name, tempName, create: `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(tempName)} ON ${table} (${cols.join(', ')})${nulls}`, constraint: 'UNIQUE' });
    } else out.notCarried.push(what);
  }
  for (const t of catalog.tables.values()) {
    for (const k of t.constraints) {
      if (k.kind !== 'foreign' || k.refTable !== tableKey) continue;
      const pk = (k.node?.pk_attrs ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval);
      const primary = table.constraints.find((c) => c.kind === 'primary')?.columns ?? [];
      if ((pk.length ? pk : primary).includes(column)) out.notCarried.push(`the foreign key \`${constraintName(k) ?? '?'}\` of \`${t.name}\` referencing it`);
    }
  }
  const comment = catalog.comments.get(`OBJECT_COLUMN:${tableKey}.${column}`);
  if (comment !== undefined) out.comment = `'${comment.replace(/'/g, "''")}'`;
  return out;
}
