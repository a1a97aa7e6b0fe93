/**
 * ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, except when the old values
 * are reusable as they are (ATColumnChangeRequiresRewrite in tablecmds.c: a binary-coercible relabel, or a length
 * coercion that a type's support function proves to be a no-op). The old type comes from the catalog; when it is
 * unknown the message says so instead of claiming a rewrite.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Node, TypeCast } from '@pgsql/types';
import { as, relationKey, relationName, strings } from '../ast';
import { typeInfo, type Column } from '../catalog';
import { defineRule } from '../rule';
import { tableBefore } from '../tableBefore';

type TypeInfo = ReturnType<typeof typeInfo>;
type Verdict = 'none' | 'rewrite' | 'timezone' | 'unknown';

/** Built-in types whose conversions the verdicts below cover; a pair involving any other type gets "may rewrite". */
const BUILTIN = new Set([
  'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'bpchar', 'bool', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'uuid', 'json', 'jsonb', 'bytea', 'bit', 'varbit', 'inet', 'cidr', 'macaddr', 'money',
]);

/** Types whose precision modifier can grow without a rewrite (timestamp_support, time_support). */
const PRECISION = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

/** Modifier `n` of `mods` (undefined when unconstrained). */
const mod = (t: TypeInfo, n = 0): number | undefined => t.typmods[n];

/**
 * Whether changing `from` to `to` rewrites the table, as PostgreSQL 15 decides it (each case checked with relfilenode):
 * varchar(n) → varchar(m ≥ n) / varchar / text, text → varchar: no; text → varchar(n), varchar(n) → varchar(m < n): yes.
 * numeric(p,s) → numeric(q ≥ p, s) / numeric: no; other scale or smaller precision: yes.
 * varbit(n) → varbit(m ≥ n) / varbit and bit(n) → varbit: no; bit(n) → varbit(m), anything with bpchar: yes.
 * timestamp(p) → timestamp(q ≥ p) / timestamp: no; timestamp ↔ timestamptz: only when TimeZone is UTC (12+).
 * Arrays: no rewrite only for the identical type (varchar(10)[] → varchar(20)[] and → text[] rewrite).
 */
function verdict(from: TypeInfo, to: TypeInfo, postgresVersion: number): Verdict {
  if (from.isArray || to.isArray) {
    if (from.type === to.type) return 'none';
    return BUILTIN.has(from.baseType) && BUILTIN.has(to.baseType) ? 'rewrite' : 'unknown';
  }
  if (from.baseType === to.baseType && from.typmods.join() === to.typmods.join()) return 'none';
  if (!BUILTIN.has(from.baseType) || !BUILTIN.has(to.baseType)) return 'unknown';
  const f = from.baseType;
  const t = to.baseType;
  if (t === 'text' && f === 'varchar') return 'none';
  if (t === 'varchar' && (f === 'varchar' || f === 'text')) {
    if (mod(to) === undefined) return 'none';
    return f === 'varchar' && mod(from) !== undefined && mod(from)! <= mod(to)! ? 'none' : 'rewrite';
  }
  if (t === 'numeric' && f === 'numeric') {
    if (mod(to) === undefined) return 'none';
    if (mod(from) === undefined) return 'rewrite';
    return (mod(from, 1) ?? 0) === (mod(to, 1) ?? 0) && mod(from)! <= mod(to)! ? 'none' : 'rewrite';
  }
  if (t === 'varbit' && (f === 'varbit' || f === 'bit')) {
    if (mod(to) === undefined) return 'none';
    return f === 'varbit' && mod(from) !== undefined && mod(from)! <= mod(to)! ? 'none' : 'rewrite';
  }
  if (PRECISION.has(t) && f === t) {
    if (mod(to) === undefined) return 'none';
    return mod(from) !== undefined && mod(from)! <= mod(to)! ? 'none' : 'rewrite';
  }
  if ((f === 'timestamp' && t === 'timestamptz') || (f === 'timestamptz' && t === 'timestamp')) {
    const widens = mod(to) === undefined || (mod(from) !== undefined && mod(from)! <= mod(to)!);
    return postgresVersion >= 12 && widens ? 'timezone' : 'rewrite';
  }
  return 'rewrite';
}

const DISPLAY: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  bpchar: 'char', varbit: 'bit varying',
};

/** `int8` → `bigint`, `varchar(50)`, `char(5)`, `numeric(10,2)[]`. */
function display(t: TypeInfo): string {
  return `${DISPLAY[t.baseType] ?? t.baseType}${t.typmods.length ? `(${t.typmods.join(',')})` : ''}${t.isArray ? '[]' : ''}`;
}

