/**
 * Phase generators: the expand-contract sequences as pure functions of names and types (no SQL parsing), shared by
 * the rewrites (which read the parameters from a statement and the catalog) and the scaffold command (which asks for
 * them in the palette). Each returns the phases in deploy order; every phase carries its down and a header naming
 * its deploy.
 */
import type { Phase } from '../plan';
import { DEFAULT_POSTGRES_VERSION } from '../options';
import { quoteIdent } from '../tokens';
import type { Carried } from './carry';
import { backfillPhase, ignore, inSchema, keysetBatches, objectName, prologue, syncTrigger, tableSql, twoWaySyncBody, type TableName, type VersionedOptions } from './sql';

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

/** A constraint to add NOT VALID with the new column and validate after the backfill. */
interface PendingCheck {
  name: string;
  definition: string;
}

/** `,\n  ADD CONSTRAINT … NOT VALID` subcommands. */
function notValidAdds(checks: PendingCheck[]): string {
  return checks.map((c) => `,\n  ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition} NOT VALID`).join('');
}

/** VALIDATE of the constraints added NOT VALID, in its own migration after the backfill. */
function validatePhase(t: TableName, checks: PendingCheck[], name: string, header: string): Phase {
  return {
    kind: 'validate',
    name,
    header,
    up: checks.map((c) => `ALTER TABLE ${tableSql(t)} VALIDATE CONSTRAINT ${quoteIdent(c.name)};\n`).join(''),
    down: '-- Nothing to undo: VALIDATE CONSTRAINT only checks existing rows.\n',
    inTransaction: true,
  };
}

