/**
 * The JSON messages between `client.ts` and the PGlite worker process (`child_process.fork` IPC). Every request
 * carries an `id`; the worker answers each one exactly once, in order.
 */
import type { MigrationInput, StatementInput } from '../engine';

export type WorkerRequest = { id: number } & (
  | { op: 'version' }
  | { op: 'replay'; earlier: MigrationInput[] }
  | { op: 'trace'; earlier: MigrationInput[]; statements: StatementInput[] }
  | { op: 'schema'; earlier: MigrationInput[] }
  | { op: 'verify'; earlier: MigrationInput[]; up: StatementInput[]; down: StatementInput[] }
  | { op: 'sizes'; earlier: MigrationInput[] }
  | { op: 'query'; earlier: MigrationInput[]; sql: string }
  | { op: 'memory' }
  | { op: 'startedFrom' }
  /** Answered once the work queued before it (a replayed state being written to disk) is done. */
  | { op: 'flush' }
);

/** A request without its id, as the client builds it. */
export type WorkerCall = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; code?: string } };
