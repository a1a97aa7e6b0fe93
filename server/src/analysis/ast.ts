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

/**
 * Functions PostgreSQL marks stable or immutable that are common in column defaults. A default calling anything
 * else (including user functions, which are VOLATILE unless declared otherwise) is treated as volatile.
 * Source: pg_proc.provolatile in PostgreSQL 15; see "Function Volatility Categories" in the docs.
 */
const NON_VOLATILE_FUNCTIONS = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'current_time', 'current_timestamp',
  'localtime', 'localtimestamp', 'lower', 'upper', 'btrim', 'trim', 'length', 'coalesce', 'nullif', 'greatest',
  'least', 'abs', 'round', 'concat', 'to_char', 'to_timestamp', 'to_date', 'make_interval', 'jsonb_build_object',
  'json_build_object', 'jsonb_build_array', 'json_build_array', 'array_length', 'current_setting', 'current_user',
  'session_user', 'current_schema', 'timezone', 'date_trunc', 'md5', 'replace', 'substring', 'left', 'right',
  'int4', 'int8', 'text', 'numeric', 'array_to_json', 'to_jsonb', 'to_json',
]);

/** True when evaluating the expression can give a different value per row (so ADD COLUMN must rewrite the table). */
export function isVolatile(expr: unknown): boolean {
  let volatile = false;
  walk(expr, (kind, value) => {
    if (kind === 'FuncCall') {
      const name = strings((value as { funcname?: Node[] }).funcname).pop()?.toLowerCase() ?? '';
      if (!NON_VOLATILE_FUNCTIONS.has(name)) volatile = true;
    } else if (kind === 'SubLink') {
      volatile = true;
    }
  });
  return volatile;
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