/** One migration per carried index: built CONCURRENTLY on the new column (outside a transaction), after the backfill. */
function indexPhases(t: TableName, carry: Carried | undefined, column: string, newColumn: string, deploy: string): Phase[] {
  return (carry?.indexes ?? []).map((i) => {
    const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${inSchema(t, i.tempName)};\n`;
    return {
      kind: 'expand',
      name: `index_${i.tempName}`,
      header: `-- ${deploy} (index): builds ${code(i.tempName)} on ${code(newColumn)} as ${code(i.name)} is on ${code(column)}, without blocking reads or writes;\n-- outside a transaction, after the backfill (dropping first what a failed build left).`,
      up: drop + `${i.create};\n`,
      down: drop,
      inTransaction: false,
    };
  });
}

/** Header lines for what the catalog cannot carry to the new column: never dropped silently. */
function carryNote(t: TableName, column: string, newColumn: string, carry: Carried | undefined): string {
  if (!carry) {
    return `\n-- The indexes and constraints of ${dotted(t, column)} are not known from earlier migrations: create those ${code(newColumn)} needs\n-- before the contract, which drops them with ${code(column)}.`;
  }
  return carry.notCarried.length
    ? `\n-- Not carried to ${code(newColumn)} (recreate by hand before the contract, which drops them with ${code(column)}): ${carry.notCarried.join(', ')}.`
    : '';
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
  /** The old column is NOT NULL: the new one becomes NOT NULL through a validated CHECK (no scan under ACCESS EXCLUSIVE). */
  notNull?: boolean;
  /** The old column's indexes and constraints rebuilt over the new one (`carriedFrom`); absent when unknown. */
  carry?: Carried;
  /** The key the backfill walks (default `id`). */
  key?: string;
}

/**
 * RENAME COLUMN as expand (new column + two-way sync trigger, its constraints NOT VALID), batched backfill, VALIDATE
 * and the indexes built CONCURRENTLY on the new column, then the contract: drop the trigger and the old column, SET
 * NOT NULL through the validated CHECK (PostgreSQL 12+), the UNIQUE constraints over their new indexes.
 */
export function renameColumnPhases(p: RenameColumnParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const def = p.default ?? undefined;
  const notNull = !!p.notNull;
  const twelve = o.postgresVersion >= 12;
  const trig = syncTrigger(p, objectName(p.table, 'sync', p.column, p.newName), twoWaySyncBody(p.column, p.newName, def, notNull), o.postgresVersion);
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const oldCol = quoteIdent(p.column);
  const newCol = quoteIdent(p.newName);
  const check = objectName(p.table, p.newName, 'not_null');
  const checks: PendingCheck[] = [
    ...(notNull ? [{ name: check, definition: `CHECK (${newCol} IS NOT NULL)` }] : []),
    ...(p.carry?.constraints ?? []).map((c) => ({ name: c.tempName, definition: c.definition })),
  ];
  const uniques = (p.carry?.indexes ?? []).filter((i) => i.constraint);
  // The DEFAULT moves in the ALTER of the phase's last statement (one ACCESS EXCLUSIVE lock, after the trigger).
  const dropDefault = def ? `ALTER COLUMN ${oldCol} DROP DEFAULT` : undefined;
  const moveNote = def ? ignore('ban-mixed-expand-contract', `the DEFAULT of ${code(p.column)} moves into the sync trigger, which fills it in for the current release`) : '';
  const expandAlter = p.type
    ? moveNote + `${alter} ${dropDefault ? `${dropDefault},\n  ` : ''}ADD COLUMN ${newCol} ${p.type}${notValidAdds(checks)};\n`
    : addColumnLike(p, p.newName, p.type, p.column) +
      (dropDefault || checks.length
        ? ignore('ban-statements-after-access-exclusive', 'catalog-only, in the same short transaction') +
          moveNote +
          `${alter} ${[...(dropDefault ? [dropDefault] : []), ...checks.map((c) => `ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition} NOT VALID`)].join(',\n  ')};\n`
        : '');
  const unknownDefault =
    p.default === undefined
      ? `\n-- If ${dotted(p, p.column)} has a DEFAULT (not known from earlier migrations), move it by hand: drop it here and assign it in the\n-- trigger when both columns are NULL on INSERT, or rows inserted with only ${code(p.newName)} get the default in ${code(p.column)}.`
      : '';
  const movedDefault = def ? `\n-- The DEFAULT of ${code(p.column)} moves into the trigger (applied when an insert gives neither column), so that an insert\n-- giving only ${code(p.newName)} copies its value into ${code(p.column)}.` : '';
  const carried = checks.length ? `\n-- ${checks.map((c) => code(c.name)).join(', ')} ${checks.length > 1 ? 'hold' : 'holds'} for new and updated rows now (NOT VALID), for the backfilled rows once validated.` : '';
  const total = 3;
  const phases: Phase[] = [
    {
      kind: 'expand',
      name: `add_${p.newName}`,
      header: `-- Deploy 1 of ${total} (expand): adds ${code(p.newName)} next to ${dotted(p, p.column)}, kept equal both ways by a trigger.\n-- Safe while the current release runs: it still reads and writes ${code(p.column)}.${movedDefault}${unknownDefault}${carried}${carryNote(p, p.column, p.newName, p.carry)}`,
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
      `-- Deploy 1 of ${total} (backfill): copies ${code(p.column)} into ${code(p.newName)} in batches of ${o.batchSize}, after the expand migration.\n-- Then deploy 2: the release that reads and writes ${code(p.newName)} only.`,
    ),
  ];
  if (checks.length) {
    phases.push(
      validatePhase(p, checks, `validate_${p.newName}`, `-- Deploy 1 of ${total} (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.`),
    );
  }
  phases.push(...indexPhases(p, p.carry, p.column, p.newName, `Deploy 1 of ${total}`));
  const setNotNull = notNull && twelve;
  const columnCmds = [
    ...(def ? [`ALTER COLUMN ${newCol} SET DEFAULT ${def}`] : []),
    `DROP COLUMN IF EXISTS ${oldCol}`,
  ];
  const afterCmds = [
    ...(setNotNull ? [`DROP CONSTRAINT IF EXISTS ${quoteIdent(check)}`] : []),
    ...uniques.map((i) => `ADD CONSTRAINT ${quoteIdent(i.tempName)} UNIQUE USING INDEX ${quoteIdent(i.tempName)}`),
  ];
  // ban-mixed-expand-contract reports on the first contract step: one ignore there, with every reason.
  const mixed = [
    ...(def ? [`the DEFAULT passes from the trigger to ${code(p.newName)} as the trigger goes`] : []),
    ...(uniques.length ? [`the UNIQUE constraint${uniques.length > 1 ? 's' : ''} of ${code(p.newName)} take${uniques.length > 1 ? '' : 's'} over from ${uniques.map((i) => code(i.name)).join(', ')}, dropped with ${code(p.column)}`] : []),
  ];
  const notes = [
    ...(def ? [`\n-- ${code(p.newName)} takes over the DEFAULT the trigger applied.`] : []),
    ...(setNotNull ? [`\n-- SET NOT NULL uses the validated ${code(check)} instead of scanning (PostgreSQL 12+), which is then dropped.`] : []),
    ...(notNull && !twelve ? [`\n-- On PostgreSQL ${o.postgresVersion} SET NOT NULL would scan under ACCESS EXCLUSIVE: the validated ${code(check)} stands in for it.`] : []),
  ].join('');
  phases.push({
    kind: 'contract',
    name: `drop_${p.column}`,
    header: `-- Deploy 3 of ${total} (contract): run only after no running release reads or writes ${dotted(p, p.column)}.${notes}${carryNote(p, p.column, p.newName, p.carry)}`,
    up:
      prologue(o) +
      // First in the transaction: the validated CHECK spares the scan, which the lint cannot see under an earlier lock.
      (mixed.length ? ignore('ban-mixed-expand-contract', mixed.join('; ')) : '') +
      (setNotNull ? `${alter} ALTER COLUMN ${newCol} SET NOT NULL;\n` + ignore('ban-statements-after-access-exclusive', 'catalog-only statements of one short transaction') : '') +
      // ban-statements-after-access-exclusive reports once per lock: on the first statement after it.
      (setNotNull ? trig.drop.replace(ignore('ban-statements-after-access-exclusive', 'catalog-only statements of one short transaction'), '') : trig.drop) +
      ignore('ban-drop-column', `the contract step of renaming it to ${code(p.newName)}; the code no longer uses it${def ? `, and its DEFAULT passes to ${code(p.newName)}` : ''}`) +
      `${alter} ${columnCmds.join(',\n  ')};\n` +
      (afterCmds.length ? `${alter} ${afterCmds.join(',\n  ')};\n` : '') +
      (p.carry?.comment ? `COMMENT ON COLUMN ${tableSql(p)}.${newCol} IS ${p.carry.comment};\n` : ''),
    down: `-- IRREVERSIBLE: the values of ${dotted(p, p.column)} are deleted; ${code(p.newName)} still holds them.\n`,
    inTransaction: true,
  });
  return phases;
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
  /** The column's DEFAULT as SQL (set on the new column in the swap); `null`: none; absent: unknown (said in a comment). */
  default?: string | null;
  /** The column's indexes and constraints rebuilt over the new column (`carriedFrom`); absent when unknown. */
  carry?: Carried;
}

/**
 * ALTER COLUMN TYPE as expand (new column filled by a trigger, its constraints NOT VALID), batched backfill, VALIDATE
 * and the indexes built CONCURRENTLY, swap (renames in one short transaction; the trigger then keeps the old column
 * as a rollback copy) and contract (drop the old column with its indexes and constraints; the copies take their
 * names).
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
  const def = p.default ?? undefined;
  const alter = `ALTER TABLE ${tableSql(p)}`;
  const checks: PendingCheck[] = [
    ...(notNull ? [{ name: check, definition: `CHECK (${quoteIdent(tmp)} IS NOT NULL)` }] : []),
    ...(p.carry?.constraints ?? []).map((k) => ({ name: k.tempName, definition: k.definition })),
  ];
  const total = 3;
  const carried = p.carry && (p.carry.constraints.length || p.carry.indexes.length)
    ? `\n-- The indexes and constraints of ${code(p.column)} are rebuilt on ${code(tmp)} before the swap and take their names in the contract.`
    : '';
  const unknownDefault = p.default === undefined ? `\n-- If ${dotted(p, p.column)} has a DEFAULT (not known from earlier migrations), set it on ${code(tmp)} in the swap.` : '';
  const phases: Phase[] = [
    {
      kind: 'expand',
      name: `add_${tmp}`,
      header: `-- Deploy 1 of ${total} (expand): adds ${code(tmp)} of type ${p.type}, filled from ${dotted(p, p.column)} by a trigger on every write.\n-- Safe while the current release runs.${carried}${unknownDefault}${carryNote(p, p.column, tmp, p.carry)}`,
      up: prologue(o) + trig.create + `${alter} ADD COLUMN ${quoteIdent(tmp)} ${p.type}${notValidAdds(checks)};\n`,
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
  if (checks.length) {
    phases.push(
      validatePhase(p, checks, checks.length === 1 ? `validate_${checks[0].name}` : `validate_${tmp}`, `-- Deploy 1 of ${total} (validate): checks the backfilled rows under SHARE UPDATE EXCLUSIVE (reads and writes continue), after the backfill.`),
    );
  }
  phases.push(...indexPhases(p, p.carry, p.column, tmp, `Deploy 1 of ${total}`));
  const swapTx = 'the swap is two catalog-only renames that must commit together';
  const setDefault = def ? `,\n  ALTER COLUMN ${quoteIdent(tmp)} SET DEFAULT ${def}` : '';
  phases.push({
    kind: 'switch',
    name: `swap_${p.column}`,
    header: `-- Deploy 2 of ${total} (switch): swaps the columns, so ${dotted(p, p.column)} has type ${p.type}; ${code(old)} keeps the old values for a rollback.\n-- Run after the backfill, with a release that accepts the new type.`,
    up:
      prologue(o) +
      trig.replaceFunction(backward) +
      (notNull
        ? ignore('ban-drop-not-null, ban-mixed-expand-contract', `the swap: the old-type copy is filled by the trigger only when the value fits`) +
          `${alter} ALTER COLUMN ${quoteIdent(tmp)} SET NOT NULL, ALTER COLUMN ${c} DROP NOT NULL${setDefault};\n` +
          ignore('ban-statements-after-access-exclusive', swapTx) +
          `${alter} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};\n`
        : def
          ? `${alter} ${setDefault.slice(4)};\n`
          : '') +
      // ban-statements-after-access-exclusive reports once per lock: on the first statement after it.
      ignore(def && !notNull ? 'renaming-column, ban-statements-after-access-exclusive' : 'renaming-column', 'the swap: both releases use the name it ends with') +
      `${alter} RENAME COLUMN ${c} TO ${quoteIdent(old)};\n` +
      ignore(notNull || def ? 'renaming-column' : 'renaming-column, ban-statements-after-access-exclusive', swapTx) +
      `${alter} RENAME COLUMN ${quoteIdent(tmp)} TO ${c};\n` +
      (p.carry?.comment ? `COMMENT ON COLUMN ${tableSql(p)}.${c} IS ${p.carry.comment};\n` : ''),
    down:
      prologue(o) +
      trig.replaceFunction(forward) +
      ignore('renaming-column', 'rolls back the swap') +
      `${alter} RENAME COLUMN ${c} TO ${quoteIdent(tmp)};\n` +
      ignore('renaming-column, ban-statements-after-access-exclusive', swapTx) +
      `${alter} RENAME COLUMN ${quoteIdent(old)} TO ${c};\n` +
      (notNull
        ? ignore('adding-not-nullable-field, ban-rewrite-under-access-exclusive, ban-mixed-expand-contract', 'a rollback: restores NOT NULL on the original column, reading the table once') +
          `${alter} ${def ? `ALTER COLUMN ${quoteIdent(tmp)} DROP DEFAULT,\n  ` : ''}ALTER COLUMN ${c} SET NOT NULL;\n`
        : def
          ? ignore('ban-mixed-expand-contract', `a rollback: the DEFAULT stays with ${code(p.column)}`) + `${alter} ALTER COLUMN ${quoteIdent(tmp)} DROP DEFAULT;\n`
          : ''),
    inTransaction: true,
  });
  // The copies take the originals' names once the old column (and with it the originals) is gone.
  const renames = [
    ...(p.carry?.indexes ?? []).map((i) =>
      i.constraint
        ? `${alter} ADD CONSTRAINT ${quoteIdent(i.name)} UNIQUE USING INDEX ${quoteIdent(i.tempName)};\n`
        : `ALTER INDEX ${inSchema(p, i.tempName)} RENAME TO ${quoteIdent(i.name)};\n`,
    ),
    ...(p.carry?.constraints ?? []).map((k) => `${alter} RENAME CONSTRAINT ${quoteIdent(k.tempName)} TO ${quoteIdent(k.name)};\n`),
  ];
  const takeOver = renames.length ? ignore('ban-mixed-expand-contract', `the copies on ${code(p.column)} take the names of the indexes and constraints dropped with ${code(old)}`) : '';
  phases.push({
    kind: 'contract',
    name: `drop_${old}`,
    header: `-- Deploy 3 of ${total} (contract): run once a rollback to the old type is no longer needed.${renames.length ? `\n-- Dropping ${code(old)} drops its indexes and constraints; their copies on ${code(p.column)} take their names.` : ''}`,
    up:
      prologue(o) +
      takeOver +
      trig.drop +
      dropColumn(p, old, 'the old-type copy kept for a rollback of the swap') +
      renames.join(''),
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

export interface SplitTableParams extends TableName, PhaseOptions {
  /** The new table (in the same schema), keyed by the table's primary key. */
  newTable: string;
  /** The table's single-column primary key and its type as SQL. */
  key: string;
  keyType: string;
  /** The columns that move, with their types as SQL, DEFAULTs and whether they are NOT NULL. */
  columns: { name: string; type: string; default?: string; notNull?: boolean }[];
}

/**
 * Moves columns of a table into a new 1:1 table keyed by its primary key: expand (the new table with a foreign key
 * to the old one, and triggers copying the columns both ways), batched backfill (INSERT … ON CONFLICT DO NOTHING:
 * a row the triggers already copied is newer than the batch's snapshot), contract (drop the triggers and the moved
 * columns). The new table is empty when its foreign key is created, so the key is valid at once with nothing to scan.
 */
export function splitTablePhases(p: SplitTableParams): Phase[] {
  const o = resolvePhaseOptions(p);
  const b: TableName = { schema: p.schema, table: p.newTable };
  const A = tableSql(p);
  const B = tableSql(b);
  const k = quoteIdent(p.key);
  const cols = p.columns.map((c) => quoteIdent(c.name));
  const row = (prefix: string) => `(${cols.map((c) => `${prefix}${c}`).join(', ')})`;
  const toB = objectName(p.table, 'sync', p.newTable);
  const toA = objectName(p.newTable, 'sync', p.table);
  const flag = 'migration_guard.split_backfill';
  const exec = o.postgresVersion >= 11 ? 'FUNCTION' : 'PROCEDURE';
  const fn = (name: string, t: TableName, body: string) =>
    `CREATE FUNCTION ${inSchema(t, name)}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n${body}\n  RETURN NULL;\nEND\n$$;\n`;
  const notNull = p.columns.filter((c) => c.notNull);
  const moved = p.columns.map((c) => code(c.name)).join(', ');
  const create =
    `CREATE TABLE ${B} (\n  ${k} ${p.keyType} PRIMARY KEY REFERENCES ${A} (${k}) ON UPDATE CASCADE ON DELETE CASCADE,\n` +
    p.columns.map((c) => `  ${quoteIdent(c.name)} ${c.type}${c.default ? ` DEFAULT ${c.default}` : ''}`).join(',\n') +
    '\n);\n';
  const syncB =
    fn(
      toB,
      p,
      `  INSERT INTO ${B} (${k}, ${cols.join(', ')}) VALUES (NEW.${k}, ${cols.map((c) => `NEW.${c}`).join(', ')})\n` +
        `    ON CONFLICT (${k}) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}\n` +
        `    WHERE ${row(`${B}.`)} IS DISTINCT FROM ${row('EXCLUDED.')};`,
    ) +
    ignore('ban-trigger-ddl-on-existing-table', 'the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout') +
    `CREATE TRIGGER ${quoteIdent(toB)} AFTER INSERT OR UPDATE OF ${cols.join(', ')} ON ${A} FOR EACH ROW EXECUTE ${exec} ${inSchema(p, toB)}();\n`;
  const syncA =
    fn(
      toA,
      b,
      `  -- The backfill copies rows it read earlier: it must not write them back over newer values.\n` +
        `  IF current_setting('${flag}', true) = 'on' THEN\n    RETURN NULL;\n  END IF;\n` +
        `  UPDATE ${A} SET ${cols.map((c) => `${c} = NEW.${c}`).join(', ')}\n    WHERE ${k} = NEW.${k} AND ${row('')} IS DISTINCT FROM ${row('NEW.')};`,
    ) + `CREATE TRIGGER ${quoteIdent(toA)} AFTER INSERT OR UPDATE ON ${B} FOR EACH ROW EXECUTE ${exec} ${inSchema(b, toA)}();\n`;
  const dropNotNull = notNull.length
    ? ignore('ban-drop-not-null', `the new release writes ${notNull.map((c) => code(c.name)).join(', ')} in ${code(p.newTable)}, so its inserts into ${code(p.table)} leave them out`) +
      `ALTER TABLE ${A} ${notNull.map((c) => `ALTER COLUMN ${quoteIdent(c.name)} DROP NOT NULL`).join(', ')};\n`
    : '';
  // ban-statements-after-access-exclusive reports once per transaction: on the first statement after the first lock.
  const dropSync = (name: string, on: TableName, reason: string, first = true) =>
    ignore('ban-trigger-ddl-on-existing-table', reason) +
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${tableSql(on)};\n` +
    (first ? ignore('ban-statements-after-access-exclusive', 'catalog-only statements of one short transaction') : '') +
    `DROP FUNCTION IF EXISTS ${inSchema(on, name)}();\n`;
  const commit = o.postgresVersion >= 11;
  const backfill = keysetBatches(A, k, o, [
    `    PERFORM set_config('${flag}', 'on', true);`,
    `    INSERT INTO ${B} (${k}, ${cols.join(', ')})`,
    `      SELECT ${k}, ${cols.join(', ')} FROM ${A} WHERE ${k} BETWEEN next_key AND last_key`,
    `      ON CONFLICT (${k}) DO NOTHING;`,
  ]);
  return [
    {
      kind: 'expand',
      name: `create_${p.newTable}`,
      header:
        `-- Deploy 1 of 3 (expand): creates ${code(p.newTable)} (1:1 with ${dotted(p)} by ${code(p.key)}) for ${moved}; triggers copy them both ways.\n` +
        `-- Safe while the current release runs: it still reads and writes them in ${code(p.table)}. The new release reads them from\n` +
        `-- ${code(p.newTable)} and writes them with INSERT … ON CONFLICT (${p.key}) DO UPDATE (the trigger may have created the row).` +
        (notNull.length ? `\n-- ${notNull.map((c) => code(c.name)).join(', ')} lose NOT NULL in ${code(p.table)}; in ${code(p.newTable)} they are nullable: make them NOT NULL (Make column NOT NULL) once the new release writes them.` : ''),
      up: prologue(o) + create + syncA + syncB + dropNotNull,
      down:
        prologue(o) +
        dropSync(toB, p, 'removes the expand-contract sync trigger; catalog-only, with lock_timeout') +
        ignore('ban-drop-table, ban-down-data-loss', `rolls back the table this migration created; the triggers kept its values in ${code(p.table)}`) +
        `DROP TABLE IF EXISTS ${B};\n` +
        `DROP FUNCTION IF EXISTS ${inSchema(b, toA)}();\n` +
        (notNull.length
          ? ignore('adding-not-nullable-field, ban-rewrite-under-access-exclusive', 'a rollback: restores NOT NULL, reading the table once') +
            `ALTER TABLE ${A} ${notNull.map((c) => `ALTER COLUMN ${quoteIdent(c.name)} SET NOT NULL`).join(', ')};\n`
          : ''),
      inTransaction: true,
    },
    {
      kind: 'backfill',
      name: `backfill_${p.newTable}`,
      header:
        `-- Deploy 1 of 3 (backfill): copies ${moved} of the existing rows into ${code(p.newTable)} in batches of ${o.batchSize}, after the expand migration.\n` +
        `-- Then deploy 2: the release that uses ${code(p.newTable)}.` +
        (commit ? '' : `\n-- PostgreSQL ${o.postgresVersion} cannot COMMIT inside DO: the whole backfill is one transaction, so its row locks last until it ends.`),
      up: backfill.join('\n') + '\n',
      down: `-- Nothing to undo: the expand migration's rollback drops ${code(p.newTable)} with the copied rows.\n`,
      inTransaction: !commit,
    },
    {
      kind: 'contract',
      name: `drop_moved_from_${p.table}`,
      header: `-- Deploy 3 of 3 (contract): run only after no running release reads or writes ${moved} in ${dotted(p)}.`,
      up:
        prologue(o) +
        dropSync(toA, b, 'removes the expand-contract sync trigger; catalog-only, with lock_timeout') +
        dropSync(toB, p, 'removes the expand-contract sync trigger; catalog-only, with lock_timeout', false) +
        ignore('ban-drop-column', `the columns moved to ${code(p.newTable)}; no running release uses them here`) +
        `ALTER TABLE ${A} ${p.columns.map((c) => `DROP COLUMN IF EXISTS ${quoteIdent(c.name)}`).join(', ')};\n`,
      down: `-- IRREVERSIBLE: ${moved} are deleted from ${dotted(p)}; ${code(p.newTable)} holds their values.\n`,
      inTransaction: true,
    },
  ];
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
  splitTablePhases,
};
