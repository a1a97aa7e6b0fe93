/**
 * Small helpers over libpg-query's JSON tree, where every node is wrapped as `{ TypeName: { …fields } }`.
 * Names come out of the parser already case-folded (unquoted identifiers are lower case).
 */
import type { Node, RangeVar, Constraint } from '@pgsql/types';

/** Returns the inner object of a wrapped node when it has the given type. */
export function as<T = Record<string, unknown>>(node: unknown, kind: string): T | undefined {
  if (node && typeof node === 'object' && kind in (node as object)) return (node as Record<string, T>)[kind];
  return undefined;
}

/** The wrapped node's type name. */
export function kindOf(node: unknown): string {
  return node && typeof node === 'object' ? (Object.keys(node)[0] ?? '') : '';
}

/** A relation as written: `schema.name` when the SQL qualifies it, else `name`. */
export function relationName(rv: RangeVar | undefined): string {
  if (!rv?.relname) return '?';
  return rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
}

/** A key to compare relations across statements: `public.` is implied when unqualified. */
export function relationKey(rv: RangeVar | undefined): string {
  if (!rv?.relname) return '';
  return `${rv.schemaname ?? 'public'}.${rv.relname}`;
}

/** Key for a name list such as `DROP TABLE a.b` (`objects: [{List: {items: [String…]}}]`). */
export function nameListKey(items: Node[] | undefined): { key: string; name: string } | undefined {
  const parts = (items ?? []).map((n) => as<{ sval?: string }>(n, 'String')?.sval).filter((s): s is string => !!s);
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return { key: `${schema ?? 'public'}.${name}`, name: schema ? `${schema}.${name}` : name };
}

/** The strings of a `String` node list (e.g. a qualified type or function name). */
export function strings(items: Node[] | undefined): string[] {
  return (items ?? []).map((n) => as<{ sval?: string }>(n, 'String')?.sval ?? '').filter(Boolean);
}

/** Constraints attached to a column definition. */
export function columnConstraints(columnDef: { constraints?: Node[] } | undefined): Constraint[] {
  return (columnDef?.constraints ?? []).map((c) => as<Constraint>(c, 'Constraint')).filter((c): c is Constraint => !!c);
}

/** Visits every wrapped node below `node` (depth first), calling `visit(kind, inner)`. */
export function walk(node: unknown, visit: (kind: string, value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (/^[A-Z]/.test(k) && v && typeof v === 'object' && !Array.isArray(v)) visit(k, v);
    if (v && typeof v === 'object') walk(v, visit);
  }
}

const LABELS: Record<string, string> = {
  IndexStmt: 'CREATE INDEX', AlterTableStmt: 'ALTER TABLE', RenameStmt: 'RENAME', DropStmt: 'DROP', CreateStmt: 'CREATE TABLE',
  TruncateStmt: 'TRUNCATE', CreateTrigStmt: 'CREATE TRIGGER', VacuumStmt: 'VACUUM', ClusterStmt: 'CLUSTER', ReindexStmt: 'REINDEX',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW', LockStmt: 'LOCK TABLE', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE',
  InsertStmt: 'INSERT', CommentStmt: 'COMMENT', CreatePolicyStmt: 'CREATE POLICY', AlterPolicyStmt: 'ALTER POLICY',
};

/** A short upper-case name for a statement kind, for messages: `AlterTableStmt` → `ALTER TABLE`. */
export function statementLabel(kind: string): string {
  return LABELS[kind] ?? kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
