/**
 * `reverseMigration`: the down migration of an up, statement by statement: the inverse of each statement in reverse
 * order, SET/RESET kept at the top, BEGIN … COMMIT framing kept. Statements whose inverse needs the schema before
 * the up read it from the catalog (earlier migrations, then the file's earlier statements, applied as we go). What
 * cannot be undone becomes an `-- IRREVERSIBLE: <reason>` line and an entry in `irreversible`; then `complete` is
 * false. Like `analyze`, it needs `initParser()` to have resolved.
 */
import type { AlterTableCmd, AlterTableStmt, Node } from '@pgsql/types';
import { Catalog } from '../catalog';
import { as, kindOf, statementLabel } from '../ast';
import { DEFAULT_POSTGRES_VERSION } from '../options';
import { parseFile, type Statement } from '../parse';
import type { Span } from '../text';
import type { Inverse, ReverseContext, Reverser } from './reverser';
import { REVERSERS_BY_HANDLE } from './steps';

export { REVERSERS } from './steps';
export type { Reverser, ReverserExample, ReverseContext, Inverse } from './reverser';

export interface ReverseOptions {
  /** The schema before the up (the catalog of the earlier migrations). Not modified. */
  catalog?: Catalog;
  /** The tool runs the file inside a transaction. */
  assumeInTransaction?: boolean;
  postgresVersion?: number;
}

export interface ReverseStep {
  statementIndex: number;
  span: Span;
  reverserId: string;
  /** The statements that undo it, each ending with `;` (absent when nothing is needed or possible). */
  sql?: string;
  irreversible?: string;
}

export interface ReverseResult {
  /** The down migration. */
  sql: string;
  /** Every statement is undone (no IRREVERSIBLE line). */
  complete: boolean;
  steps: ReverseStep[];
  irreversible: Array<{ statementIndex: number; span: Span; reason: string }>;
}

/** The id reported for statements no reverser handles, and for ones that do not parse. */
const UNKNOWN = 'unknown';

interface Undone {
  statement: Statement;
  reverserId: string;
  inverse: Inverse;
}

type Item = { undone: Undone } | { block: Item[] };

/** The reverser for a key (`DropStmt.OBJECT_TABLE`), falling back to the node type (`DropStmt`). */
function reverserFor(kind: string, sub: string | undefined): Reverser | undefined {
  return (sub ? REVERSERS_BY_HANDLE.get(`${kind}.${sub}`) : undefined) ?? REVERSERS_BY_HANDLE.get(kind);
}

function subKind(kind: string, inner: Record<string, unknown>): string | undefined {
  if (kind === 'DropStmt') return inner.removeType as string;
  if (kind === 'RenameStmt') return inner.renameType as string;
  return undefined;
}

function safely(r: Reverser, node: unknown, ctx: ReverseContext): Inverse {
  try {
    return r.reverse(node, ctx);
  } catch (e) {
    return { sql: [], irreversible: [`the reverse of this statement could not be generated (${(e as Error).message})`] };
  }
}

/**
 * ALTER TABLE subcommands in the order PostgreSQL runs them (its passes, `AlterTablePass`): drops, then type changes,
 * then added columns, then the rest, then added constraints; written order within a pass. So a constraint on a
 * column the same statement adds is undone before the column (whose drop would take the constraint with it).
 */
