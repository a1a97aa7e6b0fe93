/**
 * A static schema catalog: the tables, columns, constraints, indexes and enum types that exist, built by applying
 * parsed statements in order (earlier migrations of the folder, then earlier statements of the file). Rules ask it
 * what existed before their statement: a column's old type, a validated CHECK (col IS NOT NULL), an index on a
 * foreign key's columns. It knows only what DDL it has seen; `known` says whether a table was seen at all, so rules
 * can stay quiet instead of guessing. Keys are `schema.name` with `public` implied.
 * For the reverse-migration generator it also keeps the parse-tree pieces that definitions are rebuilt from (column
 * types and defaults, constraints, index, view, function, sequence and trigger statements, comments) and the names
 * PostgreSQL generates for unnamed constraints and indexes. The nodes are shared with the parse cache: never mutate
 * them (copy, then change).
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  CommentStmt,
  Constraint,
  CreateFunctionStmt,
  CreateSeqStmt,
  CreateStmt,
  CreateTableAsStmt,
  CreateTrigStmt,
  IndexElem,
  IndexStmt,
  Node,
  ObjectWithArgs,
  RangeVar,
  RenameStmt,
  TypeName,
  ViewStmt,
} from '@pgsql/types';
import { parseFile } from './parse';
import { as, columnConstraints, kindOf, nameListKey, relationKey, relationName, strings, walk } from './ast';

export interface Column {
  name: string;
  /** Formatted type as PostgreSQL's catalog names it: `integer`, `character varying(50)` → we keep `varchar(50)`. */
  type: string;
  /** Base type name (`varchar`, `int4`, `numeric`, …) and modifiers, for coercibility checks. */
  baseType: string;
  typmods: number[];
  isArray: boolean;
  notNull: boolean;
  hasDefault: boolean;
  /** The type as written (kept for generating SQL). */
  typeName?: TypeName;
  /** `COLLATE` names, when given. */
  collation?: Node[];
  /** The DEFAULT expression, when there is one. */
  defaultExpr?: Node;
  /** `GENERATED … AS IDENTITY` or `GENERATED ALWAYS AS (…) STORED`. */
  generated?: Constraint;
}

export type ConstraintKind = 'check' | 'foreign' | 'unique' | 'primary' | 'exclusion';

export interface TableConstraint {
  name?: string;
  kind: ConstraintKind;
  columns: string[];
  validated: boolean;
  /** For `CHECK (col IS NOT NULL)`: the column. */
  notNullColumn?: string;
  refTable?: string;
  /** The constraint in table-level form (column constraints get their column as key), for generating SQL. */
  node?: Constraint;
  /** Unnamed: the name PostgreSQL gave it (`<table>_<columns>_key`, `_pkey`, `_fkey`, `_check`, `_excl`). */
  generatedName?: string;
}

export interface Table {
  key: string;
  name: string;
  columns: Map<string, Column>;
  constraints: TableConstraint[];
  partitioned: boolean;
}

export interface Index {
  key: string;
  name: string;
  tableKey: string;
  columns: string[];
  unique: boolean;
  /** The CREATE INDEX statement as written (its name may be missing, see `name`). */
  stmt?: IndexStmt;
}

/** A view or materialized view. */
export interface View {
  key: string;
  materialized: boolean;
  stmt: ViewStmt | CreateTableAsStmt;
  /**
   * A definition with `*`: the columns of the tables it reads, when it was created (PostgreSQL expands the `*` then;
   * the same definition run later lists the columns of that time).
   */
  starColumns?: Map<string, string[]>;
}

/** A function or procedure, keyed by `schema.name(argtype, …)` with the types as `typeKey` writes them. */
export interface Routine {
  key: string;
  /** `schema.name`, for a DROP FUNCTION without an argument list. */
  nameKey: string;
  stmt: CreateFunctionStmt;
}

/** The name of a constraint: as written, or as PostgreSQL generated it. */
export function constraintName(k: TableConstraint): string | undefined {
  return k.name ?? k.generatedName;
}

const NAMEDATALEN = 64;

/** UTF-8 byte length. */
function bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Clips to at most `n` UTF-8 bytes without splitting a character (pg_mbcliplen). */
function clipBytes(s: string, n: number): string {
  let out = '';
  for (const ch of s) {
    if (bytes(out + ch) > n) break;
    out += ch;
  }
  return out;
}

/**
 * PostgreSQL's `makeObjectName` (src/backend/commands/indexcmds.c): `name1_name2_label`, the longer of name1 and
 * name2 shortened until the whole fits NAMEDATALEN - 1 bytes.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  let n1 = bytes(name1);
  let n2 = name2 ? bytes(name2) : 0;
  const overhead = (label ? bytes(label) + 1 : 0) + (name2 ? 1 : 0);
  const avail = NAMEDATALEN - 1 - overhead;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  const a = clipBytes(name1, n1);
  const b = name2 ? clipBytes(name2, n2) : undefined;
  return [a, b, label].filter((x) => x !== undefined && x !== '').join('_');
}

/** `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`: column names joined by `_`, stopping once long enough. */
export function nameAddition(columns: string[]): string {
  let buf = '';
  for (const c of columns) {
    if (buf) buf += '_';
    buf += c;
    if (bytes(buf) >= NAMEDATALEN) break;
  }
  return buf;
}

