/**
 * End-to-end: benchmark a fixture export from the .wasm report in a real VS Code
 * (code-server 4.100.3) and see the result table. Self-contained, in the same style as
 * vscode.e2e.ts: the packaged .vsix (npm run package) and code-server in .cache/
 * (scripts/e2e-setup.sh) must exist. Build and run:
 *
 *   esbuild test/e2e/benchmark-panel.e2e.ts --bundle --platform=node --target=node20 --format=cjs \
 *     --packages=external --outfile=out/e2e/benchmark-panel.e2e.js && node --test out/e2e/benchmark-panel.e2e.js
 *
 * It is not named *.test.ts on purpose: the unit run (scripts/run-tests.mjs) must not start
 * code-server. Every wait polls for what the user would see; code-server runs in its own
 * process group and is killed at the end; the fixture is copied to a temp dir.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const repo = process.cwd();
const codeServerBin = join(repo, '.cache/code-server/node_modules/.bin/code-server');
const vsix = join(repo, 'wasm-perf.vsix');
const screenshots = join(repo, 'test-output/e2e-benchmark');
const fixture = join(repo, 'test/fixtures/wasm/kernels-3.wasm');
const TIMEOUT = 180_000;
const POLL_TIMEOUT = 90_000;

const scratch = mkdtempSync(join(tmpdir(), 'wasm-perf-e2e-bench-'));
let server: ChildProcess | undefined;
let browser: Browser | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = POLL_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function startCodeServer(extensionsDir: string): Promise<string> {
  const port = await freePort();
  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.startupPrompt': 'always',
      // Short measuring per module: the scenario checks the flow, not the numbers.
      'wasm-perf.benchmark.timeLimitMs': 200,
    }),
  );
  let output = '';
  const child = spawn(
    codeServerBin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensionsDir, '--user-data-dir', userData, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data'), VSCODE_PROXY_URI: '' } },
  );
  server = child;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await poll(`code-server on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    return (await fetch(`${url}/healthz`)).ok ? true : undefined;
  });
  return url;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** The webview's content frame that holds `selector` (VS Code nests it in two iframes). */
function webviewFrame(page: Page, selector: string): Promise<Frame> {
  return poll(`a webview with ${selector}`, async () => {
    for (const frame of page.frames()) {
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    return undefined;
  });
}

describe('benchmark panel in a real VS Code (code-server)', () => {
  let page: Page;

  before(async () => {
    assert.ok(existsSync(codeServerBin), 'code-server is not installed; run bash scripts/e2e-setup.sh');
    assert.ok(existsSync(vsix), 'wasm-perf.vsix is missing; run npm run package');
    const extensionsDir = join(scratch, 'extensions');
    const install = spawnSync(codeServerBin, ['--extensions-dir', extensionsDir, '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'install-config'), XDG_DATA_HOME: join(scratch, 'install-data') },
      timeout: 120_000,
    });
    assert.equal(install.status, 0, `installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
    const workspace = join(scratch, 'workspace');
    mkdirSync(workspace);
    copyFileSync(fixture, join(workspace, 'kernels.wasm'));
    const url = await startCodeServer(extensionsDir);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: POLL_TIMEOUT });
    await page.getByRole('button', { name: /Yes, I trust the authors/ }).click({ timeout: POLL_TIMEOUT });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('benchmarks an export from the .wasm report and shows the result table', { timeout: TIMEOUT }, async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.fill('kernels.wasm');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'kernels.wasm' }).first().waitFor();
    await input.press('Enter');

    const report = await webviewFrame(page, '#exports-table vscode-button.benchmark[data-export="add"]');
    await shot(page, '1-report');
    await report.locator('#exports-table vscode-button.benchmark[data-export="add"]').click();

    const panel = await webviewFrame(page, '#run');
    // The report's button filled in the export; the picker appears once the module's exports are read.
    await poll('the export picker with add chosen', async () =>
      (await panel.locator('vscode-single-select#export-name').evaluate((picker) => (picker as HTMLElement & { value: string }).value)) === 'add' ? true : undefined,
    );
    await panel.locator('#args input').fill('2, 40');
    await poll('Run to be enabled', async () => ((await panel.locator('#run').evaluate((button) => (button as HTMLElement & { disabled: boolean }).disabled)) ? undefined : true));
    await panel.locator('#run').click();
    await shot(page, '2-running');

    const row = await poll('a result row', async () => {
      const status = (await panel.locator('#status-text').count()) > 0 ? await panel.locator('#status-text').innerText() : '';
      if (status) throw new Error(`the run ended without a result: ${status}`);
      const rows = panel.locator('#results-table vscode-table-row');
      return (await rows.count()) === 1 ? rows.first().innerText() : undefined;
    });
    assert.match(row, /kernels\.wasm/);
    assert.match(row, /\d+(\.\d+)? (ns|µs)/);
    await shot(page, '3-result');
  });
});
