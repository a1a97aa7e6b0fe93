/**
 * Outside a transaction, a migration that fails part way keeps its first statements; running it again must not fail
 * on them. Flags CREATE / DROP / ADD COLUMN / DROP COLUMN / DROP CONSTRAINT without IF [NOT] EXISTS, and ADD
 * CONSTRAINT not preceded by DROP CONSTRAINT IF EXISTS, when a later statement can still fail. After squawk's rule of
 * the same name (ideas only).
 */
import type { AlterTableCmd, AlterTableStmt, Constraint, CreateStmt, DropStmt, IndexStmt, Node, RangeVar } from '@pgsql/types';
import { as, kindOf, nameListKey, relationKey, relationName, strings } from '../ast';
import type { ParsedFile } from '../parse';
import { alterTableCommands, caseLike, isWord, once, statementTokens, type Part } from '../parts';
import { defineRule, type Fix } from '../rule';
import { quoteIdent, type Token } from '../tokens';

/** Statements that cannot fail in a way that leaves the migration half applied. */
const HARMLESS = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt']);

/** DROP statements that take IF EXISTS, with the words between DROP and the first name. */
const DROPS: Record<string, string[]> = {
  OBJECT_TABLE: ['table'],
  OBJECT_INDEX: ['index'],
  OBJECT_TYPE: ['type'],
  OBJECT_DOMAIN: ['domain'],
  OBJECT_VIEW: ['view'],
  OBJECT_MATVIEW: ['materialized', 'view'],
  OBJECT_FOREIGN_TABLE: ['foreign', 'table'],
  OBJECT_SEQUENCE: ['sequence'],
  OBJECT_SCHEMA: ['schema'],
  OBJECT_EXTENSION: ['extension'],
  OBJECT_FUNCTION: ['function'],
  OBJECT_PROCEDURE: ['procedure'],
  OBJECT_TRIGGER: ['trigger'],
  OBJECT_POLICY: ['policy'],
};

/** A dropped object's name as written: `a.b`, `f`, `mood`, `trg` (a trigger's or policy's table is left out). */
function objectName(o: Node, removeType: string): string {
  const list = as<{ items?: Node[] }>(o, 'List');
  if (list) {
    const parts = strings(list.items);
    return removeType === 'OBJECT_TRIGGER' || removeType === 'OBJECT_POLICY' ? (parts.pop() ?? '?') : parts.join('.');
  }
  const s = as<{ sval?: string }>(o, 'String')?.sval;
  if (s) return s;
  const fn = as<{ objname?: Node[] }>(o, 'ObjectWithArgs');
  if (fn) return strings(fn.objname).join('.');
  return strings(as<{ names?: Node[] }>(o, 'TypeName')?.names).join('.') || '?';
}

const quoted = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');

/** Index of the first token after `tokens[from]` … that spells `words` one after another, or -1. */
function after(tokens: readonly Token[], words: readonly string[], from = 0): number {
  for (let i = from; i + words.length <= tokens.length; i++) {
    if (words.every((w, k) => isWord(tokens[i + k], w))) return i + words.length;
  }
  return -1;
}

/** An insertion fix right after token `i - 1` (`leading` space) or right before token `i` (`trailing` space). */
function insertAt(tokens: readonly Token[], i: number, words: string, title: string, preferred: boolean, before = false): Fix | undefined {
  const anchor = before ? tokens[i] : tokens[i - 1];
  if (!anchor || i <= 0) return undefined;
  // A psql meta-command line inside the statement (`\i file`) is not SQL: no position in it is safe to edit.
  if (tokens.some((t) => t.text.startsWith('\\'))) return undefined;
  const text = caseLike(tokens[0].text, words);
  const at = before ? anchor.start : anchor.end;
  // Tokens may touch (`DROP INDEX"i"`): keep a space on both sides of the inserted words.
  const touchesLeft = before && tokens[i - 1]?.end === at;
  const touchesRight = !before && tokens[i]?.start === at;
  const newText = before ? `${touchesLeft ? ' ' : ''}${text} ` : ` ${text}${touchesRight ? ' ' : ''}`;
  return { title, edits: [{ start: at, end: at, newText }], preferred };
}

