/**
 * Turns a `WorkspacePlan` (edits to the analyzed file plus new files) into one LSP `WorkspaceEdit`. New files are
 * created with `overwrite: false, ignoreIfExists: false`, so a client applying the edit fails rather than clobbering a
 * file that appeared after the plan was made; files the plan found already written are never in the edit (they are
 * the plan's `conflicts`, which the caller offers as a diff).
 */
import type { CreateFile, Range, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import { LineIndex, type WorkspacePlan } from '../analysis';
import { toRange } from './toProto';

/** Whether the client can apply a `WorkspaceEdit` that creates files (`workspace.workspaceEdit.resourceOperations`). */
export interface EditCapabilities {
  createFiles: boolean;
  documentChanges: boolean;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * The edit for `plan`, or undefined when the client cannot create files and the plan needs to (the caller then
 * says so instead of applying half a plan). `lines` indexes the analyzed file's current text.
 */
export function planToWorkspaceEdit(
  plan: WorkspacePlan,
  uri: string,
  lines: LineIndex,
  caps: EditCapabilities,
  readText: (path: string) => string | undefined,
): WorkspaceEdit | undefined {
  const edits = plan.edits.map((e) => ({ range: toRange(lines, e), newText: e.newText }));
  const others: TextDocumentEdit[] = [];
  for (const fe of plan.fileEdits ?? []) {
    const text = readText(fe.path);
    if (text === undefined) return undefined;
    const index = new LineIndex(text);
    others.push({ textDocument: { uri: fileUri(fe.path), version: null }, edits: fe.edits.map((e) => ({ range: toRange(index, e), newText: e.newText })) });
  }
  if (plan.create.length === 0 && others.length === 0) {
    if (!caps.documentChanges) return { changes: { [uri]: edits } };
    return { documentChanges: [{ textDocument: { uri, version: null }, edits }] };
  }
  if (!caps.documentChanges || (plan.create.length > 0 && !caps.createFiles)) return undefined;
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  if (edits.length) changes.push({ textDocument: { uri, version: null }, edits });
  changes.push(...others);
  for (const f of plan.create) {
    const target = fileUri(f.path);
    changes.push({ kind: 'create', uri: target, options: { overwrite: false, ignoreIfExists: false } });
    changes.push({ textDocument: { uri: target, version: null }, edits: [{ range: START, newText: f.text }] });
  }
  return { documentChanges: changes };
}
