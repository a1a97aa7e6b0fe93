/**
 * The reverser format: one module per statement kind, holding its id, a one-sentence description, before → after
 * examples (which run as tests, on the unit harness and on PostgreSQL) and `reverse`, which turns one parsed statement
 * into the statements that undo it. A reverser never guesses: what it cannot rebuild is an `irreversible` reason.
 * After rust-analyzer's assists, whose doc example is also the test (idea only).
 */
import type { RangeVar } from '@pgsql/types';
import type { Catalog } from '../catalog';
import type { Statement } from '../parse';

export interface ReverserExample {
  name?: string;
  /** Earlier migrations: the schema the up runs on. */
  schema?: string;
  up: string;
  /** The generated down, exactly. */
  down: string;
  /** The reasons reported as irreversible, exactly, in order. */
  irreversible?: string[];
  /**
   * false: the down runs but cannot give the schema back exactly (an irreversible reason says why), so on PostgreSQL
   * the example only has to run. Only for examples with `irreversible` reasons.
   */
  exact?: false;
}

export interface ReverseContext {
  /** The schema just before this statement (earlier migrations, then the file's earlier statements). Read only. */
  catalog: Catalog;
  /** The schema before the up (what the down must give back). Read only. */
  initial: Catalog;
  statement: Statement;
  postgresVersion: number;
  /** The statement runs inside a transaction block (explicit BEGIN, or the tool wraps the file). */
  inTransaction: boolean;
  /** For ALTER TABLE subcommands: the table the statement alters. */
  relation?: RangeVar;
}

/** What undoes one statement (or one ALTER TABLE subcommand). */
export interface Inverse {
  /** Statements without their terminating `;`, in the order to run them. May start with `-- ` comment lines. */
  sql: string[];
  /** Why (part of) the statement cannot be undone; each becomes an `-- IRREVERSIBLE: <reason>` line. */
  irreversible?: string[];
  /** Kept as written at the top of the down (SET, RESET): not inverted. */
  prologue?: boolean;
  /**
   * Statements that run at the end of the down (of its transaction block), after every other inverse, in the order
   * of `sql`: re-created views, whose `*` expands to the columns that exist when they run, so they must run once
   * the columns the up added are dropped again.
   */
  last?: string[];
}

export interface Reverser<N = unknown> {
  /** Kebab-case, equal to the file name. */
  id: string;
  description: string;
  /**
   * What it handles: a node type (`CreateStmt`), a node type with its object kind (`DropStmt.OBJECT_TABLE`), or an
   * ALTER TABLE subcommand (`AlterTableCmd.AT_AddColumn`).
   */
  handles: string[];
  examples: ReverserExample[];
  reverse(node: N, ctx: ReverseContext): Inverse;
}

export function defineReverser<N>(r: Reverser<N>): Reverser<N> {
  return r;
}

/** Shorthands for `Inverse`. */
export const undo = (...sql: string[]): Inverse => ({ sql });
export const irreversible = (...reasons: string[]): Inverse => ({ sql: [], irreversible: reasons });
