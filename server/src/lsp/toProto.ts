/**
 * The one place where analysis results become LSP types. Offsets (UTF-16) become positions through the analyzed
 * text's LineIndex; LSP's default position encoding is UTF-16 too, so no further conversion is needed.
 * Each diagnostic carries what its code actions need in `data`, so code actions need no server state.
 */
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { AnalysisResult, Finding, LineIndex, Severity, Span } from '../analysis';

export const SOURCE = 'migration-guard';
export const SHOW_DOCS_COMMAND = 'migrationGuard.showDocumentation';

/** What a diagnostic carries for its code actions. */
export interface DiagnosticData {
  ruleId: string;
  docsUrl: string;
  fix?: { title: string; edits: TextEdit[]; preferred: boolean };
  /** Where "disable for this statement" inserts its comment, with the statement's indentation. */
  statementIgnore?: { position: Range['start']; indent: string };
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(result: AnalysisResult, f: Finding): Diagnostic {
  const lines = result.file.lines;
  const data: DiagnosticData = { ruleId: f.ruleId, docsUrl: f.docsUrl };
  if (f.fix) {
    data.fix = {
      title: f.fix.title,
      preferred: f.fix.preferred,
      edits: f.fix.edits.map((e) => ({ range: toRange(lines, e), newText: e.newText })),
    };
  }
  const stmt = f.statementIndex >= 0 ? result.file.statements[f.statementIndex] : undefined;
  if (stmt) {
    const line = lines.positionAt(stmt.span.start).line;
    const start = lines.lineStart(line);
    const indent = /^[ \t]*/.exec(result.file.text.slice(start, stmt.span.start))?.[0] ?? '';
    data.statementIgnore = { position: { line, character: 0 }, indent };
  }
  return {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: f.docsUrl },
    source: SOURCE,
    message: f.help ? `${f.message}\n${f.help}` : f.message,
    data,
  };
}

export function toDiagnostics(result: AnalysisResult): Diagnostic[] {
  return result.findings.map((f) => toDiagnostic(result, f));
}

/** The standard set of actions for one diagnostic: fix, disable for the statement, disable for the file, docs. */
export function codeActionsFor(uri: string, diagnostic: Diagnostic): CodeAction[] {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (diagnostic.source !== SOURCE || !data?.ruleId) return [];
  const actions: CodeAction[] = [];
  if (data.fix) {
    actions.push({
      title: data.fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: data.fix.preferred,
      edit: { changes: { [uri]: data.fix.edits } },
    });
  }
  if (data.statementIgnore) {
    const { position, indent } = data.statementIgnore;
    actions.push({
      title: `Disable ${data.ruleId} for this statement`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: [{ range: { start: position, end: position }, newText: `${indent}-- migration-guard-ignore ${data.ruleId}\n` }] } },
    });
  }
  const top = { line: 0, character: 0 };
  actions.push({
    title: `Disable ${data.ruleId} for the entire file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: [{ range: { start: top, end: top }, newText: `-- migration-guard-ignore-file ${data.ruleId}\n` }] } },
  });
  actions.push({
    title: `Show documentation for ${data.ruleId}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show documentation for ${data.ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [data.docsUrl] },
  });
  return actions;
}

/** "Fix all" for one rule: every fix of that rule in the file, when there is more than one. */
export function fixAllAction(uri: string, ruleId: string, diagnostics: Diagnostic[]): CodeAction | undefined {
  const fixes = diagnostics.filter((d) => (d.data as DiagnosticData | undefined)?.ruleId === ruleId && (d.data as DiagnosticData).fix);
  if (fixes.length < 2) return undefined;
  const edits = fixes.flatMap((d) => (d.data as DiagnosticData).fix!.edits);
  return { title: `Fix all ${ruleId} problems`, kind: CodeActionKind.QuickFix, diagnostics: fixes, edit: { changes: { [uri]: edits } } };
}
