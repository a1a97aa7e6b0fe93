/**
 * What a migration does to named schema objects and to data, statement by statement, so that an up can be compared
 * with its down: which objects it creates, drops and renames, which columns it retypes, which tables it writes.
 * Keys are the catalog's (`schema.name`, unqualified names in `public`), so `users` and `public.users` meet.
 * Used by the rollback rules (require-complete-down, ban-down-data-loss, ban-irreversible-statement).
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CopyStmt,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
} from '@pgsql/types';
import { as, columnConstraints, kindOf, nameListKey, relationKey, relationName, statementLabel, strings } from './ast';
import type { ParsedFile } from './parse';
import type { Span } from './text';

/** Object namespaces: tables, views and sequences share one (`relation`), as in pg_class. */
export type ObjectKind = 'relation' | 'column' | 'index' | 'constraint' | 'trigger' | 'policy' | 'function' | 'type' | 'schema' | 'extension';

export interface ObjectRef {
  kind: ObjectKind;
  /** Unique within the kind: `public.users`, `public.users.email` (columns, constraints, triggers, policies). */
  key: string;
  /** As written, for messages: `users`, `users.email`. */
  name: string;
  /** What to call it: `table`, `view`, `column`, `index`, … */
  noun: string;
  /** The relation it belongs to (columns, indexes, constraints, triggers, policies). */
  table?: string;
  /** Its schema (`public` when unqualified). */
  schema: string;
}

export type EffectOp = 'create' | 'replace' | 'drop' | 'rename' | 'alter-type' | 'set-not-null' | 'drop-not-null' | 'insert' | 'update' | 'delete' | 'truncate';

export interface Effect {
  op: EffectOp;
  object: ObjectRef;
  /** For `rename`: the object under its new name. */
  to?: ObjectRef;
  /** DROP … CASCADE. */
  cascade?: boolean;
  /** For `create` of a constraint with `USING INDEX`: the index it takes over. */
  usesIndex?: string;
  statementIndex: number;
  span: Span;
  /** The statement, as a label: `DROP COLUMN`, `CREATE TABLE`. */
  label: string;
}

function rel(rv: RangeVar, noun: string): ObjectRef {
  return { kind: 'relation', key: relationKey(rv), name: relationName(rv), noun, schema: rv.schemaname ?? 'public' };
}

function onTable(kind: ObjectKind, noun: string, rv: RangeVar, name: string): ObjectRef {
  return { kind, key: `${relationKey(rv)}.${name}`, name: `${relationName(rv)}.${name}`, noun, table: relationKey(rv), schema: rv.schemaname ?? 'public' };
}

function named(kind: ObjectKind, noun: string, items: Node[] | undefined): ObjectRef | undefined {
  const n = nameListKey(items);
  if (!n) return undefined;
  return { kind, key: n.key, name: n.name, noun, schema: n.key.slice(0, n.key.lastIndexOf('.')) };
}

function bare(kind: ObjectKind, noun: string, name: string): ObjectRef {
  return { kind, key: name, name, noun, schema: kind === 'schema' ? name : 'public' };
}

/** A name list `[schema…, table, name]` (DROP TRIGGER / POLICY) as an object on its table. */
function tableMember(kind: ObjectKind, noun: string, items: Node[]): ObjectRef | undefined {
  const parts = strings(items);
  if (parts.length < 2) return undefined;
  const name = parts[parts.length - 1];
  const rv = { relname: parts[parts.length - 2], schemaname: parts.length > 2 ? parts[parts.length - 3] : undefined } as RangeVar;
  return onTable(kind, noun, rv, name);
}

const DROP_KINDS: Record<string, [ObjectKind, string]> = {
  OBJECT_TABLE: ['relation', 'table'],
  OBJECT_VIEW: ['relation', 'view'],
  OBJECT_MATVIEW: ['relation', 'materialized view'],
  OBJECT_SEQUENCE: ['relation', 'sequence'],
  OBJECT_FOREIGN_TABLE: ['relation', 'foreign table'],
  OBJECT_INDEX: ['index', 'index'],
  OBJECT_TYPE: ['type', 'type'],
  OBJECT_DOMAIN: ['type', 'domain'],
  OBJECT_FUNCTION: ['function', 'function'],
  OBJECT_PROCEDURE: ['function', 'procedure'],
  OBJECT_ROUTINE: ['function', 'routine'],
  OBJECT_SCHEMA: ['schema', 'schema'],
  OBJECT_EXTENSION: ['extension', 'extension'],
  OBJECT_TRIGGER: ['trigger', 'trigger'],
  OBJECT_POLICY: ['policy', 'policy'],
};

