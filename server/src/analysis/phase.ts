/**
 * Which deploy a migration belongs to: each statement (and the file) is **expand** (safe before the new code ships:
 * the running release keeps working), **contract** (only once no running code uses what it removes or restricts),
 * **breaking** (no order is safe: the expand-contract rewrite is needed) or **neutral** (nothing the running code
 * can see: data changes, SET, comments, validation of existing rows). The reason of each is the hover sentence.
 * Statements on tables created earlier in the same file are expand: no running code knows them yet.
 * `initParser()` must have resolved. Offsets are UTF-16.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, GrantStmt, IndexStmt, Node, RangeVar, RenameStmt, TypeName } from '@pgsql/types';
import { as, columnConstraints, kindOf, nameListKey, relationKey, relationName, strings } from './ast';
import { Catalog, typeInfo } from './catalog';
import { parseFile, type Statement } from './parse';
import { escapeRegExp, type Span } from './text';

export type StatementPhase = 'expand' | 'contract' | 'breaking' | 'neutral';
export type MigrationPhase = StatementPhase | 'mixed';

export interface ClassifiedStatement {
  statementIndex: number;
  span: Span;
  phase: StatementPhase;
  /** The hover sentence: "Contract: run only after all running code stops reading and writing `users.name`." */
  reason: string;
  /** What the statement adds, removes or changes: `users`, `users.name`. */
  objects: string[];
  /** An ALTER TABLE whose subcommands fall in several phases (`ADD COLUMN a, DROP COLUMN b`) lists each. */
  parts?: StatementPhase[];
}

export interface MigrationClassification {
  file: MigrationPhase;
  statements: ClassifiedStatement[];
  /** One sentence for the CodeLens at the top of the file. */
  summary: string;
}

export interface ClassifyOptions {
  /** The schema from the earlier migrations of the folder (not modified). */
  catalog?: Catalog;
}

const RANK: Record<StatementPhase, number> = { neutral: 0, expand: 1, contract: 2, breaking: 3 };

interface Verdict {
  phase: StatementPhase;
  reason: string;
  objects: string[];
}

const q = (s: string) => `\`${s}\``;
const expand = (reason: string, ...objects: string[]): Verdict => ({ phase: 'expand', reason: `Expand: ${reason}`, objects });
const contract = (reason: string, ...objects: string[]): Verdict => ({ phase: 'contract', reason: `Contract: ${reason}`, objects });
const breaking = (reason: string, ...objects: string[]): Verdict => ({ phase: 'breaking', reason: `Breaking: ${reason}`, objects });
const neutral = (reason: string, ...objects: string[]): Verdict => ({ phase: 'neutral', reason: `Neutral: ${reason}`, objects });

/** What earlier statements of this file created: new tables (keys) and columns (`key.column`) no running code uses. */
interface FileState {
  catalog: Catalog;
  createdTables: Set<string>;
  addedColumns: Set<string>;
  /** Views this file creates (key → statement index): a renamed table whose old name becomes a view stays usable. */
  views: Map<string, number>;
  index: number;
  /** Columns (`key.column`) given a default by this file: inserts that omit them get a value. */
  newDefaults: Set<string>;
  /** Bodies of the functions this file creates, by name (schema-qualified only when written so). */
  functionBodies: Map<string, string>;
  /** Functions of the BEFORE INSERT OR UPDATE row triggers this file creates, by table key. */
  fillTriggers: Map<string, string[]>;
}

/**
 * A trigger this file creates that assigns `NEW.col` on every insert and update of the table (the expand-contract
 * sync trigger): the running code's writes get a value for `col` without naming it.
 */
function filledByTrigger(key: string, col: string, state: FileState): string | undefined {
  const name = `(?:${escapeRegExp(col)}|"${escapeRegExp(col.replace(/"/g, '""'))}")`;
  const assigns = new RegExp(`\\bNEW\\s*\\.\\s*${name}\\s*:=`, 'i');
  return (state.fillTriggers.get(key) ?? []).find((f) => assigns.test(state.functionBodies.get(f) ?? ''));
}

type TypeInfo = ReturnType<typeof typeInfo>;

