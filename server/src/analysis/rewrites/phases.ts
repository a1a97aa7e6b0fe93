/**
 * Phase generators: the expand-contract sequences as pure functions of names and types (no SQL parsing), shared by
 * the rewrites (which read the parameters from a statement and the catalog) and the scaffold command (which asks for
 * them in the palette). Each returns the phases in deploy order; every phase carries its down and a header naming
 * its deploy.
 */
import type { Phase } from '../plan';
import { DEFAULT_POSTGRES_VERSION } from '../options';
import { quoteIdent } from '../tokens';
import { backfillPhase, ignore, inSchema, objectName, prologue, syncTrigger, tableSql, twoWaySyncBody, type TableName, type VersionedOptions } from './sql';

export interface PhaseOptions {
  postgresVersion?: number;
  lockTimeout?: string;
  statementTimeout?: string;
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_REWRITE_LOCK_TIMEOUT = '5s';

export function resolvePhaseOptions(o: PhaseOptions = {}): VersionedOptions {
  return {
    postgresVersion: o.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
    lockTimeout: o.lockTimeout ?? DEFAULT_REWRITE_LOCK_TIMEOUT,
    statementTimeout: o.statementTimeout,
    batchSize: Math.max(1, Math.floor(o.batchSize ?? DEFAULT_BATCH_SIZE)),
  };
}

const code = (s: string) => `\`${s}\``;
const dotted = (t: TableName, column?: string) => code(`${t.schema ? `${t.schema}.` : ''}${t.table}${column ? `.${column}` : ''}`);

/** `ALTER TABLE t ADD COLUMN c <type>`; with the type unknown, a DO block reads it from the live catalog. */
function addColumnLike(t: TableName, column: string, type: string | undefined, like: string): string {
  if (type) return `ALTER TABLE ${tableSql(t)} ADD COLUMN ${quoteIdent(column)} ${type};\n`;
  const rel = `'${tableSql(t).replace(/'/g, "''")}'::regclass`;
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return (
    ignore('prefer-static-sql-in-do-block', `the type of ${code(like)} is not known from earlier migrations, so it is read from the database`) +
    `DO $$\nBEGIN\n  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', ${rel}, ${lit(column)},\n    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ${rel} AND attname = ${lit(like)}));\nEND\n$$;\n`
  );
}

function dropColumn(t: TableName, column: string, reason: string): string {
  return ignore('ban-drop-column', reason) + `ALTER TABLE ${tableSql(t)} DROP COLUMN IF EXISTS ${quoteIdent(column)};\n`;
}

export interface RenameColumnParams extends TableName, PhaseOptions {
  column: string;
  newName: string;
  /** The column's type as SQL (`text`, `varchar(50)`); read from the database when absent. */
  type?: string;
  /**
   * The old column's DEFAULT as an SQL expression; `null` when it is known to have none; absent when unknown (the
   * expand header then says to move a default by hand). A known default moves into the sync trigger for the expand
   * phase (a column default is filled in before BEFORE triggers run, which would hide an insert that sets only the
   * new column) and onto the new column in the contract.
   */
  default?: string | null;
  /** The key the backfill walks (default `id`). */
  key?: string;
}

/** RENAME COLUMN as expand (new column + two-way sync trigger), batched backfill, contract (drop trigger and old column). */
export function renameColumnPhases(p: RenameColumnParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const def = p.default ?? undefined;
  const trig = syncTrigger(p, objectName(p.table, 'sync', p.column, p.newName), twoWaySyncBody(p.column, p.newName, def), o.postgresVersion);
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const oldCol = quoteIdent(p.column);
  const newCol = quoteIdent(p.newName);
  // The DEFAULT moves in the ALTER of the phase's last statement (one ACCESS EXCLUSIVE lock, after the trigger).
  const dropDefault = def ? `ALTER COLUMN ${oldCol} DROP DEFAULT` : undefined;
  const moveNote = def ? ignore('ban-mixed-expand-contract', `the DEFAULT of ${code(p.column)} moves into the sync trigger, which fills it in for the current release`) : '';
  const expandAlter = p.type
    ? moveNote + `${alter} ${dropDefault ? `${dropDefault},\n  ` : ''}ADD COLUMN ${newCol} ${p.type};\n`
    : addColumnLike(p, p.newName, p.type, p.column) +
      (dropDefault ? ignore('ban-statements-after-access-exclusive', 'catalog-only, in the same short transaction') + moveNote + `${alter} ${dropDefault};\n` : '');
  const unknownDefault =
    p.default === undefined
      ? `\n-- If ${dotted(p, p.column)} has a DEFAULT (not known from earlier migrations), move it by hand: drop it here and assign it in the\n-- trigger when both columns are NULL on INSERT, or rows inserted with only ${code(p.newName)} get the default in ${code(p.column)}.`
      : '';
  const movedDefault = def ? `\n-- The DEFAULT of ${code(p.column)} moves into the trigger (applied when an insert gives neither column), so that an insert\n-- giving only ${code(p.newName)} copies its value into ${code(p.column)}.` : '';
  return [
    {
      kind: 'expand',
      name: `add_${p.newName}`,
      header: `-- Deploy 1 of 3 (expand): adds ${code(p.newName)} next to ${dotted(p, p.column)}, kept equal both ways by a trigger.\n-- Safe while the current release runs: it still reads and writes ${code(p.column)}.${movedDefault}${unknownDefault}`,
      up: prologue(o) + trig.create + expandAlter,
      down:
        prologue(o) +
        (def ? ignore('ban-mixed-expand-contract', `a rollback: the DEFAULT goes back from the trigger to ${code(p.column)}`) : '') +
        trig.drop +
        ignore('ban-drop-column', `rolls back the column this migration added${def ? ` and puts the DEFAULT back on ${code(p.column)}` : ''}`) +
        `${alter} ${def ? `ALTER COLUMN ${oldCol} SET DEFAULT ${def},\n  ` : ''}DROP COLUMN IF EXISTS ${newCol};\n`,
      inTransaction: true,
    },
    backfillPhase(
      { table: p, key: p.key ?? 'id', set: `${newCol} = ${oldCol}`, pending: `${newCol} IS DISTINCT FROM ${oldCol}` },
      o,
      `backfill_${p.newName}`,
      `-- Deploy 1 of 3 (backfill): copies ${code(p.column)} into ${code(p.newName)} in batches of ${o.batchSize}, after the expand migration.\n-- Then deploy 2: the release that reads and writes ${code(p.newName)} only.`,
    ),
    {
      kind: 'contract',
      name: `drop_${p.column}`,
      header: `-- Deploy 3 of 3 (contract): run only after no running release reads or writes ${dotted(p, p.column)}.${def ? `\n-- ${code(p.newName)} takes over the DEFAULT the trigger applied.` : ''}`,
      up:
        prologue(o) +
        (def ? ignore('ban-mixed-expand-contract', `the DEFAULT passes from the trigger to ${code(p.newName)} as the trigger goes`) : '') +
        trig.drop +
        ignore('ban-drop-column', `the contract step of renaming it to ${code(p.newName)}; the code no longer uses it${def ? `, and its DEFAULT passes to ${code(p.newName)}` : ''}`) +
        `${alter} ${def ? `ALTER COLUMN ${newCol} SET DEFAULT ${def},\n  ` : ''}DROP COLUMN IF EXISTS ${oldCol};\n`,
      down: `-- IRREVERSIBLE: the values of ${dotted(p, p.column)} are deleted; ${code(p.newName)} still holds them.\n`,
      inTransaction: true,
    },
  ];
}

export interface RenameTableParams extends TableName, PhaseOptions {
  newName: string;
}

/** RENAME TABLE as rename + an updatable view under the old name (one transaction), then a contract dropping the view. */
export function renameTablePhases(p: RenameTableParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const renamed = { schema: p.schema, table: p.newName };
  const view = `CREATE VIEW ${tableSql(p)} AS SELECT * FROM ${tableSql(renamed)};\n`;
  const sameTx = 'catalog-only, and in the transaction of the rename so that no query sees neither name';
  return [
    {
      kind: 'expand',
      name: `rename_${p.table}_to_${p.newName}`,
      header: `-- Deploy 1 of 2 (expand): renames ${dotted(p)} to ${code(p.newName)} and leaves an updatable view under the old name.\n-- Safe while the current release runs: its queries on ${code(p.table)} go through the view.`,
      up:
        prologue(o) +
        ignore('renaming-table', `the old name stays usable as a view until the contract migration`) +
        `ALTER TABLE ${tableSql(p)} RENAME TO ${quoteIdent(p.newName)};\n` +
        ignore('ban-statements-after-access-exclusive', sameTx) +
        view,
      down:
        prologue(o) +
        `DROP VIEW IF EXISTS ${tableSql(p)};\n` +
        ignore('renaming-table', 'rolls back the rename') +
        `ALTER TABLE ${tableSql(renamed)} RENAME TO ${quoteIdent(p.table)};\n`,
      inTransaction: true,
    },
    {
      kind: 'contract',
      name: `drop_view_${p.table}`,
      header: `-- Deploy 2 of 2 (contract): run only after no running release uses the name ${dotted(p)}.`,
      up: prologue(o) + `DROP VIEW IF EXISTS ${tableSql(p)};\n`,
      down: prologue(o) + view,
      inTransaction: true,
    },
  ];
}

/** Replaces bare references to `column` in an SQL expression by `NEW.column` (for the trigger). */
function onNew(expr: string, column: string): string {
  const q = quoteIdent(column);
  const bare = q === column ? new RegExp(`(?<![\\w."$])${column.replace(/[$]/g, '\\$')}(?![\\w$"(])`, 'g') : undefined;
  return bare ? expr.replace(bare, `NEW.${q}`) : expr.split(q).join(`NEW.${q}`);
}

export interface ChangeColumnTypeParams extends TableName, PhaseOptions {
  column: string;
  /** The new type as SQL. */
  type: string;
  /** USING expression over the column (bare column name); default: an assignment cast of the column. */
  using?: string;
  key?: string;
  /** The column is NOT NULL: the new one is made NOT NULL through a validated CHECK before the swap. */
  notNull?: boolean;
}

/**
 * ALTER COLUMN TYPE as expand (new column filled by a trigger), batched backfill, swap (two renames in one short
 * transaction; the trigger then keeps the old column as a rollback copy) and contract (drop the old column).
 */
export function changeColumnTypePhases(p: ChangeColumnTypeParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const tmp = objectName(p.column, 'new');
  const old = objectName(p.column, 'old');
  const c = quoteIdent(p.column);
  const expr = p.using ?? c;
  const name = objectName(p.table, p.column, 'type', 'sync');
  const forward = `  NEW.${quoteIdent(tmp)} := ${onNew(expr, p.column)};`;
  const backward = `  BEGIN\n    NEW.${quoteIdent(old)} := NEW.${c};\n  EXCEPTION WHEN others THEN\n    NEW.${quoteIdent(old)} := NULL; -- the value does not fit the old type\n  END;`;
  const trig = syncTrigger(p, name, forward, o.postgresVersion);
  const check = objectName(p.table, tmp, 'not_null');
  const notNull = !!p.notNull;
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const total = 3;
  const phases: Phase[] = [
    {
      kind: 'expand',
      name: `add_${tmp}`,
      header: `-- Deploy 1 of ${total} (expand): adds ${code(tmp)} of type ${p.type}, filled from ${dotted(p, p.column)} by a trigger on every write.\n-- Safe while the current release runs.`,
      up:
        prologue(o) +
        trig.create +
        `${alter} ADD COLUMN ${quoteIdent(tmp)} ${p.type}${notNull ? `,\n  ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(tmp)} IS NOT NULL) NOT VALID` : ''};\n`,
      down: prologue(o) + trig.drop + dropColumn(p, tmp, 'rolls back the column this migration added'),
      inTransaction: true,
    },
    backfillPhase(
      { table: p, key: p.key ?? 'id', set: `${quoteIdent(tmp)} = ${expr}`, pending: `${quoteIdent(tmp)} IS DISTINCT FROM (${expr})` },
      o,
      `backfill_${tmp}`,
      `-- Deploy 1 of ${total} (backfill): fills ${code(tmp)} from ${code(p.column)} in batches of ${o.batchSize}, after the expand migration.`,
    ),
  ];
  if (notNull) {
    phases.push({
      kind: 'validate',
      name: `validate_${check}`,
      header: `-- Deploy 1 of ${total} (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.`,
      up: `${alter} VALIDATE CONSTRAINT ${quoteIdent(check)};\n`,
      down: '-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.\n',
      inTransaction: true,
    });
  }
  const swapTx = 'the swap is two catalog-only renames that must commit together';
  phases.push({
    kind: 'switch',
    name: `swap_${p.column}`,
    header: `-- Deploy 2 of ${total} (switch): swaps the columns, so ${dotted(p, p.column)} has type ${p.type}; ${code(old)} keeps the old values for a rollback.\n-- Run after the backfill, with a release that accepts the new type.`,
    up:
      prologue(o) +
      trig.replaceFunction(backward) +
      (notNull
        ? ignore('ban-drop-not-null, ban-mixed-expand-contract', `the swap: the old-type copy is filled by the trigger only when the value fits`) +
          `${alter} ALTER COLUMN ${quoteIdent(tmp)} SET NOT NULL, ALTER COLUMN ${c} DROP NOT NULL;\n` +
          ignore('ban-statements-after-access-exclusive', swapTx) +
          `${alter} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};\n`
        : '') +
      ignore('renaming-column', 'the swap: both releases use the name it ends with') +
      `${alter} RENAME COLUMN ${c} TO ${quoteIdent(old)};\n` +
      // ban-statements-after-access-exclusive reports once per lock: on the first statement after it.
      ignore(notNull ? 'renaming-column' : 'renaming-column, ban-statements-after-access-exclusive', swapTx) +
      `${alter} RENAME COLUMN ${quoteIdent(tmp)} TO ${c};\n`,
    down:
      prologue(o) +
      trig.replaceFunction(forward) +
      ignore('renaming-column', 'rolls back the swap') +
      `${alter} RENAME COLUMN ${c} TO ${quoteIdent(tmp)};\n` +
      ignore('renaming-column, ban-statements-after-access-exclusive', swapTx) +
      `${alter} RENAME COLUMN ${quoteIdent(old)} TO ${c};\n` +
      (notNull
        ? ignore('adding-not-nullable-field, ban-rewrite-under-access-exclusive, ban-mixed-expand-contract', 'a rollback: restores NOT NULL on the original column, reading the table once') +
          `${alter} ALTER COLUMN ${c} SET NOT NULL;\n`
        : ''),
    inTransaction: true,
  });
  phases.push({
    kind: 'contract',
    name: `drop_${old}`,
    header: `-- Deploy 3 of ${total} (contract): run once a rollback to the old type is no longer needed.`,
    up: prologue(o) + trig.drop + dropColumn(p, old, 'the old-type copy kept for a rollback of the swap'),
    down: `-- IRREVERSIBLE: the old-type copy ${code(old)} is deleted; ${dotted(p, p.column)} keeps the values in the new type.\n`,
    inTransaction: true,
  });
  return phases;
}