interface Robustness {
  /** Index of the last statement that can fail (-1 when none can). */
  lastCanFail: number;
  /** Index key (`schema.name`) → statement indices of `DROP INDEX … IF EXISTS` naming it. */
  indexDrops: Map<string, number[]>;
  /** `table/constraint` → DROP and ADD CONSTRAINT subcommands naming it, in file order. */
  constraintEvents: Map<string, { statement: number; cmd: number; kind: 'drop' | 'add' }[]>;
}

const robustness = new WeakMap<ParsedFile, Robustness>();

/** What the rule needs to know about the whole file, computed once per file. */
function robustnessOf(file: ParsedFile): Robustness {
  let r = robustness.get(file);
  if (r) return r;
  r = { lastCanFail: -1, indexDrops: new Map(), constraintEvents: new Map() };
  for (const s of file.statements) {
    if (s.error || (s.node && !HARMLESS.has(kindOf(s.node)))) r.lastCanFail = s.index;
    const d = as<DropStmt>(s.node, 'DropStmt');
    if (d?.removeType === 'OBJECT_INDEX' && d.missing_ok) {
      for (const o of d.objects ?? []) {
        const key = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items)?.key;
        if (key) r.indexDrops.set(key, [...(r.indexDrops.get(key) ?? []), s.index]);
      }
    }
    const alter = as<AlterTableStmt>(s.node, 'AlterTableStmt');
    (alter?.cmds ?? []).forEach((c, k) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const drop = cmd?.subtype === 'AT_DropConstraint';
      const name = drop ? cmd?.name : cmd?.subtype === 'AT_AddConstraint' ? as<Constraint>(cmd.def, 'Constraint')?.conname : undefined;
      if (!name || !alter?.relation) return;
      const key = `${relationKey(alter.relation)}/${name}`;
      r!.constraintEvents.set(key, [...(r!.constraintEvents.get(key) ?? []), { statement: s.index, cmd: k, kind: drop ? 'drop' : 'add' }]);
    });
  }
  robustness.set(file, r);
  return r;
}

/** True when the last DROP / ADD of `key` before subcommand `cmd` of `statement` is a DROP. */
function constraintDroppedBefore(r: Robustness, statement: number, cmd: number, key: string): boolean {
  const before = (r.constraintEvents.get(key) ?? []).filter((e) => e.statement < statement || (e.statement === statement && e.cmd < cmd));
  return before[before.length - 1]?.kind === 'drop';
}

