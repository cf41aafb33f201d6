import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode';
import { contentSecurityPolicy } from '../../src/extension/panels/csp';
import { renderWebviewHtml, webviewOptions } from '../../src/extension/panels/webview-html';
import { FakeWebview } from '../helpers/vscode-stub';

const EXTENSION = vscode.Uri.file('/ext');

function render(): string {
  return renderWebviewHtml(new FakeWebview(), EXTENSION, { script: 'benchmark', title: 'Bench <&>' });
}

function nonceOf(html: string): string {
  const match = /script-src 'nonce-([^']+)'/.exec(html);
  assert.ok(match?.[1], 'the CSP names a nonce');
  return match[1];
}

describe('webview HTML', () => {
  it('carries a strict Content-Security-Policy', () => {
    const html = render();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'CSP meta tag present');
    const directives = new Map(
      csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('style-src'), ['https://webview.test']);
    assert.deepEqual(directives.get('font-src'), ['https://webview.test']);
    assert.deepEqual(directives.get('img-src'), ['https://webview.test']);
    assert.equal(directives.get('script-src')?.length, 2);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('http:'), csp);
  });

  it('puts the nonce on every script tag and loads scripts only from dist/ through asWebviewUri', () => {
    const html = render();
    const nonce = nonceOf(html);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.ok(attributes?.includes(`nonce="${nonce}"`), `nonce on ${attributes}`);
      assert.match(attributes ?? '', /src="https:\/\/webview\.test\/ext\/dist\/webview\/benchmark\.js"/);
      assert.equal(body?.trim(), '', 'no inline script');
    }
    assert.match(
      html,
      /<link id="vscode-codicon-stylesheet" rel="stylesheet" href="https:\/\/webview\.test\/ext\/dist\/codicons\/codicon\.css">/,
    );
    assert.match(html, /<title>Bench &lt;&amp;&gt;<\/title>/);
  });

  it('makes a fresh nonce for every load', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => nonceOf(render())));
    assert.equal(nonces.size, 20);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
  });

  it('lets the webview load files from dist/ only', () => {
    const options = webviewOptions(EXTENSION);
    assert.equal(options.enableScripts, true);
    assert.deepEqual(
      options.localResourceRoots?.map((uri) => uri.path),
      ['/ext/dist'],
    );
  });

  it('keeps the policy text independent of vscode for the UI tests', () => {
    assert.equal(
      contentSecurityPolicy('https://x', 'abc'),
      "default-src 'none'; script-src 'nonce-abc' https://x; style-src https://x; font-src https://x; img-src https://x",
    );
  });
});
