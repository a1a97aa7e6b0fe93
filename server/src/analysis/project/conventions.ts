/**
 * The convention a migration file follows: which tool runs it, in which role and order, what its counterpart is,
 * whether the tool wraps it in a transaction, and whether a missing rollback matters. Built on the file-name level
 * (`layout.ts`) plus what only the text says: single-file up/down sections, transaction directives, empty files.
 *
 * Transactions, per tool (what the tool does when it runs one migration file on PostgreSQL):
 * - wraps (BEGIN … COMMIT around each migration): diesel (unless `metadata.toml` `run_in_transaction = false`),
 *   dbmate (unless `transaction:false` on the block's directive), goose (unless `-- +goose NO TRANSACTION`),
 *   node-pg-migrate, Flyway (unless the script holds a statement Flyway knows cannot run in a transaction, or its
 *   `.conf` says `executeInTransaction=false`), gobuffalo/pop, Ory popx (unless `.autocommit.`), graphile-worker,
 *   postgres-migrations (unless `-- postgres-migrations disable-transaction`), sqlx (unless the file starts with
 *   `-- no-transaction`), Supabase CLI (the statements and the history insert go as one pgx batch: an implicit
 *   transaction even for a one-statement file).
 * - does not wrap: golang-migrate and Prisma send the whole file as one simple query, which PostgreSQL runs as one
 *   implicit transaction when it holds more than one statement (`implicitTransaction`); sqitch (its scripts carry
 *   their own BEGIN/COMMIT); temporal-sql-tool (statement by statement).
 */
import type { Span } from '../text';
import { basename, dirname, joinPath, listDir, readText, type ProjectHost } from './host';
import { buildSequence, locate, samePath, type MigrationRole, type MigrationStep, type MigrationTool, type SequenceLayout } from './layout';
import { dieselRunInTransaction, flywayExecuteInTransaction } from './metadata';
import { sectionsOf, type Sections } from './sections';
import { isCommentOnly, withoutComments } from './sqltext';

export type { MigrationRole, MigrationTool } from './layout';

export interface MigrationConvention {
  tool: MigrationTool;
  role: MigrationRole;
  /** The version as the tool reads it (`42`, `20220513200300000000`, `2.1`, a sqitch change); none outside a sequence. */
  version?: string;
  /**
   * The file's place in the tool's apply order within `sequence`, as a key that sorts as a plain string; an up and
   * its down share it. Undefined when the tool does not run the file as part of the sequence.
   */
  order?: string;
  /** The directory that holds the sequence (diesel/Prisma: the folder of migration folders; sqitch: the top dir). */
  sequence?: string;
  /** The descriptive part of the name. */
  name: string;
  /** The matching down for an up (or revert for a deploy), and the other way round, under the tool's pairing rule. */
  pairPath?: string;
  /** Single-file up/down formats (dbmate, goose, node-pg-migrate): UTF-16 spans of the sections. */
  sections?: { up: Span; down?: Span };
  /** The framework runs this file (its forward part, or for a down file the down) inside a transaction it opens. */
  wrapsInTransaction: boolean;
  /** For the down section of a single-file format, when it differs from the up (dbmate options are per block). */
  downWrapsInTransaction?: boolean;
  /** The tool sends the whole file as one query string: PostgreSQL runs it as one implicit transaction when it holds more than one statement. */
  implicitTransaction: boolean;
  /** What opted this file out of the framework's transaction (`-- +goose NO TRANSACTION`, `.autocommit.`, …). */
  transactionOptOut?: string;
  /** One sentence on how the tool runs this file, transaction-wise. */
  transactionNote: string;
  /** `required`: the tool and this project use rollbacks, so a missing one is a problem; `information` otherwise. */
  downExpectation: 'required' | 'information';
  /** The rollback exists but is empty or comments only (a deliberate no-op, or an irreversible migration). */
  irreversibleMarker?: boolean;
  /** The file holds only comments and whitespace. */
  empty: boolean;
  /** Ory popx dialect infix (`postgres`); undefined for a file that serves every dialect. */
  dialect?: string;
  /** Ory popx: the `.postgres.` file that PostgreSQL runs instead of this one. */
  shadowedBy?: string;
  /** Why PostgreSQL never runs this file as part of its sequence. */
  excluded?: string;
  /** Ory popx: downs are numbered to roll back a whole timestamp group, not 1:1; this is the group (14-digit timestamp). */
  rollbackGroup?: string;
  /** sqitch: the deploy, revert and verify scripts of the change. */
  companions?: { deploy?: string; revert?: string; verify?: string };
  /** Things the tool would reject or silently ignore in this file, and guesses made for lack of metadata. */
  notes: string[];
}

