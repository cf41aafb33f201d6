/**
 * The one place that builds a webview's HTML: a fresh nonce per load, the CSP from csp.ts,
 * assets from dist/ through asWebviewUri. Data never goes into the page: it arrives by
 * postMessage once the webview says it is ready.
 */
import * as vscode from 'vscode';
import { contentSecurityPolicy, createNonce } from './csp';

export interface WebviewPage {
  /** Bundle name under dist/webview/ without `.js` (e.g. `benchmark`). */
  readonly script: string;
  readonly title: string;
}

/** Webview options that allow scripts and loading files from dist/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = createNonce();
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...segments)).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${escapeAttribute(asset('codicons', 'codicon.css'))}">
<title>${escapeText(page.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${escapeAttribute(asset('webview', `${page.script}.js`))}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
