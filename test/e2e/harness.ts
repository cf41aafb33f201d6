/**
 * What every end-to-end scenario needs: the packaged .vsix installed into a fresh
 * extensions dir, code-server (a real VS Code 1.100.3, from .cache/) on a free loopback
 * port with a fresh user-data dir, Debian's Chromium driven by playwright-core, polling
 * instead of sleeping, and screenshots. code-server runs in its own process group and
 * `E2eSession.dispose()` kills it, whatever happened.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const repo = process.cwd();
const codeServerBin = join(repo, '.cache/code-server/node_modules/.bin/code-server');
const vsix = join(repo, 'wasm-perf.vsix');
export const POLL_TIMEOUT = 90_000;

/** Settings every scenario starts from: no welcome pages, no updates, the trust prompt on. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.startupPrompt': 'always',
  'security.workspace.trust.emptyWindow': false,
  'files.autoSave': 'off',
};

export interface Server {
  readonly process: ChildProcess;
  readonly url: string;
  readonly userData: string;
  readonly log: () => string;
}

/** Polls `probe` until it returns something other than undefined (errors count as "not yet"). */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = POLL_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class E2eSession {
  private readonly servers: Server[] = [];

  private constructor(
    /** A temp dir for workspaces, user data and extensions; removed by `dispose()`. */
    readonly scratch: string,
    readonly browser: Browser,
    readonly screenshots: string,
  ) {}

  /** Installs the .vsix into a fresh extensions dir and launches the browser. */
  static async start(name: string): Promise<E2eSession> {
    assert.ok(existsSync(codeServerBin), 'code-server is not installed; run bash scripts/e2e-setup.sh');
    assert.ok(existsSync(vsix), 'wasm-perf.vsix is missing; run npm run package');
    const scratch = mkdtempSync(join(tmpdir(), `wasm-perf-e2e-${name}-`));
    const install = spawnSync(codeServerBin, ['--extensions-dir', join(scratch, 'extensions'), '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'install-config'), XDG_DATA_HOME: join(scratch, 'install-data') },
      timeout: 120_000,
    });
    assert.equal(install.status, 0, `installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const screenshots = join(repo, 'test-output', name);
    rmSync(screenshots, { recursive: true, force: true });
    return new E2eSession(scratch, browser, screenshots);
  }

  /** Starts code-server with a fresh user-data dir holding the base settings plus `settings`. */
  async startCodeServer(name: string, settings: Record<string, unknown> = {}): Promise<Server> {
    const port = await freePort();
    const home = join(this.scratch, `${name}-home`);
    const userData = join(this.scratch, `${name}-user-data`);
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }));
    let output = '';
    const child = spawn(
      codeServerBin,
      [
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--extensions-dir',
        join(this.scratch, 'extensions'),
        '--user-data-dir',
        userData,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        '--ignore-last-opened',
      ],
      {
        detached: true, // its own process group: killing -pid takes the extension host along
        stdio: ['ignore', 'pipe', 'pipe'],
        // code-server keeps config and data under the XDG dirs: keep them in the scratch dir.
        env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') },
      },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const server: Server = { process: child, url: `http://127.0.0.1:${port}`, userData, log: () => output };
    this.servers.push(server);
    await poll(`code-server on port ${port} to answer`, async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
      const response = await fetch(`${server.url}/healthz`);
      return response.ok ? true : undefined;
    });
    return server;
  }

  /** Opens `folder` in a new page and answers the workspace-trust dialog. */
  async openWorkbench(server: Server, folder: string, trust: boolean): Promise<Page> {
    const page = await this.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: POLL_TIMEOUT });
    const answer = trust ? /Yes, I trust the authors/ : /No, I don.t trust the authors/;
    await page.getByRole('button', { name: answer }).click({ timeout: POLL_TIMEOUT });
    return page;
  }

  async shot(page: Page, name: string): Promise<void> {
    mkdirSync(this.screenshots, { recursive: true });
    await page.screenshot({ path: join(this.screenshots, `${name}.png`) });
  }

  /**
   * Runs a test step; on failure keeps a screenshot `<name>-failed.png` of what the page
   * showed and VS Code's logs (extension host, our output channel) under `<name>-logs/`.
   */
  async step(page: () => Page | undefined, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const current = page();
      if (current) await this.shot(current, `${name}-failed`).catch(() => undefined);
      this.servers.forEach((server, index) => {
        const logs = join(server.userData, 'logs');
        if (existsSync(logs)) cpSync(logs, join(this.screenshots, `${name}-logs`, String(index)), { recursive: true });
      });
      throw error;
    }
  }

  async dispose(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    for (const server of this.servers) {
      if (server.process.exitCode !== null || server.process.pid === undefined) continue;
      try {
        process.kill(-server.process.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** The first line of the extension's log files (VS Code writes LogOutputChannels to disk) that contains `text`. */
export function extensionLogLine(server: Server, text: string): string | undefined {
  const walk = (dir: string): string | undefined => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        const found = walk(path);
        if (found) return found;
      } else if (name.endsWith('.log')) {
        const line = readFileSync(path, 'utf8')
          .split('\n')
          .find((l) => l.includes(text));
        if (line) return line;
      }
    }
    return undefined;
  };
  return walk(join(server.userData, 'logs'));
}

/** Runs a command from the Command Palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await input.press('Enter');
}

/** Opens a workspace file through Quick Open. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await input.press('Enter');
}

/** The Problems panel's text (opened with Ctrl+Shift+M when hidden). */
export async function problemsText(page: Page): Promise<string> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.locator('.monaco-workbench').press('Control+Shift+M');
    await panel.waitFor({ timeout: 10_000 });
  }
  return (await panel.innerText()).replace(/\u00a0/g, ' ');
}

/** The text the active editor shows. */
export function editorText(page: Page): Promise<string> {
  return page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .innerText()
    .then((text) => text.replace(/\u00a0/g, ' '));
}

/**
 * Opens the quick fix menu (Ctrl+.) in the active editor until it lists `label`. Right after
 * the editor opens, VS Code may answer the first Ctrl+. before it has the document's code
 * actions ("No code actions available"); the user would press it again, and so does this.
 */
export async function showQuickFixes(page: Page, label: string): Promise<void> {
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: label }).first();
  await poll('the quick fix menu', async () => {
    await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
    await page.keyboard.press('Control+.');
    if (
      await fix.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      return true;
    await page.keyboard.press('Escape');
    return undefined;
  });
}

/** Moves the open quick fix menu's focus to the row with `label` and returns that row's text. */
export async function focusQuickFix(page: Page, label: string): Promise<string> {
  // The menu is keyboard-driven (a pointer block covers it until the mouse moves).
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  for (let moves = 0; moves < 12 && !(await focused.innerText()).includes(label); moves++) await page.keyboard.press('ArrowDown');
  return focused.innerText();
}

/** The webview content frame that holds `selector` (VS Code nests it in two iframes). */
export function webviewFrame(page: Page, selector: string): Promise<Frame> {
  return poll(`a webview with ${selector}`, async () => {
    for (const frame of page.frames()) {
      if (
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    return undefined;
  });
}
