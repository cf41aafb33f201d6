/**
 * One function of a .wasm as WebAssembly text in an editor tab: a read-only virtual document
 * (VS Code makes content-provider documents read-only) in the `wat` language, which the
 * extension contributes with a TextMate grammar (media/wat.tmLanguage.json) for highlighting.
 * The text comes from the report's worker thread, like the report's own text view.
 */
import * as vscode from 'vscode';
import { functionTextInWorker } from './wasm-inspect-job';

export const WAT_SCHEME = 'wasm-perf-wat';
export const WAT_LANGUAGE = 'wat';

/** What the report worker needs to read a module: local files by path, others by their bytes. */
export async function moduleFileJob(uri: vscode.Uri): Promise<{ fileName: string; path: string; bytes?: Uint8Array }> {
  const bytes = uri.scheme === 'file' ? undefined : await vscode.workspace.fs.readFile(uri);
  return { fileName: uri.path.split('/').pop() ?? uri.path, path: uri.fsPath, ...(bytes ? { bytes } : {}) };
}

/** `wasm-perf-wat:/kernels.wasm function 3.wat?module=…&index=3`: the tab reads "kernels.wasm function 3.wat". */
export function watUri(moduleUri: vscode.Uri, index: number): vscode.Uri {
  const fileName = moduleUri.path.split('/').pop() ?? 'module.wasm';
  const query = new URLSearchParams({ module: moduleUri.toString(), index: String(index) }).toString();
  return vscode.Uri.from({ scheme: WAT_SCHEME, path: `/${fileName} function ${index}.wat`, query });
}

function parseWatUri(uri: vscode.Uri): { module: vscode.Uri; index: number } | undefined {
  const params = new URLSearchParams(uri.query);
  const module = params.get('module');
  const index = Number(params.get('index'));
  if (!module || !Number.isInteger(index) || index < 0) return undefined;
  return { module: vscode.Uri.parse(module), index };
}

class WatDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly distDir: string) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = parseWatUri(uri);
    if (!target) return `;; ${vscode.l10n.t('Not a function of a .wasm file: {0}', uri.toString())}\n`;
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const job = { ...(await moduleFileJob(target.module)), index: target.index, distDir: this.distDir };
      const outcome = await functionTextInWorker(`${this.distDir}/wasm-inspect.js`, job, abort.signal);
      if (outcome.ok) return outcome.text.endsWith('\n') ? outcome.text : `${outcome.text}\n`;
      return `;; ${vscode.l10n.t('Could not render function {0} of {1}: {2}', target.index, job.fileName, outcome.message)}\n`;
    } catch (error) {
      return `;; ${vscode.l10n.t('Could not read {0}: {1}', target.module.fsPath, error instanceof Error ? error.message : String(error))}\n`;
    } finally {
      cancelled.dispose();
    }
  }
}

export function registerWatDocuments(distDir: string): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(WAT_SCHEME, new WatDocuments(distDir));
}

/** Opens function `index` of the module as text in an editor tab. */
export async function openFunctionText(moduleUri: vscode.Uri, index: number): Promise<void> {
  let document = await vscode.workspace.openTextDocument(watUri(moduleUri, index));
  // The path ends in .wat, which the contributed language claims; set it anyway in case another extension claims .wat too.
  if (document.languageId !== WAT_LANGUAGE) document = await vscode.languages.setTextDocumentLanguage(document, WAT_LANGUAGE);
  await vscode.window.showTextDocument(document, { preview: true });
}