/** A USING expression that only reads the column (`col`, `col::newtype`) adds nothing to the type change itself. */
function plainUsing(using: Node | undefined, column: string, to: TypeInfo): boolean {
  if (!using) return true;
  const cast = as<TypeCast>(using, 'TypeCast');
  const ref = as<{ fields?: Node[] }>(cast ? cast.arg : using, 'ColumnRef');
  if (!ref || strings(ref.fields).pop() !== column) return false;
  return !cast || typeInfo(cast.typeName).type === to.type;
}

export default defineRule({
  id: 'changing-column-type',
  description: 'Changing a column type rewrites the table and its indexes under a lock that blocks reads and writes, unless the change is binary coercible.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    rewrite: 'Changing `{table}.{column}` from {from} to {to} rewrites `{table}` and rebuilds its indexes while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the rewrite ends.',
    timezone: 'Changing `{table}.{column}` from {from} to {to} rewrites `{table}` and its indexes under an ACCESS EXCLUSIVE lock, blocking reads and writes, unless the session TimeZone is UTC (then only the catalog changes).',
    using: 'Changing `{table}.{column}` to {to} with this USING expression computes it for every row: `{table}` and its indexes are rewritten while holding an ACCESS EXCLUSIVE lock, blocking reads and writes until the rewrite ends.',
    maybe: 'Changing `{table}.{column}` from {from} to {to} takes an ACCESS EXCLUSIVE lock on `{table}` and rewrites it and its indexes, blocking reads and writes throughout, unless {from} is binary coercible to {to}.',
    unknownOld: 'Changing `{table}.{column}` to {to} takes an ACCESS EXCLUSIVE lock on `{table}`; its old type is not known here, so it may rewrite `{table}` and its indexes, blocking reads and writes throughout (only binary-coercible changes such as varchar(n) → text do not).',
  },
  help: 'Add a new column of the new type, backfill it in batches and keep it in sync with a trigger, switch the code over, then drop the old column; for varchar(n), widen it or change it to text (no rewrite).',
  docs: {
    rationale:
      'ALTER COLUMN … TYPE holds an ACCESS EXCLUSIVE lock and, unless PostgreSQL can reuse the stored values, writes a new copy of the table and rebuilds all of its indexes: no reads or writes for the whole rewrite. No rewrite happens (checked on PostgreSQL 15 by comparing relfilenodes) for varchar(n) → varchar(m ≥ n), unbounded varchar or text; text → unbounded varchar; numeric(p,s) → numeric(q ≥ p, s) or unbounded numeric; varbit(n) → varbit(m ≥ n) or varbit; bit(n) → varbit; timestamp(p) / time(p) → a larger or no precision; and, since PostgreSQL 12, timestamp ↔ timestamptz when the session TimeZone is UTC. Everything else rewrites: int → bigint, shrinking a length, any change to char(n), arrays of a different type, and a USING expression that computes something. Migration Guard reads the old type from the schema built from earlier migrations and statements; when it does not know it, it says so rather than guessing. A type change can also break code that reads the column, so the expand-contract route (new column, backfill, switch, drop) is the safe default. Tables created earlier in the same migration are exempt.',
    bad: [
      'ALTER TABLE accounts ALTER COLUMN id TYPE bigint;',
      'ALTER TABLE users ALTER COLUMN email TYPE text USING lower(email);',
      'ALTER TABLE users ADD COLUMN code varchar(20);\nALTER TABLE users ALTER COLUMN code TYPE varchar(10);',
    ],
    good: [
      'ALTER TABLE users ADD COLUMN name varchar(50);\nALTER TABLE users ALTER COLUMN name TYPE varchar(100);',
      'ALTER TABLE users ADD COLUMN name varchar(50);\nALTER TABLE users ALTER COLUMN name TYPE text USING name::text;',
      'CREATE TABLE accounts (id integer);\nALTER TABLE accounts ALTER COLUMN id TYPE bigint;',
    ],
  },
  check(ctx) {
    const { statement, facts, options, report } = ctx;
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || facts.createdBefore.has(relationKey(alter.relation))) return;
    const table = relationName(alter.relation);
    const before = tableBefore(ctx, alter);
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_AlterColumnType' || !cmd.name) continue;
      const def = as<ColumnDef>(cmd.def, 'ColumnDef');
      const to = typeInfo(def?.typeName);
      const column = cmd.name;
      const data = { table, column, to: display(to) };
      if (!plainUsing(def?.raw_default, column, to)) {
        report({ messageId: 'using', data });
        continue;
      }
      const old: Column | undefined = before?.columns.get(column);
      if (!old) {
        report({ messageId: 'unknownOld', data });
        continue;
      }
      const v = verdict(old, to, options.postgresVersion);
      if (v === 'none') continue;
      report({ messageId: v === 'unknown' ? 'maybe' : v, data: { ...data, from: display(old) } });
    }
  },
});
