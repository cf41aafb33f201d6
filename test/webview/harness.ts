/**
 * Loads a webview bundle from dist/webview/ in headless Chromium, under the same CSP the
 * extension sets, with a stubbed `acquireVsCodeApi` that records what the webview posts and
 * lets the test inject messages from the "extension". Served on a loopback port.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Playwright from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { after, afterEach } from 'node:test';
import { contentSecurityPolicy, createNonce } from '../../src/extension/panels/csp';

const ROOT = join(__dirname, '..', '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'webview');

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** A Dark+ subset of the variables VS Code injects into webviews. */
const THEME_CSS = `body {
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: monospace; --vscode-editor-font-size: 13px;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d;
  --vscode-button-background: #0e639c; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #1177bb;
  --vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #ffffff;
  --vscode-input-background: #3c3c3c; --vscode-input-foreground: #cccccc; --vscode-dropdown-background: #3c3c3c;
  --vscode-dropdown-foreground: #f0f0f0; --vscode-dropdown-border: #3c3c3c; --vscode-focusBorder: #007fd4;
  --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7; --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700;
  --vscode-editorWidget-border: #454545; --vscode-textLink-foreground: #3794ff;
  --vscode-editorWarning-foreground: #cca700; --vscode-editorError-foreground: #f14c4c; --vscode-editorInfo-foreground: #3794ff;
  --vscode-textBlockQuote-background: #222222; --vscode-progressBar-background: #0e70c0;
  --vscode-keybindingTable-rowsBackground: rgba(204, 204, 204, 0.04); --vscode-editorGroup-border: #444444;
}`;

export interface WebviewUnderTest {
  readonly page: Page;
  /** Everything the webview posted so far, oldest first. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  /** Waits until the webview has posted a message of this type and returns the last one. */
  waitForPosted(type: string): Promise<{ type: string; [key: string]: unknown }>;
  /** Delivers a message as the extension would. */
  send(message: unknown): Promise<void>;
  /** The state the webview last saved with setState. */
  savedState(): Promise<unknown>;
  /** Content-Security-Policy violations and page errors seen so far. */
  readonly problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

// Loaded at run time rather than bundled: the test build bundles its imports, and
// playwright-core reads its own package.json and driver files next to itself.
const { chromium } = createRequire(__filename)('playwright-core') as typeof Playwright;

let browser: Browser | undefined;

export async function launchBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

interface OpenOptions {
  /** State a restored webview finds with getState. */
  readonly state?: unknown;
  readonly bodyClass?: string;
  /** The page's width in CSS pixels (default 1200). */
  readonly width?: number;
}

export async function openWebview(bundle: string, options: OpenOptions = {}): Promise<WebviewUnderTest> {
  const nonce = createNonce();
  const server = await serve(nonce, bundle, options);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await (await launchBrowser()).newContext({ viewport: { width: options.width ?? 1200, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported with their address below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    async waitForPosted(type) {
      const handle = await page.waitForFunction(
        (wanted) => [...(window as unknown as { __posted: { type: string }[] }).__posted].reverse().find((m) => m.type === wanted),
        type,
      );
      return (await handle.jsonValue()) as { type: string };
    },
    send: (message) => page.evaluate((data) => window.postMessage(data, '*'), message),
    savedState: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    problems,
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(nonce: string, bundle: string, options: OpenOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void respond(request.url ?? '/').then(
      ([status, type, body]) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      },
      () => {
        response.writeHead(500);
        response.end();
      },
    );
  });
  const respond = async (url: string): Promise<[number, string, string | Buffer]> => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const path = url.split('?')[0] ?? '/';
    if (path === '/index.html')
      return [200, 'text/html', page(contentSecurityPolicy(origin, nonce), nonce, bundle, options.bodyClass ?? 'vscode-dark')];
    if (path === '/favicon.ico') return [204, 'image/x-icon', ''];
    if (path === '/theme.css') return [200, 'text/css', THEME_CSS];
    if (path === '/stub.js') return [200, 'text/javascript', stubScript(options.state)];
    const file = normalize(join(ROOT, path));
    if (!path.startsWith('/dist/') || !file.startsWith(join(ROOT, 'dist'))) return [404, 'text/plain', 'not found'];
    return [200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file)];
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function page(csp: string, nonce: string, bundle: string, bodyClass: string): string {
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/theme.css">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="/dist/codicons/codicon.css">
</head><body class="${bodyClass}"><main id="app"></main>
<script nonce="${nonce}" src="/stub.js"></script>
<script nonce="${nonce}" src="/dist/webview/${bundle}.js"></script>
</body></html>`;
}

/** The part of VS Code's webview API the bundles use, recording instead of sending. */
function stubScript(state: unknown): string {
  return `(() => {
  window.__posted = [];
  window.__state = ${JSON.stringify(state ?? null)};
  document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => window.__state ?? undefined,
      setState: (value) => { window.__state = JSON.parse(JSON.stringify(value)); },
    };
  };
})();`;
}

/**
 * For a describe block: opens webviews and closes each after its test, and the browser after
 * the block.
 */
export function webviewLifecycle(): { open(bundle: string, options?: OpenOptions): Promise<WebviewUnderTest> } {
  let current: WebviewUnderTest | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  after(closeBrowser);
  return {
    async open(bundle, options) {
      await current?.close();
      current = await openWebview(bundle, options);
      return current;
    },
  };
}