const INT_WIDTH: Record<string, number> = { int2: 2, int4: 4, int8: 8, float4: 4, float8: 8 };
const STRINGS = new Set(['varchar', 'bpchar', 'text']);
const TIMES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

/**
 * How a type change looks to the code that reads and writes the column: `expand` when every old value and every value
 * the old code writes still fits (varchar(n) → varchar(m ≥ n) or text, int4 → int8, numeric(p,s) → numeric(q ≥ p,s)),
 * `contract` when it only narrows the same kind of value (text → varchar(n), int8 → int4): safe once the running code
 * writes only values that fit, and `breaking` for another kind of value (text → int, int → text, json → jsonb).
 */
export function typeChangeKind(from: TypeInfo, to: TypeInfo): 'same' | 'widen' | 'narrow' | 'other' {
  if (from.type === to.type) return 'same';
  if (from.isArray !== to.isArray) return 'other';
  const lim = (t: TypeInfo) => (t.typmods.length ? t.typmods[0] : Infinity);
  if (STRINGS.has(from.baseType) && STRINGS.has(to.baseType)) {
    if (to.baseType === 'bpchar' && from.baseType !== 'bpchar') return 'narrow';
    return lim(to) >= lim(from) ? 'widen' : 'narrow';
  }
  if (from.baseType in INT_WIDTH && to.baseType in INT_WIDTH) {
    const fi = from.baseType.startsWith('int');
    const ti = to.baseType.startsWith('int');
    if (fi === ti) return INT_WIDTH[to.baseType] >= INT_WIDTH[from.baseType] ? 'widen' : 'narrow';
    return fi && !ti ? 'other' : 'narrow';
  }
  if ((from.baseType === 'numeric' || from.baseType.startsWith('int')) && to.baseType === 'numeric') {
    if (!to.typmods.length) return 'widen';
    if (from.baseType !== 'numeric') return 'narrow';
    if (!from.typmods.length) return 'narrow';
    return (to.typmods[1] ?? 0) === (from.typmods[1] ?? 0) && to.typmods[0] >= from.typmods[0] ? 'widen' : 'narrow';
  }
  if (from.baseType === to.baseType && TIMES.has(from.baseType)) return lim(to) >= lim(from) ? 'widen' : 'narrow';
  return 'other';
}

function columnObject(rv: RangeVar | undefined, column: string): string {
  return `${relationName(rv)}.${column}`;
}

