/**
 * End-to-end: "Measure the difference" on a crate whose cargo config builds for wasm32-wasi
 * (Debian's rustc has its standard library): the quick fix builds both variants for that
 * target outside the workspace, runs the crate's only export at once, and the result shows
 * on the opt-level line, again after the window reloads.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  E2eSession,
  editorText,
  focusQuickFix,
  poll,
  problemsText,
  runCommand,
  showQuickFixes,
  webviewFrame,
  type Server,
} from './harness';

const TIMEOUT = 300_000;

const CRATE = {
  'Cargo.toml':
    '[package]\nname = "dot"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[profile.release]\nopt-level = "s"\n',
  'src/lib.rs': [
    '#[no_mangle]',
    'pub extern "C" fn dot(iterations: i32) -> f32 {',
    '    let a = [1.5f32; 256];',
    '    let b = [2.5f32; 256];',
    '    let mut total = 0.0;',
    '    for _ in 0..iterations {',
    '        for i in 0..256 {',
    '            total += a[i] * b[i];',
    '        }',
    '    }',
    '    total',
    '}',
    '',
  ].join('\n'),
};

let session: E2eSession;

/** The crate in a new folder of the scratch dir, with `config` as its .cargo/config.toml. */
function writeCrate(name: string, config: string): string {
  const dir = join(session.scratch, name);
  for (const [path, text] of Object.entries({ ...CRATE, '.cargo/config.toml': config })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Starts Measure the difference from the quick fix menu on the opt-level finding. */
async function measureOptLevel(page: Page): Promise<void> {
  await poll('the opt-level finding', async () =>
    (await problemsText(page)).includes('optimizes the release profile') ? true : undefined,
  );
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'optimizes the release profile' }).first().click();
  await poll('Cargo.toml in the editor', async () => ((await editorText(page)).includes('opt-level = "s"') ? true : undefined));
  await showQuickFixes(page, 'Measure the difference');
  assert.match(await focusQuickFix(page, 'Measure the difference'), /Measure the difference/);
  await page.keyboard.press('Enter');
}

const SETTINGS = {
  // Debian's cargo; its rustc (next to it) has the standard library for wasm32-wasi and wasm32-unknown-unknown only.
  'wasm-perf.benchmark.cargoPath': '/usr/bin/cargo',
  'wasm-perf.benchmark.timeLimitMs': 200,
  'problems.defaultViewMode': 'table',
};

/** The CodeLens texts the active editor shows. */
async function lensTexts(page: Page): Promise<string> {
  return (await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').allInnerTexts()).join('\n');
}

describe('Measure the difference in a real VS Code (code-server)', () => {
  let page: Page;
  let server: Server;
  let workspace: string;

  before(async () => {
    session = await E2eSession.start('e2e-measure');
    workspace = writeCrate('workspace', '[build]\ntarget = "wasm32-wasi"\n');
    server = await session.startCodeServer('measure', SETTINGS);
    page = await session.openWorkbench(server, workspace, true);
  });

  after(() => session?.dispose());

  it('builds for the configured target, runs the only export, and keeps the result on the finding line', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'measure',
      async () => {
        await measureOptLevel(page);

        const panel = await webviewFrame(page, '#run');
        await session.shot(page, '1-measuring');
        const rows = await poll(
          'both builds measured',
          async () => {
            const status = (await panel.locator('#status-text').count()) > 0 ? await panel.locator('#status-text').innerText() : '';
            if (status) throw new Error(`the run ended without a result: ${status}`);
            const found = panel.locator('#results-table vscode-table-row');
            return (await found.count()) === 2 ? found.allInnerTexts() : undefined;
          },
          240_000,
        );
        assert.match(rows.join('\n'), /current build/);
        assert.match(rows.join('\n'), /fixed \(opt-level=3\)/);
        await session.shot(page, '2-result');

        const saved = JSON.parse(readFileSync(join(workspace, 'wasm-perf.bench.json'), 'utf8')) as {
          benchmarks: { name?: string; finding?: string; export?: string; measured?: { ratio: number } }[];
        };
        assert.equal(saved.benchmarks[0]?.finding, 'opt-level-size');
        assert.equal(saved.benchmarks[0]?.name, 'opt-level-size: current vs fixed');
        assert.equal(saved.benchmarks[0]?.export, 'dot');
        assert.ok((saved.benchmarks[0]?.measured?.ratio ?? 0) > 0);
        assert.ok(!existsSync(join(workspace, 'target')), 'the builds went to the extension storage, not the workspace');

        await page.locator('.tab', { hasText: 'Cargo.toml' }).first().click();
        const lens = await poll('the measured CodeLens', async () => {
          const text = await lensTexts(page);
          return /measured: .* opt-level=3 on dot/.test(text) ? text : undefined;
        });
        await session.shot(page, '3-lens');

        await runCommand(page, 'Developer: Reload Window');
        await page.locator('.monaco-workbench').waitFor();
        await page.locator('.tab', { hasText: 'Cargo.toml' }).first().click({ timeout: 90_000 });
        const again = await poll('the measured CodeLens after the reload', async () => {
          const text = await lensTexts(page);
          return /measured: .* opt-level=3 on dot/.test(text) ? text : undefined;
        });
        assert.equal(again.match(/measured: [^\n]*/)?.[0], lens.match(/measured: [^\n]*/)?.[0]);
        await session.shot(page, '4-after-reload');
      },
    ),
  );

  it('on a target whose standard library is missing, says so before building and opens the build log', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'missing-std',
      async () => {
        const missing = writeCrate('wasip1', '[build]\ntarget = "wasm32-wasip1"\n');
        page = await session.openWorkbench(await session.startCodeServer('missing-std', SETTINGS), missing, true);
        await measureOptLevel(page);
        const toast = page.locator('.notification-toast', { hasText: 'standard library for wasm32-wasip1 is not installed' });
        await toast.waitFor({ timeout: 120_000 });
        assert.match(await toast.innerText(), /Debian's rustc 1\.63\.0 has no package for it/);
        await session.shot(page, '5-missing-std');
        await toast.locator('.monaco-button', { hasText: 'Show build log' }).click();
        await poll('the build log', async () => {
          const output = page.locator('.part.panel .monaco-editor .view-lines').first();
          // The editor renders spaces as no-break spaces.
          const text = (await output.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
          return text.includes('sysroot: /usr') ? true : undefined;
        });
        assert.ok(!existsSync(join(missing, 'Cargo.lock')), 'cargo never ran');
        await session.shot(page, '6-build-log');
      },
    ),
  );
});