/** `ChooseConstraintName` / `ChooseRelationName`: the first of `name`, `name1`, `name2`, … not in `taken`. */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: (n: string) => boolean): string {
  let name = makeObjectName(name1, name2, label);
  for (let pass = 1; taken(name); pass++) {
    const suffix = `${label}${pass}`;
    name = makeObjectName(name1, name2, suffix);
  }
  return name;
}

/** The name PostgreSQL gives an index column (`FigureIndexColname`): the column, a function's name, or `expr`. */
export function indexColumnName(e: IndexElem | undefined): string {
  if (!e) return 'expr';
  if (e.indexcolname) return e.indexcolname;
  if (e.name) return e.name;
  let x: unknown = e.expr;
  for (;;) {
    const cast = as<{ arg?: Node }>(x, 'TypeCast');
    if (cast) {
      x = cast.arg;
      continue;
    }
    break;
  }
  const f = as<{ funcname?: Node[] }>(x, 'FuncCall');
  if (f) return strings(f.funcname).pop() ?? 'expr';
  const ref = as<{ fields?: Node[] }>(x, 'ColumnRef');
  if (ref) return strings(ref.fields).pop() ?? 'expr';
  return 'expr';
}

/** The columns a CHECK expression reads (`pull_var_clause`), without duplicates. */
function referencedColumns(expr: Node | undefined): string[] {
  const out: string[] = [];
  walk(expr, (kind, v) => {
    if (kind !== 'ColumnRef') return;
    const name = strings((v as { fields?: Node[] }).fields).pop();
    if (name && !out.includes(name)) out.push(name);
  });
  return out;
}

/** A type as a key for function signatures: `pg_catalog.int4` → `int4`, modifiers dropped, `[]` kept. */
export function typeKey(t: TypeName | undefined): string {
  const names = strings(t?.names).filter((n, i, all) => !(i === 0 && all.length > 1 && n === 'pg_catalog'));
  return `${names.join('.').toLowerCase()}${(t?.arrayBounds?.length ?? 0) > 0 ? '[]' : ''}`;
}

/** `schema.name(type, …)` of a routine from its name and input-argument types. */
export function routineKey(name: Node[] | undefined, args: (TypeName | undefined)[]): { key: string; nameKey: string } | undefined {
  const n = nameListKey(name);
  if (!n) return undefined;
  return { key: `${n.key}(${args.map(typeKey).join(',')})`, nameKey: n.key };
}

/** The input-argument types of CREATE FUNCTION's parameters (IN, INOUT, VARIADIC count; OUT and TABLE do not). */
export function inputArgTypes(params: Node[] | undefined): (TypeName | undefined)[] {
  return (params ?? [])
    .map((p) => as<{ argType?: TypeName; mode?: string }>(p, 'FunctionParameter'))
    .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => p!.argType);
}

/** Key of the object a COMMENT ON names: `OBJECT_COLUMN:public.t.a`. */
export function commentKey(s: CommentStmt): string {
  const o = s.object as Node | undefined;
  const list = as<{ items?: Node[] }>(o, 'List')?.items;
  const sval = as<{ sval?: string }>(o, 'String')?.sval;
  const owa = as<ObjectWithArgs>(o, 'ObjectWithArgs');
  const tn = as<TypeName>(o, 'TypeName');
  let name: string;
  if (list) {
    const parts = strings(list);
    // Qualified with `public` where the object lives in a schema: a column is table.column, a constraint name.on table.
    const relationLike = s.objtype === 'OBJECT_COLUMN' ? parts.length === 2 : parts.length === 1 && s.objtype !== 'OBJECT_SCHEMA' && s.objtype !== 'OBJECT_EXTENSION';
    name = (relationLike ? ['public', ...parts] : parts).join('.');
  } else if (owa) name = routineKey(owa.objname, (owa.objargs ?? []).map((a) => as<TypeName>(a, 'TypeName')))?.key ?? '';
  else if (tn) name = nameListKey(tn.names)?.key ?? '';
  else name = sval ?? JSON.stringify(o ?? null);
  return `${s.objtype}:${name}`;
}

/** Normalizes a parsed type name: `pg_catalog.int4` → `int4`, `varchar(50)` keeps its modifiers. */
export function typeInfo(t: TypeName | undefined): { baseType: string; typmods: number[]; isArray: boolean; type: string } {
  const names = strings(t?.names);
  const baseType = (names[names.length - 1] ?? '?').toLowerCase();
  const typmods = (t?.typmods ?? [])
    .map((m) => as<{ ival?: { ival?: number } }>(m, 'A_Const')?.ival?.ival ?? 0)
    .filter((n) => typeof n === 'number');
  const isArray = (t?.arrayBounds?.length ?? 0) > 0;
  const type = `${baseType}${typmods.length ? `(${typmods.join(',')})` : ''}${isArray ? '[]' : ''}`;
  return { baseType, typmods, isArray, type };
}