function inPassOrder(cmds: Node[]): Node[] {
  const pass = (c: Node): number => {
    const t = as<AlterTableCmd>(c, 'AlterTableCmd')?.subtype;
    if (t === 'AT_DropColumn' || t === 'AT_DropConstraint') return 0;
    if (t === 'AT_AlterColumnType') return 1;
    if (t === 'AT_AddColumn') return 2;
    if (t === 'AT_AddConstraint') return 4;
    return 3;
  };
  return cmds.map((c, i) => ({ c, i, p: pass(c) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.c);
}

/** The inverses of one statement: one per ALTER TABLE subcommand, else one. */
function reverseStatement(statement: Statement, ctx: ReverseContext): Undone[] {
  const node = statement.node as Node | undefined;
  if (!node) {
    return [{ statement, reverserId: UNKNOWN, inverse: { sql: [], irreversible: [`the statement does not parse (${statement.error?.message ?? 'syntax error'})`] } }];
  }
  const kind = kindOf(node);
  const inner = (node as unknown as Record<string, Record<string, unknown>>)[kind];
  if (kind === 'AlterTableStmt') {
    const alter = inner as AlterTableStmt;
    const out: Undone[] = [];
    const cmds = inPassOrder(alter.cmds ?? []);
    cmds.forEach((c, at) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const r = cmd && reverserFor('AlterTableCmd', cmd.subtype);
      const sub = (cmd?.subtype ?? '').replace(/^AT_/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
      // A constraint is named when the subcommands before it have run (a DROP CONSTRAINT frees its name).
      let catalog = ctx.catalog;
      if (cmd?.subtype === 'AT_AddConstraint' && at > 0) {
        catalog = ctx.catalog.clone();
        catalog.apply({ AlterTableStmt: { ...alter, cmds: cmds.slice(0, at) } } as Node);
      }
      out.push(
        r
          ? { statement, reverserId: r.id, inverse: safely(r, cmd, { ...ctx, catalog, relation: alter.relation }) }
          : { statement, reverserId: UNKNOWN, inverse: { sql: [], irreversible: [`no reverse is known for ALTER TABLE … ${sub}`] } },
      );
    });
    // In the order PostgreSQL runs them: the emitter undoes items last first.
    return out;
  }
  const r = reverserFor(kind, subKind(kind, inner));
  if (!r) return [{ statement, reverserId: UNKNOWN, inverse: { sql: [], irreversible: [`no reverse is known for ${statementLabel(kind)}`] } }];
  return [{ statement, reverserId: r.id, inverse: safely(r, inner, ctx) }];
}

function transactionKind(s: Statement): 'begin' | 'end' | undefined {
  const t = as<{ kind?: string }>(s.node, 'TransactionStmt')?.kind;
  if (t === 'TRANS_STMT_BEGIN' || t === 'TRANS_STMT_START') return 'begin';
  if (t === 'TRANS_STMT_COMMIT' || t === 'TRANS_STMT_ROLLBACK' || t === 'TRANS_STMT_COMMIT_PREPARED') return 'end';
  return undefined;
}

/** An entry of `Inverse.sql` as text: a statement gets its `;`, a comment-only entry stays as it is. */
function statementText(sql: string): string {
  const body = sql.split('\n').filter((l) => !/^\s*--/.test(l));
  return body.some((l) => l.trim()) ? `${sql};` : sql;
}

/** Reverses the migration `text`; see the module comment. */
export function reverseMigration(text: string, opts: ReverseOptions = {}): ReverseResult {
  const file = parseFile(text);
  const initial = opts.catalog ?? new Catalog();
  const catalog = initial.clone();
  const postgresVersion = opts.postgresVersion ?? DEFAULT_POSTGRES_VERSION;

  const root: Item[] = [];
  const stack: Item[][] = [root];
  for (const statement of file.statements) {
    const tx = transactionKind(statement);
    if (tx === 'begin') {
      const block: Item[] = [];
      stack[stack.length - 1].push({ block });
      stack.push(block);
      continue;
    }
    if (tx === 'end') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const ctx: ReverseContext = { catalog, initial, statement, postgresVersion, inTransaction: stack.length > 1 || !!opts.assumeInTransaction };
    for (const undone of reverseStatement(statement, ctx)) stack[stack.length - 1].push({ undone });
    if (statement.node) catalog.apply(statement.node as Node);
  }

  const steps: ReverseStep[] = [];
  const irreversible: ReverseResult['irreversible'] = [];
  const record = (u: Undone, last: string[]): string[] => {
    const sql = u.inverse.sql.map(statementText);
    const after = (u.inverse.last ?? []).map(statementText);
    last.push(...after);
    const step: ReverseStep = { statementIndex: u.statement.index, span: u.statement.span, reverserId: u.reverserId };
    if ((sql.length || after.length) && !u.inverse.prologue) step.sql = [...sql, ...after].join('\n');
    if (u.inverse.prologue) step.sql = statementText(u.statement.text);
    if (u.inverse.irreversible?.length) step.irreversible = u.inverse.irreversible.join('; ');
    for (const reason of u.inverse.irreversible ?? []) irreversible.push({ statementIndex: u.statement.index, span: u.statement.span, reason });
    steps.push(step);
    // One comment line each: a reason quoting a name with a line break must not spill SQL out of the comment.
    return [...(u.inverse.irreversible ?? []).map((r) => `-- IRREVERSIBLE: ${r.replace(/\s*[\r\n]+\s*/g, ' ')}`), ...sql];
  };
  const emit = (items: Item[]): string[] => {
    const lines: string[] = [];
    // Inverses' `last` statements, in the order the down reaches them, after all the rest.
    const last: string[] = [];
    // SET / RESET first, as written (they configure the session for what follows), then the inverses, last first.
    for (const it of items) if ('undone' in it && it.undone.inverse.prologue) lines.push(...record(it.undone, last), statementText(it.undone.statement.text));
    for (const it of [...items].reverse()) {
      if ('block' in it) lines.push('BEGIN;', ...emit(it.block), 'COMMIT;');
      else if (!it.undone.inverse.prologue) lines.push(...record(it.undone, last));
    }
    return [...lines, ...last];
  };
  const lines = emit(root);
  steps.sort((a, b) => a.statementIndex - b.statementIndex);
  irreversible.sort((a, b) => a.statementIndex - b.statementIndex);
  return { sql: lines.length ? `${lines.join('\n')}\n` : '', complete: irreversible.length === 0, steps, irreversible };
}

export { catalogWithLive, liveSchemaSql, unknownDefinitions, type LiveObject, type LiveSchema } from './live';