export interface SetNotNullParams extends TableName, PhaseOptions {
  column: string;
  /** Name of the CHECK constraint (default `<table>_<column>_not_null`). */
  constraint?: string;
}

/**
 * SET NOT NULL as CHECK (col IS NOT NULL) NOT VALID, VALIDATE in its own migration, then (PostgreSQL 12+, which uses
 * the validated CHECK instead of scanning) SET NOT NULL and drop the CHECK. Before 12 the validated CHECK stays.
 */
export function setNotNullPhases(p: SetNotNullParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const name = quoteIdent(p.constraint ?? objectName(p.table, p.column, 'not_null'));
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const col = quoteIdent(p.column);
  const twelve = o.postgresVersion >= 12;
  const total = twelve ? 3 : 2;
  const phases: Phase[] = [
    {
      kind: 'expand',
      name: `check_${p.column}_not_null`,
      header: `-- Migration 1 of ${total} (expand): new and updated rows must have ${dotted(p, p.column)}; existing rows are not checked yet.`,
      up: prologue(o) + `${alter} ADD CONSTRAINT ${name} CHECK (${col} IS NOT NULL) NOT VALID;\n`,
      down: prologue(o) + `${alter} DROP CONSTRAINT IF EXISTS ${name};\n`,
      inTransaction: true,
    },
    {
      kind: 'validate',
      name: `validate_${p.column}_not_null`,
      header: `-- Migration 2 of ${total} (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.${twelve ? '' : `\n-- On PostgreSQL ${o.postgresVersion} SET NOT NULL would scan again under ACCESS EXCLUSIVE: the validated CHECK stands in for it.`}`,
      up: `${alter} VALIDATE CONSTRAINT ${name};\n`,
      down: '-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.\n',
      inTransaction: true,
    },
  ];
  if (twelve) {
    phases.push({
      kind: 'contract',
      name: `set_${p.column}_not_null`,
      header: `-- Migration 3 of 3 (contract): SET NOT NULL uses the validated CHECK instead of scanning (PostgreSQL 12+), then drops it.`,
      up:
        prologue(o) +
        `${alter} ALTER COLUMN ${col} SET NOT NULL;\n` +
        ignore('ban-statements-after-access-exclusive', 'dropping the now redundant CHECK only changes the catalog') +
        `${alter} DROP CONSTRAINT IF EXISTS ${name};\n`,
      down:
        prologue(o) +
        ignore('ban-mixed-expand-contract', 'a rollback: the CHECK keeps new rows non-null once NOT NULL is dropped') +
        `${alter} ADD CONSTRAINT ${name} CHECK (${col} IS NOT NULL) NOT VALID;\n` +
        ignore('ban-drop-not-null, ban-statements-after-access-exclusive', 'rolls back SET NOT NULL; the CHECK it restores keeps new rows non-null') +
        `${alter} ALTER COLUMN ${col} DROP NOT NULL;\n`,
      inTransaction: true,
    });
  }
  return phases;
}

