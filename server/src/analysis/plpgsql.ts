/**
 * The SQL a DO block or a routine body runs, found statically. libpg-query's PL/pgSQL parser lists the statements of
 * a PL/pgSQL body; each is parsed again with the SQL parser. An EXECUTE of a constant string is parsed too; an
 * EXECUTE of a string built at run time is returned as dynamic, never guessed. SQL-language bodies are parsed
 * directly. Nothing is executed. Spans are UTF-16 offsets into the text passed in (the DO or CREATE FUNCTION
 * statement); an embedded statement whose text is not there verbatim (a body written as a quoted string, with
 * doubled quotes) gets the span of the whole text.
 * Motivation: squawk does not look inside DO blocks or function bodies (squawk issues #528, #411).
 */
import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import type { CallStmt, CreateFunctionStmt, DefElem, DoStmt, FuncCall, Node } from '@pgsql/types';
import { as, kindOf, nameListKey, walk } from './ast';
import { deeperThan, MAX_TREE_DEPTH, type Statement } from './parse';
import { ByteOffsets, type Span } from './text';

export interface EmbeddedStatement {
  /** Where it is written, in the enclosing statement's text. */
  span: Span;
  node: Node;
  kind: string;
  /** It came from `EXECUTE '<constant string>'`. */
  viaExecute: boolean;
}

export interface DynamicSql {
  span: Span;
  /** The EXECUTE expression as written. */
  expression: string;
}

export interface Body {
  statements: EmbeddedStatement[];
  dynamic: DynamicSql[];
}

interface ParseResultJson {
  stmts?: { stmt: Node; stmt_location?: number; stmt_len?: number }[];
}

/** A `DefElem` option's string value (`language`, `as`), lower-cased for `language`. */
function option(options: Node[] | undefined, name: string): Node | undefined {
  return options?.map((o) => as<DefElem>(o, 'DefElem')).find((d) => d?.defname === name)?.arg;
}

function stringValue(node: Node | undefined): string | undefined {
  return as<{ sval?: string }>(node, 'String')?.sval;
}

/**
 * Finds embedded SQL in the enclosing statement's text. PL/pgSQL numbers lines from the start of the body (line 1 is
 * the rest of the line the body opens on), so each search starts on the statement's own line; an EXECUTE expression
 * is looked for right after the EXECUTE keyword, so `EXECUTE q` does not match a `q` declared earlier on the line.
 */
class Locator {
  private lastEnd = 0;
  private lastLine = 0;
  private readonly lineStarts: number[] = [];

  constructor(
    private readonly text: string,
    bodyStart: number,
  ) {
    if (bodyStart < 0) return;
    this.lineStarts.push(bodyStart);
    for (let i = bodyStart; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  find(sql: string, lineno: number | undefined, afterExecute: boolean): Span {
    const whole = { start: 0, end: this.text.length };
    const line = lineno && this.lineStarts.length ? this.lineStarts[Math.min(lineno, this.lineStarts.length) - 1] : undefined;
    if (line === undefined || !sql) return whole;
    const from = lineno === this.lastLine ? Math.max(line, this.lastEnd) : line;
    let start = -1;
    if (afterExecute) {
      // EXECUTE, blanks, then the SQL; found without a RegExp built from the SQL (a huge one exceeds RegExp's limits).
      const re = /\bEXECUTE\s+/gi;
      re.lastIndex = from;
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        if (this.text.startsWith(sql, m.index + m[0].length)) {
          start = m.index + m[0].length;
          break;
        }
      }
    } else {
      start = this.text.indexOf(sql, from);
    }
    if (start < 0) return whole;
    this.lastEnd = start + sql.length;
    this.lastLine = lineno ?? 0;
    return { start, end: start + sql.length };
  }
}

/** Parses SQL text into statements, each with its UTF-16 span inside `sql`; undefined when it does not parse. */
function parseSql(sql: string): { node: Node; span: Span }[] | undefined {
  let result: ParseResultJson;
  try {
    result = parseSync(sql) as ParseResultJson;
  } catch {
    return undefined;
  }
  // Too deep for the recursive walkers downstream: not analyzed, like a body that does not compile.
  if ((result.stmts ?? []).some((s) => deeperThan(s.stmt, MAX_TREE_DEPTH))) return undefined;
  const offsets = new ByteOffsets(sql);
  const total = Buffer.byteLength(sql, 'utf8');
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : total;
    return { node: s.stmt, span: { start: offsets.toUtf16(start), end: offsets.toUtf16(end) } };
  });
}

