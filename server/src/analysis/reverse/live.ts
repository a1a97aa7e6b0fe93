/**
 * The schema a real PostgreSQL reports (a snapshot read with `format_type`, `pg_get_constraintdef`, `pg_get_indexdef`,
 * `pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`: `engines/schema.ts`) written back as DDL, so that the
 * static catalog builder can read it and the reversers need no second source: `reverseMigration(up, { catalog:
 * catalogWithLive(live, known) })`. With `known` (the catalog of the earlier migrations) only what that catalog lacks is
 * added — the objects DO blocks, EXECUTE or functions created — and what it has is kept as the migrations wrote it
 * (`serial`, comments, column order). Pure: the snapshot arrives as plain data (structural types, no engine import).
 */
import type { Node } from '@pgsql/types';
import { buildCatalog, constraintName, inputArgTypes, makeObjectName, routineKey, type Catalog } from '../catalog';
import { parseFile } from '../parse';
import { escapeRegExp } from '../text';
import { qi } from './sql';
import type { ReverseResult } from './index';

/** One object of a schema snapshot: `engines/schema.ts`'s `SchemaObject`, structurally. */
export interface LiveObject {
  kind: string;
  /** Schema-qualified outside `public`; columns, constraints, triggers and policies as `table.name`. */
  name: string;
  attrs: Record<string, string>;
}

export interface LiveSchema {
  objects: Record<string, LiveObject>;
  /** Column names by table (snapshot name), in attnum order; without it columns come in name order. */
  columnOrder?: Record<string, string[]>;
}

/** A snapshot name (`t`, `app.t`) as SQL. */
function nameSql(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? qi(name) : `${qi(name.slice(0, dot))}.${qi(name.slice(dot + 1))}`;
}