const TOOLS_WITH_DOWN_FILES: ReadonlySet<MigrationTool> = new Set(['golang-migrate', 'pop', 'popx']);

function stepOf(seq: SequenceLayout | undefined, order: string | undefined): MigrationStep | undefined {
  return order === undefined ? undefined : seq?.byOrder.get(order);
}

/**
 * Flyway's PostgreSQL parser marks statements that cannot run in a transaction (`detectCanExecuteInTransaction`):
 * CREATE/DROP INDEX CONCURRENTLY, CREATE/DROP DATABASE|TABLESPACE|SUBSCRIPTION, ALTER SYSTEM, REINDEX
 * SCHEMA|DATABASE|SYSTEM, VACUUM, DISCARD ALL (and ALTER TYPE … ADD VALUE before PostgreSQL 12, not modelled here).
 * A script with such a statement runs without a transaction. Statements are found by splitting on `;`, which is
 * enough for statement starts.
 */
const FLYWAY_NON_TRANSACTIONAL = [
  /^(CREATE|DROP)\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i,
  /^(CREATE|DROP)\s+(DATABASE|TABLESPACE|SUBSCRIPTION)\b/i,
  /^ALTER\s+SYSTEM\b/i,
  /^REINDEX\b(\s+\(.*?\))?(\s+VERBOSE)?\s+(SCHEMA|DATABASE|SYSTEM)\b/i,
  /^REINDEX\b[^;]*\bCONCURRENTLY\b/i,
  /^VACUUM\b/i,
  /^DISCARD\s+ALL\b/i,
];

function flywayNonTransactional(text: string): { any: boolean; all: boolean; first?: string } {
  const statements = withoutComments(text)
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  const non = statements.filter((s) => FLYWAY_NON_TRANSACTIONAL.some((re) => re.test(s)));
  return { any: non.length > 0, all: non.length > 0 && non.length === statements.length, first: non[0]?.split(/\s+/).slice(0, 4).join(' ') };
}

interface Transaction {
  wraps: boolean;
  implicit?: boolean;
  optOut?: string;
  note: string;
}