function alterCommand(cmd: AlterTableCmd, rv: RangeVar | undefined, state: FileState): Verdict {
  const table = relationName(rv);
  const key = relationKey(rv);
  const col = cmd.name ?? '?';
  const obj = columnObject(rv, col);
  const known = state.catalog.table(rv);
  const column = known?.columns.get(col);
  const newColumn = state.addedColumns.has(`${key}.${col}`);
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef');
      const name = def?.colname ?? '?';
      const cons = columnConstraints(def);
      const notNull = !!def?.is_not_null || cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      const filled = cons.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED') || /serial/.test(typeInfo(def?.typeName).baseType);
      if (notNull && !filled) {
        return breaking(`the running code does not write ${q(columnObject(rv, name))}, so its inserts fail on NOT NULL (and existing rows have no value): add it nullable, backfill, then add NOT NULL.`, columnObject(rv, name));
      }
      return expand(`adds ${q(columnObject(rv, name))}; the running code does not use it and keeps working.`, columnObject(rv, name));
    }
    case 'AT_DropColumn':
      if (newColumn) return expand(`drops ${q(obj)}, added earlier in this migration.`, obj);
      return contract(`run only after all running code stops reading and writing ${q(obj)}.`, obj);
    case 'AT_AlterColumnType': {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef');
      const to = typeInfo(def?.typeName);
      if (newColumn) return expand(`sets the type of ${q(obj)}, added earlier in this migration.`, obj);
      if (!column) return breaking(`changes the type of ${q(obj)} to ${to.type}: the running code reads and writes the old type (unknown from earlier migrations); use the expand-contract rewrite unless the new type only widens it.`, obj);
      const kind = typeChangeKind(column, to);
      if (kind === 'same') return neutral(`${q(obj)} already has type ${to.type}.`, obj);
      if (kind === 'widen') return expand(`widens ${q(obj)} from ${column.type} to ${to.type}; every value the running code writes still fits.`, obj);
      if (kind === 'narrow') return contract(`narrows ${q(obj)} from ${column.type} to ${to.type}: run only after all running code writes values that fit.`, obj);
      return breaking(`changes ${q(obj)} from ${column.type} to ${to.type}, which the running code cannot read or write; use the expand-contract rewrite (new column, sync trigger, backfill, swap).`, obj);
    }
    case 'AT_SetNotNull':
      return notNullVerdict(rv, col, state);
    case 'AT_DropNotNull':
      return expand(`allows NULL in ${q(obj)}; everything the running code writes is still accepted.`, obj);
    case 'AT_ColumnDefault':
      if (cmd.def) return expand(`sets a default for ${q(obj)}; the running code keeps working.`, obj);
      if (newColumn) return expand(`drops the default of ${q(obj)}, added earlier in this migration.`, obj);
      return contract(`run only after no running code relies on the default of ${q(obj)} when it inserts without it.`, obj);
    case 'AT_AddConstraint': {
      const con = as<Constraint>(cmd.def, 'Constraint');
      const notNullCol = con?.contype === 'CONSTR_CHECK' ? isNotNullCheck(con.raw_expr) : undefined;
      if (notNullCol) return notNullVerdict(rv, notNullCol, state);
      const name = con?.conname ? ` ${q(con.conname)}` : '';
      const cols = [...strings(con?.keys), ...strings(con?.fk_attrs)];
      const objects = cols.length ? cols.map((c) => columnObject(rv, c)) : [table];
      return expand(`adds the constraint${name} on ${q(table)}; assumes the running code already writes rows that satisfy it.`, ...objects);
    }
    case 'AT_AddIndexConstraint':
    case 'AT_AddIndex':
      return expand(`adds a constraint on ${q(table)} from an existing index; assumes the running code already writes rows that satisfy it.`, table);
    case 'AT_ValidateConstraint':
      return neutral(`validates ${q(col)} on ${q(table)}: checks existing rows only, the running code's writes are checked already.`, table);
    case 'AT_DropConstraint': {
      const k = known?.constraints.find((c) => c.name === cmd.name);
      if (k?.notNullColumn && known?.columns.get(k.notNullColumn)?.notNull) {
        return neutral(`drops ${q(col)}, a CHECK that NOT NULL on ${q(columnObject(rv, k.notNullColumn))} makes redundant.`, table);
      }
      if (k && (k.kind === 'unique' || k.kind === 'primary')) {
        return contract(`run only after no running code relies on ${q(col)} (ON CONFLICT, lookups by ${k.columns.join(', ') || 'its key'}).`, ...k.columns.map((c) => columnObject(rv, c)), table);
      }
      return expand(`drops the constraint ${q(col)} on ${q(table)}: it accepts everything the running code writes.`, table);
    }
    case 'AT_AttachPartition':
      return expand(`attaches a partition to ${q(table)}; the running code keeps working.`, table);
    case 'AT_DetachPartition':
    case 'AT_DetachPartitionFinalize':
      return contract(`run only after no running code expects the detached partition's rows in ${q(table)}.`, table);
    case 'AT_EnableRowSecurity':
    case 'AT_ForceRowSecurity':
      return contract(`run only after the running code works under the row security policies of ${q(table)}.`, table);
    case 'AT_DisableRowSecurity':
    case 'AT_NoForceRowSecurity':
      return expand(`lifts row security on ${q(table)}: the running code sees at least what it saw.`, table);
    case 'AT_DropExpression':
    case 'AT_DropIdentity':
      return contract(`run only after all running code writes ${q(obj)} itself.`, obj);
    case 'AT_AddIdentity':
    case 'AT_SetIdentity':
      return expand(`generates values for ${q(obj)}; the running code keeps working.`, obj);
    default:
      return neutral(`${(cmd.subtype ?? '').replace(/^AT_/, '')} on ${q(table)} changes nothing the running code sees.`, table);
  }
}