export default defineRule({
  id: 'prefer-robust-stmts',
  description: 'Outside a transaction, statements should use IF NOT EXISTS or IF EXISTS so that a migration that failed part way can run again.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    missingIfNotExists: '{what} {name} has no IF NOT EXISTS: if a later statement fails and the migration runs again, it fails here because {name} already exists.',
    missingIfExists: '{what} {name} has no IF EXISTS: if a later statement fails and the migration runs again, it fails here because {name} is already gone.',
    concurrentIndex: 'A failed CREATE INDEX CONCURRENTLY leaves the invalid index {name} behind, so running the migration again fails here because {name} already exists.',
    unnamedIndex: 'This index has no name, so running the migration again after a failure builds a second copy of it under another name.',
    addConstraint: 'ADD CONSTRAINT {name} cannot say IF NOT EXISTS: if a later statement fails and the migration runs again, it fails here (or adds an unnamed constraint a second time).',
  },
  help: 'Add IF NOT EXISTS or IF EXISTS, drop a constraint or concurrently built index IF EXISTS before creating it, or run the migration in a transaction.',
  docs: {
    rationale:
      'Without a transaction, each statement commits on its own. When a later statement fails (a lock timeout, a duplicate row, a deploy killed half way) the earlier ones stay applied, and running the migration again stops at the first of them: the table already exists, the column is already gone. Guards make the migration re-runnable. Inside BEGIN … COMMIT, or when the tool wraps the file in a transaction (`assumeInTransaction`), a failure rolls everything back and the rule stays quiet, as squawk does.\n\n' +
      'Where Migration Guard differs from squawk: a statement is flagged only when a statement after it can still fail, because a statement that fails is rolled back on its own (so a one-statement migration is never flagged), except CREATE INDEX CONCURRENTLY, whose failed build leaves an INVALID index behind. For that one the fix is `DROP INDEX CONCURRENTLY IF EXISTS` before it, because IF NOT EXISTS would silently keep the invalid index on the next run. Subcommands that can safely run twice (SET NOT NULL, SET DEFAULT, ALTER TYPE, VALIDATE CONSTRAINT, ENABLE ROW LEVEL SECURITY) are not flagged. The IF EXISTS fix is preferred (the object is gone either way); IF NOT EXISTS is not, because it also skips an object of the same name with a different definition. On by default as a warning, as in squawk; set `assumeInTransaction` when the migration tool wraps each file in a transaction.',
    bad: [
      'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);',
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'DROP TABLE old_users;\nALTER TABLE users DROP CONSTRAINT users_legacy_check;',
    ],
    good: [
      'ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);',
      'BEGIN;\nCREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;',
      'DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_age_check;\nALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_age_check;',
    ],
  },
  check({ statement, facts, file, report }) {
    if (facts.inTransaction || !statement.node) return;
    const r = robustnessOf(file.file);
    const later = statement.index < r.lastCanFail;
    const words = once(() => statementTokens(statement));
    const ifNotExists = (what: string, names: string[], keyword: string) => {
      const at = after(words(), [keyword]);
      report({
        messageId: 'missingIfNotExists',
        data: { what, name: quoted(names) },
        fix: at > 0 ? insertAt(words(), at, 'IF NOT EXISTS', 'Add IF NOT EXISTS', false) : undefined,
      });
    };
    const node = statement.node;

    const create = as<CreateStmt>(node, 'CreateStmt');
    if (create?.relation) {
      if (!later || create.if_not_exists || create.relation.relpersistence === 't') return;
      return ifNotExists('CREATE TABLE', [relationName(create.relation)], 'table');
    }
    const ctas = as<{ into?: { rel?: RangeVar }; objtype?: string; if_not_exists?: boolean }>(node, 'CreateTableAsStmt');
    if (ctas?.into?.rel) {
      if (!later || ctas.if_not_exists || ctas.into.rel.relpersistence === 't') return;
      const matview = ctas.objtype === 'OBJECT_MATVIEW';
      return ifNotExists(matview ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE', [relationName(ctas.into.rel)], matview ? 'view' : 'table');
    }
    const seq = as<{ sequence?: RangeVar; if_not_exists?: boolean }>(node, 'CreateSeqStmt');
    if (seq?.sequence) {
      if (!later || seq.if_not_exists || seq.sequence.relpersistence === 't') return;
      return ifNotExists('CREATE SEQUENCE', [relationName(seq.sequence)], 'sequence');
    }
    const schema = as<{ schemaname?: string; if_not_exists?: boolean }>(node, 'CreateSchemaStmt');
    if (schema) {
      if (!later || schema.if_not_exists || !schema.schemaname) return;
      return ifNotExists('CREATE SCHEMA', [schema.schemaname], 'schema');
    }
    const ext = as<{ extname?: string; if_not_exists?: boolean }>(node, 'CreateExtensionStmt');
    if (ext) {
      if (!later || ext.if_not_exists) return;
      return ifNotExists('CREATE EXTENSION', [ext.extname ?? '?'], 'extension');
    }

    const idx = as<IndexStmt>(node, 'IndexStmt');
    if (idx?.relation) {
      if (idx.if_not_exists || (!later && !idx.concurrent)) return;
      if (!idx.idxname) return report({ messageId: 'unnamedIndex' });
      const schemaName = idx.relation.schemaname;
      const key = `${schemaName ?? 'public'}.${idx.idxname}`;
      if ((r.indexDrops.get(key) ?? []).some((i) => i < statement.index)) return;
      const tokens = words();
      if (!idx.concurrent) {
        let at = after(tokens, ['index']);
        if (isWord(tokens[at], 'concurrently')) at++;
        const fix = at > 0 ? insertAt(tokens, at, 'IF NOT EXISTS', 'Add IF NOT EXISTS', false, true) : undefined;
        return report({ messageId: 'missingIfNotExists', data: { what: 'CREATE INDEX', name: quoted([idx.idxname]) }, fix });
      }
      // Before the CREATE, on a line of its own with the same indentation.
      const text = file.file.text;
      const lineStart = text.lastIndexOf('\n', statement.span.start - 1) + 1;
      const indent = text.slice(lineStart, statement.span.start);
      const eol = /\r\n/.test(text) ? '\r\n' : '\n';
      const name = `${schemaName ? `${quoteIdent(schemaName)}.` : ''}${quoteIdent(idx.idxname)}`;
      const drop = `${caseLike(tokens[0]?.text ?? 'C', 'DROP INDEX CONCURRENTLY IF EXISTS')} ${name};`;
      const newText = /^[ \t]*$/.test(indent) ? `${drop}${eol}${indent}` : `${drop} `;
      return report({
        messageId: 'concurrentIndex',
        data: { name: quoted([idx.idxname]) },
        fix: { title: 'Drop a leftover invalid index first', edits: [{ start: statement.span.start, end: statement.span.start, newText }], preferred: false },
      });
    }

    const drop = as<DropStmt>(node, 'DropStmt');
    if (drop) {
      const kind = drop.removeType ? DROPS[drop.removeType] : undefined;
      if (!later || drop.missing_ok || !kind) return;
      const tokens = words();
      let at = isWord(tokens[0], 'drop') ? after(tokens, kind, 1) : -1;
      if (at !== 1 + kind.length) at = -1;
      else if (isWord(tokens[at], 'concurrently')) at++;
      const names = (drop.objects ?? []).map((o) => objectName(o, drop.removeType!));
      return report({
        messageId: 'missingIfExists',
        data: { what: `DROP ${kind.join(' ').toUpperCase()}`, name: quoted(names) },
        fix: at > 0 ? insertAt(tokens, at, 'IF EXISTS', 'Add IF EXISTS', true, true) : undefined,
      });
    }

    const alter = as<AlterTableStmt>(node, 'AlterTableStmt');
    if (!alter?.relation || (alter.objtype && alter.objtype !== 'OBJECT_TABLE') || !later) return;
    const parts = once(() => alterTableCommands(statement, alter));
    (alter.cmds ?? []).forEach((c, k) => {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (!cmd || !['AT_AddColumn', 'AT_DropColumn', 'AT_DropConstraint', 'AT_AddConstraint'].includes(cmd.subtype ?? '')) return;
      const p: Part | undefined = parts()?.[k];
      const span = p?.span;
      const guard = (keyword: string, clause: 'IF EXISTS' | 'IF NOT EXISTS') => {
        if (!p || !isWord(p.tokens[0], clause === 'IF EXISTS' ? 'drop' : 'add')) return undefined;
        const at = isWord(p.tokens[1], keyword) ? 2 : 1;
        return insertAt(p.tokens, at, clause, `Add ${clause}`, clause === 'IF EXISTS');
      };
      if (cmd?.subtype === 'AT_AddColumn' && !cmd.missing_ok) {
        const column = as<{ colname?: string }>(cmd.def, 'ColumnDef')?.colname ?? '?';
        report({ messageId: 'missingIfNotExists', data: { what: 'ADD COLUMN', name: quoted([column]) }, span, fix: guard('column', 'IF NOT EXISTS') });
      } else if (cmd?.subtype === 'AT_DropColumn' && !cmd.missing_ok) {
        report({ messageId: 'missingIfExists', data: { what: 'DROP COLUMN', name: quoted([cmd.name ?? '?']) }, span, fix: guard('column', 'IF EXISTS') });
      } else if (cmd?.subtype === 'AT_DropConstraint' && !cmd.missing_ok) {
        const fix = p && isWord(p.tokens[1], 'constraint') ? guard('constraint', 'IF EXISTS') : undefined;
        report({ messageId: 'missingIfExists', data: { what: 'DROP CONSTRAINT', name: quoted([cmd.name ?? '?']) }, span, fix });
      } else if (cmd?.subtype === 'AT_AddConstraint') {
        const name = as<Constraint>(cmd.def, 'Constraint')?.conname;
        if (name && constraintDroppedBefore(r, statement.index, k, `${relationKey(alter.relation)}/${name}`)) return;
        report({ messageId: 'addConstraint', data: { name: name ? quoted([name]) : '(unnamed)' }, span });
      }
    });
  },
});
