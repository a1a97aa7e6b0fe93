/**
 * SQL text shared by the rewrites and the phase generators: quoted names, generated object names (kept within
 * PostgreSQL's 63-byte limit), the lock_timeout prologue, the two-way sync trigger and the batched backfill.
 * Every identifier goes through `quoteIdent`, so mixed-case and reserved names stay correct.
 */
import { quoteIdent } from '../tokens';
import type { Phase } from '../plan';

export interface TableName {
  schema?: string;
  table: string;
}

/** `"App".users`, `users`. */
export function tableSql(t: TableName): string {
  return t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(t.table)}` : quoteIdent(t.table);
}

/** An object in the table's schema: `app.users_sync_x`, `users_sync_x`. */
export function inSchema(t: TableName, name: string): string {
  return t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** PostgreSQL truncates names to 63 bytes (NAMEDATALEN - 1); truncate ourselves so the name we reference is the one created. */
export function objectName(...parts: string[]): string {
  let name = parts.join('_');
  while (new TextEncoder().encode(name).length > 63) name = name.slice(0, -1);
  return name;
}

/** `SET lock_timeout …` (and statement_timeout) lines that open a phase taking blocking locks. */
export function prologue(o: { lockTimeout: string; statementTimeout?: string }): string {
  const lines = [`SET lock_timeout = '${o.lockTimeout.replace(/'/g, "''")}';`];
  if (o.statementTimeout) lines.push(`SET statement_timeout = '${o.statementTimeout.replace(/'/g, "''")}';`);
  return lines.join('\n') + '\n';
}

/** An ignore comment with its reason, for the rule findings a phase knowingly accepts. */
export function ignore(rule: string, reason: string): string {
  return `-- migration-guard-ignore ${rule}: ${reason}\n`;
}

export interface VersionedOptions {
  postgresVersion: number;
  lockTimeout: string;
  statementTimeout?: string;
  batchSize: number;
}

/** `EXECUTE FUNCTION` (PostgreSQL 11+) or `EXECUTE PROCEDURE`. */
function executeWord(v: number): string {
  return v >= 11 ? 'FUNCTION' : 'PROCEDURE';
}

/**
 * A trigger function plus trigger (both named `name`) running `body` (PL/pgSQL statements over NEW / OLD) before every
 * INSERT and UPDATE of the table. The trigger is created before any ALTER of the same table so that the phase's
 * ACCESS EXCLUSIVE lock is its last statement.
 */
export function syncTrigger(t: TableName, name: string, body: string, v: number): { create: string; drop: string; replaceFunction: (body: string) => string } {
  const fn = (b: string, replace: boolean) =>
    `CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION ${inSchema(t, name)}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n${b}\n  RETURN NEW;\nEND\n$$;\n`;
  return {
    create:
      fn(body, false) +
      ignore('ban-trigger-ddl-on-existing-table', 'the expand-contract sync trigger; catalog-only, in a short transaction with lock_timeout') +
      `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${tableSql(t)} FOR EACH ROW EXECUTE ${executeWord(v)} ${inSchema(t, name)}();\n`,
    drop:
      ignore('ban-trigger-ddl-on-existing-table', 'removes the expand-contract sync trigger; catalog-only, with lock_timeout') +
      `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${tableSql(t)};\n` +
      ignore('ban-statements-after-access-exclusive', 'catalog-only statements of one short transaction') +
      `DROP FUNCTION IF EXISTS ${inSchema(t, name)}();\n`,
    replaceFunction: (b) => fn(b, true),
  };
}

/**
 * PL/pgSQL keeping `a` and `b` equal both ways: on INSERT the one given fills the other; on UPDATE the one that
 * changed wins (`b`, the new name, when both changed). `defaultSql` is `a`'s DEFAULT, moved into the trigger: a
 * column default is filled in before BEFORE triggers run, so with it left on `a` an insert setting only `b` could not
 * be told from one setting both. With it here, an insert giving neither gets the default in both (evaluated once).
 * `fillNull`: an UPDATE of a row the backfill has not reached yet fills `b` too, so a `CHECK (b IS NOT NULL) NOT
 * VALID` added with `b` holds for every row the releases write.
 */
