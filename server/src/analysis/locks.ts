/**
 * The lock model: for a parsed statement, the lock mode it takes on each relation, and whether it rewrites or scans
 * them. Sources: PostgreSQL docs "Explicit Locking" (13.3) and the reference pages of each command, and
 * AlterTableGetLockLevel() in src/backend/commands/tablecmds.c. Mode names are spelled as in pg_locks.
 *
 * Every claim here is asserted by the oracle test (test/pg/oracle.test.ts), which runs each statement on a real
 * PostgreSQL 15 against a fixture schema and compares with pg_locks, relfilenodes and scan counters. What the model
 * reports, per relation, is the STRONGEST mode PostgreSQL holds on it at the end of the statement (weaker modes taken
 * on the way, such as the ACCESS SHARE of a validation query next to the ALTER's lock, are implied).
 *
 * What the model cannot know (it sees one statement, not the catalog) is left out of `locks`/`rewrites`/`scans` and,
 * where it matters, said in `notes`: the table of an index named by DROP/REINDEX INDEX, the partitions of a partitioned
 * table, the base tables of a view, the tables referencing or referenced by a foreign key that is dropped or changes
 * type, the objects a CASCADE drops, the old type of a column whose type changes. The oracle lists these per
 * statement as "unreported" effects (asserted to happen, with the reason the model cannot see them).
 * Where the outcome depends on such state (ALTER COLUMN TYPE, SET LOGGED, SET TABLESPACE, SET NOT NULL, ATTACH
 * PARTITION), the model reports the common case and a note says when PostgreSQL does otherwise.
 * DROP INDEX CONCURRENTLY and REINDEX … CONCURRENTLY end with an ACCESS EXCLUSIVE lock on the old index after it is
 * invisible to every session; that lock blocks nobody and is not reported (a note says so).
 *
 * Version differences (PostgreSQL 10–18; the oracle runs 15, so the other side of each difference is from the docs and
 * the source, not from a run):
 *  - ADD COLUMN … DEFAULT: before 11 any non-NULL default rewrites the table; from 11 only a volatile one does
 *    (release notes 11, "Allow ALTER TABLE to add a column with a non-null default without doing a table rewrite").
 *  - SET NOT NULL: from 12 the scan is skipped when a valid CHECK (col IS NOT NULL) proves it (release notes 12).
 *  - ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent from 12, ACCESS EXCLUSIVE before (release notes 12).
 *  - ALTER INDEX … RENAME: SHARE UPDATE EXCLUSIVE from 12, ACCESS EXCLUSIVE before (release notes 12; RenameRelation).
 *  - REINDEX … CONCURRENTLY: 12+. DETACH PARTITION … CONCURRENTLY: 14+. SET COMPRESSION: 14+. SET ACCESS METHOD: 15+.
 *  - ALTER TYPE … ADD VALUE cannot run inside a transaction block before 12 (release notes 12).
 *  - timestamp → timestamptz does not rewrite from 12 when the session TimeZone is UTC (release notes 12).
 *  - ALTER INDEX … ATTACH PARTITION (11+): the parent index gets SHARE UPDATE EXCLUSIVE from 12, ACCESS EXCLUSIVE in 11.
 *  - LOCK TABLE on a view also locks the tables it uses: 11+ (release notes 11).
 *  - GENERATED … STORED (rewrites): 12+. DROP EXPRESSION: 13+. CREATE OR REPLACE TRIGGER: 14+. MERGE: 15+.
 *  - SET EXPRESSION (rewrites): 17+. Virtual generated columns (no rewrite, the default kind): 18+.
 *    ADD CONSTRAINT … NOT NULL [NOT VALID]: 18+.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, IndexStmt, Node, RangeVar } from '@pgsql/types';
import { as, columnConstraints, kindOf, nameListKey, relationKey, relationName, strings } from './ast';

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
  /** The strongest lock the statement holds on each relation it names (or that the SQL names indirectly, e.g. nextval('seq')). */
  locks: RelationLock[];
  /**
   * Relations whose data files are rewritten (new relfilenode). A table's entry includes its indexes; an index's entry
   * (REINDEX INDEX, ALTER INDEX … SET TABLESPACE) is that index only; a partitioned table's entry means its partitions.
   */
  rewrites: string[];
  /**
   * Relations read in full while the lock is held by DDL: constraint validation, index builds, NOT NULL checks,
   * partition-bound checks. A rewrite reads the table too; that read is implied by `rewrites` and not repeated here.
   * The rows a query (SELECT, DML, CREATE TABLE AS, REFRESH) reads are the planner's business and not listed.
   */
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
    if (rv?.relname) this.rewriteNamed(relationName(rv));
  }

  rewriteNamed(name: string): void {
    if (!this.effect.rewrites.includes(name)) this.effect.rewrites.push(name);
  }

  scan(rv: RangeVar | undefined): void {
    if (rv?.relname) this.scanNamed(relationName(rv));
  }

  scanNamed(name: string): void {
    if (!this.effect.scans.includes(name)) this.effect.scans.push(name);
  }

  note(text: string): void {
    if (!this.effect.notes.includes(text)) this.effect.notes.push(text);
  }

  /** Scans implied by a rewrite of the same relation are dropped (see `StatementEffect.scans`). */
  finish(): StatementEffect {
    this.effect.scans = this.effect.scans.filter((s) => !this.effect.rewrites.includes(s));
    return this.effect;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Expressions

/**
 * Built-in functions (pg_catalog) whose every overload is IMMUTABLE or STABLE, that show up in column defaults.
 * The oracle checks each name against pg_proc.provolatile. A default calling anything else (user functions are
 * VOLATILE unless declared otherwise; random(), gen_random_uuid(), clock_timestamp(), nextval() are volatile) is
 * treated as volatile: it is computed per row, so ADD COLUMN rewrites the table.
 * Function-like SQL syntax that is not a function call (CURRENT_DATE, CURRENT_TIMESTAMP, COALESCE, NULLIF, GREATEST,
 * LEAST, CAST) is never volatile by itself.
 */
export const NON_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'lower', 'upper', 'btrim', 'ltrim', 'rtrim', 'length',
  'char_length', 'abs', 'round', 'trunc', 'floor', 'ceil', 'concat', 'concat_ws', 'to_char', 'to_timestamp', 'to_date',
  'to_number', 'make_interval', 'make_date', 'make_timestamp', 'make_timestamptz', 'jsonb_build_object',
  'json_build_object', 'jsonb_build_array', 'json_build_array', 'array_length', 'current_setting', 'current_schema',
  'timezone', 'date_trunc', 'date_part', 'extract', 'md5', 'sha256', 'replace', 'substring', 'substr', 'left', 'right',
  'repeat', 'lpad', 'rpad', 'format', 'int4', 'int8', 'text', 'numeric', 'array_to_json', 'to_jsonb', 'to_json',
  'array_fill', 'encode', 'decode', 'age', 'split_part', 'regexp_replace', 'string_to_array', 'array_to_string',
]);