/** `CHECK (col IS NOT NULL)` → `col`. */
function isNotNullCheck(expr: Node | undefined): string | undefined {
  const test = as<{ nulltesttype?: string; arg?: Node }>(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return strings(as<{ fields?: Node[] }>(test.arg, 'ColumnRef')?.fields).pop();
}

/**
 * SET NOT NULL (or CHECK (col IS NOT NULL)): the running code's inserts that omit the column fail unless it has a
 * default. A column added earlier in this file is one the running code cannot write at all.
 */
function notNullVerdict(rv: RangeVar | undefined, col: string, state: FileState): Verdict {
  const obj = columnObject(rv, col);
  const column = state.catalog.table(rv)?.columns.get(col);
  const hasDefault = !!column?.hasDefault || state.newDefaults.has(`${relationKey(rv)}.${col}`);
  const fill = state.addedColumns.has(`${relationKey(rv)}.${col}`) && !hasDefault ? filledByTrigger(relationKey(rv), col, state) : undefined;
  if (fill) return expand(`requires ${q(obj)}, added in this migration: the trigger function ${q(fill)} created above fills it on every insert and update, so the running code's writes satisfy it.`, obj);
  if (state.addedColumns.has(`${relationKey(rv)}.${col}`) && !hasDefault) {
    return breaking(`the running code does not write ${q(obj)}, added in this migration, so its inserts fail: add a default, or set NOT NULL in a later migration after the code writes it.`, obj);
  }
  if (hasDefault) return expand(`requires ${q(obj)}; inserts of the running code that omit it get its default.`, obj);
  return contract(`run only after all running code writes ${q(obj)} on every insert and update.`, obj);
}

const CONTRACT_DROPS: Record<string, string> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_SEQUENCE: 'sequence',
  OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'domain', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'procedure',
  OBJECT_ROUTINE: 'routine', OBJECT_SCHEMA: 'schema', OBJECT_EXTENSION: 'extension', OBJECT_TRIGGER: 'trigger',
  OBJECT_FOREIGN_TABLE: 'foreign table', OBJECT_AGGREGATE: 'aggregate', OBJECT_POLICY: 'policy', OBJECT_RULE: 'rule',
};

const BREAKING_RENAMES: Record<string, string> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure', OBJECT_ROUTINE: 'routine', OBJECT_SCHEMA: 'schema', OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain', OBJECT_SEQUENCE: 'sequence', OBJECT_FOREIGN_TABLE: 'foreign table', OBJECT_ATTRIBUTE: 'attribute',
};

/** Name of a dropped object (`List` of strings, `TypeName`, `ObjectWithArgs`, a bare `String`). */
function droppedName(o: Node): string {
  const list = as<{ items?: Node[] }>(o, 'List')?.items;
  if (list) return nameListKey(list)?.name ?? '?';
  const t = as<TypeName>(o, 'TypeName');
  if (t) return nameListKey(t.names)?.name ?? '?';
  const f = as<{ objname?: Node[] }>(o, 'ObjectWithArgs');
  if (f) return nameListKey(f.objname)?.name ?? '?';
  return as<{ sval?: string }>(o, 'String')?.sval ?? '?';
}

/** Key (`schema.name`) of a dropped relation. */
function droppedKey(o: Node): string | undefined {
  return nameListKey(as<{ items?: Node[] }>(o, 'List')?.items)?.key;
}