function dropped(d: DropStmt): ObjectRef[] {
  const k = DROP_KINDS[d.removeType ?? ''];
  if (!k) return [];
  const [kind, noun] = k;
  const out: ObjectRef[] = [];
  for (const o of d.objects ?? []) {
    let ref: ObjectRef | undefined;
    if (kind === 'trigger' || kind === 'policy') ref = tableMember(kind, noun, as<{ items?: Node[] }>(o, 'List')?.items ?? []);
    else if (kind === 'schema' || kind === 'extension') {
      const s = as<{ sval?: string }>(o, 'String')?.sval;
      if (s) ref = bare(kind, noun, s);
    } else if (kind === 'function') ref = named(kind, noun, as<{ objname?: Node[] }>(o, 'ObjectWithArgs')?.objname);
    else if (kind === 'type') ref = named(kind, noun, as<{ names?: Node[] }>(o, 'TypeName')?.names);
    else ref = named(kind, noun, as<{ items?: Node[] }>(o, 'List')?.items);
    if (ref) out.push(ref);
  }
  return out;
}

const RENAME_KINDS: Record<string, [ObjectKind, string]> = {
  OBJECT_TABLE: ['relation', 'table'],
  OBJECT_VIEW: ['relation', 'view'],
  OBJECT_MATVIEW: ['relation', 'materialized view'],
  OBJECT_SEQUENCE: ['relation', 'sequence'],
  OBJECT_INDEX: ['index', 'index'],
  OBJECT_COLUMN: ['column', 'column'],
  OBJECT_TABCONSTRAINT: ['constraint', 'constraint'],
  OBJECT_TRIGGER: ['trigger', 'trigger'],
  OBJECT_POLICY: ['policy', 'policy'],
  OBJECT_TYPE: ['type', 'type'],
  OBJECT_DOMAIN: ['type', 'domain'],
  OBJECT_FUNCTION: ['function', 'function'],
  OBJECT_PROCEDURE: ['function', 'procedure'],
  OBJECT_SCHEMA: ['schema', 'schema'],
};

function renamed(r: RenameStmt): { from: ObjectRef; to: ObjectRef } | undefined {
  const k = RENAME_KINDS[r.renameType ?? ''];
  if (!k || !r.newname) return undefined;
  const [kind, noun] = k;
  if (kind === 'relation' || kind === 'index') {
    if (!r.relation) return undefined;
    const from = kind === 'relation' ? rel(r.relation, noun) : { ...rel(r.relation, noun), kind };
    const to = { ...from, key: `${from.schema}.${r.newname}`, name: r.relation.schemaname ? `${r.relation.schemaname}.${r.newname}` : r.newname };
    return { from, to };
  }
  if (kind === 'column' || kind === 'constraint' || kind === 'trigger' || kind === 'policy') {
    if (!r.relation || !r.subname) return undefined;
    return { from: onTable(kind, noun, r.relation, r.subname), to: onTable(kind, noun, r.relation, r.newname) };
  }
  if (kind === 'schema') return r.subname ? { from: bare(kind, noun, r.subname), to: bare(kind, noun, r.newname) } : undefined;
  const items = kind === 'function' ? as<{ objname?: Node[] }>(r.object, 'ObjectWithArgs')?.objname : as<{ items?: Node[] }>(r.object, 'List')?.items;
  const from = named(kind, noun, items);
  if (!from) return undefined;
  const qualified = from.name.includes('.');
  return { from, to: { ...from, key: `${from.schema}.${r.newname}`, name: qualified ? `${from.schema}.${r.newname}` : r.newname } };
}

function relationNoun(node: Node): string {
  const k = kindOf(node);
  if (k === 'ViewStmt') return 'view';
  if (k === 'CreateSeqStmt') return 'sequence';
  if (k === 'CreateTableAsStmt') return (node as { CreateTableAsStmt: { objtype?: string } }).CreateTableAsStmt.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table';
  return 'table';
}