export function twoWaySyncBody(a: string, b: string, defaultSql?: string, fillNull = false): string {
  const A = `NEW.${quoteIdent(a)}`;
  const B = `NEW.${quoteIdent(b)}`;
  return [
    `  IF TG_OP = 'INSERT' THEN`,
    ...(defaultSql ? [`    IF ${A} IS NULL AND ${B} IS NULL THEN ${A} := ${defaultSql}; END IF;`] : []),
    `    IF ${B} IS NULL THEN ${B} := ${A}; ELSIF ${A} IS NULL THEN ${A} := ${B}; END IF;`,
    `  ELSIF ${B} IS DISTINCT FROM OLD.${quoteIdent(b)} THEN`,
    `    ${A} := ${B};`,
    `  ELSIF ${A} IS DISTINCT FROM OLD.${quoteIdent(a)}${fillNull ? ` OR ${B} IS NULL` : ''} THEN`,
    `    ${B} := ${A};`,
    `  END IF;`,
  ].join('\n');
}

export interface Backfill {
  table: TableName;
  /** The key walked in order (a unique, indexed column: the primary key). */
  key: string;
  /** `col = expr` assignments of the UPDATE. */
  set: string;
  /** The rows still to do (`col IS NULL`), so a re-run or rows already written by the trigger cost nothing. */
  pending: string;
}

/**
 * A DO block walking `table` by `key` in batches of `batchSize` rows: `body` (lines, indented four spaces) runs once
 * per batch with `next_key` … `last_key` bounding it, followed by a COMMIT on PostgreSQL 11+.
 */
export function keysetBatches(table: string, key: string, o: VersionedOptions, body: string[]): string[] {
  return [
    'DO $$',
    'DECLARE',
    `  next_key ${table}.${key}%TYPE;`,
    `  last_key ${table}.${key}%TYPE;`,
    'BEGIN',
    `  SELECT min(${key}) INTO next_key FROM ${table};`,
    '  WHILE next_key IS NOT NULL LOOP',
    `    SELECT max(${key}) INTO last_key FROM (SELECT ${key} FROM ${table} WHERE ${key} >= next_key ORDER BY ${key} LIMIT ${o.batchSize}) AS batch;`,
    ...body,
    ...(o.postgresVersion >= 11 ? ['    COMMIT;'] : []),
    `    SELECT min(${key}) INTO next_key FROM ${table} WHERE ${key} > last_key;`,
    '  END LOOP;',
    'END',
    '$$;',
  ];
}

/**
 * The batched backfill: one DO block walking the key in order, `batchSize` rows per UPDATE, committing after each
 * batch (PostgreSQL 11+: COMMIT inside DO when it is the only statement, outside a transaction block), so each batch
 * holds its row locks only for its own short transaction. Before 11 the block runs as one transaction (noted).
 */
export function backfillPhase(b: Backfill, o: VersionedOptions, name: string, header: string): Phase {
  const t = tableSql(b.table);
  const k = quoteIdent(b.key);
  const commit = o.postgresVersion >= 11;
  const up = keysetBatches(t, k, o, [`    UPDATE ${t} SET ${b.set} WHERE ${k} BETWEEN next_key AND last_key AND (${b.pending});`]);
  const note = commit
    ? ''
    : `\n-- PostgreSQL ${o.postgresVersion} cannot COMMIT inside DO: the whole backfill is one transaction, so its row locks last until it ends.`;
  return {
    kind: 'backfill',
    name,
    up: up.join('\n') + '\n',
    down: '-- Nothing to undo: the backfill only copies values into the new column.\n',
    header: header + note,
    inTransaction: !commit,
  };
}