/** True when a default must be computed per row (so ADD COLUMN rewrites on PostgreSQL 11+). */
export function isVolatileDefault(expr: unknown): boolean {
  let volatile = false;
  visit(expr, (kind, value) => {
    if (kind === 'FuncCall') {
      const name = strings((value as { funcname?: Node[] }).funcname).pop()?.toLowerCase() ?? '';
      if (!NON_VOLATILE_FUNCTIONS.has(name)) volatile = true;
    } else if (kind === 'SubLink') {
      volatile = true;
    }
    return true;
  });
  return volatile;
}

/** Visits wrapped nodes depth first; `visitor` returns false to skip a node's children. */
function visit(node: unknown, visitor: (kind: string, value: Record<string, unknown>) => boolean, skipKeys?: ReadonlySet<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, visitor, skipKeys);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (skipKeys?.has(k) || !v || typeof v !== 'object') continue;
    if (/^[A-Z]/.test(k) && !Array.isArray(v)) {
      if (visitor(k, v as Record<string, unknown>)) visit(v, visitor, skipKeys);
    } else {
      visit(v, visitor, skipKeys);
    }
  }
}

/** A qualified name written as a string literal (`'app.seq'`, `'"My Seq"'`), folded like an identifier. */
function parseQualifiedLiteral(s: string): { relation: string; key: string } | undefined {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(?:\.|$)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < s.length && (m = re.exec(s))) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
    at = re.lastIndex;
  }
  if (at !== s.length || parts.length === 0 || parts.length > 3) return undefined;
  const name = parts[parts.length - 1];
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return { relation: schema ? `${schema}.${name}` : name, key: `${schema ?? 'public'}.${name}` };
}

/** The string literal of `'x'` or `'x'::regclass`. */
function literalArg(n: Node | undefined): string | undefined {
  const cast = as<{ arg?: Node }>(n, 'TypeCast');
  const c = as<{ sval?: { sval?: string } }>(cast ? cast.arg : n, 'A_Const');
  return c?.sval?.sval;
}

/** Sequence functions that open the sequence with ROW EXCLUSIVE (sequence.c, lock_and_open_sequence). */
const SEQUENCE_FUNCTIONS = new Set(['nextval', 'setval', 'currval']);

