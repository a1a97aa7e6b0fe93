/**
 * Splits a migration that mixes expand and contract steps (`ban-mixed-expand-contract`) into two: the expand (and
 * neutral) statements stay in this file, the contract statements move to a new migration named by the folder's
 * convention, after every existing one. Rollback statements move with them when the rollback is a section or a file
 * we can map (a down statement about only the moved objects); otherwise a note says what to move by hand.
 * Pure: everything is read through the `ProjectHost`; `initParser()` must have resolved.
 */
import { classifyStatements, phasesOf } from '../phase';
import { parseFile, type Statement } from '../parse';
import type { WorkspacePlan } from '../plan';
import type { TextEdit } from '../rule';
import { basename, type ProjectHost } from '../project/host';
import { migrationContext } from '../project/context';
import { newMigrationFiles } from '../project/naming';

export interface SplitOptions {
  now?: Date;
}

export type SplitPlan = WorkspacePlan & { notes: string[] };

/** Deletes a statement through its `;` and the rest of its line when only blanks follow. */
function deletion(text: string, s: Statement): TextEdit {
  let end = s.end;
  let i = end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') end = i + 1;
  let start = s.span.start;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && end > s.end) start = lineStart;
  return { start, end, newText: '' };
}

function statementSql(text: string, s: Statement): string {
  const sql = text.slice(s.span.start, s.end).trimEnd();
  return sql.endsWith(';') ? sql : `${sql};`;
}

const intersects = (a: readonly string[], b: ReadonlySet<string>) => a.some((x) => b.has(x));

export function splitMigration(path: string, host: ProjectHost, text: string, opts: SplitOptions = {}): SplitPlan {
  const ctx = migrationContext(path, host, { text });
  const conv = ctx.convention;
  const statements = parseFile(ctx.text).statements;
  const classified = classifyStatements(statements, { catalog: ctx.catalog() });
  const moving = classified.filter((c) => phasesOf(c).includes('contract'));
  const staying = classified.filter((c) => !phasesOf(c).includes('contract'));
  const notes: string[] = [];
  const empty: SplitPlan = { title: 'Split into expand and contract migrations', edits: [], create: [], preferred: false, notes };
  if (moving.length === 0 || !staying.some((c) => phasesOf(c).includes('expand'))) {
    notes.push('Nothing to split: the migration does not mix expand and contract steps.');
    return empty;
  }
  for (const c of moving.filter((m) => m.parts?.includes('expand'))) {
    notes.push(`Statement ${c.statementIndex + 1} both expands and contracts; it moves whole to the contract migration.`);
  }
  const byIndex = new Map(statements.map((s) => [s.index, s]));
  const moved = moving.map((c) => byIndex.get(c.statementIndex)!);
  const first = moved[0].index;
  // Session settings before the first moved statement (lock_timeout, search_path) apply to it too: copied, not moved.
  const settings = statements.filter((s) => s.index < first && s.kind === 'VariableSetStmt').map((s) => statementSql(ctx.text, s));
  const up = [...settings, ...moved.map((s) => statementSql(ctx.text, s))].join('\n') + '\n';
  const edits: TextEdit[] = moved.map((s) => deletion(text, s));

  // The rollback: down statements that touch only moved objects go with them.
  const movedObjects = new Set(moving.flatMap((c) => c.objects));
  const keptObjects = new Set(staying.flatMap((c) => c.objects));
  let down: string | undefined;
  const downEdits: TextEdit[] = [];
  if (ctx.downPath && ctx.downText !== undefined) {
    const downStatements = parseFile(ctx.downText).statements;
    const downClassified = classifyStatements(downStatements);
    const take = downClassified.filter((c) => intersects(c.objects, movedObjects) && !intersects(c.objects, keptObjects));
    const unclear = downClassified.filter((c) => intersects(c.objects, movedObjects) && intersects(c.objects, keptObjects));
    const downById = new Map(downStatements.map((s) => [s.index, s]));
    down = take.map((c) => statementSql(ctx.downText!, downById.get(c.statementIndex)!)).join('\n') + (take.length ? '\n' : '');
    const source = ctx.downPath === path ? text : (host.readFile(ctx.downPath) ?? ctx.downText);
    for (const c of take) downEdits.push(deletion(source, downById.get(c.statementIndex)!));
    if (unclear.length) notes.push(`${unclear.length} rollback statement(s) in ${basename(ctx.downPath)} touch both kept and moved objects: left in place; move what undoes the contract steps by hand.`);
    if (take.length === 0) notes.push(`No rollback statement of ${basename(ctx.downPath)} undoes only the moved steps: the new migration's rollback is empty.`);
  } else if (conv.downExpectation === 'required') {
    notes.push('The rollback of this migration was not found: write the new migration\'s rollback by hand.');
  }

  const what = [...movedObjects].map((o) => `\`${o}\``).join(', ');
  const files = newMigrationFiles(path, host, [
    {
      name: `${conv.name || basename(path).replace(/\.sql$/i, '')}_contract`,
      header: `Contract, split from ${basename(path)}: run only after the release that stops using ${what} is deployed everywhere.`,
      up,
      down,
      inTransaction: ctx.assumeInTransaction || conv.wrapsInTransaction || conv.tool === 'none',
    },
  ], { now: opts.now });
  notes.push(...files.notes);
  const fileEdits = [...files.edits];
  if (downEdits.length) {
    if (ctx.downPath === path) edits.push(...downEdits);
    else fileEdits.push({ path: ctx.downPath!, edits: downEdits });
  }
  return {
    title: 'Split into expand and contract migrations',
    edits: edits.sort((a, b) => a.start - b.start),
    fileEdits,
    create: files.create,
    conflicts: files.conflicts,
    preferred: false,
    notes,
  };
}