/** The effects of one statement, in order. */
function statementEffects(node: Node): Omit<Effect, 'statementIndex' | 'span' | 'label'>[] {
  const kind = kindOf(node);
  const inner = (node as unknown as Record<string, Record<string, unknown>>)[kind] ?? {};
  const out: Omit<Effect, 'statementIndex' | 'span' | 'label'>[] = [];
  switch (kind) {
    case 'CreateStmt': {
      const c = inner as CreateStmt;
      if (c.relation) out.push({ op: 'create', object: rel(c.relation, 'table') });
      break;
    }
    case 'CreateTableAsStmt': {
      const into = (inner as { into?: { rel?: RangeVar } }).into;
      if (into?.rel) out.push({ op: 'create', object: rel(into.rel, relationNoun(node)) });
      break;
    }
    case 'ViewStmt': {
      const v = inner as { view?: RangeVar; replace?: boolean };
      if (v.view) out.push({ op: v.replace ? 'replace' : 'create', object: rel(v.view, 'view') });
      break;
    }
    case 'CreateSeqStmt': {
      const s = inner as { sequence?: RangeVar };
      if (s.sequence) out.push({ op: 'create', object: rel(s.sequence, 'sequence') });
      break;
    }
    case 'IndexStmt': {
      const i = inner as IndexStmt;
      if (i.idxname && i.relation) {
        const schema = i.relation.schemaname ?? 'public';
        out.push({ op: 'create', object: { kind: 'index', key: `${schema}.${i.idxname}`, name: i.relation.schemaname ? `${schema}.${i.idxname}` : i.idxname, noun: 'index', table: relationKey(i.relation), schema } });
      }
      break;
    }
    case 'CompositeTypeStmt': {
      const t = (inner as { typevar?: RangeVar }).typevar;
      if (t) out.push({ op: 'create', object: { ...rel(t, 'type'), kind: 'type' } });
      break;
    }
    case 'CreateEnumStmt':
    case 'CreateRangeStmt': {
      const ref = named('type', 'type', (inner as { typeName?: Node[] }).typeName);
      if (ref) out.push({ op: 'create', object: ref });
      break;
    }
    case 'CreateDomainStmt': {
      const ref = named('type', 'domain', (inner as { domainname?: Node[] }).domainname);
      if (ref) out.push({ op: 'create', object: ref });
      break;
    }
    case 'CreateFunctionStmt': {
      const f = inner as { funcname?: Node[]; replace?: boolean; is_procedure?: boolean };
      const ref = named('function', f.is_procedure ? 'procedure' : 'function', f.funcname);
      if (ref) out.push({ op: f.replace ? 'replace' : 'create', object: ref });
      break;
    }
    case 'CreateTrigStmt': {
      const t = inner as { trigname?: string; relation?: RangeVar; replace?: boolean };
      if (t.trigname && t.relation) out.push({ op: t.replace ? 'replace' : 'create', object: onTable('trigger', 'trigger', t.relation, t.trigname) });
      break;
    }
    case 'CreatePolicyStmt': {
      const p = inner as { policy_name?: string; table?: RangeVar };
      if (p.policy_name && p.table) out.push({ op: 'create', object: onTable('policy', 'policy', p.table, p.policy_name) });
      break;
    }
    case 'CreateSchemaStmt': {
      const s = (inner as { schemaname?: string }).schemaname;
      if (s) out.push({ op: 'create', object: bare('schema', 'schema', s) });
      break;
    }
    case 'CreateExtensionStmt': {
      const e = (inner as { extname?: string }).extname;
      if (e) out.push({ op: 'create', object: bare('extension', 'extension', e) });
      break;
    }
    case 'AlterTableStmt': {
      const a = inner as AlterTableStmt;
      if (!a.relation || (a.objtype && a.objtype !== 'OBJECT_TABLE')) break;
      for (const c of a.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        if (!cmd) continue;
        const col = (name: string | undefined) => onTable('column', 'column', a.relation!, name ?? '?');
        switch (cmd.subtype) {
          case 'AT_AddColumn': {
            const def = as<ColumnDef>(cmd.def, 'ColumnDef');
            if (def?.colname) out.push({ op: 'create', object: col(def.colname) });
            for (const k of columnConstraints(def)) {
              if (k.conname) out.push({ op: 'create', object: onTable('constraint', 'constraint', a.relation, k.conname) });
            }
            break;
          }
          case 'AT_DropColumn':
            out.push({ op: 'drop', object: col(cmd.name), cascade: cmd.behavior === 'DROP_CASCADE' });
            break;
          case 'AT_AlterColumnType':
            out.push({ op: 'alter-type', object: col(cmd.name) });
            break;
          case 'AT_SetNotNull':
            out.push({ op: 'set-not-null', object: col(cmd.name) });
            break;
          case 'AT_DropNotNull':
            out.push({ op: 'drop-not-null', object: col(cmd.name) });
            break;
          case 'AT_AddConstraint': {
            const k = as<Constraint>(cmd.def, 'Constraint');
            if (k?.conname) out.push({ op: 'create', object: onTable('constraint', 'constraint', a.relation, k.conname), usesIndex: k.indexname ? `${a.relation.schemaname ?? 'public'}.${k.indexname}` : undefined });
            break;
          }
          case 'AT_DropConstraint':
            if (cmd.name) out.push({ op: 'drop', object: onTable('constraint', 'constraint', a.relation, cmd.name), cascade: cmd.behavior === 'DROP_CASCADE' });
            break;
          default:
            break;
        }
      }
      break;
    }
    case 'RenameStmt': {
      const r = renamed(inner as RenameStmt);
      if (r) out.push({ op: 'rename', object: r.from, to: r.to });
      break;
    }
    case 'DropStmt': {
      const d = inner as DropStmt;
      for (const o of dropped(d)) out.push({ op: 'drop', object: o, cascade: d.behavior === 'DROP_CASCADE' });
      break;
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const r = (inner as { relation?: RangeVar }).relation;
      if (r) out.push({ op: kind === 'InsertStmt' ? 'insert' : kind === 'UpdateStmt' ? 'update' : 'delete', object: rel(r, 'table') });
      break;
    }
    case 'CopyStmt': {
      const c = inner as CopyStmt;
      if (c.relation && c.is_from) out.push({ op: 'insert', object: rel(c.relation, 'table') });
      break;
    }
    case 'TruncateStmt': {
      for (const r of (inner as { relations?: Node[] }).relations ?? []) {
        const rv = as<RangeVar>(r, 'RangeVar');
        if (rv) out.push({ op: 'truncate', object: rel(rv, 'table') });
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** Labels of ALTER TABLE subcommands and DROP kinds in messages. */
function labelOf(node: Node, e: Omit<Effect, 'statementIndex' | 'span' | 'label'>): string {
  const kind = kindOf(node);
  if (kind === 'AlterTableStmt') {
    const map: Partial<Record<EffectOp, string>> = { create: e.object.kind === 'column' ? 'ADD COLUMN' : 'ADD CONSTRAINT', drop: e.object.kind === 'column' ? 'DROP COLUMN' : 'DROP CONSTRAINT', 'alter-type': 'ALTER COLUMN TYPE', 'set-not-null': 'SET NOT NULL', 'drop-not-null': 'DROP NOT NULL' };
    return map[e.op] ?? 'ALTER TABLE';
  }
  if (kind === 'DropStmt') return `DROP ${e.object.noun.toUpperCase()}`;
  if (kind === 'RenameStmt') return `RENAME ${e.object.noun.toUpperCase()}`;
  const creates: Record<string, string> = { ViewStmt: 'CREATE VIEW', CreateSeqStmt: 'CREATE SEQUENCE', CreateEnumStmt: 'CREATE TYPE', CompositeTypeStmt: 'CREATE TYPE', CreateRangeStmt: 'CREATE TYPE' };
  if (kind === 'CreateTableAsStmt') return `CREATE ${e.object.noun.toUpperCase()}${e.object.noun === 'table' ? ' AS' : ''}`;
  return creates[kind] ?? statementLabel(kind);
}

/** The effects of every statement of a parsed file, in order. Statements that do not parse have none. */
export function migrationEffects(file: ParsedFile): Effect[] {
  const out: Effect[] = [];
  for (const s of file.statements) {
    if (!s.node) continue;
    for (const e of statementEffects(s.node as Node)) out.push({ ...e, statementIndex: s.index, span: s.span, label: labelOf(s.node as Node, e) });
  }
  return out;
}

const id = (o: ObjectRef): string => `${o.kind}:${o.key}`;

/** What an up leaves changed once it has run: net of objects it created and dropped again, renames followed. */
export interface NetChanges {
  /** Objects that exist after the up and did not before (or were replaced: `op` says). */
  created: Map<string, Effect>;
  /** Objects that existed before the up and are gone after it. */
  dropped: Map<string, Effect>;
  /** Objects that existed before the up under another name: `to` is the name after the up. */
  renamed: Map<string, Effect>;
  /** Existing columns whose type or nullability changed (`alter-type`, `set-not-null`, `drop-not-null`). */
  altered: Effect[];
  /** Existing tables the up inserts into. */
  inserted: Effect[];
  /** Tables (keys) the up writes in any way: insert, update, delete, truncate, or creates. */
  written: Set<string>;
}

/** Whether `o` lives inside one of the relations or schemas `created` holds. */
function inside(o: ObjectRef, has: (kind: ObjectKind, key: string) => boolean): boolean {
  if (o.table && has('relation', o.table)) return true;
  return o.kind !== 'schema' && o.kind !== 'extension' && has('schema', o.schema);
}

export function netChanges(effects: readonly Effect[]): NetChanges {
  const created = new Map<string, Effect>();
  const dropped = new Map<string, Effect>();
  const renamed = new Map<string, Effect>();
  const altered: Effect[] = [];
  const inserted: Effect[] = [];
  const written = new Set<string>();
  const isNew = (kind: ObjectKind, key: string) => created.get(`${kind}:${key}`)?.op === 'create';
  for (const e of effects) {
    const k = id(e.object);
    switch (e.op) {
      case 'create':
      case 'replace':
        if (inside(e.object, isNew)) break;
        if (dropped.has(k) && e.op === 'create') {
          // Dropped and created again: a redefinition, undone by restoring the old one.
          created.set(k, { ...e, op: 'replace' });
          dropped.delete(k);
          break;
        }
        if (!created.has(k)) created.set(k, e);
        if (e.usesIndex) created.delete(`index:${e.usesIndex}`);
        if (e.object.kind === 'relation') written.add(e.object.key);
        break;
      case 'drop':
        if (created.has(k)) {
          created.delete(k);
          break;
        }
        if (inside(e.object, isNew)) break;
        // An object renamed earlier in the up and now dropped: what existed before is the old name.
        for (const [rk, r] of renamed) {
          if (r.to && id(r.to) === k) {
            renamed.delete(rk);
            dropped.set(rk, { ...e, object: r.object });
            break;
          }
        }
        if (![...dropped.values()].some((d) => id(d.object) === k)) dropped.set(k, e);
        break;
      case 'rename': {
        const to = e.to!;
        const c = created.get(k);
        if (c) {
          created.delete(k);
          created.set(id(to), { ...c, object: to });
          break;
        }
        if (inside(e.object, isNew)) break;
        const chain = [...renamed.entries()].find(([, r]) => r.to && id(r.to) === k);
        if (chain) renamed.set(chain[0], { ...chain[1], to });
        else renamed.set(k, e);
        break;
      }
      case 'alter-type':
      case 'set-not-null':
      case 'drop-not-null':
        if (!created.has(k) && !inside(e.object, isNew)) altered.push(e);
        break;
      case 'insert':
        written.add(e.object.key);
        if (!isNew('relation', e.object.key)) inserted.push(e);
        break;
      default:
        written.add(e.object.key);
        break;
    }
  }
  return { created, dropped, renamed, altered, inserted, written };
}

/** How a down treats objects: what it drops, creates, renames, alters and deletes from. */
export interface DownCoverage {
  drops(o: ObjectRef): boolean;
  creates(o: ObjectRef): boolean;
  renames(from: ObjectRef, to: ObjectRef): boolean;
  alters(o: ObjectRef, op: EffectOp): boolean;
  deletesFrom(table: string): boolean;
}

export function downCoverage(effects: readonly Effect[]): DownCoverage {
  const drops = new Set<string>();
  const creates = new Set<string>();
  const renames = new Set<string>();
  const alters = new Set<string>();
  const deletes = new Set<string>();
  for (const e of effects) {
    const k = id(e.object);
    if (e.op === 'drop') drops.add(k);
    else if (e.op === 'create' || e.op === 'replace') creates.add(k);
    else if (e.op === 'rename') renames.add(`${k}>${id(e.to!)}`);
    else if (e.op === 'alter-type' || e.op === 'set-not-null' || e.op === 'drop-not-null') alters.add(`${e.op}:${k}`);
    else if (e.op === 'delete' || e.op === 'truncate') deletes.add(e.object.key);
    // A table dropped and created again in the down is restored too.
    if (e.op === 'drop' && e.object.kind === 'relation') deletes.add(e.object.key);
  }
  const dropped = (kind: ObjectKind, key: string) => drops.has(`${kind}:${key}`);
  return {
    drops: (o) => dropped(o.kind, o.key) || inside(o, dropped) || (o.kind === 'index' && drops.has(`constraint:${o.table}.${o.key.slice(o.key.lastIndexOf('.') + 1)}`)),
    creates: (o) => creates.has(id(o)),
    renames: (from, to) => renames.has(`${id(to)}>${id(from)}`),
    alters: (o, op) => alters.has(`${op}:${id(o)}`),
    deletesFrom: (table) => deletes.has(table),
  };
}