/** ROW EXCLUSIVE on each sequence named by a literal in nextval()/setval()/currval() that is evaluated. */
function lockSequenceCalls(b: EffectBuilder, expr: unknown): void {
  visit(expr, (kind, value) => {
    if (kind === 'FuncCall') {
      const names = strings((value as { funcname?: Node[] }).funcname);
      const fn = names[names.length - 1]?.toLowerCase() ?? '';
      const lit = SEQUENCE_FUNCTIONS.has(fn) && (names.length === 1 || names[0] === 'pg_catalog') ? literalArg((value as { args?: Node[] }).args?.[0]) : undefined;
      const seq = lit !== undefined ? parseQualifiedLiteral(lit) : undefined;
      if (seq) b.lockNamed(seq.relation, seq.key, 'RowExclusiveLock');
    }
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Queries

/** Keys whose subtrees name no relation read by the query (aliases in FOR UPDATE OF, the target of SELECT INTO). */
const NOT_READ = new Set(['lockingClause', 'intoClause', 'into']);

/** CTE names defined anywhere in the statement (an unqualified reference to one is not a table). */
function cteNames(node: unknown): Set<string> {
  const names = new Set<string>();
  visit(node, (kind, value) => {
    if (kind === 'CommonTableExpr' && typeof value.ctename === 'string') names.add(value.ctename);
    return true;
  });
  return names;
}

/** The relations of one query level's FROM list (joins and FROM sub-selects included), for FOR UPDATE/SHARE. */
function fromLevel(items: Node[] | undefined, out: RangeVar[] = []): RangeVar[] {
  for (const item of items ?? []) {
    const rv = as<RangeVar>(item, 'RangeVar');
    if (rv) out.push(rv);
    const join = as<{ larg?: Node; rarg?: Node }>(item, 'JoinExpr');
    if (join) fromLevel([join.larg, join.rarg].filter((n): n is Node => !!n), out);
    const sub = as<{ subquery?: Node }>(item, 'RangeSubselect');
    const subSelect = as<{ fromClause?: Node[] }>(sub?.subquery, 'SelectStmt');
    if (subSelect) fromLevel(subSelect.fromClause, out);
  }
  return out;
}

/**
 * Locks taken by parse analysis and execution of a query (SELECT, INSERT, UPDATE, DELETE, MERGE, and the queries of
 * CREATE TABLE AS / CREATE VIEW): ROW EXCLUSIVE on each DML target, ROW SHARE on FOR UPDATE/SHARE targets, ACCESS
 * SHARE on every other relation named (docs 13.3.1). `execute`: the query runs, so sequence functions lock their
 * sequence. A view's base tables, partitions and inheritance children are locked too but are not in the SQL.
 */
function queryLocks(b: EffectBuilder, query: unknown, execute: boolean): void {
  const ctes = cteNames(query);
  visit(
    query,
    (kind, value) => {
      if (kind === 'RangeVar') {
        const rv = value as RangeVar;
        if (!(rv.schemaname === undefined && rv.relname && ctes.has(rv.relname))) b.lock(rv, 'AccessShareLock');
      } else if (kind === 'InsertStmt' || kind === 'UpdateStmt' || kind === 'DeleteStmt' || kind === 'MergeStmt') {
        b.lock((value as { relation?: RangeVar }).relation, 'RowExclusiveLock');
      } else if (kind === 'SelectStmt') {
        const s = value as { lockingClause?: Node[]; fromClause?: Node[] };
        for (const lc of s.lockingClause ?? []) {
          const clause = as<{ lockedRels?: Node[] }>(lc, 'LockingClause');
          const level = fromLevel(s.fromClause).filter((rv) => !(rv.schemaname === undefined && rv.relname && ctes.has(rv.relname)));
          const named = (clause?.lockedRels ?? []).map((n) => as<RangeVar>(n, 'RangeVar')?.relname);
          for (const rv of level) {
            const alias = (rv as { alias?: { aliasname?: string } }).alias?.aliasname ?? rv.relname;
            if (named.length === 0 || named.includes(alias)) b.lock(rv, 'RowShareLock');
          }
        }
      }
      return true;
    },
    NOT_READ,
  );
  if (execute) lockSequenceCalls(b, query);
}

// ---------------------------------------------------------------------------------------------------------------------
// ALTER TABLE

function typeOf(col: { typeName?: { names?: Node[]; typmods?: Node[] } } | undefined): { name: string; mods: number[] } {
  const names = strings(col?.typeName?.names);
  const mods = (col?.typeName?.typmods ?? []).map((m) => Number(as<{ ival?: { ival?: number } }>(m, 'A_Const')?.ival?.ival ?? 0));
  return { name: (names[names.length - 1] ?? '').toLowerCase(), mods };
}

/** Built-in type names the parser leaves unqualified (SQL-standard names come back as pg_catalog.int4, …). */
const BUILTIN_TYPES = new Set([
  'text', 'uuid', 'json', 'jsonb', 'date', 'timestamptz', 'timetz', 'bytea', 'inet', 'cidr', 'macaddr', 'money', 'xml',
  'tsvector', 'tsquery', 'point', 'line', 'box', 'circle', 'polygon', 'path', 'lseg', 'int4range', 'int8range',
  'numrange', 'tsrange', 'tstzrange', 'daterange', 'regclass', 'oid', 'name', 'citext', 'hstore',
]);

function isBuiltinType(col: { typeName?: { names?: Node[] } } | undefined): boolean {
  const names = strings(col?.typeName?.names);
  return names[0] === 'pg_catalog' || (names.length === 1 && BUILTIN_TYPES.has(names[0].toLowerCase())) || SERIAL.has(names[names.length - 1] ?? '');
}

const SERIAL = new Set(['serial', 'serial4', 'serial8', 'bigserial', 'smallserial', 'serial2']);

/** A DEFAULT clause that is not `DEFAULT NULL` (PostgreSQL stores no default for a NULL constant). */
function realDefault(c: Constraint | undefined): boolean {
  return !!c && !as<{ isnull?: boolean }>(c.raw_expr, 'A_Const')?.isnull;
}

/**
 * ALTER COLUMN … TYPE. Whether PostgreSQL rewrites depends on the old type, which the model does not see
 * (ATColumnChangeRequiresRewrite: no rewrite when the conversion is a binary-coercible relabel, e.g. varchar(n) →
 * varchar(m ≥ n) / text / unbounded varchar, numeric(p,s) → numeric(q ≥ p, s) / numeric, or the same type; from 12
 * timestamp → timestamptz when TimeZone is UTC). The model decides by the target type alone:
 *  - text, unbounded varchar, varchar(n): no rewrite, assuming the usual source (a varchar or text, widened);
 *  - every other target (including numeric and timestamptz): rewrite, with a note on the no-rewrite cases.
 * A rewrite rebuilds every index of the table; without one, the indexes on the column are kept.
 */
function alterColumnType(b: EffectBuilder, rel: RangeVar, cmd: AlterTableCmd, opts: LockModelOptions): void {
  const col = as<ColumnDef>(cmd.def, 'ColumnDef');
  const { name, mods } = typeOf(col as never);
  const using = col?.raw_default;
  const plainUsing = !using || (as<{ fields?: Node[] }>(using, 'ColumnRef')?.fields?.length === 1);
  const target = `${name}${mods.length ? `(${mods.join(',')})` : ''}`;
  if (plainUsing && (name === 'text' || name === 'varchar')) {
    b.note(
      name === 'varchar' && mods.length
        ? `No rewrite assumed: a varchar of at most ${mods[0]} characters is binary-coercible to ${target}, so the data is kept. From text, an unbounded or a longer varchar, or any other type, PostgreSQL rewrites ${relationName(rel)} and its indexes (and a new collation rebuilds the indexes on the column).`
        : `No rewrite assumed: a varchar or text column is binary-coercible to ${target}, so the data is kept. From char(n) or any non-text type PostgreSQL rewrites ${relationName(rel)} and its indexes (and a new collation rebuilds the indexes on the column).`,
    );
    return;
  }
  b.rewrite(rel);
  if (name === 'numeric') {
    b.note('No rewrite in fact when the column is already numeric with the same scale and a precision no larger (or the target is unconstrained numeric).');
  } else if (name === 'timestamptz' && opts.postgresVersion >= 12) {
    b.note('No rewrite in fact when the column is timestamp and the session TimeZone is UTC (PostgreSQL 12+).');
  } else if (plainUsing) {
    b.note(`No rewrite in fact when the column already has type ${target} or one binary-coercible to it.`);
  }
}

/** Storage parameters whose change takes SHARE UPDATE EXCLUSIVE (reloptions.c lockmode per option); others ACCESS EXCLUSIVE. */
const LIGHT_RELOPTION = /^(fillfactor|autovacuum_.*|log_autovacuum_min_duration|parallel_workers|toast_tuple_target|vacuum_index_cleanup|vacuum_truncate|n_distinct|n_distinct_inherited|deduplicate_items)$/;

const DROP_FK_NOTE = 'If it is part of a foreign key, the referenced table is locked ACCESS EXCLUSIVE as well (the key\'s triggers on it are dropped).';

/** Lock level and effects of one ALTER TABLE sub-command (tablecmds.c AlterTableGetLockLevel and ATRewriteTables). */
function alterTableCommand(b: EffectBuilder, rel: RangeVar, cmd: AlterTableCmd, objtype: string | undefined, opts: LockModelOptions): void {
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
      b.note('Validating a foreign key also takes ROW SHARE on the referenced table and reads it. An already valid constraint is not checked again.');
      return;
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions': {
      const defs = ((cmd.def as { List?: { items?: Node[] } })?.List?.items ?? []).map((n) => as<{ defname?: string }>(n, 'DefElem'));
      const light = defs.every((d) => d && LIGHT_RELOPTION.test(d.defname ?? ''));
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
      if (objtype === 'OBJECT_INDEX') {
        // ALTER INDEX parent ATTACH PARTITION child (11+; ATExecAttachPartitionIdx): the parent index gets the ALTER's
        // lock, the partition's index ACCESS EXCLUSIVE, both tables ACCESS SHARE.
        b.lock(rel, opts.postgresVersion >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
        b.lock(part?.name, 'AccessExclusiveLock');
        b.note('Also locks the two indexes\' tables ACCESS SHARE.');
        return;
      }
      b.lock(rel, opts.postgresVersion >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      b.lock(part?.name, 'AccessExclusiveLock');
      b.scan(part?.name);
      b.note(
        'The partition is read to check its rows against the bound, unless a valid CHECK constraint implies the bound; missing indexes of the partitioned table are built on it. ' +
          'If the partitioned table has a DEFAULT partition, that partition is locked ACCESS EXCLUSIVE and read too.',
      );
      return;
    }
    case 'AT_DetachPartition': {
      const part = as<{ name?: RangeVar; concurrent?: boolean }>(cmd.def, 'PartitionCmd');
      if (part?.concurrent) {
        // Two transactions (14+): SHARE UPDATE EXCLUSIVE on both, then, after waiting for every transaction using the
        // partitioned table, SHARE UPDATE EXCLUSIVE on the parent and ACCESS EXCLUSIVE on the partition (docs, ALTER TABLE).
        b.effect.nonTransactional = true;
        b.lock(rel, 'ShareUpdateExclusiveLock');
        b.lock(part?.name, 'AccessExclusiveLock');
        b.note('The detached partition keeps a CHECK constraint equal to its old partition bound.');
        if (opts.postgresVersion < 14) b.note('DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14.');
      } else {
        b.lock(rel, 'AccessExclusiveLock');
        b.lock(part?.name, 'AccessExclusiveLock');
        b.note('If the partitioned table has a DEFAULT partition, it is locked ACCESS EXCLUSIVE too.');
      }
      return;
    }
    case 'AT_DetachPartitionFinalize': {
      const part = as<{ name?: RangeVar }>(cmd.def, 'PartitionCmd');
      b.effect.nonTransactional = true;
      b.lock(rel, 'ShareUpdateExclusiveLock');
      b.lock(part?.name, 'AccessExclusiveLock');
      return;
    }
    case 'AT_AddConstraint':
      addConstraint(b, rel, as<Constraint>(cmd.def, 'Constraint'), opts);
      return;
    case 'AT_AddColumn':
    case 'AT_AddColumnToView':
      addColumn(b, rel, as<ColumnDef>(cmd.def, 'ColumnDef'), opts);
      return;
    case 'AT_DropColumn':
      b.lock(rel, 'AccessExclusiveLock');
      b.note(DROP_FK_NOTE);
      return;
    case 'AT_DropConstraint':
      b.lock(rel, 'AccessExclusiveLock');
      b.note('Dropping a foreign key also locks the referenced table ACCESS EXCLUSIVE; CASCADE also drops the foreign keys referencing a dropped key (ACCESS EXCLUSIVE on their tables).');
      return;
    case 'AT_SetNotNull':
      b.lock(rel, 'AccessExclusiveLock');
      b.scan(rel);
      b.note(
        opts.postgresVersion >= 12
          ? 'No scan when the column is already NOT NULL or a valid CHECK (col IS NOT NULL) constraint proves it (PostgreSQL 12+).'
          : 'No scan when the column is already NOT NULL.',
      );
      return;
    case 'AT_AlterColumnType':
      b.lock(rel, 'AccessExclusiveLock');
      alterColumnType(b, rel, cmd, opts);
      b.note('If the column is part of a foreign key, the other table of the key is locked ACCESS EXCLUSIVE too and the key is checked again (both tables are read).');
      return;
    case 'AT_SetExpression': // 17+: recomputes the stored column
      b.lock(rel, 'AccessExclusiveLock');
      b.rewrite(rel);
      return;
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
      b.lock(rel, 'AccessExclusiveLock');
      b.rewrite(rel);
      b.note(`No rewrite when the table is already ${sub === 'AT_SetLogged' ? 'logged' : 'unlogged'}.`);
      return;
    case 'AT_SetTableSpace':
      b.lock(rel, 'AccessExclusiveLock');
      b.rewrite(rel);
      b.note('No copy when the relation is already in that tablespace.');
      return;
    case 'AT_SetAccessMethod': // 15+
      b.lock(rel, 'AccessExclusiveLock');
      b.rewrite(rel);
      b.note('No rewrite when the table already uses that access method.');
      return;
    case 'AT_AddInherit':
      b.lock(rel, 'AccessExclusiveLock');
      b.lock(as<RangeVar>(cmd.def, 'RangeVar'), 'ShareUpdateExclusiveLock');
      return;
    case 'AT_DropInherit':
      // ATExecDropInherit opens the parent with ACCESS SHARE (ACCESS EXCLUSIVE is only for partitions, via DETACH).
      b.lock(rel, 'AccessExclusiveLock');
      b.lock(as<RangeVar>(cmd.def, 'RangeVar'), 'AccessShareLock');
      return;
    default:
      // ADD/DROP/SET DEFAULT, DROP NOT NULL, SET STORAGE, SET COMPRESSION, identity, DROP EXPRESSION, ALTER CONSTRAINT,
      // REPLICA IDENTITY, ROW LEVEL SECURITY, OWNER TO, rules, OF, OPTIONS, …: ACCESS EXCLUSIVE.
      b.lock(rel, 'AccessExclusiveLock');
  }
}

function addColumn(b: EffectBuilder, rel: RangeVar, col: ColumnDef | undefined, opts: LockModelOptions): void {
  b.lock(rel, 'AccessExclusiveLock');
  const cons = columnConstraints(col);
  const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
  const hasDefault = realDefault(def);
  const { name } = typeOf(col as never);
  const generated = cons.find((c) => c.contype === 'CONSTR_GENERATED');
  // GENERATED … STORED is computed for every row (12+). A VIRTUAL one (18+; the kind the parser reports when STORED is
  // not written) is computed on read: no rewrite. Before 18 that form is a syntax error.
  const storedGenerated = !!generated && generated.generated_kind !== 'v';
  if (generated && !storedGenerated && opts.postgresVersion < 18) b.note('Virtual generated columns (no STORED) need PostgreSQL 18.');
  const rewrites =
    SERIAL.has(name) ||
    cons.some((c) => c.contype === 'CONSTR_IDENTITY') ||
    storedGenerated ||
    (hasDefault && (opts.postgresVersion < 11 || isVolatileDefault(def?.raw_expr)));
  if (rewrites) {
    b.rewrite(rel);
    if (hasDefault) lockSequenceCalls(b, def?.raw_expr); // the default is evaluated for every row
  } else if (!isBuiltinType(col)) {
    b.note(`If ${name} is a domain with constraints, PostgreSQL rewrites the table to check them.`);
  }
  for (const c of cons) {
    if (c.contype === 'CONSTR_CHECK') {
      if (!c.skip_validation) b.scan(rel);
    } else if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') {
      b.scan(rel); // index build
    } else if (c.contype === 'CONSTR_FOREIGN') {
      b.lock(c.pktable, 'ShareRowExclusiveLock');
      // parse_utilcmd.c transformAlterTableStmt: a new column's foreign key is not validated when the column has no
      // DEFAULT (every value is NULL); with one, both tables are read.
      if (def) {
        b.scan(rel);
        b.scan(c.pktable);
      }
    } else if (c.contype === 'CONSTR_NOTNULL' && !hasDefault && !rewrites) {
      b.scan(rel); // NOT NULL without a default: every existing row is checked (it only succeeds on an empty table)
    }
  }
}

function addConstraint(b: EffectBuilder, rel: RangeVar, con: Constraint | undefined, opts: LockModelOptions): void {
  if (!con) return;
  switch (con.contype) {
    case 'CONSTR_FOREIGN':
      // ShareRowExclusiveLock on both tables since 9.5 (AlterTableGetLockLevel; docs, ALTER TABLE ADD CONSTRAINT).
      b.lock(rel, 'ShareRowExclusiveLock');
      b.lock(con.pktable, 'ShareRowExclusiveLock');
      if (!con.skip_validation) {
        // RI_Initial_Check reads both tables (the referenced one is also locked ROW SHARE, a weaker mode).
        b.scan(rel);
        b.scan(con.pktable);
      }
      return;
    case 'CONSTR_CHECK':
      b.lock(rel, 'AccessExclusiveLock');
      if (!con.skip_validation) b.scan(rel);
      return;
    case 'CONSTR_NOTNULL': // ADD CONSTRAINT … NOT NULL col [NOT VALID], 18+
      b.lock(rel, 'AccessExclusiveLock');
      if (!con.skip_validation) b.scan(rel);
      if (opts.postgresVersion < 18) b.note('ADD CONSTRAINT … NOT NULL needs PostgreSQL 18.');
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

// ---------------------------------------------------------------------------------------------------------------------
// Statements

const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);

const CASCADE_NOTE = 'CASCADE also drops or alters the objects that depend on it: each table, view or index it touches is locked ACCESS EXCLUSIVE (not listed: the model does not see the dependencies).';

function listItems(o: Node | undefined): Node[] {
  return as<{ items?: Node[] }>(o, 'List')?.items ?? [];
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
      if (s.relation && !s.relation.inh) {
        b.note('CREATE INDEX ON ONLY builds nothing on a partitioned table (the index is invalid until each partition\'s index is attached); on a plain table ONLY is ignored and the table is read.');
      } else {
        b.scan(s.relation);
      }
      if (s.concurrent) b.effect.nonTransactional = true;
      break;
    }
    case 'AlterTableStmt': {
      const s = inner as AlterTableStmt;
      if (!s.relation) break;
      for (const c of s.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        if (cmd) alterTableCommand(b, s.relation, cmd, s.objtype, opts);
      }
      break;
    }
    case 'RenameStmt': {
      const s = inner as { relation?: RangeVar; renameType?: string };
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12; every other rename of a relation, a
      // column, a constraint, a trigger, a policy or a rule takes ACCESS EXCLUSIVE on the relation.
      b.lock(s.relation, s.renameType === 'OBJECT_INDEX' && opts.postgresVersion >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      break;
    }
    case 'AlterObjectSchemaStmt': {
      const s = inner as { relation?: RangeVar; objectType?: string };
      if (RELATION_OBJECTS.has(s.objectType ?? '')) b.lock(s.relation, 'AccessExclusiveLock');
      break;
    }
    case 'DropStmt': {
      const s = inner as { objects?: Node[]; removeType?: string; concurrent?: boolean; behavior?: string };
      if (RELATION_OBJECTS.has(s.removeType ?? '')) {
        for (const o of s.objects ?? []) {
          const n = nameListKey(listItems(o));
          if (n) b.lockNamed(n.name, n.key, s.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
        }
        if (s.concurrent) b.effect.nonTransactional = true;
        if (s.removeType === 'OBJECT_INDEX') {
          b.note(
            s.concurrent
              ? 'DROP INDEX CONCURRENTLY also locks the index\'s table SHARE UPDATE EXCLUSIVE. Its last step locks the index ACCESS EXCLUSIVE, after the index is invisible to every session (not listed: it blocks nobody).'
              : 'DROP INDEX also locks the index\'s table ACCESS EXCLUSIVE.',
          );
        } else if (s.removeType === 'OBJECT_TABLE') {
          b.note('Also locked ACCESS EXCLUSIVE: the partitioned table it is a partition of, the tables it references by foreign key, and its own partitions.');
        }
      } else if (s.removeType === 'OBJECT_TRIGGER' || s.removeType === 'OBJECT_POLICY' || s.removeType === 'OBJECT_RULE') {
        // DROP TRIGGER name ON table: objects = [[table…, name]]
        for (const o of s.objects ?? []) {
          const n = nameListKey(listItems(o).slice(0, -1));
          if (n) b.lockNamed(n.name, n.key, 'AccessExclusiveLock');
        }
      }
      if (s.behavior === 'DROP_CASCADE') b.note(CASCADE_NOTE);
      break;
    }
    case 'CreateTrigStmt': {
      b.lock((inner as { relation?: RangeVar }).relation, 'ShareRowExclusiveLock');
      break;
    }
    case 'RuleStmt': {
      b.lock((inner as { relation?: RangeVar }).relation, 'AccessExclusiveLock');
      break;
    }
    case 'CreateStatsStmt': {
      for (const r of (inner as { relations?: Node[] }).relations ?? []) b.lock(as<RangeVar>(r, 'RangeVar'), 'ShareUpdateExclusiveLock');
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
        b.lock(as<{ relation?: RangeVar }>(e, 'TableLikeClause')?.relation, 'AccessShareLock');
      }
      for (const p of s.inhRelations ?? []) {
        b.lock(as<RangeVar>(p, 'RangeVar'), s.partbound ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
      }
      if (s.partbound) b.note('If the partitioned table has a DEFAULT partition, it is locked ACCESS EXCLUSIVE and read to check that none of its rows belong to the new partition.');
      break;
    }
    case 'CreateTableAsStmt': {
      queryLocks(b, (inner as { query?: Node }).query, true);
      break;
    }
    case 'ViewStmt': {
      const s = inner as { view?: RangeVar; query?: Node; replace?: boolean };
      queryLocks(b, s.query, false);
      if (s.replace) b.lock(s.view, 'AccessExclusiveLock');
      break;
    }
    case 'SelectStmt':
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      queryLocks(b, node, true);
      break;
    }
    case 'ExplainStmt': {
      const s = inner as { query?: Node; options?: Node[] };
      const analyze = (s.options ?? []).some((o) => as<{ defname?: string }>(o, 'DefElem')?.defname === 'analyze');
      queryLocks(b, s.query, analyze);
      break;
    }
    case 'CopyStmt': {
      const s = inner as { relation?: RangeVar; query?: Node; is_from?: boolean };
      if (s.relation) b.lock(s.relation, s.is_from ? 'RowExclusiveLock' : 'AccessShareLock');
      if (s.query) queryLocks(b, s.query, true);
      break;
    }
    case 'TruncateStmt': {
      const s = inner as { relations?: Node[]; behavior?: string };
      for (const r of s.relations ?? []) {
        const rv = as<RangeVar>(r, 'RangeVar');
        b.lock(rv, 'AccessExclusiveLock');
        b.rewrite(rv);
      }
      if (s.behavior === 'DROP_CASCADE') b.note('CASCADE also truncates (ACCESS EXCLUSIVE, new files) every table referencing these by foreign key.');
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
      if (!s.rels?.length) b.note(`Without a table list, ${s.is_vacuumcmd ? 'VACUUM' : 'ANALYZE'} processes every table of the database, one at a time.`);
      if (s.is_vacuumcmd) b.effect.nonTransactional = true;
      break;
    }
    case 'ClusterStmt': {
      const rv = (inner as { relation?: RangeVar }).relation;
      b.lock(rv, 'AccessExclusiveLock');
      b.rewrite(rv);
      if (!rv) {
        b.effect.nonTransactional = true;
        b.note('CLUSTER without a table re-clusters every previously clustered table, each in its own transaction.');
      }
      break;
    }
    case 'ReindexStmt': {
      const s = inner as { kind?: string; relation?: RangeVar; params?: Node[] };
      const concurrent = (s.params ?? []).some((o) => as<{ defname?: string }>(o, 'DefElem')?.defname === 'concurrently');
      const onIndex = s.kind === 'REINDEX_OBJECT_INDEX';
      if (!s.relation) {
        // REINDEX SCHEMA / DATABASE / SYSTEM: every table, one transaction each.
        b.effect.nonTransactional = true;
        b.note('Reindexes every table of the schema or database, one at a time.');
        break;
      }
      if (concurrent) {
        b.effect.nonTransactional = true;
        b.lock(s.relation, 'ShareUpdateExclusiveLock');
        b.note(
          `${onIndex ? 'Also locks the index\'s table SHARE UPDATE EXCLUSIVE. ' : ''}Each old index is finally locked ACCESS EXCLUSIVE and dropped after it is invisible to every session (not listed: it blocks nobody).`,
        );
        if (opts.postgresVersion < 12) b.note('REINDEX … CONCURRENTLY needs PostgreSQL 12.');
      } else {
        b.lock(s.relation, onIndex ? 'AccessExclusiveLock' : 'ShareLock');
        if (onIndex) b.note('REINDEX INDEX also locks the index\'s table SHARE and reads it.');
        else b.note('REINDEX TABLE of a partitioned table cannot run inside a transaction block (it reindexes each partition in its own transaction).');
      }
      b.rewrite(s.relation);
      break;
    }
    case 'RefreshMatViewStmt': {
      const s = inner as { concurrent?: boolean; relation?: RangeVar };
      b.lock(s.relation, s.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
      if (!s.concurrent) b.rewrite(s.relation);
      b.note('Also locks the tables of the view\'s query ACCESS SHARE and reads them.');
      break;
    }
    case 'LockStmt': {
      const s = inner as { relations?: Node[]; mode?: number };
      const mode = LOCK_MODES[(s.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
      for (const r of s.relations ?? []) b.lock(as<RangeVar>(r, 'RangeVar'), mode);
      b.note(`Without ONLY, the partitions and inheritance children are locked in the same mode${opts.postgresVersion >= 11 ? '; for a view, the tables it uses are locked too (PostgreSQL 11+)' : ''}.`);
      break;
    }
    case 'CommentStmt': {
      const s = inner as { objtype?: string; object?: Node };
      const items = listItems(s.object);
      if (RELATION_OBJECTS.has(s.objtype ?? '') || s.objtype === 'OBJECT_COLUMN') {
        const n = nameListKey(s.objtype === 'OBJECT_COLUMN' ? items.slice(0, -1) : items);
        if (n) b.lockNamed(n.name, n.key, 'ShareUpdateExclusiveLock');
      } else if (['OBJECT_TABCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE'].includes(s.objtype ?? '')) {
        // get_object_address_relobject opens the table with ACCESS SHARE.
        const n = nameListKey(items.slice(0, -1));
        if (n) b.lockNamed(n.name, n.key, 'AccessShareLock');
      }
      break;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      b.lock((inner as { table?: RangeVar }).table, 'AccessExclusiveLock');
      break;
    }
    case 'AlterSeqStmt': {
      // AlterSequence: SHARE ROW EXCLUSIVE (10+); every option but OWNED BY gives the sequence a new relfilenode
      // (init_params sets need_seq_rewrite).
      const s = inner as { sequence?: RangeVar; options?: Node[] };
      b.lock(s.sequence, 'ShareRowExclusiveLock');
      for (const o of s.options ?? []) {
        const d = as<{ defname?: string; arg?: Node }>(o, 'DefElem');
        if (d?.defname === 'owned_by') {
          const owner = nameListKey(listItems(d.arg).slice(0, -1));
          if (owner && !(listItems(d.arg).length === 1)) b.lockNamed(owner.name, owner.key, 'AccessShareLock');
        } else if (d) {
          b.rewrite(s.sequence);
        }
      }
      break;
    }
    case 'AlterEnumStmt': {
      const s = inner as { newVal?: string; oldVal?: string };
      if (s.newVal && !s.oldVal && opts.postgresVersion < 12) {
        b.effect.nonTransactional = true;
        b.note('Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block.');
      }
      break;
    }
    case 'AlterDomainStmt': {
      const s = inner as { subtype?: string; def?: Node };
      const con = as<Constraint>(s.def, 'Constraint');
      if (s.subtype === 'O' || (s.subtype === 'C' && con && !con.skip_validation)) {
        b.note('Every table with a column of this domain is locked SHARE and read to check the new constraint.');
      }
      break;
    }
    case 'DoStmt': {
      b.note('A DO block runs arbitrary code: the locks its statements take are not modelled. Write the DDL as plain statements to see them.');
      break;
    }
    default:
      break;
  }
  return b.finish();
}
