/**
 * The lock model: for a parsed statement, the lock mode it takes on each relation, and whether it rewrites or scans
 * them. Sources: PostgreSQL docs "Explicit Locking" (13.3) and the ALTER TABLE reference page, and
 * AlterTableGetLockLevel() in src/backend/commands/tablecmds.c. Every claim here is meant to be asserted by the
 * oracle test that runs the statement on PostgreSQL and reads pg_locks / relfilenode.
 * Mode names are spelled as in pg_locks.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, IndexStmt, Node, RangeVar } from '@pgsql/types';
import { as, columnConstraints, isVolatile, kindOf, nameListKey, relationKey, relationName, strings } from './ast';

export type LockMode =
  | 'AccessShareLock'
  | 'RowShareLock'
  | 'RowExclusiveLock'
  | 'ShareUpdateExclusiveLock'
  | 'ShareLock'
  | 'ShareRowExclusiveLock'
  | 'ExclusiveLock'
  | 'AccessExclusiveLock';

/** Weakest to strongest, as in the docs' table of lock modes. */
export const LOCK_MODES: readonly LockMode[] = [
  'AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock',
  'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock',
];

/** Table 13.2 "Conflicting Lock Modes": which modes each mode conflicts with. */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  AccessShareLock: ['AccessExclusiveLock'],
  RowShareLock: ['ExclusiveLock', 'AccessExclusiveLock'],
  RowExclusiveLock: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareUpdateExclusiveLock: ['ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareRowExclusiveLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ExclusiveLock: ['RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  AccessExclusiveLock: [...LOCK_MODES],
};