function transactionOf(tool: MigrationTool, path: string, text: string, host: ProjectHost, m: { autocommit?: boolean }, sections?: Sections): Transaction {
  switch (tool) {
    case 'golang-migrate':
      return {
        wraps: false,
        implicit: true,
        note: 'golang-migrate sends the file as one query: PostgreSQL runs several statements in one implicit transaction (unless x-multi-statement is set).',
      };
    case 'prisma':
      return {
        wraps: false,
        implicit: true,
        note: 'Prisma Migrate sends migration.sql as one simple query and opens no transaction: several statements run as one implicit transaction.',
      };
    case 'pop':
      return { wraps: true, note: 'gobuffalo/pop runs each migration in a transaction.' };
    case 'popx':
      return m.autocommit
        ? { wraps: false, optOut: '.autocommit. in the file name', note: 'Ory popx runs `.autocommit.` migrations outside a transaction.' }
        : { wraps: true, note: 'Ory popx runs each migration in a transaction (no `.autocommit.` in the name).' };
    case 'diesel': {
      const toml = readText(host, joinPath(dirname(path), 'metadata.toml'));
      if (toml !== undefined && dieselRunInTransaction(toml) === false) {
        return { wraps: false, optOut: 'metadata.toml: run_in_transaction = false', note: 'diesel runs this migration outside a transaction (metadata.toml).' };
      }
      return { wraps: true, note: 'diesel runs each migration in a transaction (no `run_in_transaction = false` in metadata.toml).' };
    }
    case 'dbmate':
      return sections?.upNoTransaction
        ? { wraps: false, optOut: sections.upNoTransaction, note: 'dbmate runs this block outside a transaction (`transaction:false`).' }
        : { wraps: true, note: 'dbmate runs each block in a transaction (no `transaction:false` on `-- migrate:up`).' };
    case 'goose':
      return sections?.upNoTransaction
        ? { wraps: false, optOut: '-- +goose NO TRANSACTION', note: 'goose runs this migration outside a transaction (`-- +goose NO TRANSACTION`).' }
        : { wraps: true, note: 'goose runs each migration in a transaction (no `-- +goose NO TRANSACTION`).' };
    case 'node-pg-migrate':
      return { wraps: true, note: 'node-pg-migrate runs each migration in a transaction.' };
    case 'flyway': {
      const conf = readText(host, `${path}.conf`);
      const setting = conf === undefined ? undefined : flywayExecuteInTransaction(conf);
      if (setting === false) {
        return { wraps: false, optOut: `executeInTransaction=false (${basename(path)}.conf)`, note: 'Flyway runs this script outside a transaction (script configuration).' };
      }
      const non = flywayNonTransactional(text);
      if (non.any && setting !== true) {
        return {
          wraps: false,
          optOut: `non-transactional statement (${non.first} …)`,
          note: non.all
            ? 'Flyway runs this script outside a transaction: its statements cannot run in one.'
            : 'Flyway runs this script outside a transaction, and refuses it unless `mixed` is enabled: it mixes statements that cannot run in a transaction with ones that can.',
        };
      }
      return { wraps: true, note: 'Flyway runs each versioned or repeatable script in a transaction.' };
    }
    case 'sqitch':
      return { wraps: false, note: 'sqitch runs the script as it is; sqitch scripts carry their own BEGIN/COMMIT.' };
    case 'supabase':
      return { wraps: true, note: 'The Supabase CLI sends the statements and the history insert as one batch: one implicit transaction.' };
    case 'graphile-worker':
      return { wraps: true, note: 'graphile-worker runs each migration between BEGIN and COMMIT.' };
    case 'postgres-migrations':
      return /--\s*postgres-migrations disable-transaction/.test(text)
        ? { wraps: false, optOut: '-- postgres-migrations disable-transaction', note: 'postgres-migrations runs this file outside a transaction.' }
        : { wraps: true, note: 'postgres-migrations runs each migration in a transaction (no `-- postgres-migrations disable-transaction`).' };
    case 'sqlx':
      return text.startsWith('-- no-transaction')
        ? { wraps: false, optOut: '-- no-transaction', note: 'sqlx runs this migration outside a transaction (`-- no-transaction`).' }
        : { wraps: true, note: 'sqlx runs each migration in a transaction (the file does not start with `-- no-transaction`).' };
    case 'temporal':
      return { wraps: false, note: 'temporal-sql-tool runs the statements one by one, outside a transaction.' };
    case 'none':
      return { wraps: false, note: 'No migration tool recognized: the file is assumed to run as written.' };
  }
}

/** Does the sequence use single-file down sections? Checks this file and up to five files before it. */
function sequenceUsesDownSections(tool: 'goose' | 'node-pg-migrate', seq: SequenceLayout | undefined, order: string | undefined, host: ProjectHost): boolean {
  if (!seq || order === undefined) return false;
  const before = seq.steps.filter((s) => s.order < order && s.forward).slice(-5);
  return before.some((s) => {
    const text = readText(host, s.forward!);
    return text !== undefined && sectionsOf(tool, text).down !== undefined;
  });
}

/**
 * Detects the convention of the migration at `path`. `text` is the file's current text when the caller has it (an
 * open editor buffer); otherwise the host reads it. Folder listings and counterparts come from the host.
 */