export interface AddConstraintParams extends TableName, PhaseOptions {
  /** Constraint name. */
  name: string;
  /** `CHECK (…)` or `FOREIGN KEY (…) REFERENCES …`, without NOT VALID. */
  definition: string;
}

/** ADD CHECK / FOREIGN KEY as NOT VALID (instant), then VALIDATE CONSTRAINT in a separate migration. */
export function addConstraintPhases(p: AddConstraintParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const name = quoteIdent(p.name);
  return [
    {
      kind: 'expand',
      name: `add_${p.name}`,
      header: `-- Migration 1 of 2: adds ${code(p.name)} NOT VALID: new and updated rows are checked at once, existing rows are not.`,
      up: prologue(o) + `${alter} ADD CONSTRAINT ${name} ${p.definition} NOT VALID;\n`,
      down: prologue(o) + `${alter} DROP CONSTRAINT IF EXISTS ${name};\n`,
      inTransaction: true,
    },
    {
      kind: 'validate',
      name: `validate_${p.name}`,
      header: `-- Migration 2 of 2 (validate): checks existing rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), in its own transaction.`,
      up: `${alter} VALIDATE CONSTRAINT ${name};\n`,
      down: '-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.\n',
      inTransaction: true,
    },
  ];
}

export interface AddUniqueParams extends TableName, PhaseOptions {
  columns: string[];
  /** Constraint (and index) name; default `<table>_<cols>_key` / `<table>_pkey`, as PostgreSQL names them. */
  name?: string;
  primaryKey?: boolean;
}