/** A snapshot name as a catalog key (`public.t`). */
function keyOf(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

/** `table.member` → [table, member]; the table part may itself be `schema.table`. */
function splitMember(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

const SERIAL: Record<string, string> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** The sequence a `nextval('s'::regclass)` default reads, as a snapshot name. */
function nextvalOf(def: string | undefined): string | undefined {
  const m = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(def ?? '');
  return m ? m[1].replace(/''/g, "'").replace(/"/g, '') : undefined;
}

interface Column {
  table: string;
  name: string;
  attrs: Record<string, string>;
}

/**
 * A column as CREATE TABLE / ADD COLUMN write it. A column that owns the sequence of its `nextval` default, under the
 * name `serial` would give it, is written as `serial` (so a table created again gets its sequence back with it).
 */
function columnSql(c: Column, serialSeqs: Set<string>): string {
  const a = c.attrs;
  const seq = nextvalOf(a.default);
  if (seq && serialSeqs.has(seq) && SERIAL[a.type]) return `${qi(c.name)} ${SERIAL[a.type]}${a['not null'] ? ' NOT NULL' : ''}`;
  let s = `${qi(c.name)} ${a.type}`;
  if (a.collation) s += ` COLLATE ${qi(a.collation)}`;
  if (a.generated) s += ` GENERATED ALWAYS AS (${a.generated}) STORED`;
  if (a.identity) s += ` ${a.identity} AS IDENTITY`;
  if (a.default !== undefined) s += ` DEFAULT ${a.default}`;
  if (a['not null']) s += ' NOT NULL';
  return s;
}

/** Views after the views they read (by name), so the DDL runs in order; cycles keep the snapshot's order. */
function viewOrder(views: LiveObject[]): LiveObject[] {
  const out: LiveObject[] = [];
  const placed = new Set<LiveObject>();
  const reads = (v: LiveObject, w: LiveObject) => v !== w && new RegExp(`(^|[^\\w$"])"?${escapeRegExp(splitMember(w.name)[1])}"?([^\\w$"]|$)`).test(v.attrs.definition ?? '');
  const visit = (v: LiveObject, path: Set<LiveObject>) => {
    if (placed.has(v) || path.has(v)) return;
    path.add(v);
    for (const w of views) if (reads(v, w)) visit(w, path);
    placed.add(v);
    out.push(v);
  };
  for (const v of views) visit(v, new Set());
  return out;
}

/** Constraints in an order PostgreSQL accepts: keys before the foreign keys that reference them. */
const CONSTRAINT_RANK = (def: string) => (/^PRIMARY KEY/.test(def) ? 0 : /^(UNIQUE|EXCLUDE)/.test(def) ? 1 : /^FOREIGN KEY/.test(def) ? 3 : 2);

/**
 * The snapshot as DDL that runs on an empty database (objects of extensions aside) and that the catalog builder
 * reads. With `known`, only the objects that catalog lacks. Range types and foreign tables are left out (the snapshot
 * does not hold their definition); partitions are created as tables and attached.
 */
export function liveSchemaSql(live: LiveSchema, known?: Catalog): string {
  const all = Object.values(live.objects);
  const of = (kind: string) => all.filter((o) => o.kind === kind);
  const tables = new Map(of('table').filter((t) => t.attrs.kind !== 'foreign table').map((t) => [t.name, t]));
  const views = new Set([...of('view'), ...of('materialized view')].map((v) => v.name));
  const columns = new Map<string, Column[]>();
  for (const c of of('column')) {
    const [table, name] = splitMember(c.name);
    if (!tables.has(table)) continue;
    if (!columns.has(table)) columns.set(table, []);
    columns.get(table)!.push({ table, name, attrs: c.attrs });
  }
  for (const [table, cols] of columns) {
    const order = live.columnOrder?.[table];
    if (order) cols.sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));
  }
  // Sequences owned by a column whose default reads them, named as `serial` would name them: `serial` brings them.
  const serialSeqs = new Set<string>();
  for (const s of of('sequence')) {
    const owner = s.attrs['owned by'];
    if (!owner) continue;
    const [table, col] = splitMember(owner);
    const c = columns.get(table)?.find((x) => x.name === col);
    const schema = table.includes('.') ? `${table.slice(0, table.indexOf('.'))}.` : '';
    const expected = `${schema}${makeObjectName(table.slice(table.lastIndexOf('.') + 1), col, 'seq')}`;
    if (c && nextvalOf(c.attrs.default) === s.name && s.name === expected && SERIAL[c.attrs.type]) serialSeqs.add(s.name);
  }

  const knownTable = (name: string) => known?.tables.get(keyOf(name));
  const out: string[] = ['SET check_function_bodies = off'];
  for (const s of of('schema')) if (!known?.schemas.has(s.name)) out.push(`CREATE SCHEMA ${qi(s.name)}`);
  for (const e of of('extension')) if (!known?.extensions.has(e.name)) out.push(`CREATE EXTENSION IF NOT EXISTS ${qi(e.name)} SCHEMA ${qi(e.attrs.schema ?? 'public')}`);
  for (const t of of('type')) {
    if (known?.enums.has(keyOf(t.name))) continue;
    const a = t.attrs;
    if (a.kind === 'enum') out.push(`CREATE TYPE ${nameSql(t.name)} AS ENUM (${a.values ?? ''})`);
    else if (a.kind === 'composite') {
      // `quote_ident(name) format_type(…), …`: already SQL.
      out.push(`CREATE TYPE ${nameSql(t.name)} AS (${a.attributes ?? ''})`);
    } else if (a.kind === 'domain') {
      let s = `CREATE DOMAIN ${nameSql(t.name)} AS ${a['base type']}`;
      if (a.default !== undefined) s += ` DEFAULT ${a.default}`;
      if (a['not null']) s += ' NOT NULL';
      for (const k of (a.constraints ?? '').split('; ').filter(Boolean)) s += ` CONSTRAINT ${qi(k.slice(0, k.indexOf(' ')))} ${k.slice(k.indexOf(' ') + 1)}`;
      out.push(s);
    }
  }
  for (const f of of('function')) {
    const def = (f.attrs.definition ?? '').trim().replace(/;$/, '');
    const stmt = parseFile(def).statements[0]?.node as { CreateFunctionStmt?: { funcname?: Node[]; parameters?: Node[] } } | undefined;
    const k = stmt?.CreateFunctionStmt && routineKey(stmt.CreateFunctionStmt.funcname, inputArgTypes(stmt.CreateFunctionStmt.parameters));
    if (!k || !known?.routines.has(k.key)) out.push(def);
  }
  for (const s of of('sequence')) {
    if (serialSeqs.has(s.name) || known?.sequences.has(keyOf(s.name))) continue;
    const a = s.attrs;
    out.push(`CREATE SEQUENCE ${nameSql(s.name)} AS ${a.type} INCREMENT BY ${a.increment} MINVALUE ${a.min} MAXVALUE ${a.max} START WITH ${a.start} CACHE ${a.cache}${a.cycle ? ' CYCLE' : ''}`);
  }
  const after: string[] = [];
  for (const t of tables.values()) {
    const cols = columns.get(t.name) ?? [];
    const kt = knownTable(t.name);
    if (kt) {
      for (const c of cols) if (!kt.columns.has(c.name)) out.push(`ALTER TABLE ${nameSql(t.name)} ADD COLUMN ${columnSql(c, serialSeqs)}`);
      continue;
    }
    const kind = t.attrs.persistence === 'unlogged' ? 'UNLOGGED TABLE' : 'TABLE';
    const by = t.attrs['partition key'] ? ` PARTITION BY ${t.attrs['partition key']}` : '';
    out.push(`CREATE ${kind} ${nameSql(t.name)} (${cols.length ? `\n${cols.map((c) => `  ${columnSql(c, serialSeqs)}`).join(',\n')}\n` : ''})${by}`);
    const of_ = t.attrs['partition of'];
    if (of_) {
      const sp = of_.indexOf(' ');
      after.push(`ALTER TABLE ${nameSql(of_.slice(0, sp))} ATTACH PARTITION ${nameSql(t.name)} ${of_.slice(sp + 1)}`);
    }
  }
  const constraints = of('constraint')
    .map((k) => ({ k, parts: splitMember(k.name) }))
    .filter(({ parts }) => tables.has(parts[0]))
    .filter(({ parts }) => !knownTable(parts[0])?.constraints.some((c) => constraintName(c) === parts[1]))
    .sort((x, y) => CONSTRAINT_RANK(x.k.attrs.definition ?? '') - CONSTRAINT_RANK(y.k.attrs.definition ?? ''));
  for (const { k, parts } of constraints) out.push(`ALTER TABLE ${nameSql(parts[0])} ADD CONSTRAINT ${qi(parts[1])} ${k.attrs.definition}`);
  const viewList = viewOrder([...of('view'), ...of('materialized view')]);
  const indexes = of('index').filter((i) => !known?.indexes.has(keyOf(i.name)));
  // Indexes of tables first; those of materialized views once the views exist.
  const onView = (i: LiveObject) => [...views].some((v) => new RegExp(` ON (ONLY )?${escapeRegExp(nameSql(keyOf(v)))} `).test(i.attrs.definition ?? ''));
  for (const i of indexes) if (!onView(i)) out.push(i.attrs.definition);
  for (const v of viewList) {
    if (known?.views.has(keyOf(v.name))) continue;
    const body = (v.attrs.definition ?? '').trim().replace(/;$/, '');
    out.push(v.kind === 'view' ? `CREATE VIEW ${nameSql(v.name)} AS\n${body}` : `CREATE MATERIALIZED VIEW ${nameSql(v.name)} AS\n${body}`);
  }
  for (const i of indexes) if (onView(i)) out.push(i.attrs.definition);
  for (const g of of('trigger')) {
    const [table] = splitMember(g.name);
    if (!known?.triggers.has(`${keyOf(table)}.${splitMember(g.name)[1]}`) && tables.has(table)) out.push(g.attrs.definition);
  }
  for (const s of of('sequence')) {
    if (serialSeqs.has(s.name) || known?.sequences.has(keyOf(s.name)) || !s.attrs['owned by']) continue;
    const [table, col] = splitMember(s.attrs['owned by']);
    out.push(`ALTER SEQUENCE ${nameSql(s.name)} OWNED BY ${nameSql(table)}.${qi(col)}`);
  }
  // Partitions last: ATTACH adopts the keys, checks and indexes created on both sides above.
  out.push(...after);
  for (const t of tables.values()) if (t.attrs['row level security'] === 'enabled' && !knownTable(t.name)) out.push(`ALTER TABLE ${nameSql(t.name)} ENABLE ROW LEVEL SECURITY`);
  const COMMANDS: Record<string, string> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' };
  for (const p of of('policy')) {
    const [table, name] = splitMember(p.name);
    if (knownTable(table)) continue;
    const a = p.attrs;
    let s = `CREATE POLICY ${qi(name)} ON ${nameSql(table)} AS ${a.permissive === 'no' ? 'RESTRICTIVE' : 'PERMISSIVE'} FOR ${COMMANDS[a.command] ?? 'ALL'}`;
    if (a.using !== undefined) s += ` USING (${a.using})`;
    if (a['with check'] !== undefined) s += ` WITH CHECK (${a['with check']})`;
    out.push(s);
  }
  return out.length > 1 ? `${out.map((s) => `${s};`).join('\n')}\n` : '';
}

/** The catalog of `known` (or an empty one) with the snapshot's objects it lacks; `known` is not modified. */
export function catalogWithLive(live: LiveSchema, known?: Catalog): Catalog {
  return buildCatalog([liveSchemaSql(live, known)], known);
}

/**
 * The irreversible reasons of `result` that a schema read from PostgreSQL could settle: definitions the earlier
 * migrations do not show (an object created in a DO block, by EXECUTE, by a function), not data that is lost.
 */
export function unknownDefinitions(result: Pick<ReverseResult, 'irreversible'>): string[] {
  return result.irreversible.map((i) => i.reason).filter((r) => /\bunknown\b|not kept statically|cannot be rebuilt/.test(r));
}
