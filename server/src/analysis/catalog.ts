/**
 * A static schema catalog: the tables, columns, constraints, indexes and enum types that exist, built by applying
 * parsed statements in order (earlier migrations of the folder, then earlier statements of the file). Rules ask it
 * what existed before their statement: a column's old type, a validated CHECK (col IS NOT NULL), an index on a
 * foreign key's columns. It knows only what DDL it has seen; `known` says whether a table was seen at all, so rules
 * can stay quiet instead of guessing. Keys are `schema.name` with `public` implied.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, IndexStmt, Node, RangeVar, RenameStmt, TypeName } from '@pgsql/types';
import { parseFile } from './parse';
import { as, columnConstraints, kindOf, nameListKey, relationKey, relationName, strings } from './ast';

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
  };
}

export class Catalog {
  readonly tables = new Map<string, Table>();
  readonly indexes = new Map<string, Index>();
  readonly enums = new Map<string, string[]>();

  clone(): Catalog {
    const c = new Catalog();
    for (const [k, t] of this.tables) {
      c.tables.set(k, {
        ...t,
        columns: new Map([...t.columns].map(([n, col]) => [n, { ...col, typmods: [...col.typmods] }])),
        constraints: t.constraints.map((x) => ({ ...x, columns: [...x.columns] })),
      });
    }
    for (const [k, i] of this.indexes) c.indexes.set(k, { ...i, columns: [...i.columns] });
    for (const [k, e] of this.enums) c.enums.set(k, [...e]);
    return c;
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
        this.alterTable(inner as AlterTableStmt);
        break;
      case 'IndexStmt':
        this.createIndex(inner as IndexStmt);
        break;
      case 'RenameStmt':
        this.rename(inner as RenameStmt);
        break;
      case 'DropStmt':
        this.drop(inner as { objects?: Node[]; removeType?: string });
        break;
      case 'CreateEnumStmt': {
        const s = inner as { typeName?: Node[]; vals?: Node[] };
        const n = nameListKey(s.typeName);
        if (n) this.enums.set(n.key, strings(s.vals));
        break;
      }
      case 'AlterEnumStmt': {
        const s = inner as { typeName?: Node[]; newVal?: string; oldVal?: string; newValNeighbor?: string; newValIsAfter?: boolean };
        const n = nameListKey(s.typeName);
        const vals = n ? this.enums.get(n.key) : undefined;
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
      default:
        break;
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
    this.tables.set(key, table);
  }

  private alterTable(s: AlterTableStmt): void {
    const table = this.table(s.relation);
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
              if (tc) table.constraints.push(tc);
            }
          }
          break;
        }
        case 'AT_DropColumn':
          table.columns.delete(cmd.name ?? '');
          table.constraints = table.constraints.filter((k) => !k.columns.includes(cmd.name ?? ''));
          break;
        case 'AT_AlterColumnType': {
          const col = table.columns.get(cmd.name ?? '');
          const def = as<ColumnDef>(cmd.def, 'ColumnDef');
          if (col && def) Object.assign(col, typeInfo(def.typeName));
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
          if (col) col.hasDefault = !!cmd.def;
          break;
        }
        case 'AT_AddConstraint': {
          const con = as<Constraint>(cmd.def, 'Constraint');
          const tc = con && constraintFrom(con);
          if (tc) table.constraints.push(tc);
          if (tc?.kind === 'primary') for (const name of tc.columns) { const col = table.columns.get(name); if (col) col.notNull = true; }
          break;
        }
        case 'AT_ValidateConstraint': {
          const k = table.constraints.find((x) => x.name === cmd.name);
          if (k) k.validated = true;
          break;
        }
        case 'AT_DropConstraint':
          table.constraints = table.constraints.filter((k) => k.name !== cmd.name);
          break;
        default:
          break;
      }
    }
  }

  private createIndex(s: IndexStmt): void {
    if (!s.relation) return;
    const schema = s.relation.schemaname ?? 'public';
    const name = s.idxname ?? `${s.relation.relname}_idx`;
    const columns = (s.indexParams ?? []).map((p) => as<{ name?: string }>(p, 'IndexElem')?.name ?? '(expression)');
    this.indexes.set(`${schema}.${name}`, { key: `${schema}.${name}`, name, tableKey: relationKey(s.relation), columns, unique: !!s.unique });
  }

  private rename(s: RenameStmt): void {
    if (s.renameType === 'OBJECT_TABLE') {
      const table = this.table(s.relation);
      if (!table || !s.newname) return;
      this.tables.delete(table.key);
      const schema = s.relation?.schemaname ?? 'public';
      const key = `${schema}.${s.newname}`;
      for (const i of this.indexes.values()) if (i.tableKey === table.key) i.tableKey = key;
      this.tables.set(key, { ...table, key, name: s.relation?.schemaname ? key : s.newname });
    } else if (s.renameType === 'OBJECT_COLUMN') {
      const table = this.table(s.relation);
      const col = table?.columns.get(s.subname ?? '');
      if (!table || !col || !s.newname) return;
      table.columns.delete(col.name);
      table.columns.set(s.newname, { ...col, name: s.newname });
      for (const k of table.constraints) k.columns = k.columns.map((c) => (c === col.name ? s.newname! : c));
    } else if (s.renameType === 'OBJECT_TABCONSTRAINT') {
      const k = this.table(s.relation)?.constraints.find((x) => x.name === s.subname);
      if (k && s.newname) k.name = s.newname;
    }
  }

  private drop(s: { objects?: Node[]; removeType?: string }): void {
    for (const o of s.objects ?? []) {
      // DROP TABLE/INDEX name their objects as a List of strings; DROP TYPE/DOMAIN as a TypeName.
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items ?? as<TypeName>(o, 'TypeName')?.names);
      if (!n) continue;
      if (s.removeType === 'OBJECT_TABLE') {
        this.tables.delete(n.key);
        for (const [k, i] of this.indexes) if (i.tableKey === n.key) this.indexes.delete(k);
      } else if (s.removeType === 'OBJECT_INDEX') this.indexes.delete(n.key);
      else if (s.removeType === 'OBJECT_TYPE' || s.removeType === 'OBJECT_DOMAIN') this.enums.delete(n.key);
    }
  }
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
