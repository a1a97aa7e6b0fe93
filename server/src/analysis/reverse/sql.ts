/**
 * SQL text for the reverse generator: identifiers quoted as PostgreSQL needs, and definitions rebuilt from the
 * catalog's parse-tree pieces with pgsql-deparser (single-line form). Catalog nodes are shared: copy before changing.
 */
import { deparseSync } from 'pgsql-deparser';
import type { Constraint, IndexStmt, Node, RangeVar, TypeName } from '@pgsql/types';
import { constraintName, type Catalog, type Column, type Index, type Table, type TableConstraint, type View } from '../catalog';
import { as, strings, walk } from '../ast';
import { quoteIdent } from '../tokens';

export const qi = quoteIdent;

/** Deparses one node (statement or expression) on one line. */
export function deparse(node: Node): string {
  return deparseSync(node, { pretty: false });
}

/** `schema.name` as written in the statement. */
export function rel(rv: RangeVar | undefined): string {
  if (!rv?.relname) return '?';
  return rv.schemaname ? `${qi(rv.schemaname)}.${qi(rv.relname)}` : qi(rv.relname);
}

/** A qualified name from a list of `String` nodes. */
export function qname(items: Node[] | undefined): string {
  return strings(items).map(qi).join('.');
}

/** A catalog key (`public.t`) as a RangeVar: `public` left implicit. */
export function rangeVarOf(key: string): RangeVar {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot);
  const relname = key.slice(dot + 1);
  return schema === 'public' ? { relname, inh: true, relpersistence: 'p' } : { schemaname: schema, relname, inh: true, relpersistence: 'p' };
}

/** A catalog key as SQL. */
export function keySql(key: string): string {
  return rel(rangeVarOf(key));
}

export function typeSql(t: TypeName): string {
  return deparse({ TypeName: t } as Node);
}

/** A column definition as CREATE TABLE / ADD COLUMN write it; undefined when the catalog lacks its type. */
export function columnSql(col: Column): string | undefined {
  if (!col.typeName) return undefined;
  let s = `${qi(col.name)} ${typeSql(col.typeName)}`;
  if (col.collation?.length) s += ` COLLATE ${qname(col.collation)}`;
  if (col.generated) s += ` ${deparse({ Constraint: col.generated } as Node)}`;
  if (col.defaultExpr) s += ` DEFAULT ${deparse(col.defaultExpr)}`;
  if (col.notNull) s += ' NOT NULL';
  return s;
}

/** `CONSTRAINT name …` for ADD CONSTRAINT / CREATE TABLE; `NOT VALID` when it is not validated (and `notValid`). */
export function constraintSql(k: TableConstraint, notValid = true): string | undefined {
  if (!k.node) return undefined;
  const name = constraintName(k);
  const node: Constraint = { ...k.node, conname: name, skip_validation: notValid && !k.validated, initially_valid: !notValid || k.validated };
  return deparse({ Constraint: node } as Node);
}

/** CREATE INDEX for a catalog index, under its current name and table. */
export function indexSql(i: Index, concurrently = false): string | undefined {
  if (!i.stmt) return undefined;
  const stmt: IndexStmt = { ...i.stmt, idxname: i.name, concurrent: concurrently, if_not_exists: false, relation: rangeVarOf(i.tableKey) };
  return deparse({ IndexStmt: stmt } as Node);
}

/** Does the constraint use an index as its key (`UNIQUE USING INDEX i`)? */
export function usesIndex(k: TableConstraint): boolean {
  return !!k.node?.indexname;
}

/**
 * CREATE TABLE from the catalog: columns, then constraints (validated ones inline; NOT VALID ones added after, since
 * CREATE TABLE validates everything), then its indexes. Undefined when a column's type is unknown.
 */
export function tableSql(t: Table, catalog: Catalog): { create: string[]; missing?: string } | undefined {
  const lines: string[] = [];
  for (const c of t.columns.values()) {
    const s = columnSql(c);
    if (!s) return undefined;
    lines.push(s);
  }
  const after: string[] = [];
  for (const k of t.constraints) {
    if (usesIndex(k)) return { create: [], missing: `constraint ${constraintName(k)} was added USING INDEX` };
    const s = constraintSql(k, false);
    if (!s) return { create: [], missing: `the definition of constraint ${constraintName(k) ?? '?'} is unknown` };
    if (k.validated) lines.push(s);
    else after.push(`ALTER TABLE ${keySql(t.key)} ADD ${constraintSql(k)}`);
  }
  const create = [`CREATE TABLE ${keySql(t.key)} (\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`, ...after];
  for (const i of catalog.indexesOf(t.key)) {
    const s = indexSql(i);
    if (!s) return { create: [], missing: `the definition of index ${i.name} is unknown` };
    create.push(s);
  }
  return { create };
}

/** The string value of a `String` node. */
export function sval(n: Node | undefined): string | undefined {
  return as<{ sval?: string }>(n, 'String')?.sval;
}

/** A SQL string literal. */
export function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Does a view definition cast a special date/time string (`'now'::timestamp`, `'today'::date`)? PostgreSQL turns
 * it into a constant when the view is created, so a view created again holds a different time.
 */
export function freezesTime(node: Node | undefined): boolean {
  let found = false;
  walk(node, (kind, v) => {
    if (kind !== 'TypeCast' || found) return;
    const c = v as { arg?: Node; typeName?: TypeName };
    const str = as<{ sval?: { sval?: string } }>(c.arg, 'A_Const')?.sval?.sval?.toLowerCase();
    const type = strings(c.typeName?.names).pop() ?? '';
    if (str && ['now', 'today', 'tomorrow', 'yesterday'].includes(str) && /^(timestamp|timestamptz|date|time|timetz)$/.test(type)) found = true;
  });
  return found;
}


/**
 * Why the old definition of `view`, created again at the end of the down, would not list the columns it had: a `*`
 * over a table whose columns (before the up) are not those it had when the view was created.
 */
export function staleStar(view: View, name: string, initial: Catalog): string | undefined {
  for (const [key, cols] of view.starColumns ?? []) {
    const now = initial.tables.get(key);
    if (now && [...now.columns.keys()].join(',') !== cols.join(',')) {
      return `view ${name} selects * from ${keySql(key)}, whose columns changed after the view was created: created again, it would list the current ones`;
    }
  }
  return undefined;
}
