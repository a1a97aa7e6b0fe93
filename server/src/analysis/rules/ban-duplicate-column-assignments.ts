/**
 * The same column assigned or defined twice in one statement: UPDATE … SET, INSERT column lists, CREATE TABLE and view
 * column lists (all rejected by PostgreSQL), and ALTER TABLE subcommands that change the same property of a column
 * twice (rejected, or applied in PostgreSQL's own order rather than the written one).
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, CreateStmt, InsertStmt, Node, ResTarget, UpdateStmt, ViewStmt } from '@pgsql/types';
import { as, strings } from '../ast';
import { alterTableCommands, closing, createTableElements, isPunct, isWord, once, splitTopLevel, statementTokens } from '../parts';
import { defineRule, type Fix } from '../rule';
import type { Span } from '../text';
import type { Token } from '../tokens';

/** The property of a column an ALTER TABLE subcommand changes; subcommands not listed are not compared. */
const ASPECT: Record<string, string> = {
  AT_AlterColumnType: 'type',
  AT_ColumnDefault: 'default',
  AT_SetNotNull: 'NOT NULL',
  AT_DropNotNull: 'NOT NULL',
  AT_SetStatistics: 'statistics target',
  AT_SetStorage: 'storage',
  AT_SetCompression: 'compression',
  AT_AddColumn: 'add',
  AT_DropColumn: 'drop',
};