/** ADD UNIQUE / PRIMARY KEY as CREATE UNIQUE INDEX CONCURRENTLY (no transaction), then ADD CONSTRAINT … USING INDEX. */
export function addUniquePhases(p: AddUniqueParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const n = p.name ?? (p.primaryKey ? objectName(p.table, 'pkey') : objectName(p.table, ...p.columns, 'key'));
  const index = inSchema(p, n);
  const kind = p.primaryKey ? 'PRIMARY KEY' : 'UNIQUE';
  return [
    {
      kind: 'expand',
      name: `create_index_${n}`,
      header: `-- Migration 1 of 2: builds the unique index ${code(n)} without blocking reads or writes; outside a transaction.`,
      up: `DROP INDEX CONCURRENTLY IF EXISTS ${index};\nCREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(n)} ON ${tableSql(p)} (${p.columns.map(quoteIdent).join(', ')});\n`,
      down: `DROP INDEX CONCURRENTLY IF EXISTS ${index};\n`,
      inTransaction: false,
    },
    {
      kind: 'expand',
      name: `add_${n}`,
      header: `-- Migration 2 of 2: turns the index into the ${kind} constraint ${code(n)} (catalog only, a brief lock).`,
      up: prologue(o) + `ALTER TABLE ${tableSql(p)} ADD CONSTRAINT ${quoteIdent(n)} ${kind} USING INDEX ${quoteIdent(n)};\n`,
      down: prologue(o) + `ALTER TABLE ${tableSql(p)} DROP CONSTRAINT IF EXISTS ${quoteIdent(n)};\n`,
      inTransaction: true,
    },
  ];
}