/**
 * The string an EXECUTE expression always evaluates to, when it is built from string constants only
 * (`'…'`, `$q$…$q$`, `E'…'`, `'a' || 'b'`); undefined when it depends on run-time values.
 */
export function constantString(expression: string): string | undefined {
  const parsed = parseSql(`SELECT ${expression}`);
  const target = as<{ targetList?: Node[] }>(parsed?.[0]?.node, 'SelectStmt')?.targetList?.[0];
  const fold = (n: unknown): string | undefined => {
    const c = as<{ sval?: { sval?: string } }>(n, 'A_Const');
    if (c) return c.sval ? (c.sval.sval ?? '') : undefined;
    const cast = as<{ arg?: Node; typeName?: { names?: Node[] } }>(n, 'TypeCast');
    if (cast) return fold(cast.arg);
    const e = as<{ kind?: string; name?: Node[]; lexpr?: Node; rexpr?: Node }>(n, 'A_Expr');
    if (e?.kind === 'AEXPR_OP' && stringValue(e.name?.[0]) === '||') {
      const l = fold(e.lexpr);
      const r = fold(e.rexpr);
      return l !== undefined && r !== undefined ? l + r : undefined;
    }
    return undefined;
  };
  return fold(as<{ val?: Node }>(target, 'ResTarget')?.val);
}

/** Statements of a PL/pgSQL function or DO block, in the order they are written. */
function plpgsqlBody(text: string, source: string | undefined): Body | undefined {
  let parsed: unknown;
  try {
    parsed = parsePlPgSQLSync(text);
  } catch {
    return undefined; // it would fail to compile on the server too; nothing to analyze
  }
  if (deeperThan(parsed, MAX_TREE_DEPTH)) return undefined; // `visit` below recurses once per level
  const body: Body = { statements: [], dynamic: [] };
  const locate = new Locator(text, source === undefined ? -1 : text.indexOf(source));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'PLpgSQL_stmt_execsql') {
        const stmt = value as { lineno?: number; sqlstmt?: { PLpgSQL_expr?: { query?: string } } };
        const sql = stmt.sqlstmt?.PLpgSQL_expr?.query ?? '';
        const span = locate.find(sql, stmt.lineno, false);
        for (const s of parseSql(sql) ?? []) body.statements.push({ span, node: s.node, kind: kindOf(s.node), viaExecute: false });
      } else if (key === 'PLpgSQL_stmt_dynexecute') {
        const stmt = value as { lineno?: number; query?: { PLpgSQL_expr?: { query?: string } } };
        const expression = stmt.query?.PLpgSQL_expr?.query ?? '';
        const span = locate.find(expression, stmt.lineno, true);
        const constant = constantString(expression);
        if (constant === undefined) body.dynamic.push({ span, expression });
        // A constant that does not parse (a template placeholder, a typo) would fail on the server: nothing to analyze.
        else for (const s of parseSql(constant) ?? []) body.statements.push({ span, node: s.node, kind: kindOf(s.node), viaExecute: true });
      } else {
        visit(value);
      }
    }
  };
  visit(parsed);
  return body;
}

/** Statements of an SQL-language routine body given as a string. */
function sqlBody(text: string, source: string): Body {
  const at = text.indexOf(source);
  const statements = (parseSql(source) ?? []).map((s) => ({
    span: at < 0 ? { start: 0, end: text.length } : { start: at + s.span.start, end: at + s.span.end },
    node: s.node,
    kind: kindOf(s.node),
    viaExecute: false,
  }));
  return { statements, dynamic: [] };
}

