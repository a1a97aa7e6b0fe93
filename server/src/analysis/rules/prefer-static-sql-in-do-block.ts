/** EXECUTE of a string built at run time inside a DO block or a called routine: its locks cannot be known statically. */
import { bodiesRunBy } from '../plpgsql';
import { defineRule } from '../rule';

export default defineRule({
  id: 'prefer-static-sql-in-do-block',
  description: 'SQL that a DO block or a called routine builds at run time with EXECUTE cannot be checked for locks.',
  category: 'locking',
  defaultSeverity: 'info',
  recommended: true,
  fixable: false,
  messages: {
    dynamic: 'EXECUTE {expression} {where} builds its SQL at run time, so it cannot be analyzed statically: the locks it takes are unknown.',
  },
  help: 'Write the statement as static SQL (or EXECUTE a constant string) so it can be checked, or review the generated statements and their locks by hand.',
  docs: {
    rationale:
      'Static statements in a DO block are analyzed like top-level ones (see `ban-blocking-ddl-in-do-block`), and so is EXECUTE of a constant string. A string assembled at run time (`EXECUTE format(\'ALTER TABLE %I …\', t)`, concatenation with variables) can only be known by running it, so its locks, rewrites and scans are invisible to the analysis. This info finding says so, rather than letting a clean result suggest the block is safe.',
    bad: ["DO $$\nDECLARE t text;\nBEGIN\n  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'archive' LOOP\n    EXECUTE format('ALTER TABLE archive.%I SET UNLOGGED', t);\n  END LOOP;\nEND\n$$;"],
    good: ["DO $$ BEGIN EXECUTE 'COMMENT ON TABLE users IS ''people'''; END $$;", 'DO $$ BEGIN CREATE TABLE audit (id bigint); END $$;'],
  },
  check({ statement, file, report }) {
    for (const run of bodiesRunBy(statement, file.file.statements)) {
      const inDo = run.definedBy === statement;
      const where = inDo ? 'inside this DO block' : `inside \`${run.routine}\` (defined on line ${file.file.lines.positionAt(run.definedBy.span.start).line + 1})`;
      for (const d of run.body.dynamic) {
        const span = inDo ? { start: statement.span.start + d.span.start, end: statement.span.start + d.span.end } : statement.span;
        const expression = d.expression.length > 60 ? `${d.expression.slice(0, 57)}…` : d.expression;
        report({ messageId: 'dynamic', data: { expression: `\`${expression.replace(/\s+/g, ' ')}\``, where }, span });
      }
    }
  },
});
