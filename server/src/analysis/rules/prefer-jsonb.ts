/** A column of type json where jsonb is almost always what is meant. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, CreateStmt, RangeVar } from '@pgsql/types';
import { as, relationName, strings } from '../ast';
import type { Fix } from '../rule';
import { defineRule } from '../rule';
import { tokenize, type Token } from '../tokens';

function isJson(def: ColumnDef | undefined): boolean {
  const names = strings(def?.typeName?.names);
  return names[names.length - 1] === 'json' && (names.length === 1 || names[0] === 'pg_catalog');
}

/**
 * Index of the `json` type token that follows the tokens at `i` (a column name or the TYPE keyword), skipping a
 * `pg_catalog.` qualifier; -1 when the next tokens are something else.
 */
function typeTokenAfter(tokens: readonly Token[], i: number): number {
  let k = i + 1;
  if (tokens[k]?.word === 'pg_catalog' && tokens[k + 1]?.text === '.') k += 2;
  return tokens[k]?.word === 'json' ? k : -1;
}

export default defineRule({
  id: 'prefer-jsonb',
  description: 'A json column stores text that cannot be compared or indexed; jsonb is almost always the better type.',
  category: 'style',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    json: 'Column `{column}` of `{table}` is json: it keeps the text as written and has no equality operator, so DISTINCT, GROUP BY, UNION and unique indexes on it fail, and it is parsed again on every access.',
  },
  help: 'Use jsonb, which compares, indexes (GIN) and queries faster; keep json only to preserve key order, duplicate keys or whitespace exactly.',
  docs: {
    rationale:
      'The json type stores the input text verbatim and reparses it for every operator. It has no equality operator, so `SELECT DISTINCT`, `GROUP BY`, `UNION` and unique constraints on the column fail, and it cannot use GIN indexes. jsonb stores a parsed binary form that supports all of these. The only reasons to keep json are preserving key order, duplicate keys or insignificant whitespace. The quick fix is preferred for new columns, which hold no data yet; for ALTER COLUMN … TYPE json it is offered but not preferred, because converting existing rows to jsonb rejects `\\u0000` in strings.',
    bad: ['CREATE TABLE events (id bigint, payload json);', 'ALTER TABLE events ADD COLUMN meta json;'],
    good: ['CREATE TABLE events (id bigint, payload jsonb);', "ALTER TABLE events ADD COLUMN meta jsonb DEFAULT '{}';"],
  },
  check({ statement, report }) {
    const found: { column: string; table: RangeVar; kind: 'new' | 'type' }[] = [];
    const create = as<CreateStmt>(statement.node, 'CreateStmt');
    if (create?.relation) {
      for (const e of create.tableElts ?? []) {
        const col = as<ColumnDef>(e, 'ColumnDef');
        if (col && isJson(col)) found.push({ column: col.colname ?? '?', table: create.relation, kind: 'new' });
      }
    }
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (alter?.relation) {
      for (const c of alter.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        const col = as<ColumnDef>(cmd?.def, 'ColumnDef');
        if (cmd?.subtype === 'AT_AddColumn' && col && isJson(col)) found.push({ column: col.colname ?? '?', table: alter.relation, kind: 'new' });
        if (cmd?.subtype === 'AT_AlterColumnType' && col && isJson(col)) found.push({ column: cmd.name ?? '?', table: alter.relation, kind: 'type' });
      }
    }
    if (found.length === 0) return;
    const tokens = tokenize(statement.text);
    let from = 0;
    for (const f of found) {
      // The type follows the column name (CREATE TABLE, ADD COLUMN) or the TYPE keyword after the column name.
      let at = -1;
      for (let i = from; i < tokens.length && at < 0; i++) {
        if (tokens[i].word !== f.column) continue;
        let k = typeTokenAfter(tokens, i);
        if (k < 0 && f.kind === 'type') {
          const t = tokens.findIndex((x, j) => j > i && x.word === 'type' && !x.text.startsWith('"'));
          if (t > 0) k = typeTokenAfter(tokens, t);
        }
        at = k;
      }
      let fix: Fix | undefined;
      if (at >= 0) {
        from = at + 1;
        const tok = tokens[at];
        const newText = tok.text.startsWith('"') ? '"jsonb"' : tok.text === tok.text.toUpperCase() ? 'JSONB' : 'jsonb';
        fix = { title: 'Use jsonb', edits: [{ start: statement.span.start + tok.start, end: statement.span.start + tok.end, newText }], preferred: f.kind === 'new' };
      }
      report({ messageId: 'json', data: { column: f.column, table: relationName(f.table) }, fix });
    }
  },
});
