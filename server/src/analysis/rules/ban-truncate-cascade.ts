/** TRUNCATE … CASCADE also empties every table that references the truncated ones, recursively. */
import type { Node, RangeVar, TruncateStmt } from '@pgsql/types';
import { as, relationKey } from '../ast';
import type { Catalog } from '../catalog';
import { statementTokens, isWord } from '../parts';
import { defineRule } from '../rule';

/** Tables that reference `keys` through foreign keys, transitively, as the catalog knows them (sorted names). */
function referencing(catalog: Catalog, keys: ReadonlySet<string>): string[] {
  const reached = new Set(keys);
  const names: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of catalog.tables.values()) {
      if (reached.has(t.key)) continue;
      if (t.constraints.some((c) => c.kind === 'foreign' && c.refTable && reached.has(c.refTable))) {
        reached.add(t.key);
        names.push(t.name);
        grew = true;
      }
    }
  }
  return names.sort();
}

export default defineRule({
  id: 'ban-truncate-cascade',
  description: 'TRUNCATE … CASCADE silently empties every table that references the truncated ones through foreign keys.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    known: 'TRUNCATE … CASCADE also empties every table that references {tables} through a foreign key, recursively: here at least {others}.',
    unknown: 'TRUNCATE … CASCADE also empties every table that references {tables} through a foreign key, recursively, whatever those tables are.',
  },
  help: 'Remove CASCADE and name every table to empty in the TRUNCATE, so the statement fails instead of deleting more than you listed.',
  docs: {
    rationale:
      'With CASCADE, PostgreSQL adds every table that has a foreign key to a truncated table, then every table referencing those, and empties them all. If `orders` references `users` and `payments` references `orders`, `TRUNCATE users CASCADE` deletes all orders and payments too, and the foreign keys a later migration adds can widen it further. Without CASCADE, TRUNCATE fails when another table references a truncated one, which is the safe default. When earlier migrations (or earlier statements) define the foreign keys, the message names the tables that would be emptied. The fix removes CASCADE; it is not preferred, because a migration that relies on it then fails until the tables are listed. On by default as a warning, as in squawk.',
    bad: ['TRUNCATE users CASCADE;', 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (user_id bigint REFERENCES users (id));\nTRUNCATE TABLE users RESTART IDENTITY CASCADE;'],
    good: ['TRUNCATE users;', 'TRUNCATE users, orders RESTRICT;'],
  },
  check({ statement, file, catalog, report }) {
    const t = as<TruncateStmt>(statement.node, 'TruncateStmt');
    if (!t || t.behavior !== 'DROP_CASCADE') return;
    const rels = (t.relations ?? []).map((r: Node) => as<RangeVar>(r, 'RangeVar')).filter((r): r is RangeVar => !!r);
    const tables = rels.map((r) => `\`${r.schemaname ? `${r.schemaname}.` : ''}${r.relname}\``).join(', ');
    const others = referencing(catalog, new Set(rels.map(relationKey)));
    const tokens = statementTokens(statement);
    const at = tokens.length - 1;
    const cascade = isWord(tokens[at], 'cascade') ? tokens[at] : undefined;
    // Delete the word and the blanks before it, so `users CASCADE` becomes `users`.
    let from = cascade?.start ?? 0;
    while (from > statement.span.start && /[ \t\r\n]/.test(file.file.text[from - 1])) from--;
    report({
      messageId: others.length ? 'known' : 'unknown',
      data: others.length ? { tables, others: others.map((n) => `\`${n}\``).join(', ') } : { tables },
      span: cascade ? { start: cascade.start, end: cascade.end } : undefined,
      fix: cascade ? { title: 'Remove CASCADE', edits: [{ start: from, end: cascade.end, newText: '' }], preferred: false } : undefined,
    });
  },
});
