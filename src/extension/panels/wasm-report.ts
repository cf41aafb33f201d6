/**
 * The read-only .wasm report editor (`wasm-perf.wasmReport`) and the `wasm-perf.inspectWasm`
 * command that opens it. The module is read and inspected in a worker thread and the report
 * streams to the webview: the summary first, then the long tables a page at a time.
 */
import * as vscode from 'vscode';
import { ReportSession, type ReportSessionDeps } from './wasm-report-session';
import { registerWatDocuments } from './wat-document';
import { renderWebviewHtml, webviewOptions } from './webview-html';
import { pickWorkspaceFile } from './workspace-files';

export interface WasmReportDeps {
  readonly log: vscode.LogOutputChannel;
}

export const WASM_REPORT_VIEW_TYPE = 'wasm-perf.wasmReport';

export function registerWasmReport(context: vscode.ExtensionContext, deps: WasmReportDeps): void {
  const distDir = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  const provider = new WasmReportEditorProvider(context.extensionUri, { log: deps.log, distDir });
  context.subscriptions.push(
    registerWatDocuments(distDir),
    vscode.window.registerCustomEditorProvider(WASM_REPORT_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('wasm-perf.inspectWasm', (uri?: unknown) => inspectWasmCommand(uri)),
  );
}

export class WasmReportEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: Omit<ReportSessionDeps, 'uri'>,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    const session = new ReportSession(panel.webview, { ...this.deps, uri: document.uri });
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { script: 'wasm-report', title: 'WebAssembly report' });
    panel.onDidDispose(() => session.dispose());
  }
}

/** Opens the report for a .wasm: the one given (explorer menu), the active editor's, or one picked from the workspace. */
export async function inspectWasmCommand(argument: unknown): Promise<void> {
  const uri =
    argument instanceof vscode.Uri
      ? argument
      : (activeWasmUri() ?? (await pickWorkspaceFile('**/*.wasm', vscode.l10n.t('Choose a .wasm file to inspect'))));
  if (!uri) return;
  await vscode.commands.executeCommand('vscode.openWith', uri, WASM_REPORT_VIEW_TYPE);
}

function activeWasmUri(): vscode.Uri | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri?.path.endsWith('.wasm')) return editorUri;
  const input = vscode.window.tabGroups?.activeTabGroup.activeTab?.input;
  const tabUri = input && typeof input === 'object' && 'uri' in input ? input.uri : undefined;
  return tabUri instanceof vscode.Uri && tabUri.path.endsWith('.wasm') ? tabUri : undefined;
}