export function conflicts(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

export function strength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

/** What a lock held in `mode` blocks, in the words users think in. */
export function blocks(mode: LockMode): { reads: boolean; writes: boolean; ddl: boolean } {
  return {
    reads: conflicts(mode, 'AccessShareLock'), // SELECT
    writes: conflicts(mode, 'RowExclusiveLock'), // INSERT / UPDATE / DELETE
    ddl: conflicts(mode, 'ShareUpdateExclusiveLock'), // VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY, most DDL
  };
}

/** "blocks reads and writes", "blocks writes", "blocks other schema changes and VACUUM", "blocks nothing ordinary". */
export function describeBlocking(mode: LockMode): string {
  const b = blocks(mode);
  if (b.reads) return 'blocks reads and writes';
  if (b.writes) return 'blocks writes';
  if (b.ddl) return 'blocks schema changes, VACUUM and other maintenance';
  return 'blocks only conflicting table-level locks';
}

/** The upper-case, spaced name used in docs and messages: `AccessExclusiveLock` → `ACCESS EXCLUSIVE`. */
export function modeLabel(mode: LockMode): string {
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

export interface RelationLock {
  /** As written in the SQL (schema-qualified when the SQL qualifies it). */
  relation: string;
  /** Comparison key (`public.` implied). */
  key: string;
  mode: LockMode;
}

export interface StatementEffect {
  locks: RelationLock[];
  /** Relations whose data files are rewritten (new relfilenode). */
  rewrites: string[];
  /** Relations read in full while the lock is held (validation, index build, NOT NULL check). */
  scans: string[];
  /** True when the statement cannot run inside a transaction block (CONCURRENTLY, VACUUM, …). */
  nonTransactional: boolean;
  /** Qualifications the model could not settle statically, for hover ("rewrite depends on the old type"). */
  notes: string[];
}

export interface LockModelOptions {
  postgresVersion: number;
}

class EffectBuilder {
  readonly effect: StatementEffect = { locks: [], rewrites: [], scans: [], nonTransactional: false, notes: [] };

  lock(rv: RangeVar | undefined, mode: LockMode): void {
    if (!rv?.relname) return;
    this.lockNamed(relationName(rv), relationKey(rv), mode);
  }

  lockNamed(relation: string, key: string, mode: LockMode): void {
    const existing = this.effect.locks.find((l) => l.key === key);
    if (!existing) this.effect.locks.push({ relation, key, mode });
    else if (strength(mode) > strength(existing.mode)) existing.mode = mode;
  }

  rewrite(rv: RangeVar | undefined): void {
    const name = relationName(rv);
    if (rv?.relname && !this.effect.rewrites.includes(name)) this.effect.rewrites.push(name);
  }

  scan(rv: RangeVar | undefined): void {
    const name = relationName(rv);
    if (rv?.relname && !this.effect.scans.includes(name)) this.effect.scans.push(name);
  }
}

/** Types whose values a change to `text` / unbounded `varchar` can reuse without a rewrite (binary coercible). */
const TEXTUAL = new Set(['text', 'varchar', 'bpchar', 'char', 'citext']);

function typeName(col: { typeName?: { names?: Node[]; typmods?: Node[] } } | undefined): { name: string; hasMods: boolean } {
  const names = strings(col?.typeName?.names);
  return { name: (names[names.length - 1] ?? '').toLowerCase(), hasMods: (col?.typeName?.typmods?.length ?? 0) > 0 };
}

const SERIAL = new Set(['serial', 'serial4', 'serial8', 'bigserial', 'smallserial', 'serial2']);

/** Lock level of one ALTER TABLE sub-command (tablecmds.c AlterTableGetLockLevel). */
function alterTableCommand(b: EffectBuilder, rel: RangeVar, cmd: AlterTableCmd, opts: LockModelOptions): void {
  const sub = cmd.subtype;
  switch (sub) {
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
      b.lock(rel, 'ShareUpdateExclusiveLock');
      return;
    case 'AT_ValidateConstraint':
      b.lock(rel, 'ShareUpdateExclusiveLock');
      b.scan(rel);
      return;
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions': {
      // fillfactor, autovacuum_*, toast.* and parallel_workers take SHARE UPDATE EXCLUSIVE; others ACCESS EXCLUSIVE.
      const names = ((cmd.def as { List?: { items?: Node[] } })?.List?.items ?? []).map(
        (n) => as<{ defname?: string; defnamespace?: string }>(n, 'DefElem'),
      );
      const light = names.every((d) => d && (d.defnamespace === 'toast' || /^(fillfactor|autovacuum_|parallel_workers|toast_tuple_target|vacuum_)/.test(d.defname ?? '')));
      b.lock(rel, light ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      return;
    }
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      b.lock(rel, 'ShareRowExclusiveLock');
      return;
    case 'AT_AttachPartition': {
      const part = as<{ name?: RangeVar }>(cmd.def, 'PartitionCmd');
      b.lock(rel, opts.postgresVersion >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      b.lock(part?.name, 'AccessExclusiveLock');
      b.scan(part?.name);
      return;
    }
    case 'AT_DetachPartition': {
      const part = as<{ name?: RangeVar; concurrent?: boolean }>(cmd.def, 'PartitionCmd');
      if (part?.concurrent) {
        b.effect.nonTransactional = true;
        b.lock(rel, 'ShareUpdateExclusiveLock');
        b.lock(part?.name, 'ShareUpdateExclusiveLock');
      } else {
        b.lock(rel, 'AccessExclusiveLock');
        b.lock(part?.name, 'AccessExclusiveLock');
      }
      return;
    }
    case 'AT_AddConstraint': {
      const con = as<Constraint>(cmd.def, 'Constraint');
      addConstraint(b, rel, con);
      return;
    }
    case 'AT_AddColumn': {
      b.lock(rel, 'AccessExclusiveLock');
      const col = as<ColumnDef>(cmd.def, 'ColumnDef');
      const cons = columnConstraints(col);
      const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const { name } = typeName(col as never);
      const rewrites =
        SERIAL.has(name) ||
        // A VIRTUAL generated column (PostgreSQL 18) is computed on read: no rewrite.
        cons.some((c) => c.contype === 'CONSTR_IDENTITY' || (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')) ||
        (def !== undefined && (opts.postgresVersion < 11 || isVolatile(def.raw_expr)));
      if (rewrites) b.rewrite(rel);
      for (const c of cons) if (c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK') addConstraint(b, rel, c);
      if (cons.some((c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE')) b.scan(rel);
      return;
    }
    case 'AT_SetNotNull':
      b.lock(rel, 'AccessExclusiveLock');
      b.scan(rel);
      b.effect.notes.push('On PostgreSQL 12+ the scan is skipped when a validated CHECK (col IS NOT NULL) exists.');
      return;
    case 'AT_AlterColumnType': {
      b.lock(rel, 'AccessExclusiveLock');
      const col = as<ColumnDef>(cmd.def, 'ColumnDef');
      const { name, hasMods } = typeName(col as never);
      if (TEXTUAL.has(name) && !(name === 'bpchar' || name === 'char')) {
        b.effect.notes.push(
          `No rewrite when the old type is binary-coercible to ${name}${hasMods ? ' with this length' : ''} (e.g. varchar(n) → ${hasMods ? 'a longer varchar' : name}); otherwise the table and its indexes are rewritten.`,
        );
      } else {
        b.rewrite(rel);
      }
      return;
    }
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
    case 'AT_SetTableSpace':
    case 'AT_SetAccessMethod':
      b.lock(rel, 'AccessExclusiveLock');
      b.rewrite(rel);
      return;
    case 'AT_AddInherit':
    case 'AT_DropInherit':
      b.lock(rel, 'AccessExclusiveLock');
      b.lock(as<RangeVar>(cmd.def, 'RangeVar'), 'ShareUpdateExclusiveLock');
      return;
    default:
      b.lock(rel, 'AccessExclusiveLock');
  }
}

function addConstraint(b: EffectBuilder, rel: RangeVar, con: Constraint | undefined): void {
  if (!con) return;
  switch (con.contype) {
    case 'CONSTR_FOREIGN':
      b.lock(rel, 'ShareRowExclusiveLock');
      b.lock(con.pktable, 'ShareRowExclusiveLock');
      if (!con.skip_validation) {
        b.scan(rel);
      }
      return;
    case 'CONSTR_CHECK':
      b.lock(rel, 'AccessExclusiveLock');
      if (!con.skip_validation) b.scan(rel);
      return;
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION':
      b.lock(rel, 'AccessExclusiveLock');
      if (!con.indexname) b.scan(rel); // USING INDEX reuses a built index
      return;
    default:
      b.lock(rel, 'AccessExclusiveLock');
  }
}

/** The effect of one parsed statement (`node` is the wrapped statement, e.g. `{ IndexStmt: … }`). */
export function statementEffect(node: Node | undefined, opts: LockModelOptions): StatementEffect {
  const b = new EffectBuilder();
  if (!node) return b.effect;
  const kind = kindOf(node);
  const inner = (node as Record<string, unknown>)[kind] as Record<string, unknown>;
  switch (kind) {
    case 'IndexStmt': {
      const s = inner as IndexStmt;
      b.lock(s.relation, s.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      b.scan(s.relation);
      if (s.concurrent) b.effect.nonTransactional = true;
      break;
    }
    case 'AlterTableStmt': {
      const s = inner as AlterTableStmt;
      if (!s.relation) break;
      for (const c of s.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        if (cmd) alterTableCommand(b, s.relation, cmd, opts);
      }
      break;
    }
    case 'RenameStmt': {
      const s = inner as { relation?: RangeVar; renameType?: string };
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12; other renames ACCESS EXCLUSIVE.
      b.lock(s.relation, s.renameType === 'OBJECT_INDEX' && opts.postgresVersion >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      break;
    }
    case 'DropStmt': {
      const s = inner as { objects?: Node[]; removeType?: string; concurrent?: boolean };
      const relationTypes = ['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE'];
      if (relationTypes.includes(s.removeType ?? '')) {
        for (const o of s.objects ?? []) {
          const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
          if (n) b.lockNamed(n.name, n.key, s.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
        }
        if (s.concurrent) b.effect.nonTransactional = true;
        if (s.removeType === 'OBJECT_INDEX') b.effect.notes.push('DROP INDEX also locks the index\'s table in the same mode.');
      } else if (s.removeType === 'OBJECT_TRIGGER' || s.removeType === 'OBJECT_POLICY' || s.removeType === 'OBJECT_RULE') {
        // DROP TRIGGER name ON table: objects = [[table…, name]]
        for (const o of s.objects ?? []) {
          const items = as<{ items?: Node[] }>(o, 'List')?.items ?? [];
          const n = nameListKey(items.slice(0, -1));
          if (n) b.lockNamed(n.name, n.key, 'AccessExclusiveLock');
        }
      }
      break;
    }
    case 'CreateTrigStmt': {
      const s = inner as { relation?: RangeVar };
      b.lock(s.relation, 'ShareRowExclusiveLock');
      break;
    }
    case 'CreateStmt': {
      const s = inner as { tableElts?: Node[]; inhRelations?: Node[]; partbound?: unknown };
      for (const e of s.tableElts ?? []) {
        const con = as<Constraint>(e, 'Constraint');
        if (con?.contype === 'CONSTR_FOREIGN') b.lock(con.pktable, 'ShareRowExclusiveLock');
        for (const c of columnConstraints(as<ColumnDef>(e, 'ColumnDef'))) {
          if (c.contype === 'CONSTR_FOREIGN') b.lock(c.pktable, 'ShareRowExclusiveLock');
        }
      }
      for (const p of s.inhRelations ?? []) {
        b.lock(as<RangeVar>(p, 'RangeVar'), s.partbound ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
      }
      break;
    }
    case 'TruncateStmt': {
      for (const r of (inner as { relations?: Node[] }).relations ?? []) {
        const rv = as<RangeVar>(r, 'RangeVar');
        b.lock(rv, 'AccessExclusiveLock');
        b.rewrite(rv);
      }
      break;
    }
    case 'VacuumStmt': {
      const s = inner as { options?: Node[]; rels?: Node[]; is_vacuumcmd?: boolean };
      const full = (s.options ?? []).some((o) => as<{ defname?: string }>(o, 'DefElem')?.defname === 'full');
      for (const r of s.rels ?? []) {
        const rv = as<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation;
        b.lock(rv, full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
        if (full) b.rewrite(rv);
      }
      if (s.is_vacuumcmd) b.effect.nonTransactional = true;
      break;
    }
    case 'ClusterStmt': {
      const rv = (inner as { relation?: RangeVar }).relation;
      b.lock(rv, 'AccessExclusiveLock');
      b.rewrite(rv);
      break;
    }
    case 'ReindexStmt': {
      const s = inner as { kind?: string; relation?: RangeVar; params?: Node[] };
      const concurrent = (s.params ?? []).some((o) => as<{ defname?: string }>(o, 'DefElem')?.defname === 'concurrently');
      if (concurrent) {
        b.effect.nonTransactional = true;
        b.lock(s.relation, 'ShareUpdateExclusiveLock');
      } else {
        b.lock(s.relation, s.kind === 'REINDEX_OBJECT_INDEX' ? 'AccessExclusiveLock' : 'ShareLock');
        if (s.kind === 'REINDEX_OBJECT_INDEX') b.effect.notes.push('REINDEX INDEX also takes a SHARE lock on the index\'s table.');
      }
      b.rewrite(s.relation);
      break;
    }
    case 'RefreshMatViewStmt': {
      const s = inner as { concurrent?: boolean; relation?: RangeVar };
      b.lock(s.relation, s.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
      if (!s.concurrent) b.rewrite(s.relation);
      break;
    }
    case 'LockStmt': {
      const s = inner as { relations?: Node[]; mode?: number };
      const mode = LOCK_MODES[(s.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
      for (const r of s.relations ?? []) b.lock(as<RangeVar>(r, 'RangeVar'), mode);
      break;
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      b.lock((inner as { relation?: RangeVar }).relation, 'RowExclusiveLock');
      break;
    }
    case 'CommentStmt': {
      const s = inner as { objtype?: string; object?: Node };
      if (s.objtype === 'OBJECT_TABLE' || s.objtype === 'OBJECT_COLUMN') {
        const items = as<{ items?: Node[] }>(s.object, 'List')?.items ?? [];
        const n = nameListKey(s.objtype === 'OBJECT_COLUMN' ? items.slice(0, -1) : items);
        if (n) b.lockNamed(n.name, n.key, 'ShareUpdateExclusiveLock');
      }
      break;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      b.lock((inner as { table?: RangeVar }).table, 'AccessExclusiveLock');
      break;
    }
    default:
      break;
  }
  return b.effect;
}