export interface AddColumnBackfillParams extends TableName, PhaseOptions {
  column: string;
  type: string;
  /** The default for new rows (an SQL expression, volatile allowed). */
  default?: string;
  /** The value for existing rows (default: `default`). */
  backfill?: string;
  notNull?: boolean;
  key?: string;
}

/**
 * ADD COLUMN with a volatile default or NOT NULL as: nullable column whose default applies to new rows only (a
 * second subcommand, so no rewrite), batched backfill, then NOT NULL through the validated CHECK.
 */
export function addColumnBackfillPhases(p: AddColumnBackfillParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const col = quoteIdent(p.column);
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const value = p.backfill ?? p.default ?? 'NULL';
  const check = objectName(p.table, p.column, 'not_null');
  const notNull = !!p.notNull;
  const twelve = o.postgresVersion >= 12;
  const phases: Phase[] = [
    {
      kind: 'expand',
      name: `add_${p.column}`,
      header: `-- Migration 1 (expand): adds ${dotted(p, p.column)} without touching existing rows${p.default ? '; the default applies to new rows' : ''}.`,
      up:
        prologue(o) +
        `${alter} ADD COLUMN ${col} ${p.type}` +
        (p.default ? `,\n  ALTER COLUMN ${col} SET DEFAULT ${p.default}` : '') +
        (notNull ? `,\n  ADD CONSTRAINT ${quoteIdent(check)} CHECK (${col} IS NOT NULL) NOT VALID` : '') +
        ';\n',
      down: prologue(o) + dropColumn(p, p.column, 'rolls back the column this migration added'),
      inTransaction: true,
    },
    backfillPhase({ table: p, key: p.key ?? 'id', set: `${col} = ${value}`, pending: `${col} IS NULL` }, o, `backfill_${p.column}`, `-- Migration 2 (backfill): fills ${code(p.column)} for existing rows in batches of ${o.batchSize}.`),
  ];
  if (notNull) {
    phases.push({
      kind: 'validate',
      name: `validate_${p.column}_not_null`,
      header: `-- Migration 3 (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue).`,
      up: `${alter} VALIDATE CONSTRAINT ${quoteIdent(check)};\n`,
      down: '-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.\n',
      inTransaction: true,
    });
    if (twelve) {
      phases.push({
        kind: 'contract',
        name: `set_${p.column}_not_null`,
        header: `-- Migration 4 (contract): SET NOT NULL uses the validated CHECK instead of scanning (PostgreSQL 12+), then drops it.`,
        up:
          prologue(o) +
          `${alter} ALTER COLUMN ${col} SET NOT NULL;\n` +
          ignore('ban-statements-after-access-exclusive', 'dropping the now redundant CHECK only changes the catalog') +
          `${alter} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};\n`,
        down:
          prologue(o) +
          ignore('ban-drop-not-null', 'rolls back SET NOT NULL; the CHECK it restores keeps new rows non-null') +
          `${alter} ALTER COLUMN ${col} DROP NOT NULL,\n  ADD CONSTRAINT ${quoteIdent(check)} CHECK (${col} IS NOT NULL) NOT VALID;\n`,
        inTransaction: true,
      });
    }
  }
  return phases;
}

/** Every generator, for the scaffold command. */
export const phaseGenerators = {
  renameColumnPhases,
  renameTablePhases,
  changeColumnTypePhases,
  setNotNullPhases,
  addConstraintPhases,
  addUniquePhases,
  addColumnBackfillPhases,
  addNotNullColumnPhases: addColumnBackfillPhases,
};