export function detectConvention(path: string, host: ProjectHost, text?: string): MigrationConvention {
  const content = text ?? readText(host, path) ?? '';
  const m = locate(path, host, content);
  const seq = m.sequence !== undefined && m.tool !== 'none' ? buildSequence(m.tool, m.sequence, host) : undefined;
  const step = stepOf(seq, m.excluded ? undefined : m.order);
  const notes = [...m.notes];
  const sectionTool = m.tool === 'goose' || m.tool === 'dbmate' || m.tool === 'node-pg-migrate' ? m.tool : undefined;
  const sections = sectionTool ? sectionsOf(sectionTool, content) : undefined;
  if (sections) notes.push(...sections.notes);
  const tx = transactionOf(m.tool, path, content, host, m, sections);

  const conv: MigrationConvention = {
    tool: m.tool,
    role: m.role,
    version: m.version,
    order: m.excluded ? undefined : m.order,
    sequence: m.sequence,
    name: m.name,
    wrapsInTransaction: tx.wraps,
    implicitTransaction: tx.implicit ?? false,
    transactionNote: tx.note,
    downExpectation: 'information',
    empty: isCommentOnly(content),
    notes,
  };
  if (tx.optOut) conv.transactionOptOut = tx.optOut;
  if (m.excluded) conv.excluded = m.excluded;
  if (m.dialect) conv.dialect = m.dialect;

  const shadow = step?.shadowed.find((s) => samePath(s.path, path));
  if (shadow) {
    conv.shadowedBy = shadow.by;
    conv.excluded = `shadowed by ${basename(shadow.by)}: for PostgreSQL the \`.postgres.\` file of the same version and direction runs instead`;
  }

  switch (m.tool) {
    case 'golang-migrate':
    case 'pop':
    case 'popx': {
      if (!shadow && step) conv.pairPath = m.direction === 'up' ? step.backward : step.forward;
      const usesDowns = seq?.files.some((f) => f.direction === 'down' && !f.excluded) ?? false;
      conv.downExpectation = usesDowns ? 'required' : 'information';
      if (m.tool === 'popx' && m.version) conv.rollbackGroup = m.version.slice(0, 14);
      break;
    }
    case 'diesel': {
      const other = m.direction === 'up' ? 'down.sql' : 'up.sql';
      if (listDir(host, dirname(path)).includes(other)) conv.pairPath = joinPath(dirname(path), other);
      conv.downExpectation = 'required';
      break;
    }
    case 'flyway': {
      if (step && m.role === 'single' && step.backward) {
        conv.role = 'up';
        conv.pairPath = step.backward;
      } else if (step && m.role === 'down') conv.pairPath = step.forward;
      // Undo scripts are a paid Flyway feature: expected only in projects that have some.
      conv.downExpectation = seq?.files.some((f) => f.role === 'down') ? 'required' : 'information';
      break;
    }
    case 'sqitch': {
      conv.companions = { deploy: step?.forward, revert: step?.backward, verify: step?.verify };
      if (m.role === 'deploy') conv.pairPath = step?.backward;
      else if (m.role === 'revert') conv.pairPath = step?.forward;
      conv.downExpectation = 'required';
      break;
    }
    case 'dbmate':
    case 'goose':
    case 'node-pg-migrate': {
      conv.sections = sections!.down ? { up: sections!.up, down: sections!.down } : { up: sections!.up };
      if (sections!.down) {
        conv.irreversibleMarker = !!sections!.downEmpty;
        conv.downWrapsInTransaction = m.tool === 'dbmate' ? !sections!.downNoTransaction : m.tool === 'goose' ? !sections!.downNoTransaction : true;
      }
      // dbmate refuses a file without a down block; goose and node-pg-migrate downs are optional, so a missing one
      // matters only in a project that writes them.
      conv.downExpectation =
        m.tool === 'dbmate' || sections!.down || sequenceUsesDownSections(m.tool, seq, conv.order, host) ? 'required' : 'information';
      if (m.tool === 'node-pg-migrate' && !sections!.down) {
        notes.push('No `-- Down Migration` section: node-pg-migrate treats the migration as irreversible.');
      }
      break;
    }
    default:
      break;
  }

  // A rollback that exists but does nothing. For a down (revert) file: itself; for an up: its pair.
  if (m.direction === 'down' || m.role === 'revert' || m.role === 'down') {
    if (conv.empty) conv.irreversibleMarker = true;
  } else if (conv.pairPath && (TOOLS_WITH_DOWN_FILES.has(m.tool) || m.tool === 'diesel' || m.tool === 'flyway' || m.tool === 'sqitch')) {
    const pair = readText(host, conv.pairPath);
    if (pair !== undefined && isCommentOnly(pair)) conv.irreversibleMarker = true;
  }
  if (seq) notes.push(...seq.notes.filter((n) => n.includes(basename(path))));
  return conv;
}