function classifyNode(node: Node | undefined, state: FileState): Verdict {
  const kind = kindOf(node);
  const inner = (node as Record<string, unknown> | undefined)?.[kind] as Record<string, unknown> | undefined;
  switch (kind) {
    case 'CreateStmt': {
      const s = inner as CreateStmt;
      return expand(`creates ${q(relationName(s.relation))}; no running code uses it yet.`, relationName(s.relation));
    }
    case 'CreateTableAsStmt':
      return expand('creates a table; no running code uses it yet.');
    case 'ViewStmt': {
      const s = inner as { view?: RangeVar; replace?: boolean };
      if (s.replace) return expand(`replaces the view ${q(relationName(s.view))} in place; safe as long as it keeps the columns the running code reads.`, relationName(s.view));
      return expand(`creates the view ${q(relationName(s.view))}; no running code uses it yet.`, relationName(s.view));
    }
    case 'CreateFunctionStmt': {
      const s = inner as { replace?: boolean; funcname?: Node[] };
      const name = nameListKey(s.funcname)?.name ?? '?';
      return s.replace
        ? expand(`replaces ${q(name)} in place; safe as long as it keeps the behaviour the running code relies on.`, name)
        : expand(`creates ${q(name)}; no running code uses it yet.`, name);
    }
    case 'IndexStmt': {
      const s = inner as IndexStmt;
      const table = relationName(s.relation);
      return s.unique
        ? expand(`adds the unique index ${q(s.idxname ?? '?')} on ${q(table)}; assumes the running code already writes unique values.`, table)
        : expand(`adds the index ${q(s.idxname ?? '?')} on ${q(table)}; the running code keeps working.`, table);
    }
    case 'CreateTrigStmt': {
      const s = inner as { relation?: RangeVar; trigname?: string };
      return expand(`adds the trigger ${q(s.trigname ?? '?')} on ${q(relationName(s.relation))}; the running code's statements keep working.`, relationName(s.relation));
    }
    case 'CreateSeqStmt':
    case 'CreateSchemaStmt':
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt':
    case 'CreateExtensionStmt':
    case 'CreateRangeStmt':
    case 'DefineStmt':
      return expand('creates an object no running code uses yet.');
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return neutral('a row security policy: access control, not a change of the schema the running code sees.');
    case 'AlterEnumStmt': {
      const s = inner as { typeName?: Node[]; oldVal?: string; newVal?: string };
      const type = nameListKey(s.typeName)?.name ?? '?';
      if (s.oldVal) return breaking(`renames the value ${q(s.oldVal)} of ${q(type)}: the running code still writes and compares the old one.`, type);
      return expand(`adds the value ${q(s.newVal ?? '?')} to ${q(type)}; the running code never sees it until new code writes it.`, type);
    }
    case 'AlterTableStmt': {
      const s = inner as AlterTableStmt;
      const key = relationKey(s.relation);
      if (state.createdTables.has(key)) return expand(`changes ${q(relationName(s.relation))}, created earlier in this migration.`, relationName(s.relation));
      if (s.objtype === 'OBJECT_INDEX') return neutral(`changes an index; the running code's queries keep working.`);
      // Subcommands in order, each seeing the columns and defaults the ones before it added.
      const verdicts = (s.cmds ?? [])
        .map((c) => as<AlterTableCmd>(c, 'AlterTableCmd'))
        .filter((c): c is AlterTableCmd => !!c)
        .map((c) => {
          const v = alterCommand(c, s.relation, state);
          recordColumn(c, key, state);
          return v;
        });
      if (verdicts.length === 0) return neutral('changes nothing the running code sees.');
      const worst = verdicts.reduce((a, b) => (RANK[b.phase] > RANK[a.phase] ? b : a));
      const parts = [...new Set(verdicts.map((v) => v.phase))];
      return { ...worst, objects: [...new Set(verdicts.flatMap((v) => v.objects))], ...(parts.length > 1 ? { parts } : {}) } as Verdict;
    }
    case 'RenameStmt': {
      const s = inner as RenameStmt;
      const key = relationKey(s.relation);
      if (s.renameType === 'OBJECT_COLUMN') {
        const obj = columnObject(s.relation, s.subname ?? '?');
        if (state.createdTables.has(key) || state.addedColumns.has(`${key}.${s.subname}`)) return expand(`renames ${q(obj)}, added in this migration.`, obj);
        return breaking(`renaming ${q(obj)} to ${q(s.newname ?? '?')} breaks the running code whatever the order (it uses the old name, the new code the new one); use the expand-contract rewrite.`, obj);
      }
      const what = BREAKING_RENAMES[s.renameType ?? ''];
      if (what) {
        const name = s.relation ? relationName(s.relation) : droppedName(s.object as Node);
        if (s.relation && state.createdTables.has(key)) return expand(`renames ${q(name)}, created in this migration.`, name);
        const view = state.views.get(key);
        if (s.renameType === 'OBJECT_TABLE' && view !== undefined && view > state.index) {
          return expand(`renames ${q(name)} to ${q(s.newname ?? '?')} and keeps the old name as a view later in this migration; the running code keeps working through it.`, name);
        }
        return breaking(`renaming the ${what} ${q(name)} to ${q(s.newname ?? '?')} breaks the running code whatever the order; use the expand-contract rewrite (rename plus a view under the old name).`, name);
      }
      return neutral(`renames a ${(s.renameType ?? '').replace(/^OBJECT_/, '').toLowerCase().replace(/_/g, ' ')}; the running code does not name it.`);
    }
    case 'AlterObjectSchemaStmt': {
      const s = inner as { relation?: RangeVar; newschema?: string; object?: Node };
      const name = s.relation ? relationName(s.relation) : '?';
      return breaking(`moving ${q(name)} to schema ${q(s.newschema ?? '?')} breaks the running code that names it; use a view or search_path during the switch.`, name);
    }
    case 'DropStmt': {
      const s = inner as { objects?: Node[]; removeType?: string };
      const names = (s.objects ?? []).map(droppedName);
      if (s.removeType === 'OBJECT_INDEX') {
        const unique = (s.objects ?? []).map((o) => state.catalog.indexes.get(droppedKey(o) ?? '')).filter((i) => i?.unique);
        if (unique.length) {
          return contract(`run only after no running code relies on the uniqueness of ${unique.map((i) => q(i!.name)).join(', ')} (ON CONFLICT, lookups).`, ...unique.map((i) => i!.name));
        }
        return neutral(`drops the index ${names.map(q).join(', ')}; the running code's queries still run (perhaps slower).`, ...names);
      }
      const what = CONTRACT_DROPS[s.removeType ?? ''];
      if (!what) return neutral('drops an object the running code does not name.', ...names);
      const created = (s.objects ?? []).every((o) => state.createdTables.has(droppedKey(o) ?? '\0'));
      if (created) return expand(`drops ${names.map(q).join(', ')}, created earlier in this migration.`, ...names);
      return contract(`run only after all running code stops using the ${what} ${names.map(q).join(', ')}.`, ...names);
    }
    case 'GrantStmt': {
      const s = inner as GrantStmt;
      return s.is_grant ? expand('grants privileges; the running code keeps what it had.') : contract('revokes privileges: run only after no running code needs them.');
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
    case 'CopyStmt':
    case 'TruncateStmt':
      return neutral('a data change: the shape the running code sees stays the same.');
    case 'DoStmt':
    case 'CallStmt':
      return neutral('runs code whose changes are not classified here.');
    default:
      return neutral('changes nothing the running code sees.');
  }
}

/** Records what a statement creates, for the statements after it. */
function record(node: Node | undefined, state: FileState): void {
  const create = as<CreateStmt>(node, 'CreateStmt');
  if (create?.relation) state.createdTables.add(relationKey(create.relation));
  const ctas = as<{ into?: { rel?: RangeVar } }>(node, 'CreateTableAsStmt');
  if (ctas?.into?.rel) state.createdTables.add(relationKey(ctas.into.rel));
  const alter = as<AlterTableStmt>(node, 'AlterTableStmt');
  if (alter?.relation) {
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd) recordColumn(cmd, relationKey(alter.relation), state);
    }
  }
  const fn = as<{ funcname?: Node[]; options?: Node[] }>(node, 'CreateFunctionStmt');
  if (fn?.funcname) {
    const body = (fn.options ?? [])
      .map((o) => as<{ defname?: string; arg?: Node }>(o, 'DefElem'))
      .filter((d) => d?.defname === 'as')
      .flatMap((d) => strings(as<{ items?: Node[] }>(d!.arg, 'List')?.items))
      .join('\n');
    state.functionBodies.set(strings(fn.funcname).join('.'), body);
  }
  const trig = as<{ relation?: RangeVar; funcname?: Node[]; row?: boolean; timing?: number; events?: number }>(node, 'CreateTrigStmt');
  // timing 2 = BEFORE; events bits 4 = INSERT, 16 = UPDATE (PostgreSQL's TRIGGER_TYPE_* values).
  if (trig?.relation && trig.row && trig.timing === 2 && ((trig.events ?? 0) & 20) === 20) {
    const key = relationKey(trig.relation);
    state.fillTriggers.set(key, [...(state.fillTriggers.get(key) ?? []), strings(trig.funcname).join('.')]);
  }
  state.catalog.apply(node);
}

