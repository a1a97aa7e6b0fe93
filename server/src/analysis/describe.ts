/**
 * What a statement does to a live database, in words: the lock per relation and what it blocks, rewrites and scans,
 * and how long the locks are held (statement or transaction, naming earlier statements whose locks are still held).
 * With table sizes (a stats file or a database), each locked table's estimated size and the amount a rewrite or scan
 * goes through. Used by hover and by the CLI's text output. Returns Markdown.
 */
import type { AnalysisResult } from './analyze';
import { statementLabel } from './ast';
import { describeBlocking, modeLabel, strength } from './locks';
import type { Statement } from './parse';
import { describeSize, formatBytes, formatRows, sizeOf, type TableSize } from './sizes';

export interface StatementDescription {
  statement: Statement;
  markdown: string;
}

function firstLine(s: Statement): string {
  const line = s.text.split(/\r?\n/)[0];
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export function describeStatementAt(result: AnalysisResult, offset: number): StatementDescription | undefined {
  const statement = result.file.statements.find((s) => offset >= s.span.start && offset <= s.end);
  if (!statement) return undefined;
  const facts = result.facts.statements[statement.index];
  const lines: string[] = [];
  if (!statement.node) {
    lines.push(`**${statementLabel(statement.kind)}**: does not parse: ${statement.error?.message ?? ''}`);
    return { statement, markdown: lines.join('\n') };
  }
  const effect = facts.effect;
  const size = (relation: string): TableSize | undefined => sizeOf(result.options.tableSizes, relation);
  lines.push(`**${statementLabel(statement.kind)}** (PostgreSQL ${result.options.postgresVersion})`);
  if (effect.locks.length === 0) {
    lines.push('', 'Takes no table-level lock on existing tables that blocks ordinary traffic.');
  } else {
    lines.push('', '| relation | lock | blocks |', '|---|---|---|');
    for (const l of [...effect.locks].sort((a, b) => strength(b.mode) - strength(a.mode))) {
      const fresh = facts.createdBefore.has(l.key) ? ' (created earlier in this file)' : '';
      const known = fresh ? undefined : size(l.key);
      const sized = known ? ` ${describeSize(known)}` : '';
      lines.push(`| \`${l.relation}\`${fresh}${sized} | ${modeLabel(l.mode)} (\`${l.mode}\`) | ${describeBlocking(l.mode)} |`);
    }
  }
  if (effect.rewrites.length) lines.push('', `Rewrites ${effect.rewrites.map((r) => `\`${r}\``).join(', ')} (new data files; time grows with the table size).`);
  // Rewrites and scans name relations as written; a table created earlier in this file is empty, whatever the stats say.
  const existingSize = (r: string) => (facts.createdBefore.has(r.includes('.') ? r : `public.${r}`) ? undefined : size(r));
  const rewritten = effect.rewrites.flatMap((r) => {
    const known = existingSize(r);
    return known ? [`Rewrites ≈ ${known.bytes !== undefined ? formatBytes(known.bytes) : `${formatRows(known.rows)} rows`} (\`${r}\`).`] : [];
  });
  if (rewritten.length) lines.push(rewritten.join(' '));
  if (effect.scans.length) lines.push('', `Scans ${effect.scans.map((r) => `\`${r}\``).join(', ')} while holding the lock.`);
  const scanned = effect.scans.flatMap((r) => {
    const known = existingSize(r);
    return known ? [`Reads ≈ ${formatRows(known.rows)} rows of \`${r}\`.`] : [];
  });
  if (scanned.length) lines.push(scanned.join(' '));
  for (const n of effect.notes) lines.push('', n);
  if (effect.nonTransactional) lines.push('', 'Cannot run inside a transaction block.');
  if (facts.inTransaction && effect.locks.length) {
    const earlier = result.file.statements
      .slice(facts.transactionStart ?? 0, statement.index)
      .filter((s) => result.facts.statements[s.index].effect.locks.length > 0);
    lines.push('', 'Held until **COMMIT**: this statement runs inside a transaction.');
    if (earlier.length) {
      lines.push('Locks of earlier statements still held here:');
      for (const s of earlier) {
        const locks = result.facts.statements[s.index].effect.locks.map((l) => `${modeLabel(l.mode)} on \`${l.relation}\``).join(', ');
        lines.push(`- line ${result.file.lines.positionAt(s.span.start).line + 1}: \`${firstLine(s)}\`: ${locks}`);
      }
    }
  } else if (effect.locks.length) {
    lines.push('', 'Held until the end of the statement (no explicit transaction).');
  }
  return { statement, markdown: lines.join('\n') };
}
