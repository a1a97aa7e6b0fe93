/** REFRESH MATERIALIZED VIEW without CONCURRENTLY: an ACCESS EXCLUSIVE lock that blocks reads of the view. */
import type { IndexStmt, RefreshMatViewStmt } from '@pgsql/types';
import { as, relationKey, relationName } from '../ast';
import { defineRule } from '../rule';
import { findWords, tokenize } from '../tokens';

export default defineRule({
  id: 'require-concurrent-refresh',
  description: 'Refreshing a materialized view without CONCURRENTLY blocks every read of the view until the refresh ends.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    blocksReads: 'REFRESH MATERIALIZED VIEW takes an ACCESS EXCLUSIVE lock on `{view}`, blocking every read of it until the refresh finishes.',
  },
  help: 'Use REFRESH MATERIALIZED VIEW CONCURRENTLY; it needs a unique index on the view over plain columns, without WHERE, and a view that is already populated.',
  docs: {
    rationale:
      'A plain REFRESH re-runs the view\'s query and swaps in the result while holding an ACCESS EXCLUSIVE lock on the view: every SELECT from it waits for the whole query. REFRESH … CONCURRENTLY computes the new result beside the old one and applies the difference under an EXCLUSIVE lock, which lets reads continue (writes to a materialized view do not happen anyway). It can run inside a transaction block, but PostgreSQL requires a UNIQUE index on the view that uses only column names and covers all rows (no WHERE), and it refuses a view that was created WITH NO DATA and never refreshed. The quick fix is preferred only when such an index is known from earlier statements or migrations. `WITH NO DATA` refreshes (which only empty the view) and views created earlier in the same migration are not flagged.',
    bad: ['REFRESH MATERIALIZED VIEW daily_sales;'],
    good: [
      'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;',
      'CREATE MATERIALIZED VIEW daily_sales AS SELECT 1 AS day;\nREFRESH MATERIALIZED VIEW daily_sales;',
    ],
  },
  check({ statement, facts, file, catalog, report }) {
    const r = as<RefreshMatViewStmt>(statement.node, 'RefreshMatViewStmt');
    if (!r?.relation || r.concurrent || r.skipData) return;
    const key = relationKey(r.relation);
    if (facts.createdBefore.has(key)) return;
    // CONCURRENTLY needs a unique index over plain columns and without WHERE (else PostgreSQL refuses it).
    const partialHere = new Set(
      file.file.statements
        .slice(0, statement.index)
        .map((s) => as<IndexStmt>(s.node, 'IndexStmt'))
        .filter((i): i is IndexStmt => !!i?.relation && relationKey(i.relation) === key && !!i.whereClause)
        .map((i) => `${i.relation!.schemaname ?? 'public'}.${i.idxname ?? ''}`),
    );
    const usable = catalog.indexesOf(key).some((i) => i.unique && !i.columns.includes('(expression)') && !partialHere.has(i.key));
    const tokens = tokenize(statement.text);
    const at = findWords(tokens, ['materialized', 'view']);
    const offset = at < 0 ? undefined : statement.span.start + tokens[at + 1].end;
    report({
      messageId: 'blocksReads',
      data: { view: relationName(r.relation) },
      fix: offset === undefined ? undefined : { title: 'Add CONCURRENTLY', edits: [{ start: offset, end: offset, newText: ' CONCURRENTLY' }], preferred: usable },
    });
  },
});
