/** psql meta-commands (`\set`, `\i`, `\connect`) in a migration: not SQL, skipped by the analysis. */
import { defineRule } from '../rule';

export default defineRule({
  id: 'psql-meta-command',
  description: 'A psql meta-command, which only psql understands; it is skipped.',
  category: 'syntax',
  defaultSeverity: 'info',
  recommended: true,
  fixable: false,
  messages: {
    meta: 'psql meta-command `{command}` is not SQL: it is skipped here and fails under any runner other than psql.',
  },
  help: 'Keep psql meta-commands out of migrations that a migration tool runs, or run the file with psql.',
  docs: {
    rationale:
      'Lines starting with a backslash are commands of the psql client, not of the server. Migration tools send the file to the server, which rejects them. Migration Guard skips the line and analyzes the rest.',
    bad: ['\\set ON_ERROR_STOP on\nCREATE TABLE t (id bigint);'],
    good: ['CREATE TABLE t (id bigint);'],
  },
  checkFile({ file, report }) {
    for (const span of file.file.psqlLines) {
      const command = /^\\\S*/.exec(file.file.text.slice(span.start, span.end))?.[0] ?? '\\';
      report({ messageId: 'meta', data: { command }, span, statementIndex: -1 });
    }
  },
});
