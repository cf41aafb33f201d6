/** Finding files in the workspace for the panels' pickers. */
import * as vscode from 'vscode';

/** Build output and dependencies are searched too, except node_modules (it can hold thousands of .wasm files). */
const EXCLUDE = '**/node_modules/**';
const LIMIT = 500;

export async function findWorkspaceFiles(glob: string): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(glob, EXCLUDE, LIMIT);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Workspace-relative label for a file (the full path outside the workspace). */
export function workspaceLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

export async function pickWorkspaceFile(glob: string, placeHolder: string): Promise<vscode.Uri | undefined> {
  const files = await findWorkspaceFiles(glob);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No files matching {0} in this workspace.', glob));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: workspaceLabel(uri), uri })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.uri;
}
