/**
 * Phases for migration tools that send a whole file as one query (golang-migrate, the Supabase CLI, Prisma Migrate):
 * PostgreSQL runs a multi-statement query as one implicit transaction, where CONCURRENTLY fails. Such a tool needs
 * each statement of a phase that must run outside a transaction in its own migration; this splits those phases.
 */
import { parseFile } from '../parse';
import type { Phase } from '../plan';

/** Tools (project convention ids) that send a migration file to PostgreSQL as one query. */
export const ONE_QUERY_TOOLS: ReadonlySet<string> = new Set(['golang-migrate', 'supabase', 'prisma']);

/**
 * Each phase that must run outside a transaction and holds several statements becomes one phase per statement, in
 * order, named `<name>_1`, `<name>_2`, …; the phase's rollback goes with the last one (rolled back first). `SET`
 * statements are left out (alone in a file they would not apply to the next one) and the header says so.
 */
export function oneStatementPerPhase(phases: readonly Phase[]): Phase[] {
  const out: Phase[] = [];
  for (const p of phases) {
    const statements = p.inTransaction ? [] : parseFile(p.up).statements.filter((s) => s.node || s.error);
    const sets = statements.filter((s) => s.kind === 'VariableSetStmt');
    const rest = statements.filter((s) => s.kind !== 'VariableSetStmt');
    if (rest.length + sets.length <= 1) {
      out.push(p);
      continue;
    }
    const setNote = sets.length
      ? `\n-- ${sets.map((s) => s.text.trim()).join(' ')} left out: with it the file would be two statements, which PostgreSQL runs as one\n-- transaction; set it for the migration connection instead.`
      : '';
    rest.forEach((s, k) => {
      // The statement with the comment lines just before it (ignore comments and notes).
      const text = p.up.slice(s.span.start, s.end);
      const before = p.up.slice(0, s.span.start).split('\n');
      const comments: string[] = [];
      for (let i = before.length - 2; i >= 0 && /^--/.test(before[i]); i--) comments.unshift(before[i]);
      const last = k === rest.length - 1;
      out.push({
        ...p,
        name: `${p.name}_${k + 1}`,
        header: `${p.header}\n-- Step ${k + 1} of ${rest.length}: one statement per migration, since this tool sends a file as one query.${k === 0 ? setNote : ''}`,
        up: `${comments.map((c) => c + '\n').join('')}${text.trim()}${/;\s*$/.test(text) ? '' : ';'}\n`,
        down: last ? p.down : `-- Nothing to undo here: the rollback of \`${p.name}_${rest.length}\` undoes this phase.\n`,
      });
    });
  }
  return out;
}

/** The phases as the folder's tool runs them: split by `oneStatementPerPhase` for a tool that sends a file as one query. */
export function phasesForTool(tool: string | undefined, phases: readonly Phase[]): Phase[] {
  return tool !== undefined && ONE_QUERY_TOOLS.has(tool) ? oneStatementPerPhase(phases) : [...phases];
}