/** A column added, or given a default, by an ALTER TABLE subcommand. */
function recordColumn(cmd: AlterTableCmd, key: string, state: FileState): void {
  const def = cmd.subtype === 'AT_AddColumn' ? as<ColumnDef>(cmd.def, 'ColumnDef') : undefined;
  if (def?.colname) {
    state.addedColumns.add(`${key}.${def.colname}`);
    if (columnConstraints(def).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED')) state.newDefaults.add(`${key}.${def.colname}`);
  }
  if (cmd.subtype === 'AT_ColumnDefault' && cmd.name) {
    if (cmd.def) state.newDefaults.add(`${key}.${cmd.name}`);
    else state.newDefaults.delete(`${key}.${cmd.name}`);
  }
}

/** Classifies parsed statements in order (the catalog is cloned, then each statement applied after it is classified). */
export function classifyStatements(statements: readonly Statement[], options: ClassifyOptions = {}): ClassifiedStatement[] {
  const views = new Map<string, number>();
  for (const s of statements) {
    const v = as<{ view?: RangeVar }>(s.node, 'ViewStmt');
    if (v?.view && !views.has(relationKey(v.view))) views.set(relationKey(v.view), s.index);
  }
  const state: FileState = { catalog: options.catalog ? options.catalog.clone() : new Catalog(), createdTables: new Set(), addedColumns: new Set(), views, index: 0, newDefaults: new Set(), functionBodies: new Map(), fillTriggers: new Map() };
  const out: ClassifiedStatement[] = [];
  for (const s of statements) {
    if (!s.node) continue;
    state.index = s.index;
    const v = classifyNode(s.node, state);
    const c: ClassifiedStatement = { statementIndex: s.index, span: s.span, phase: v.phase, reason: v.reason, objects: v.objects };
    const parts = (v as Verdict & { parts?: StatementPhase[] }).parts;
    if (parts) c.parts = parts;
    out.push(c);
    record(s.node, state);
  }
  return out;
}

/** The phases a statement takes part in (an ALTER TABLE may span several). */
export function phasesOf(s: ClassifiedStatement): StatementPhase[] {
  return s.parts ?? [s.phase];
}

function list(objects: string[]): string {
  const names = [...new Set(objects)].map(q);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** The file's phase and its one-sentence summary, from its classified statements. */
export function summarize(statements: readonly ClassifiedStatement[]): { file: MigrationPhase; summary: string } {
  const all = statements.flatMap(phasesOf);
  const breakingOnes = statements.filter((s) => s.phase === 'breaking');
  if (breakingOnes.length) {
    return {
      file: 'breaking',
      summary: breakingOnes.length === 1 ? breakingOnes[0].reason : `Breaking: no deploy order is safe for ${list(breakingOnes.flatMap((s) => s.objects))}; use the expand-contract rewrites.`,
    };
  }
  const contracts = statements.filter((s) => phasesOf(s).includes('contract'));
  const expands = statements.filter((s) => phasesOf(s).includes('expand'));
  if (all.includes('expand') && all.includes('contract')) {
    return {
      file: 'mixed',
      summary: `Mixed: ${expands.length} expand and ${contracts.length} contract step${contracts.length > 1 ? 's' : ''}; the expand steps must run before the new code ships, the contract steps (${list(contracts.flatMap((s) => s.objects))}) only after, so split this migration.`,
    };
  }
  if (contracts.length) {
    const objects = contracts.flatMap((s) => s.objects);
    return {
      file: 'contract',
      summary: contracts.length === 1 ? contracts[0].reason : `Contract: run only after all running code stops using ${list(objects)}.`,
    };
  }
  if (expands.length) return { file: 'expand', summary: 'Expand: safe to run before the new code ships; the running code keeps working.' };
  return { file: 'neutral', summary: 'Neutral: nothing the running code can see changes.' };
}

/** Classifies a migration's statements and the file. `initParser()` must have resolved. */
export function classifyMigration(text: string, options: ClassifyOptions = {}): MigrationClassification {
  const statements = classifyStatements(parseFile(text).statements, options);
  return { ...summarize(statements), statements };
}
