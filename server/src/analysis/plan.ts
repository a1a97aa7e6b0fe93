/**
 * A change to the workspace that a code action, a palette command or the CLI carries out: edits to the file being
 * analyzed plus new files to create. Produced by the reverse-migration generator, the expand-contract rewrites, the
 * expand/contract split and the phase scaffolder; the language server turns it into one `WorkspaceEdit`, the CLI
 * prints or writes it. Paths are as the `ProjectHost` names them (absolute, `/` or `\`); offsets are UTF-16 code
 * units of the file's current text. Invariant: a plan never overwrites an existing non-empty file; when the target
 * exists, the producer puts it in `conflicts` instead, so the caller can offer a diff.
 */
import type { TextEdit } from './rule';

/** Which deploy a migration file belongs to in an expand-contract sequence. */
export type PhaseKind = 'expand' | 'backfill' | 'validate' | 'switch' | 'contract' | 'standalone';

/** One migration of a multi-deploy change, before it is given a file name by the folder's convention. */
export interface Phase {
  kind: PhaseKind;
  /** Slug for the file name: `add_full_name`, `backfill_full_name`, `drop_name`. */
  name: string;
  /** The forward SQL (without the header comment; `header` is prepended when written). */
  up: string;
  /** Its rollback, when the convention has rollbacks; `-- IRREVERSIBLE: reason` lines where it cannot be undone. */
  down?: string;
  /** One or two comment lines saying which deploy this belongs to ("Deploy 2 of 3: after the release that writes both columns"). */
  header: string;
  /** False when the phase must run outside a transaction block (CONCURRENTLY, COMMIT per batch). */
  inTransaction: boolean;
}

export interface FileToCreate {
  path: string;
  text: string;
}

export interface WorkspacePlan {
  /** Short imperative title: "Rewrite as expand-contract (3 migrations)". */
  title: string;
  /** Edits to the analyzed file. */
  edits: TextEdit[];
  /** Edits to other existing files (a line appended to `sqitch.plan`, a down section of a separate file). */
  fileEdits?: { path: string; edits: TextEdit[] }[];
  /** New files, in the order to create and show them. Never an existing non-empty file. */
  create: FileToCreate[];
  /** Files that would have been written but already exist with content: the caller offers a diff instead. */
  conflicts?: FileToCreate[];
  /** Safe in its context without review. */
  preferred?: boolean;
}
