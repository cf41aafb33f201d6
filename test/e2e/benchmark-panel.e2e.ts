/**
 * End-to-end: benchmark a fixture export from the .wasm report in a real VS Code
 * (code-server 4.100.3) and see the result table, on the shared harness (./harness.ts).
 * `npm run test:e2e` packages the extension, installs code-server into .cache/ and runs every
 * test/e2e/*.e2e.ts. Not named *.test.ts on purpose: the unit run (scripts/run-tests.mjs)
 * must not start code-server. Every wait polls for what the user would see.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { E2eSession, poll, quickOpen, repo, webviewFrame } from './harness';

const fixture = join(repo, 'test/fixtures/wasm/kernels-3.wasm');
const TIMEOUT = 180_000;

let session: E2eSession;

describe('benchmark panel in a real VS Code (code-server)', () => {
  let page: Page;

  before(async () => {
    session = await E2eSession.start('e2e-benchmark');
    const workspace = join(session.scratch, 'workspace');
    mkdirSync(workspace);
    copyFileSync(fixture, join(workspace, 'kernels.wasm'));
    // Short measuring per module: the scenario checks the flow, not the numbers.
    const server = await session.startCodeServer('benchmark', { 'wasm-perf.benchmark.timeLimitMs': 200 });
    page = await session.openWorkbench(server, workspace, true);
  });

  after(() => session?.dispose());

  it('benchmarks an export from the .wasm report and shows the result table', { timeout: TIMEOUT }, async () => {
    await quickOpen(page, 'kernels.wasm');

    const report = await webviewFrame(page, '#exports-table vscode-button.benchmark[data-export="add"]');
    await session.shot(page, '1-report');
    await report.locator('#exports-table vscode-button.benchmark[data-export="add"]').click();

    const panel = await webviewFrame(page, '#run');
    // The report's button filled in the export; the picker appears once the module's exports are read.
    await poll('the export picker with add chosen', async () =>
      (await panel.locator('vscode-single-select#export-name').evaluate((picker) => (picker as HTMLElement & { value: string }).value)) ===
      'add'
        ? true
        : undefined,
    );
    await panel.locator('#args input').fill('2, 40');
    await poll('Run to be enabled', async () =>
      (await panel.locator('#run').evaluate((button) => (button as HTMLElement & { disabled: boolean }).disabled)) ? undefined : true,
    );
    await panel.locator('#run').click();
    await session.shot(page, '2-running');

    const row = await poll('a result row', async () => {
      const status = (await panel.locator('#status-text').count()) > 0 ? await panel.locator('#status-text').innerText() : '';
      if (status) throw new Error(`the run ended without a result: ${status}`);
      const rows = panel.locator('#results-table vscode-table-row');
      return (await rows.count()) === 1 ? rows.first().innerText() : undefined;
    });
    assert.match(row, /kernels\.wasm/);
    assert.match(row, /\d+(\.\d+)? (ns|µs)/);
    await session.shot(page, '3-result');
  });
});
