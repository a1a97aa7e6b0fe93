/**
 * Where the parts of a parsed statement sit in its text: the elements of CREATE TABLE, the subcommands of ALTER TABLE,
 * a column definition's name and type. Found with PostgreSQL's scanner (`tokens.ts`) and matched to the parse tree by
 * position in their list, because the tree's `location`s have a base that depends on how the file parsed.
 * Offsets are UTF-16 into the file. Whenever text and tree do not line up, a function returns `undefined`, so a rule
 * falls back to the statement's span and offers no fix rather than editing the wrong place.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, RangeVar, TypeName } from '@pgsql/types';
import { as, columnConstraints, relationKey, strings } from './ast';
import type { Catalog } from './catalog';
import type { Statement } from './parse';
import type { Span } from './text';
import { tokenize, type Token } from './tokens';

/** A run of tokens: one element of a list. */
export interface Part {
  tokens: Token[];
  span: Span;
}

const tokenCache = new WeakMap<Statement, Token[]>();

/** The statement's tokens (comments dropped), with offsets into the file. Empty when the scanner rejects the text. */
export function statementTokens(statement: Statement): Token[] {
  let tokens = tokenCache.get(statement);
  if (!tokens) {
    const base = statement.span.start;
    tokens = tokenize(statement.text).map((t) => ({ ...t, start: t.start + base, end: t.end + base }));
    tokenCache.set(statement, tokens);
  }
  return tokens;
}

/** True for the punctuation token `ch` (a quoted identifier never is). */
export function isPunct(t: Token | undefined, ch: string): boolean {
  return !!t && t.text === ch;
}

/** True for the unquoted word `word` (lower case). */
export function isWord(t: Token | undefined, word: string): boolean {
  return !!t && t.word === word && !t.text.startsWith('"');
}

/** Index of the bracket closing the one at `open`, or -1. */
export function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const x = tokens[i].text;
    if (x === '(' || x === '[') depth++;
    else if ((x === ')' || x === ']') && --depth === 0) return i;
  }
  return -1;
}

/** Splits `tokens[from, to)` at commas outside brackets, as `[start, end)` index ranges. */
export function splitTopLevel(tokens: readonly Token[], from = 0, to = tokens.length): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const x = tokens[i].text;
    if (x === '(' || x === '[') depth++;
    else if (x === ')' || x === ']') depth--;
    else if (x === ',' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  if (to > from) out.push([start, to]);
  return out;
}

function part(tokens: readonly Token[], [s, e]: [number, number]): Part | undefined {
  if (e <= s) return undefined;
  const slice = tokens.slice(s, e);
  return { tokens: slice, span: { start: slice[0].start, end: slice[slice.length - 1].end } };
}

/**
 * Index just after a (possibly qualified) name starting at `i`: `a`, `a.b`, `"A".b`, and Flyway placeholders such as
 * `${schema}.users`, which the scanner cuts into adjacent pieces.
 */
export function skipName(tokens: readonly Token[], i: number): number {
  if (i >= tokens.length) return i;
  let j = i + 1;
  for (;;) {
    const t = tokens[j];
    if (!t) return j;
    if (isPunct(t, '.') && tokens[j + 1]) j += 2;
    else if (t.start === tokens[j - 1].end && !/^[(),;[\]]$/.test(t.text)) j++;
    else return j;
  }
}

/** The elements of `CREATE TABLE name (…)`, one per `tableElts` entry, or undefined. */
export function createTableElements(statement: Statement, create: CreateStmt): Part[] | undefined {
  const tokens = statementTokens(statement);
  const table = tokens.findIndex((t) => isWord(t, 'table'));
  if (table < 0) return undefined;
  const open = tokens.findIndex((t, i) => i > table && isPunct(t, '('));
  const close = open < 0 ? -1 : closing(tokens, open);
  if (close < 0) return undefined;
  const parts = splitTopLevel(tokens, open + 1, close).map((r) => part(tokens, r));
  const elts = create.tableElts ?? [];
  if (parts.length !== elts.length || parts.some((p) => !p)) return undefined;
  return parts as Part[];
}

/** Words that may appear between ALTER and the table name. */
const ALTER_HEAD = new Set(['alter', 'table', 'foreign', 'materialized', 'view', 'index', 'sequence', 'only']);

/** The subcommands of `ALTER TABLE name cmd, cmd, …`, one per `cmds` entry (without the `ALTER TABLE name` head). */
export function alterTableCommands(statement: Statement, alter: AlterTableStmt): Part[] | undefined {
  const tokens = statementTokens(statement);
  let i = 0;
  while (i < tokens.length && ALTER_HEAD.has(tokens[i].word) && !tokens[i].text.startsWith('"')) {
    i++;
    if (isWord(tokens[i], 'if') && isWord(tokens[i + 1], 'exists')) i += 2;
  }
  i = skipName(tokens, i);
  if (isPunct(tokens[i], '*')) i++;
  const ranges = splitTopLevel(tokens, i);
  const parts = ranges.map((r) => part(tokens, r));
  if (parts.length !== (alter.cmds ?? []).length || parts.some((p) => !p)) return undefined;
  return parts as Part[];
}