/** Indices of the entries after the first in each group of equal keys (groups of one are skipped). */
function duplicates<T>(items: readonly T[], key: (t: T) => string | undefined, skipGroup?: (group: T[]) => boolean): number[] {
  const groups = new Map<string, number[]>();
  items.forEach((t, i) => {
    const k = key(t);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  return [...groups.values()].filter((g) => g.length > 1 && !skipGroup?.(g.map((i) => items[i]))).flatMap((g) => g.slice(1)).sort((a, b) => a - b);
}

/** First token of each comma-separated element of the parenthesized list opening at `open`. */
function listHeads(tokens: readonly Token[], open: number): Token[] | undefined {
  const close = open >= 0 ? closing(tokens, open) : -1;
  if (close < 0) return undefined;
  return splitTopLevel(tokens, open + 1, close).map(([s]) => tokens[s]);
}

/** Index of the first token at bracket depth 0 for which `test` holds, from `from`. */
function topLevel(tokens: readonly Token[], test: (t: Token) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (depth === 0 && test(t)) return i;
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    else if (isPunct(t, ')') || isPunct(t, ']')) depth--;
  }
  return -1;
}

/** The column-name token of each UPDATE target, in `targetList` order (`(a, b) = …` gives two). */
function updateTargets(tokens: readonly Token[], count: number): Token[] | undefined {
  const set = topLevel(tokens, (t) => isWord(t, 'set'), 1);
  if (set < 0) return undefined;
  let end = topLevel(tokens, (t) => isWord(t, 'from') || isWord(t, 'where') || isWord(t, 'returning'), set + 1);
  if (end < 0) end = tokens.length;
  const heads: Token[] = [];
  for (const [s] of splitTopLevel(tokens, set + 1, end)) {
    if (isPunct(tokens[s], '(')) heads.push(...(listHeads(tokens, s) ?? []));
    else heads.push(tokens[s]);
  }
  return heads.length === count ? heads : undefined;
}

const spanOf = (t: Token | undefined): Span | undefined => (t ? { start: t.start, end: t.end } : undefined);

export default defineRule({
  id: 'ban-duplicate-column-assignments',
  description: 'A statement should not assign, define or change the same column twice.',
  category: 'correctness',
  defaultSeverity: 'error',
  recommended: true,
  fixable: true,
  messages: {
    update: 'UPDATE assigns `{column}` more than once: PostgreSQL rejects it with "multiple assignments to same column".',
    insert: 'INSERT lists `{column}` more than once: PostgreSQL rejects it with "column specified more than once".',
    createTable: 'CREATE TABLE defines `{column}` more than once: PostgreSQL rejects it with "column specified more than once".',
    view: 'The view names its column `{column}` more than once: PostgreSQL rejects it with "column specified more than once".',
    typeTwice: 'ALTER TABLE changes the type of `{column}` twice: PostgreSQL rejects it with "cannot alter type of column twice".',
    addTwice: 'ALTER TABLE adds `{column}` twice: PostgreSQL rejects the second ADD COLUMN because the column already exists.',
    dropTwice: 'ALTER TABLE drops `{column}` twice: PostgreSQL rejects the second DROP COLUMN because the column is already gone.',
    redundant: 'ALTER TABLE sets the {aspect} of `{column}` {count}: only the last one has any effect.',
    conflicting: 'ALTER TABLE changes the {aspect} of `{column}` in opposite ways: PostgreSQL runs the subcommands in its own order, not as written (a DROP runs before a SET wherever it is written), so the result may not be what the statement reads like.',
  },
  help: 'Assign or change each column once per statement; when two changes are really meant, put them in separate statements.',
  docs: {
    rationale:
      'PostgreSQL rejects an UPDATE that assigns a column twice (`SET a = 1, a = 2`), and an INSERT, CREATE TABLE or CREATE VIEW that names a column twice; the names compare after case folding, so `a` and `A` are the same column. Assigning different parts of one column (`a[1] = …, a[2] = …`, or fields of a composite) is allowed. These checks follow squawk\'s rule of the same id.\n\n' +
      'Migration Guard also checks ALTER TABLE, where it is easy to touch a column twice when subcommands are merged. Changing a type twice, or adding or dropping the same column twice, fails. Setting the same property twice is accepted, and only the last setting counts, so the fix removes the earlier ones (the result is the same; checked on PostgreSQL 15 for DEFAULT, NOT NULL, STATISTICS, STORAGE and COMPRESSION). Setting and dropping it in one statement is worse: ALTER TABLE runs its subcommands in passes, and `ALTER COLUMN a SET DEFAULT 5, ALTER COLUMN a DROP DEFAULT` leaves the default 5, because the DROP runs first. On by default; its severity is error rather than squawk\'s warning, because most of these statements fail when they run.',
    bad: [
      'UPDATE users SET name = \'a\', email = \'b\', name = \'c\';',
      'ALTER TABLE users ALTER COLUMN status SET DEFAULT \'new\', ALTER COLUMN status SET DEFAULT \'active\';',
      'ALTER TABLE users ALTER COLUMN status SET NOT NULL, ALTER COLUMN status DROP NOT NULL;',
    ],
    good: [
      'UPDATE users SET name = \'a\', email = \'b\';',
      'UPDATE matrix SET cells[1] = 0, cells[2] = 0;',
      'ALTER TABLE users ALTER COLUMN status TYPE text, ALTER COLUMN status SET DEFAULT \'new\';',
      'ALTER TABLE users DROP COLUMN legacy, ADD COLUMN legacy jsonb;',
    ],
  },
  check({ statement, report }) {
    const node = statement.node;
    // Scanning is needed only to place a finding, so it waits until there is one.
    const tokens = once(() => statementTokens(statement));

    const update = as<UpdateStmt>(node, 'UpdateStmt');
    const insert = as<InsertStmt>(node, 'InsertStmt');
    if (update || insert) {
      const targets = ((update ? update.targetList : insert!.cols) ?? []).map((n: Node) => as<ResTarget>(n, 'ResTarget')).filter((t): t is ResTarget => !!t);
      // Assigning distinct parts of one column (array elements, composite fields) is allowed.
      const dups = duplicates(targets, (t) => t.name, (group) => group.every((t) => (t.indirection ?? []).length > 0));
      if (dups.length === 0) return;
      let heads: Token[] | undefined;
      if (update) heads = updateTargets(tokens(), targets.length);
      else {
        const into = topLevel(tokens(), (t) => isWord(t, 'into'));
        heads = listHeads(tokens(), into < 0 ? -1 : topLevel(tokens(), (t) => isPunct(t, '('), into));
        if (heads?.length !== targets.length) heads = undefined;
      }
      for (const i of dups) report({ messageId: update ? 'update' : 'insert', data: { column: targets[i].name ?? '?' }, span: spanOf(heads?.[i]) });
      return;
    }

    const create = as<CreateStmt>(node, 'CreateStmt');
    if (create) {
      const elts = create.tableElts ?? [];
      const parts = once(() => createTableElements(statement, create));
      const names = elts.map((e) => as<ColumnDef>(e, 'ColumnDef')?.colname);
      for (const i of duplicates(names, (n) => n)) report({ messageId: 'createTable', data: { column: names[i]! }, span: spanOf(parts()?.[i].tokens[0]) });
      return;
    }

    const view = as<ViewStmt>(node, 'ViewStmt');
    if (view) {
      const aliases = strings(view.aliases);
      if (aliases.length > 0) {
        const dups = duplicates(aliases, (a) => a);
        if (dups.length === 0) return;
        const t = tokens();
        const name = topLevel(t, (x) => isWord(x, 'view'));
        const open = name < 0 ? -1 : name + 1 + t.slice(name + 1).findIndex((x) => isPunct(x, '(') || isWord(x, 'as'));
        const heads = isPunct(t[open], '(') ? listHeads(t, open) : undefined;
        for (const i of dups) report({ messageId: 'view', data: { column: aliases[i] }, span: spanOf(heads?.length === aliases.length ? heads[i] : undefined) });
        return;
      }
      // Without a column list, explicit aliases name the columns (`SELECT 1 AS a, 2 AS a`).
      const select = as<{ targetList?: Node[] }>(view.query, 'SelectStmt');
      const names = (select?.targetList ?? []).map((n) => as<ResTarget>(n, 'ResTarget')?.name);
      for (const i of duplicates(names, (n) => n)) report({ messageId: 'view', data: { column: names[i]! } });
      return;
    }

    const alter = as<AlterTableStmt>(node, 'AlterTableStmt');
    if (!alter?.relation) return;
    const cmds = (alter.cmds ?? []).map((c) => as<AlterTableCmd>(c, 'AlterTableCmd'));
    const located = once(() => alterTableCommands(statement, alter));
    const columnOf = (cmd: AlterTableCmd | undefined) => (cmd?.subtype === 'AT_AddColumn' ? as<ColumnDef>(cmd.def, 'ColumnDef')?.colname : cmd?.name);
    const groups = new Map<string, number[]>();
    cmds.forEach((cmd, i) => {
      const aspect = cmd?.subtype ? ASPECT[cmd.subtype] : undefined;
      const column = columnOf(cmd);
      if (!aspect || !column) return;
      const key = `${column}\u0000${aspect}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const [key, group] of groups) {
      if (group.length < 2) continue;
      const [column, aspect] = key.split('\u0000');
      const parts = located();
      const span = (i: number): Span | undefined => parts?.[i].span;
      const later = group.slice(1);
      if (aspect === 'type') {
        for (const i of later) report({ messageId: 'typeTwice', data: { column }, span: span(i) });
      } else if (aspect === 'add' || aspect === 'drop') {
        // A repeated ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS is skipped with a notice, not an error.
        for (const i of later) if (!cmds[i]?.missing_ok) report({ messageId: aspect === 'add' ? 'addTwice' : 'dropTwice', data: { column }, span: span(i) });
      } else {
        // SET DEFAULT x and DROP DEFAULT are one subtype; the def tells them apart.
        const variant = (i: number) => `${cmds[i]?.subtype}${cmds[i]?.subtype === 'AT_ColumnDefault' && !cmds[i]?.def ? ':drop' : ''}`;
        const last = group[group.length - 1];
        if (group.every((i) => variant(i) === variant(last))) {
          const fix: Fix | undefined = parts
            ? {
                title: 'Remove the earlier subcommands',
                edits: group.slice(0, -1).map((i) => ({ start: parts[i].span.start, end: parts[i + 1].span.start, newText: '' })),
                preferred: true,
              }
            : undefined;
          report({ messageId: 'redundant', data: { column, aspect, count: group.length === 2 ? 'twice' : `${group.length} times` }, span: span(last), fix });
        } else {
          report({ messageId: 'conflicting', data: { column, aspect }, span: span(last) });
        }
      }
    }
  },
});