/**
 * The body a DO statement or CREATE FUNCTION / PROCEDURE defines, with `text` the statement's own text. Undefined for
 * other statements, for languages other than PL/pgSQL and SQL, and for bodies that do not compile.
 */
export function bodyOf(text: string, node: Node | undefined): Body | undefined {
  const d = as<DoStmt>(node, 'DoStmt');
  if (d) {
    const language = stringValue(option(d.args, 'language'))?.toLowerCase() ?? 'plpgsql';
    return language === 'plpgsql' ? plpgsqlBody(text, stringValue(option(d.args, 'as'))) : undefined;
  }
  const f = as<CreateFunctionStmt>(node, 'CreateFunctionStmt');
  if (!f) return undefined;
  const language = stringValue(option(f.options, 'language'))?.toLowerCase() ?? 'sql';
  const source = stringValue(as<{ items?: Node[] }>(option(f.options, 'as'), 'List')?.items?.[0]);
  if (language === 'plpgsql') return plpgsqlBody(text, source);
  if (language !== 'sql') return undefined;
  if (source !== undefined) return sqlBody(text, source);
  // BEGIN ATOMIC … END: already parsed; the statements keep the statement's span.
  const statements: EmbeddedStatement[] = [];
  walk(f.sql_body, (kind, value) => {
    if (kind === 'List') {
      for (const n of (value as { items?: Node[] }).items ?? []) {
        const k = kindOf(n);
        if (/Stmt$/.test(k)) statements.push({ span: { start: 0, end: text.length }, node: n, kind: k, viaExecute: false });
      }
    }
  });
  return { statements, dynamic: [] };
}

export interface BodyRun {
  body: Body;
  /** The statement whose text the body's spans point into (the DO block itself, or the CREATE of a routine). */
  definedBy: Statement;
  /** The routine's name as written, when the body is a routine's. */
  routine?: string;
}

/** `schema.name` key and display name of a routine name list. */
function routineName(items: Node[] | undefined): { key: string; name: string } | undefined {
  return nameListKey(items);
}

/** Routine definitions of a file, in order; computed once per parsed file (the cache dies with the file). */
const definitions = new WeakMap<readonly Statement[], { key: string; statement: Statement }[]>();

function routineDefinitions(statements: readonly Statement[]): { key: string; statement: Statement }[] {
  let defs = definitions.get(statements);
  if (!defs) {
    defs = [];
    for (const s of statements) {
      const key = routineName(as<CreateFunctionStmt>(s.node, 'CreateFunctionStmt')?.funcname)?.key;
      if (key) defs.push({ key, statement: s });
    }
    definitions.set(statements, defs);
  }
  return defs;
}

/**
 * The bodies that run when `statement` runs: a DO block's own body, or the bodies of the functions and procedures it
 * calls (CALL p(), SELECT f()) that an earlier statement of the file defines. A routine defined elsewhere is unknown.
 */
export function bodiesRunBy(statement: Statement, statements: readonly Statement[]): BodyRun[] {
  if (statement.kind === 'DoStmt') {
    const body = bodyOf(statement.text, statement.node);
    return body ? [{ body, definedBy: statement }] : [];
  }
  if (statement.kind === 'CreateFunctionStmt') return []; // a definition runs nothing
  const called = new Map<string, string>();
  const call = as<CallStmt>(statement.node, 'CallStmt');
  const note = (fc: FuncCall | undefined) => {
    const n = routineName(fc?.funcname);
    if (n && !called.has(n.key)) called.set(n.key, n.name);
  };
  note(call?.funccall);
  walk(statement.node, (kind, value) => {
    if (kind === 'FuncCall') note(value as FuncCall);
  });
  const runs: BodyRun[] = [];
  if (called.size === 0) return runs;
  const defs = routineDefinitions(statements);
  for (const [key, name] of called) {
    const def = defs.filter((d) => d.key === key && d.statement.index < statement.index).pop()?.statement;
    const body = def && bodyOf(def.text, def.node);
    if (def && body) runs.push({ body, definedBy: def, routine: name });
  }
  return runs;
}