/** Words that end a column's type inside a column definition or ALTER COLUMN … TYPE. */
const AFTER_TYPE = new Set([
  'constraint', 'not', 'null', 'default', 'check', 'unique', 'primary', 'references', 'generated', 'collate', 'using',
  'compression', 'storage', 'deferrable', 'initially', 'options',
]);

/** Index just after the type that starts at `from` (words, dots, `(…)` modifiers, `[…]` array bounds). */
function typeEnd(tokens: readonly Token[], from: number): number {
  let i = from;
  while (i < tokens.length) {
    const t = tokens[i];
    if (isPunct(t, '(') || isPunct(t, '[')) {
      const c = closing(tokens, i);
      if (c < 0) return i;
      i = c + 1;
    } else if (isPunct(t, '.') || (/^("|[\p{L}_])/u.test(t.text) && !(AFTER_TYPE.has(t.word) && !t.text.startsWith('"')))) {
      i++;
    } else break;
  }
  return i;
}

export type ColumnSiteKind = 'create' | 'add' | 'alter';

/** Where a column definition is written; found only when a rule asks (scanning costs more than the tree). */
interface Place {
  name?: Token;
  typeSpan?: Span;
  typeText?: string;
  span?: Span;
}

/** A column type written in a migration: in CREATE TABLE, ALTER TABLE … ADD COLUMN, or ALTER COLUMN … TYPE. */
export interface ColumnSite {
  kind: ColumnSiteKind;
  relation: RangeVar;
  column: string;
  typeName: TypeName;
  /** The column definition (for ALTER COLUMN … TYPE, the one holding the new type). */
  def: ColumnDef;
  /** Constraints written on the column itself. */
  constraints: Constraint[];
  /** Table constraints of the same CREATE TABLE (PRIMARY KEY (…), FOREIGN KEY (…)). */
  tableConstraints: Constraint[];
  /** The column name as written, and where. */
  readonly name?: Token;
  /** Where the type is written, array bounds included. */
  readonly typeSpan?: Span;
  /** The type's words as written (for matching their letter case in a replacement). */
  readonly typeText?: string;
  /** The whole element or subcommand. */
  readonly span?: Span;
}

/** Memoizes a computation without arguments. */
export function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

/** Adds the lazily located `name`, `typeSpan`, `typeText` and `span` to a site. */
function placed(site: Omit<ColumnSite, keyof Place>, place: () => Place): ColumnSite {
  const get = (k: keyof Place) => ({ get: () => place()[k], enumerable: true });
  return Object.defineProperties(site, { name: get('name'), typeSpan: get('typeSpan'), typeText: get('typeText'), span: get('span') }) as ColumnSite;
}

/** Place of a type starting at token `typeAt` of a part whose column name is token `nameAt`. */
function placeIn(p: Part | undefined, nameAt: number, typeAt: number): Place {
  if (!p || typeAt <= 0) return { span: p?.span };
  const end = typeEnd(p.tokens, typeAt);
  return {
    name: nameAt >= 0 ? p.tokens[nameAt] : undefined,
    typeSpan: end > typeAt ? { start: p.tokens[typeAt].start, end: p.tokens[end - 1].end } : undefined,
    typeText: end > typeAt ? p.tokens.slice(typeAt, end).map((t) => t.text).join(' ') : undefined,
    span: p.span,
  };
}

/** The column types a CREATE TABLE or ALTER TABLE statement writes. Positions are found on first use. */
export function columnSites(statement: Statement): ColumnSite[] {
  const sites: ColumnSite[] = [];
  const create = as<CreateStmt>(statement.node, 'CreateStmt');
  if (create?.relation) {
    const elts = create.tableElts ?? [];
    const parts = once(() => createTableElements(statement, create));
    const tableConstraints = elts.map((e) => as<Constraint>(e, 'Constraint')).filter((c): c is Constraint => !!c);
    elts.forEach((e, k) => {
      const def = as<ColumnDef>(e, 'ColumnDef');
      if (!def?.typeName) return;
      const site = { kind: 'create' as const, relation: create.relation!, column: def.colname ?? '?', typeName: def.typeName, def, constraints: columnConstraints(def), tableConstraints };
      sites.push(placed(site, once(() => placeIn(parts()?.[k], 0, 1))));
    });
    return sites;
  }
  const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
  if (!alter?.relation || (alter.objtype && alter.objtype !== 'OBJECT_TABLE')) return sites;
  const parts = once(() => alterTableCommands(statement, alter));
  (alter.cmds ?? []).forEach((c, k) => {
    const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
    const def = as<ColumnDef>(cmd?.def, 'ColumnDef');
    if (!cmd || !def?.typeName || (cmd.subtype !== 'AT_AddColumn' && cmd.subtype !== 'AT_AlterColumnType')) return;
    const add = cmd.subtype === 'AT_AddColumn';
    const place = once((): Place => {
      const p = parts()?.[k];
      if (!p) return {};
      let nameAt: number;
      let typeAt: number;
      if (add) {
        // ADD [COLUMN] [IF NOT EXISTS] name type
        nameAt = isWord(p.tokens[1], 'column') ? 2 : 1;
        if (isWord(p.tokens[nameAt], 'if') && isWord(p.tokens[nameAt + 1], 'not')) nameAt += 3;
        typeAt = nameAt + 1;
      } else {
        // ALTER [COLUMN] name [SET DATA] TYPE type
        nameAt = isWord(p.tokens[1], 'column') ? 2 : 1;
        typeAt = p.tokens.findIndex((t, i) => i > nameAt && isWord(t, 'type')) + 1;
      }
      return placeIn(p, nameAt, typeAt);
    });
    const site = {
      kind: add ? ('add' as const) : ('alter' as const),
      relation: alter.relation!,
      column: (add ? def.colname : cmd.name) ?? '?',
      typeName: def.typeName,
      def,
      constraints: columnConstraints(def),
      tableConstraints: [],
    };
    sites.push(placed(site, place));
  });
  return sites;
}

/** The type's own name, lower case, without `pg_catalog.`: `int4`, `varchar`, `bpchar`, `serial`. */
export function baseTypeName(t: TypeName): string {
  const names = strings(t.names);
  return (names[names.length - 1] ?? '').toLowerCase();
}

/** True for PostgreSQL's own types: written without a schema, or with `pg_catalog.`. */
export function isCatalogType(t: TypeName): boolean {
  const names = strings(t.names);
  return names.length === 1 || names[0] === 'pg_catalog';
}

/** Integer type modifiers as written: `varchar(20)` → [20]; none → []. */
export function typmodValues(t: TypeName): { value: number; written: boolean }[] {
  return (t.typmods ?? []).map((m) => {
    const c = as<{ ival?: { ival?: number }; location?: number }>(m, 'A_Const');
    return { value: c?.ival?.ival ?? 0, written: (c?.location ?? 0) >= 0 };
  });
}

/** `[]` per array dimension, as written (`int[3]` keeps its bound). */
export function arraySuffix(t: TypeName): string {
  return (t.arrayBounds ?? [])
    .map((b) => as<{ ival?: number }>(b, 'Integer')?.ival ?? -1)
    .map((n) => (n >= 0 ? `[${n}]` : '[]'))
    .join('');
}

/** True when the column's table is new: created by this statement or earlier in the migration. */
export function isNewTable(site: ColumnSite, createdBefore: ReadonlySet<string>): boolean {
  return site.kind === 'create' || createdBefore.has(relationKey(site.relation));
}

/**
 * Whether a column holds row identifiers (so its range can run out as the table grows): a primary key, identity or
 * serial column, a column defaulting to a sequence, a foreign key, or a column named `id` or `…_id`.
 */
export function holdsIdentifiers(site: ColumnSite, catalog: Catalog): boolean {
  const base = baseTypeName(site.typeName);
  if (/serial/.test(base)) return true;
  if (site.column === 'id' || site.column.endsWith('_id')) return true;
  for (const c of site.constraints) {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_FOREIGN') return true;
    if (c.contype === 'CONSTR_DEFAULT' && /"nextval"/.test(JSON.stringify(c.raw_expr ?? {}))) return true;
  }
  for (const c of site.tableConstraints) {
    const cols = c.contype === 'CONSTR_FOREIGN' ? strings(c.fk_attrs) : c.contype === 'CONSTR_PRIMARY' ? strings(c.keys) : [];
    if (cols.includes(site.column)) return true;
  }
  if (site.kind === 'alter') {
    const table = catalog.table(site.relation);
    if (table?.constraints.some((c) => (c.kind === 'primary' || c.kind === 'foreign') && c.columns.includes(site.column))) return true;
  }
  return false;
}

/** `text` in the letter case of the first word of the site's type as written (`INTEGER` → `BIGINT`, `int` → `bigint`). */
export function inTypeCase(site: ColumnSite, text: string): string {
  return caseLike(site.typeText?.split(' ')[0].replace(/[^A-Za-z]/g, '') || 'x', text);
}

/** `word` in the letter case of `like` (`IF EXISTS` next to `drop table` becomes `if exists`). */
export function caseLike(like: string, word: string): string {
  return like.length > 0 && like === like.toLowerCase() ? word.toLowerCase() : word.toUpperCase();
}
