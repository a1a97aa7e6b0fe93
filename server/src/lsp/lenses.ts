/**
 * CodeLenses: the migration's deploy phase (expand / contract / breaking / mixed) at the top of the file, the
 * "Trace locks" and "Generate reverse" actions, and, after a trace, what PostgreSQL actually did above each statement
 * (confirmed or mismatch against the static prediction). Conversion only: the classification and the trace come
 * from the analysis library and the engines.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { AnalysisResult, MigrationClassification } from '../analysis';
import { toRange } from './toProto';

export const TRACE_COMMAND = 'migrationGuard.traceLocks';
export const REVERSE_COMMAND = 'migrationGuard.generateReverseMigration';
/** A lens whose command only shows its text (VS Code needs a command id; this one does nothing harmful). */
export const SHOW_OUTPUT_COMMAND = 'migrationGuard.showOutput';

/** One traced statement, as the lens shows it. */
export interface TracedStatementLens {
  statementIndex: number;
  /** "AccessExclusiveLock on users · rewrite" */
  summary: string;
  status: 'confirmed' | 'mismatch' | 'error' | 'not traced';
  detail?: string;
}

export interface LensInput {
  uri: string;
  result: AnalysisResult;
  classification?: MigrationClassification;
  /** The trace of exactly this version of the document, if one ran. */
  traced?: { engine: string; statements: TracedStatementLens[] };
  /** Whether the file is a forward migration with a rollback convention (offer "Generate reverse"). */
  offerReverse: boolean;
}

const ICON: Record<TracedStatementLens['status'], string> = {
  confirmed: '$(pass)',
  mismatch: '$(warning)',
  error: '$(error)',
  'not traced': '$(circle-slash)',
};

const PHASE_ICON: Record<string, string> = {
  expand: '$(arrow-up)',
  contract: '$(arrow-down)',
  breaking: '$(error)',
  mixed: '$(split-horizontal)',
  neutral: '$(circle-outline)',
};

export function codeLenses(input: LensInput): CodeLens[] {
  const { result, uri } = input;
  const lines = result.file.lines;
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lenses: CodeLens[] = [];
  if (input.classification && result.file.statements.length) {
    const c = input.classification;
    lenses.push({ range: top, command: { title: `${PHASE_ICON[c.file] ?? ''} ${c.summary}`.trim(), command: SHOW_OUTPUT_COMMAND } });
  }
  if (result.file.statements.length) {
    lenses.push({ range: top, command: { title: input.traced ? '$(debug-restart) Trace locks again' : '$(search) Trace locks', command: TRACE_COMMAND, arguments: [uri] } });
  }
  if (input.offerReverse) {
    lenses.push({ range: top, command: { title: '$(history) Generate reverse migration', command: REVERSE_COMMAND, arguments: [uri] } });
  }
  for (const t of input.traced?.statements ?? []) {
    const stmt = result.file.statements[t.statementIndex];
    if (!stmt) continue;
    const range = toRange(lines, { start: stmt.span.start, end: stmt.span.start });
    const title = `${ICON[t.status]} ${t.status === 'confirmed' ? 'traced' : t.status}: ${t.summary}`;
    lenses.push({ range, command: { title, command: SHOW_OUTPUT_COMMAND, tooltip: t.detail } as CodeLens['command'] });
  }
  return lenses;
}