function columnFrom(def: ColumnDef): Column {
  const cons = columnConstraints(def);
  const t = typeInfo(def.typeName);
  return {
    name: def.colname ?? '?',
    ...t,
    notNull: !!def.is_not_null || cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY'),
    hasDefault: cons.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED') || /serial/.test(t.baseType),
    typeName: def.typeName,
    collation: as<{ collname?: Node[] }>(def.collClause, 'CollateClause')?.collname ?? (def.collClause as { collname?: Node[] } | undefined)?.collname,
    defaultExpr: cons.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr,
    generated: cons.find((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED'),
  };
}

/** `CHECK (col IS NOT NULL)` → `col`. */
function notNullColumnOf(expr: Node | undefined): string | undefined {
  const test = as<{ nulltesttype?: string; arg?: Node }>(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = as<{ fields?: Node[] }>(test.arg, 'ColumnRef')?.fields;
  return strings(fields).pop();
}

function constraintFrom(c: Constraint, column?: string): TableConstraint | undefined {
  const kinds: Partial<Record<string, ConstraintKind>> = {
    CONSTR_CHECK: 'check', CONSTR_FOREIGN: 'foreign', CONSTR_UNIQUE: 'unique', CONSTR_PRIMARY: 'primary', CONSTR_EXCLUSION: 'exclusion',
  };
  const kind = c.contype ? kinds[c.contype] : undefined;
  if (!kind) return undefined;
  const keyNames = strings(c.keys);
  const fkNames = strings(c.fk_attrs);
  const columns = kind === 'foreign' ? (fkNames.length ? fkNames : column ? [column] : []) : keyNames.length ? keyNames : column ? [column] : [];
  return {
    name: c.conname,
    kind,
    columns,
    validated: !c.skip_validation,
    notNullColumn: kind === 'check' ? notNullColumnOf(c.raw_expr) : undefined,
    refTable: c.pktable ? relationKey(c.pktable) : undefined,
    node: tableLevel(c, column),
  };
}

/** A column constraint as the equivalent table constraint: the column becomes its key (or FK column). */
function tableLevel(c: Constraint, column: string | undefined): Constraint {
  if (!column) return c;
  const col = [{ String: { sval: column } }] as Node[];
  if (c.contype === 'CONSTR_FOREIGN' && !c.fk_attrs?.length) return { ...c, fk_attrs: col };
  if ((c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') && !c.keys?.length && !c.indexname) return { ...c, keys: col };
  return c;
}

export class Catalog {
  readonly tables = new Map<string, Table>();
  readonly indexes = new Map<string, Index>();
  readonly enums = new Map<string, string[]>();
  readonly views = new Map<string, View>();
  readonly routines = new Map<string, Routine>();
  /** Sequences created by CREATE SEQUENCE, by key. */
  readonly sequences = new Map<string, CreateSeqStmt>();
  /** Triggers by `tableKey.trigger`. */
  readonly triggers = new Map<string, CreateTrigStmt>();
  /** Comments by `commentKey`. */
  readonly comments = new Map<string, string>();
  readonly schemas = new Set<string>();
  readonly extensions = new Set<string>();
  /**
   * Domains and composite types, by key: the CREATE DOMAIN / CREATE TYPE … AS (…) that made them. One that an
   * ALTER DOMAIN, ALTER TYPE or RENAME changes afterwards is forgotten: the statement kept no longer defines it.
   */
  readonly types = new Map<string, Node>();

  /**
   * Tables, indexes and enum value lists this catalog may change in place. `clone` is copy-on-write: both catalogs
   * then share every object, and whichever changes one first copies it (`writableTable`, …). So cloning the catalog
   * of hundreds of earlier migrations for each analysis costs a few map copies, not a copy of the schema.
   */
  private owned = new WeakSet<object>();

  clone(): Catalog {
    const c = new Catalog();
    // Neither side owns anything shared now: the first change on either side copies the object.
    this.owned = new WeakSet();
    for (const [k, t] of this.tables) c.tables.set(k, t);
    for (const [k, i] of this.indexes) c.indexes.set(k, i);
    for (const [k, e] of this.enums) c.enums.set(k, e);
    for (const [k, v] of this.views) c.views.set(k, v);
    for (const [k, v] of this.routines) c.routines.set(k, v);
    for (const [k, v] of this.sequences) c.sequences.set(k, v);
    for (const [k, v] of this.triggers) c.triggers.set(k, v);
    for (const [k, v] of this.comments) c.comments.set(k, v);
    for (const [k, v] of this.types) c.types.set(k, v);
    for (const v of this.schemas) c.schemas.add(v);
    for (const v of this.extensions) c.extensions.add(v);
    return c;
  }

  /** Keys of the tables with a foreign key to `key` (snapshot: safe to make them writable while iterating). */
  private tablesReferencing(key: string): string[] {
    const out: string[] = [];
    for (const t of this.tables.values()) if (t.constraints.some((k) => k.kind === 'foreign' && k.refTable === key)) out.push(t.key);
    return out;
  }

  /** The table under `key`, copied first unless this catalog already owns it. */
  private writableTable(key: string): Table | undefined {
    const t = this.tables.get(key);
    if (!t || this.owned.has(t)) return t;
    const copy: Table = {
      ...t,
      columns: new Map([...t.columns].map(([n, col]) => [n, { ...col, typmods: [...col.typmods] }])),
      constraints: t.constraints.map((x) => ({ ...x, columns: [...x.columns] })),
    };
    this.owned.add(copy);
    this.tables.set(key, copy);
    return copy;
  }

  private writableIndex(key: string): Index | undefined {
    const i = this.indexes.get(key);
    if (!i || this.owned.has(i)) return i;
    const copy: Index = { ...i, columns: [...i.columns] };
    this.owned.add(copy);
    this.indexes.set(key, copy);
    return copy;
  }

  private writableEnum(key: string): string[] | undefined {
    const e = this.enums.get(key);
    if (!e || this.owned.has(e)) return e;
    const copy = [...e];
    this.owned.add(copy);
    this.enums.set(key, copy);
    return copy;
  }

  table(rv: RangeVar | undefined): Table | undefined {
    return this.tables.get(relationKey(rv));
  }

  column(rv: RangeVar | undefined, name: string): Column | undefined {
    return this.table(rv)?.columns.get(name);
  }

  /** Indexes of a table. */
  indexesOf(tableKey: string): Index[] {
    return [...this.indexes.values()].filter((i) => i.tableKey === tableKey);
  }

  /** Applies one parsed statement. Unknown statements change nothing. */
  apply(node: Node | undefined): void {
    const kind = kindOf(node);
    const inner = (node as Record<string, unknown> | undefined)?.[kind];
    switch (kind) {
      case 'CreateStmt':
        this.createTable(inner as CreateStmt);
        break;
      case 'AlterTableStmt':
        // ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE changes a composite type.
        if ((inner as AlterTableStmt).objtype === 'OBJECT_TYPE' && (inner as AlterTableStmt).relation) this.types.delete(relationKey((inner as AlterTableStmt).relation));
        this.alterTable(inner as AlterTableStmt);
        break;
      case 'IndexStmt':
        this.createIndex(inner as IndexStmt);
        break;
      case 'RenameStmt':
        this.rename(inner as RenameStmt);
        break;
      case 'DropStmt':
        this.drop(inner as { objects?: Node[]; removeType?: string; behavior?: string });
        break;
      case 'CreateDomainStmt': {
        const n = nameListKey((inner as { domainname?: Node[] }).domainname);
        if (n) this.types.set(n.key, node!);
        break;
      }
      case 'CompositeTypeStmt': {
        const rv = (inner as { typevar?: RangeVar }).typevar;
        if (rv?.relname) this.types.set(relationKey(rv), node!);
        break;
      }
      case 'AlterDomainStmt': {
        const n = nameListKey((inner as { typeName?: Node[] }).typeName);
        if (n) this.types.delete(n.key);
        break;
      }
      case 'CreateEnumStmt': {
        const s = inner as { typeName?: Node[]; vals?: Node[] };
        const n = nameListKey(s.typeName);
        if (n) this.enums.set(n.key, strings(s.vals));
        break;
      }
      case 'AlterEnumStmt': {
        const s = inner as { typeName?: Node[]; newVal?: string; oldVal?: string; newValNeighbor?: string; newValIsAfter?: boolean };
        const n = nameListKey(s.typeName);
        const vals = n ? this.writableEnum(n.key) : undefined;
        if (vals && s.newVal) {
          if (s.oldVal) vals[vals.indexOf(s.oldVal)] = s.newVal;
          else if (!vals.includes(s.newVal)) {
            // ADD VALUE … BEFORE / AFTER a neighbour; without one (or an unknown one), the value goes last.
            const at = s.newValNeighbor ? vals.indexOf(s.newValNeighbor) : -1;
            if (at < 0) vals.push(s.newVal);
            else vals.splice(s.newValIsAfter ? at + 1 : at, 0, s.newVal);
          }
        }
        break;
      }
      case 'ViewStmt': {
        const v = inner as ViewStmt;
        const key = relationKey(v.view);
        if (key) this.views.set(key, { key, materialized: false, stmt: v, starColumns: this.starColumns(v) });
        break;
      }
      case 'CreateTableAsStmt': {
        const v = inner as CreateTableAsStmt;
        const key = relationKey(v.into?.rel);
        if (key && v.objtype === 'OBJECT_MATVIEW') this.views.set(key, { key, materialized: true, stmt: v, starColumns: this.starColumns(v) });
        break;
      }
      case 'CreateFunctionStmt': {
        const f = inner as CreateFunctionStmt;
        const k = routineKey(f.funcname, inputArgTypes(f.parameters));
        if (k) this.routines.set(k.key, { ...k, stmt: f });
        break;
      }
      case 'CreateSeqStmt': {
        const q = inner as CreateSeqStmt;
        const key = relationKey(q.sequence);
        if (key) this.sequences.set(key, q);
        break;
      }
      case 'CreateTrigStmt': {
        const t = inner as CreateTrigStmt;
        if (t.relation && t.trigname) this.triggers.set(`${relationKey(t.relation)}.${t.trigname}`, t);
        break;
      }
      case 'CommentStmt': {
        const c = inner as CommentStmt;
        if (c.comment === undefined || c.comment === null) this.comments.delete(commentKey(c));
        else this.comments.set(commentKey(c), c.comment);
        break;
      }
      case 'CreateSchemaStmt': {
        const name = (inner as { schemaname?: string }).schemaname;
        if (name) this.schemas.add(name);
        break;
      }
      case 'CreateExtensionStmt': {
        const name = (inner as { extname?: string }).extname;
        if (name) this.extensions.add(name);
        break;
      }
      default:
        break;
    }
  }

  /** For a view definition with `*`: the columns of the tables it reads, now (see `View.starColumns`). */
  private starColumns(stmt: ViewStmt | CreateTableAsStmt): Map<string, string[]> | undefined {
    const out = new Map<string, string[]>();
    walk(stmt, (kind, x) => {
      if (kind !== 'SelectStmt') return;
      const sel = x as { targetList?: Node[]; fromClause?: Node[] };
      // The tables of its FROM (through joins), by the name a `t.*` would use.
      const from: RangeVar[] = [];
      const collect = (n: Node | undefined): void => {
        const rv = as<RangeVar>(n, 'RangeVar');
        if (rv) from.push(rv);
        const j = as<{ larg?: Node; rarg?: Node }>(n, 'JoinExpr');
        if (j) [j.larg, j.rarg].forEach(collect);
      };
      (sel.fromClause ?? []).forEach(collect);
      for (const target of sel.targetList ?? []) {
        const fields = as<{ fields?: Node[] }>(as<{ val?: Node }>(target, 'ResTarget')?.val, 'ColumnRef')?.fields ?? [];
        if (!fields.some((f) => kindOf(f) === 'A_Star')) continue;
        const qualifier = strings(fields).pop();
        for (const rv of from) {
          if (qualifier && qualifier !== (rv.alias?.aliasname ?? rv.relname)) continue;
          const t = this.table(rv);
          if (t) out.set(t.key, [...t.columns.keys()]);
        }
      }
    });
    return out.size ? out : undefined;
  }

  /** The name PostgreSQL gives the constraint `ALTER TABLE rv ADD <con>` adds (its own name when it has one). */
  constraintNameFor(rv: RangeVar | undefined, con: Constraint): string | undefined {
    if (con.conname) return con.conname;
    const table = this.table(rv);
    const tc = constraintFrom(con);
    if (!table || !tc) return undefined;
    this.nameConstraint(table, tc);
    return tc.generatedName;
  }

  /** The name of the index CREATE INDEX makes: its own, or the one PostgreSQL chooses. */
  indexNameFor(s: IndexStmt): string {
    if (s.idxname) return s.idxname;
    const schema = s.relation?.schemaname ?? 'public';
    const elems = (s.indexParams ?? []).map((p) => as<IndexElem>(p, 'IndexElem'));
    return chooseName(s.relation?.relname ?? '?', nameAddition(elems.map(indexColumnName)), s.primary ? 'pkey' : s.isconstraint ? 'key' : 'idx', (n) => this.nameTaken(schema, n));
  }

  /** Is `name` taken by a relation (table, index) or a constraint in `schema`? */
  private nameTaken(schema: string, name: string): boolean {
    const key = `${schema}.${name}`;
    if (this.tables.has(key) || this.indexes.has(key) || this.views.has(key) || this.sequences.has(key)) return true;
    for (const t of this.tables.values()) {
      if (t.key.startsWith(`${schema}.`) && t.constraints.some((k) => constraintName(k) === name)) return true;
    }
    return false;
  }

  /** Gives an unnamed constraint the name PostgreSQL would (`ChooseConstraintName`, or the index name for keys). */
  private nameConstraint(table: Table, tc: TableConstraint, pending: TableConstraint[] = []): void {
    if (tc.name) return;
    const schema = table.key.slice(0, table.key.indexOf('.'));
    const rel = table.key.slice(schema.length + 1);
    const taken = (n: string) => this.nameTaken(schema, n) || pending.some((k) => k !== tc && constraintName(k) === n);
    const cols = tc.kind === 'check' ? referencedColumns(tc.node?.raw_expr) : tc.columns;
    switch (tc.kind) {
      case 'primary':
        tc.generatedName = chooseName(rel, undefined, 'pkey', taken);
        break;
      case 'unique':
        tc.generatedName = chooseName(rel, nameAddition(cols), 'key', taken);
        break;
      case 'foreign':
        tc.generatedName = chooseName(rel, nameAddition(cols), 'fkey', taken);
        break;
      case 'check':
        tc.generatedName = chooseName(rel, cols.length === 1 ? cols[0] : undefined, 'check', taken);
        break;
      case 'exclusion': {
        const elems = (tc.node?.exclusions ?? []).map((x) => indexColumnName(as<IndexElem>(as<{ items?: Node[] }>(x, 'List')?.items?.[0], 'IndexElem')));
        tc.generatedName = chooseName(rel, nameAddition(elems), 'excl', taken);
        break;
      }
    }
  }

  private createTable(s: CreateStmt): void {
    if (!s.relation) return;
    const key = relationKey(s.relation);
    const table: Table = { key, name: relationName(s.relation), columns: new Map(), constraints: [], partitioned: !!s.partspec };
    for (const e of s.tableElts ?? []) {
      const col = as<ColumnDef>(e, 'ColumnDef');
      if (col) {
        table.columns.set(col.colname ?? '?', columnFrom(col));
        for (const c of columnConstraints(col)) {
          const tc = constraintFrom(c, col.colname);
          if (tc) table.constraints.push(tc);
        }
        continue;
      }
      const con = as<Constraint>(e, 'Constraint');
      const tc = con && constraintFrom(con);
      if (tc) {
        table.constraints.push(tc);
        if (tc.kind === 'primary') for (const c of tc.columns) { const col = table.columns.get(c); if (col) col.notNull = true; }
      }
    }
    // PostgreSQL names the primary key first (the index), then the other keys and checks in order.
    for (const tc of table.constraints) this.nameConstraint(table, tc, table.constraints);
    this.owned.add(table);
    this.tables.set(key, table);
  }

  private alterTable(s: AlterTableStmt): void {
    const table = this.writableTable(relationKey(s.relation));
    if (!table) return;
    for (const c of s.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (!cmd) continue;
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const col = as<ColumnDef>(cmd.def, 'ColumnDef');
          if (col) {
            table.columns.set(col.colname ?? '?', columnFrom(col));
            for (const k of columnConstraints(col)) {
              const tc = constraintFrom(k, col.colname);
              if (tc) {
                this.nameConstraint(table, tc);
                table.constraints.push(tc);
              }
            }
          }
          break;
        }
        case 'AT_DropColumn': {
          // PostgreSQL drops the constraints and indexes that use the column (in a key, an expression or a predicate).
          const name = cmd.name ?? '';
          table.columns.delete(name);
          table.constraints = table.constraints.filter((k) => !k.columns.includes(name) && !referencedColumns(k.node?.raw_expr).includes(name));
          for (const [k, i] of this.indexes) {
            if (i.tableKey !== table.key) continue;
            const used = [...i.columns, ...referencedColumns({ List: { items: i.stmt?.indexParams ?? [] } } as Node), ...referencedColumns(i.stmt?.whereClause)];
            if (used.includes(name)) this.indexes.delete(k);
          }
          break;
        }
        case 'AT_AlterColumnType': {
          const col = table.columns.get(cmd.name ?? '');
          const def = as<ColumnDef>(cmd.def, 'ColumnDef');
          if (col && def) {
            Object.assign(col, typeInfo(def.typeName));
            col.typeName = def.typeName;
            col.collation = (def.collClause as { collname?: Node[] } | undefined)?.collname;
          }
          break;
        }
        case 'AT_SetNotNull': {
          const col = table.columns.get(cmd.name ?? '');
          if (col) col.notNull = true;
          break;
        }
        case 'AT_DropNotNull': {
          const col = table.columns.get(cmd.name ?? '');
          if (col) col.notNull = false;
          break;
        }
        case 'AT_ColumnDefault': {
          const col = table.columns.get(cmd.name ?? '');
          if (col) {
            col.hasDefault = !!cmd.def;
            col.defaultExpr = cmd.def;
          }
          break;
        }
        case 'AT_AddConstraint': {
          const con = as<Constraint>(cmd.def, 'Constraint');
          const tc = con && constraintFrom(con);
          if (tc) {
            this.nameConstraint(table, tc);
            table.constraints.push(tc);
          }
          if (tc?.kind === 'primary') for (const name of tc.columns) { const col = table.columns.get(name); if (col) col.notNull = true; }
          break;
        }
        case 'AT_ValidateConstraint': {
          const k = table.constraints.find((x) => constraintName(x) === cmd.name);
          if (k) k.validated = true;
          break;
        }
        case 'AT_DropConstraint':
          table.constraints = table.constraints.filter((k) => constraintName(k) !== cmd.name);
          break;
        default:
          break;
      }
    }
  }

  private createIndex(s: IndexStmt): void {
    if (!s.relation) return;
    const schema = s.relation.schemaname ?? 'public';
    if (s.if_not_exists && s.idxname && this.indexes.has(`${schema}.${s.idxname}`)) return;
    // An unnamed index gets `<table>_<columns>_idx` (`ChooseIndexName`), numbered when taken.
    const elems = (s.indexParams ?? []).map((p) => as<IndexElem>(p, 'IndexElem'));
    const name = this.indexNameFor(s);
    const columns = elems.map((e) => e?.name ?? '(expression)');
    this.indexes.set(`${schema}.${name}`, { key: `${schema}.${name}`, name, tableKey: relationKey(s.relation), columns, unique: !!s.unique, stmt: s });
  }

  private rename(s: RenameStmt): void {
    if (s.renameType === 'OBJECT_DOMAIN' || s.renameType === 'OBJECT_TYPE' || s.renameType === 'OBJECT_ATTRIBUTE') {
      const n = s.relation?.relname ? { key: relationKey(s.relation) } : nameListKey(as<{ items?: Node[] }>(s.object, 'List')?.items ?? as<TypeName>(s.object, 'TypeName')?.names);
      if (n) this.types.delete(n.key);
    }
    if (s.renameType === 'OBJECT_TABLE') {
      const table = this.writableTable(relationKey(s.relation));
      if (!table || !s.newname) return;
      this.tables.delete(table.key);
      const schema = s.relation?.schemaname ?? 'public';
      const key = `${schema}.${s.newname}`;
      for (const [ik, i] of this.indexes) if (i.tableKey === table.key) this.writableIndex(ik)!.tableKey = key;
      const renamedTable = { ...table, key, name: s.relation?.schemaname ? key : s.newname };
      this.owned.add(renamedTable);
      this.tables.set(key, renamedTable);
      // Foreign keys that reference the table follow it (PostgreSQL stores the OID).
      for (const tk of this.tablesReferencing(table.key)) {
        const t = this.writableTable(tk)!;
        for (const k of t.constraints) {
          if (k.kind === 'foreign' && k.refTable === table.key) {
            k.refTable = key;
            if (k.node?.pktable) k.node = { ...k.node, pktable: { ...k.node.pktable, relname: s.newname } };
          }
        }
      }
    } else if (s.renameType === 'OBJECT_COLUMN') {
      const table = this.writableTable(relationKey(s.relation));
      const col = table?.columns.get(s.subname ?? '');
      if (!table || !col || !s.newname) return;
      // Keep the column's position (PostgreSQL keeps its attnum).
      const renamed = new Map<string, Column>();
      for (const [n, c] of table.columns) renamed.set(n === col.name ? s.newname : n, n === col.name ? { ...c, name: s.newname } : c);
      table.columns.clear();
      for (const [n, c] of renamed) table.columns.set(n, c);
      for (const k of table.constraints) {
        k.columns = k.columns.map((c) => (c === col.name ? s.newname! : c));
        if (k.notNullColumn === col.name) k.notNullColumn = s.newname;
        if (k.node) k.node = renameColumnIn(k.node, col.name, s.newname);
      }
      // Foreign keys of other tables that reference this column.
      for (const tk of this.tablesReferencing(table.key)) {
        const t = this.writableTable(tk)!;
        for (const k of t.constraints) {
          if (k.kind === 'foreign' && k.refTable === table.key && k.node?.pk_attrs) {
            k.node = { ...k.node, pk_attrs: k.node.pk_attrs.map((a) => (as<{ sval?: string }>(a, 'String')?.sval === col.name ? ({ String: { sval: s.newname } } as Node) : a)) };
          }
        }
      }
      for (const [ik, shared] of this.indexes) {
        if (shared.tableKey !== table.key) continue;
        const i = this.writableIndex(ik)!;
        i.columns = i.columns.map((c) => (c === col.name ? s.newname! : c));
        if (i.stmt) i.stmt = renameColumnIn(i.stmt, col.name, s.newname);
      }
    } else if (s.renameType === 'OBJECT_TABCONSTRAINT') {
      const k = this.writableTable(relationKey(s.relation))?.constraints.find((x) => constraintName(x) === s.subname);
      if (k && s.newname) k.name = s.newname;
    } else if (s.renameType === 'OBJECT_INDEX' && s.relation && s.newname) {
      const i = this.indexes.get(relationKey(s.relation));
      if (!i) {
        // ALTER INDEX … RENAME also renames the index behind a PRIMARY KEY or UNIQUE constraint, and so the constraint.
        const schema = s.relation.schemaname ?? 'public';
        const isKey = (x: TableConstraint) => (x.kind === 'primary' || x.kind === 'unique' || x.kind === 'exclusion') && constraintName(x) === s.relation!.relname;
        for (const t of [...this.tables.values()]) {
          if (!t.key.startsWith(`${schema}.`) || !t.constraints.some(isKey)) continue;
          const k = this.writableTable(t.key)!.constraints.find(isKey);
          if (k) k.name = s.newname;
        }
        return;
      }
      this.indexes.delete(i.key);
      const key = `${i.key.slice(0, i.key.indexOf('.'))}.${s.newname}`;
      this.indexes.set(key, { ...i, key, name: s.newname });
    } else if ((s.renameType === 'OBJECT_VIEW' || s.renameType === 'OBJECT_MATVIEW') && s.relation && s.newname) {
      const v = this.views.get(relationKey(s.relation));
      if (!v) return;
      this.views.delete(v.key);
      const key = `${s.relation.schemaname ?? 'public'}.${s.newname}`;
      this.views.set(key, { ...v, key });
    } else if (s.renameType === 'OBJECT_SEQUENCE' && s.relation && s.newname) {
      const q = this.sequences.get(relationKey(s.relation));
      if (!q) return;
      this.sequences.delete(relationKey(s.relation));
      this.sequences.set(`${s.relation.schemaname ?? 'public'}.${s.newname}`, q);
    }
  }

  /** The routine a `DROP FUNCTION name(args)` names; without an argument list, the only one of that name. */
  routineFor(o: ObjectWithArgs | undefined): Routine | undefined {
    if (!o) return undefined;
    if (o.args_unspecified) {
      const nk = nameListKey(o.objname)?.key;
      const all = [...this.routines.values()].filter((r) => r.nameKey === nk);
      return all.length === 1 ? all[0] : undefined;
    }
    const k = routineKey(o.objname, (o.objargs ?? []).map((a) => as<TypeName>(a, 'TypeName')));
    return k ? this.routines.get(k.key) : undefined;
  }

  private drop(s: { objects?: Node[]; removeType?: string; behavior?: string }): void {
    // CASCADE takes along the views that read a dropped table or view.
    const cascaded =
      s.behavior === 'DROP_CASCADE' && ['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(s.removeType ?? '')
        ? dependentViews(this, (s.objects ?? []).flatMap((o) => nameListKey(as<{ items?: Node[] }>(o, 'List')?.items)?.key ?? []))
        : [];
    for (const v of cascaded) {
      this.views.delete(v.key);
      for (const [k, i] of this.indexes) if (i.tableKey === v.key) this.indexes.delete(k);
    }
    for (const o of s.objects ?? []) {
      // DROP TABLE/INDEX name their objects as a List of strings; DROP TYPE/DOMAIN as a TypeName.
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items ?? as<TypeName>(o, 'TypeName')?.names);
      if (!n) continue;
      if (s.removeType === 'OBJECT_TABLE') {
        this.tables.delete(n.key);
        for (const [k, i] of this.indexes) if (i.tableKey === n.key) this.indexes.delete(k);
      } else if (s.removeType === 'OBJECT_INDEX') this.indexes.delete(n.key);
      else if (s.removeType === 'OBJECT_TYPE' || s.removeType === 'OBJECT_DOMAIN') {
        this.enums.delete(n.key);
        this.types.delete(n.key);
      }
      else if (s.removeType === 'OBJECT_VIEW' || s.removeType === 'OBJECT_MATVIEW') {
        this.views.delete(n.key);
        for (const [k, i] of this.indexes) if (i.tableKey === n.key) this.indexes.delete(k);
      }
      else if (s.removeType === 'OBJECT_SEQUENCE') this.sequences.delete(n.key);
    }
    for (const o of s.objects ?? []) {
      if (s.removeType === 'OBJECT_FUNCTION' || s.removeType === 'OBJECT_PROCEDURE' || s.removeType === 'OBJECT_ROUTINE') {
        const r = this.routineFor(as<ObjectWithArgs>(o, 'ObjectWithArgs'));
        if (r) this.routines.delete(r.key);
      } else if (s.removeType === 'OBJECT_TRIGGER') {
        const parts = strings(as<{ items?: Node[] }>(o, 'List')?.items);
        const trig = parts.pop();
        const rel = nameListKey(parts.map((sval) => ({ String: { sval } }) as Node));
        if (rel && trig) this.triggers.delete(`${rel.key}.${trig}`);
      } else if (s.removeType === 'OBJECT_SCHEMA') {
        const name = as<{ sval?: string }>(o, 'String')?.sval;
        if (name) this.schemas.delete(name);
      } else if (s.removeType === 'OBJECT_EXTENSION') {
        const name = as<{ sval?: string }>(o, 'String')?.sval;
        if (name) this.extensions.delete(name);
      }
    }
  }
}

/** A copy of `node` with column `from` called `to` in column references, index elements and key lists. */
function renameColumnIn<T>(node: T, from: string, to: string): T {
  const fix = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      // Key lists (keys, fk_attrs, including) and ColumnRef fields (the last one names the column).
      if (key === 'fields') return v.map((x, i) => (i === v.length - 1 && as<{ sval?: string }>(x, 'String')?.sval === from ? { String: { sval: to } } : fix(x)));
      if (key === 'keys' || key === 'fk_attrs' || key === 'including') return v.map((x) => (as<{ sval?: string }>(x, 'String')?.sval === from ? { String: { sval: to } } : fix(x)));
      return v.map((x) => fix(x));
    }
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === 'name' && x === from && 'ordering' in (v as object) ? to : fix(x, k);
    return out;
  };
  return fix(node) as T;
}

/**
 * The views DROP … CASCADE of the relations `keys` takes along: those that read one of them, and those that read
 * those, in the order the catalog got them (an order they can be created in again).
 */
export function dependentViews(catalog: Catalog, keys: string[]): View[] {
  const gone = new Set(keys);
  const out: View[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of catalog.views.values()) {
      if (gone.has(v.key)) continue;
      let reads = false;
      walk(v.stmt, (kind, x) => {
        const r = x as RangeVar;
        if (kind === 'RangeVar' && r.relname && gone.has(`${r.schemaname ?? 'public'}.${r.relname}`)) reads = true;
      });
      if (reads) {
        gone.add(v.key);
        out.push(v);
        grew = true;
      }
    }
  }
  const order = [...catalog.views.keys()];
  return out.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

/**
 * Builds the catalog from earlier migrations' texts, in the order the migration tool runs them. Statements that do
 * not parse are skipped (their effect is unknown).
 */
export function buildCatalog(texts: Iterable<string>, base?: Catalog): Catalog {
  const catalog = base ? base.clone() : new Catalog();
  for (const text of texts) for (const s of parseFile(text).statements) catalog.apply(s.node);
  return catalog;
}
