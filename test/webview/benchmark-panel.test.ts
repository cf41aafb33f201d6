import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { CRATE_PATH, EXPORTS_MESSAGE, initMessage, MODULE_PATH, sampleRun } from './benchmark-fixtures';
import { closeBrowser, openWebview, type WebviewUnderTest } from './harness';

describe('benchmark panel webview', () => {
  let view: WebviewUnderTest | undefined;
  afterEach(async () => {
    await view?.close();
    view = undefined;
  });
  after(closeBrowser);

  async function openReady(init = initMessage()): Promise<WebviewUnderTest> {
    view = await openWebview('benchmark');
    await view.send(init);
    return view;
  }

  it('says ready first and asks for the exports of the first module', async () => {
    const view = await openReady();
    const posted = await view.waitForPosted('listExports');
    const all = await view.posted();
    assert.equal(all[0]?.type, 'ready');
    assert.equal(posted.path, MODULE_PATH);
    assert.deepEqual(view.problems, []);
  });

  it('renders a result table from an injected result message', async () => {
    const view = await openReady();
    await view.send({ type: 'result', run: sampleRun() });
    const rows = view.page.locator('#results-table vscode-table-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    const second = await rows.nth(1).innerText();
    assert.match(second, /opt-level=3/);
    assert.match(second, /604 ns/);
    // 812 ns / 604 ns: the variant is 1.34× faster, never "0.74× faster".
    assert.match(second, /1\.34× faster \(1\.28–1\.41×\)/);
    const header = await view.page.locator('#results-table vscode-table-header').innerText();
    for (const column of ['Variant', 'Median', '95% interval', 'vs baseline', 'Noise']) assert.ok(header.includes(column), column);
    // The rest is one click away, and remembered.
    assert.equal(await view.page.locator('#details').evaluate((details: HTMLElement & { open: boolean }) => details.open), false);
    await view.page.locator('#details').click();
    const detailsHeader = await view.page.locator('#details-table vscode-table-header').innerText();
    for (const column of ['Mean', 'MAD', 'Throughput', 'Samples', 'Overhead', 'Warnings'])
      assert.ok(detailsHeader.includes(column), column);
    assert.match(await view.page.locator('#details-table vscode-table-row').nth(1).innerText(), /spread 12% of the median/);
    assert.equal(((await view.savedState()) as { details?: boolean }).details, true);
    // Both charts drew onto their canvases.
    await view.page.waitForFunction(() =>
      ['distribution-chart', 'ratio-chart'].every((id) => (document.getElementById(id) as HTMLCanvasElement | null)?.width),
    );
    assert.deepEqual(view.problems, []);
    await view.screenshot('benchmark-result');
  });

  it('posts the run request for the chosen export and arguments, then cancel with the same run id', async () => {
    const view = await openReady();
    await view.send(EXPORTS_MESSAGE);
    await view.page.locator('#args').waitFor();
    // The first benchmarkable export is chosen with zeroed arguments; type new ones.
    const args = view.page.locator('#args input');
    await args.fill('7, 35');
    const run = view.page.locator('#run');
    await view.page.waitForFunction(() => !(document.getElementById('run') as HTMLElement & { disabled: boolean }).disabled);
    await run.click();
    const request = await view.waitForPosted('run');
    assert.deepEqual(request.definition, {
      name: 'benchmark',
      variants: [{ kind: 'module', label: 'target/wasm32-unknown-unknown/release/kernels.wasm', modulePath: MODULE_PATH }],
      exportName: 'add',
      args: ['7', '35'],
    });
    await view.send({ type: 'progress', runId: request.runId, message: 'Timing A (2/5)', fraction: 0.4 });
    await view.page.locator('#progress-message', { hasText: 'Timing A (2/5)' }).waitFor();
    await view.page.locator('#cancel').click();
    const cancel = await view.waitForPosted('cancel');
    assert.equal(cancel.runId, request.runId);
    await view.send({ type: 'runEnded', runId: request.runId, outcome: 'cancelled', message: 'Cancelled' });
    await view.page.locator('#status-text', { hasText: 'Cancelled' }).waitFor();
    assert.equal(await view.page.locator('#progress').isHidden(), true);
  });

  it('builds an A/B comparison of crate builds with switches', async () => {
    const view = await openReady();
    // Switch the baseline to a crate build, then add a variant: it turns on opt-level=3.
    await view.page
      .locator('.variant-kind')
      .first()
      .evaluate((select: HTMLElement & { value: string }) => {
        select.value = 'build';
        select.dispatchEvent(new Event('change'));
      });
    await view.page.locator('.variant[data-index="0"] .flags').waitFor();
    await view.page.locator('#add-variant').click();
    await view.page.locator('.variant[data-index="1"] .flag-simd128').click();
    await view.page.locator('#export-name input').fill('sum');
    await view.page.locator('#export-name input').press('Enter');
    await view.page.locator('#args input').fill('1000');
    await view.page.waitForFunction(() => !(document.getElementById('run') as HTMLElement & { disabled: boolean }).disabled);
    await view.page.locator('#run').click();
    const request = await view.waitForPosted('run');
    const definition = request.definition as { variants: unknown[]; exportName: string };
    assert.deepEqual(definition.variants, [
      { kind: 'build', label: 'release profile', manifestPath: CRATE_PATH, flags: { optLevel3: false, simd128: false, lto: false } },
      { kind: 'build', label: 'opt-level=3 +simd128', manifestPath: CRATE_PATH, flags: { optLevel3: true, simd128: true, lto: false } },
    ]);
    assert.equal(definition.exportName, 'sum');
  });

  it('shows why it is disabled in an untrusted workspace and disables Run', async () => {
    const view = await openReady(
      initMessage({ trust: { trusted: false, reason: 'Benchmarks run code from this workspace; trust it to enable them.' } }),
    );
    await view.page.locator('#trust-reason', { hasText: 'trust it to enable them' }).waitFor();
    assert.equal(await view.page.locator('#run').evaluate((button: HTMLElement & { disabled: boolean }) => button.disabled), true);
    await view.page.locator('#run').click({ force: true });
    assert.equal(
      (await view.posted()).some((message) => message.type === 'run'),
      false,
    );
    await view.screenshot('benchmark-untrusted');
  });

  it('puts a preset from a quick fix into the form and waits for the export', async () => {
    const run = sampleRun();
    const view = await openReady(initMessage({ preset: { ...run.definition, exportName: '' } }));
    await view.page.locator('.variant[data-index="1"] .variant-label').waitFor();
    assert.equal(
      await view.page.locator('.variant[data-index="1"] .variant-label').evaluate((field: HTMLElement & { value: string }) => field.value),
      'opt-level=3',
    );
    assert.equal(await view.page.locator('#run').evaluate((button: HTMLElement & { disabled: boolean }) => button.disabled), true);
    assert.match(await view.page.locator('#problems').innerText(), /Choose an export/);
  });

  it('runs a preset at once when the extension says its export is unambiguous', async () => {
    const definition = { ...sampleRun().definition, finding: 'opt-level-size' };
    const view = await openReady(initMessage({ preset: definition, autoRun: true }));
    const request = await view.waitForPosted('run');
    assert.deepEqual(request.definition, definition);
    await view.page.locator('#progress').waitFor();
  });

  it('waits for the Run button when the preset is not marked to run', async () => {
    const view = await openReady(initMessage({ preset: sampleRun().definition }));
    await view.page.locator('.variant[data-index="1"] .variant-label').waitFor();
    assert.ok(!(await view.posted()).some((message) => message.type === 'run'));
  });

  it('keeps the draft and the selected run in the webview state, and restores them', async () => {
    const first = await openReady(initMessage({ history: [sampleRun('a'), sampleRun('b')] }));
    await first.page.locator('.history-item[data-run-id="b"]').click();
    await first.page.locator('vscode-table[data-run-id="b"]').waitFor();
    const state = await first.savedState();
    assert.equal((state as { selectedRunId: string }).selectedRunId, 'b');
    await first.close();

    view = await openWebview('benchmark', { state });
    await view.send(initMessage({ history: [sampleRun('a'), sampleRun('b')] }));
    await view.page.locator('vscode-table[data-run-id="b"]').waitFor();
  });

  it('asks the extension to export JSON and copy Markdown for the shown run', async () => {
    const view = await openReady(initMessage({ history: [sampleRun('r1')] }));
    await view.page.locator('#export-json').click();
    await view.page.locator('#copy-markdown').click();
    assert.deepEqual((await view.waitForPosted('exportJson')).runId, 'r1');
    assert.deepEqual((await view.waitForPosted('copyMarkdown')).runId, 'r1');
  });
});
