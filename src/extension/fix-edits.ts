/**
 * The engine's fixes (offset edits per file) → a `WorkspaceEdit`. Offsets become ranges
 * through the LineIndex of the text the fix was computed against; a file the fix creates
 * is created first, and its edits apply to the empty text.
 */
import * as vscode from 'vscode';
import type { FileChange } from '../core/model';
import { LineIndex } from '../core/text/line-index';
import type { Sources } from './diagnostics';
import type { PathMapper } from './paths';

const EMPTY = new LineIndex('');

/** Undefined when a changed file's analysed text is unknown (the fix cannot be placed). */
export function toWorkspaceEdit(changes: readonly FileChange[], sources: Sources, mapper: PathMapper): vscode.WorkspaceEdit | undefined {
  const edit = new vscode.WorkspaceEdit();
  for (const change of changes) {
    const uri = mapper.toUri(change.file);
    const lines = change.create ? EMPTY : sources.get(change.file)?.lines;
    if (!lines) return undefined;
    if (change.create) edit.createFile(uri, { ignoreIfExists: true });
    for (const textEdit of change.edits) {
      const start = lines.positionAt(textEdit.start);
      const end = lines.positionAt(textEdit.end);
      edit.replace(uri, new vscode.Range(start.line, start.character, end.line, end.character), textEdit.newText);
    }
  }
  return edit;
}
