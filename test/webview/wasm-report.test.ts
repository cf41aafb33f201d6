import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import type { ReportSummary, ToReportWebview } from '../../src/protocol/wasm-report';
import { closeBrowser, openWebview, type WebviewUnderTest } from './harness';

const SUMMARY: ReportSummary = {
  fileName: 'kernels.wasm',
  fileSize: 48_213,
  sections: [
    { name: 'type', offset: 8, size: 120 },
    { name: 'function', offset: 131, size: 240 },
    { name: 'code', offset: 380, size: 40_100 },
    { name: 'data', offset: 40_490, size: 6_000 },
    { name: 'custom:producers', offset: 46_500, size: 90 },
  ],
  features: [
    { name: 'bulk-memory', declared: true, used: true },
    { name: 'simd128', declared: false, used: true },
  ],
  producers: [
    { field: 'language', name: 'Rust', version: '' },
    { field: 'processed-by', name: 'rustc', version: '1.63.0' },
  ],
  counts: { simd: 1234, bulkMemory: 7, atomics: 0 },
  functionCount: 250,
  importCount: 1,
  exportCount: 3,
  problems: [],
  inspectMs: 12,
};

function functionsPage(offset: number): ToReportWebview {
  return {
    type: 'page',
    table: 'functions',
    offset,
    total: 250,
    // As the extension sends them: names from the name section, '' for an unnamed function.
    rows: Array.from({ length: Math.min(100, 250 - offset) }, (_, i) => ({
      index: offset + i + 1,
      name: ['blur3x3', 'dot', 'find_byte', '', 'fnv1a'][(offset + i) % 5] ?? '',
      bodySize: 5000 - offset - i,
    })),
  };
}

const EXPORTS_PAGE: ToReportWebview = {
  type: 'page',
  table: 'exports',
  offset: 0,
  total: 3,
  rows: [
    { name: 'sum', kind: 'func', index: 3, type: '(i32) -> i64', benchmarkable: true },
    { name: 'dot4', kind: 'func', index: 4, type: '(v128) -> f32', benchmarkable: false },
    { name: 'memory', kind: 'memory', index: 0, type: '', benchmarkable: false },
  ],
};

describe('.wasm report webview', () => {
  let view: WebviewUnderTest | undefined;
  afterEach(async () => {
    await view?.close();
    view = undefined;
  });
  after(closeBrowser);

  async function openWithReport(): Promise<WebviewUnderTest> {
    view = await openWebview('wasm-report');
    await view.waitForPosted('ready');
    await view.send({ type: 'loading', fileName: 'kernels.wasm', fileSize: 48_213 });
    await view.page.locator('#loading').waitFor();
    await view.send({ type: 'summary', summary: SUMMARY });
    await view.send(functionsPage(0));
    await view.send(EXPORTS_PAGE);
    await view.send({
      type: 'page',
      table: 'imports',
      offset: 0,
      total: 1,
      rows: [{ module: 'env', name: 'log', kind: 'func', type: '(i32) -> ()' }],
    });
    await view.send({
      type: 'findings',
      findings: [{ ruleId: 'missing-simd128', severity: 'warning', message: 'The module declares no simd128 feature' }],
    });
    return view;
  }

  it('renders sections, counts, features, producers and findings', async () => {
    const view = await openWithReport();
    await view.page.locator('#sections').click();
    const sections = await view.page.locator('#sections-table').innerText();
    for (const name of ['type', 'code', 'data', 'custom:producers']) assert.ok(sections.includes(name), name);
    assert.match(sections, /39\.2 KiB/);
    assert.match(await view.page.locator('#count-simd').innerText(), /1,234/);
    assert.match(await view.page.locator('#count-bulk-memory').innerText(), /7/);
    const features = await view.page.locator('#features-table vscode-table-row').allInnerTexts();
    assert.equal(features.length, 2);
    assert.match(features[1] ?? '', /simd128\s+–\s+yes/);
    assert.match(await view.page.locator('#producers-table').innerText(), /rustc\s+1\.63\.0/);
    assert.match(await view.page.locator('#findings').innerText(), /missing-simd128/);
    assert.deepEqual(view.problems, []);
    await view.screenshot('wasm-report');
  });

  it('offers Benchmark only on numeric function exports and posts the export name', async () => {
    const view = await openWithReport();
    const buttons = view.page.locator('#exports-table vscode-button.benchmark');
    assert.equal(await buttons.count(), 1);
    await buttons.first().click();
    const posted = await view.waitForPosted('benchmark');
    assert.deepEqual(posted, { type: 'benchmark', exportName: 'sum' });
  });

  it('shows one stacked size bar whose every segment is visible, with a legend', async () => {
    const view = await openWithReport();
    const segments = await view.page.$$eval('#size-bar .segment', (parts) =>
      parts.map((part) => [part.getAttribute('data-section'), Math.round(part.getBoundingClientRect().width)] as const),
    );
    // The three sections under 2% of the file are drawn as one.
    assert.deepEqual(
      segments.map(([name]) => name),
      ['code', 'data', 'other (3 sections)'],
    );
    const [code, data, other] = segments.map(([, width]) => width);
    assert.ok(code! > 5 * data! && data! > other! && other! >= 2, JSON.stringify(segments));
    const legend = await view.page.locator('#size-legend').innerText();
    assert.match(legend, /code\s+39\.2 KiB · 83\.2%/);
    assert.match(legend, /other \(3 sections\)\s+450 B · 0\.9%/);
  });

  it('lists the top 10 functions by real name, and shows more on request', async () => {
    const view = await openWithReport();
    const rows = view.page.locator('#functions-table vscode-table-row');
    assert.equal(await rows.count(), 10);
    assert.match(await rows.nth(0).innerText(), /^blur3x3\s*#1\t4\.88 KiB\t12\.5%/);
    // An unnamed function is its index, once.
    assert.equal((await rows.nth(3).locator('vscode-table-cell').first().innerText()).trim(), '#4');
    assert.equal(await view.page.locator('#functions .pager').count(), 0);
    // Short tables show whole, with neither "Show more" nor a pager.
    assert.equal(await view.page.locator('#exports-table vscode-table-row').count(), 3);
    assert.equal(await view.page.locator('#exports .show-more, #exports .pager').count(), 0);

    await view.page.locator('#functions vscode-button.show-more', { hasText: 'Show more (240 more)' }).click();
    assert.equal(await rows.count(), 100);
    assert.deepEqual(((await view.savedState()) as { expanded: string[] }).expanded, ['functions']);
    await view.screenshot('wasm-report-functions');

    // Longer than a page: the pager asks for the next one.
    assert.match(await view.page.locator('#functions .range').innerText(), /1–100 of 250/);
    await view.page.locator('#functions vscode-button.next').click();
    const request = await view.waitForPosted('page');
    assert.deepEqual(request, { type: 'page', table: 'functions', offset: 100 });
    await view.send(functionsPage(100));
    await view.page.locator('#functions .range', { hasText: '101–200 of 250' }).waitFor();
    assert.equal(((await view.savedState()) as { offsets: { functions: number } }).offsets.functions, 100);
  });

  it('shows a function text on demand', async () => {
    const view = await openWithReport();
    await view.page.locator('#functions-table vscode-button.show-text[data-index="3"]').click();
    assert.deepEqual(await view.waitForPosted('functionText'), { type: 'functionText', index: 3 });
    await view.send({ type: 'functionText', index: 3, text: '(func $f2 (param i32) (result i32)\n  local.get 0)' });
    assert.match(await view.page.locator('#wat').innerText(), /local\.get 0/);
    await view.screenshot('wasm-report-function-text');
    await view.page.locator('#open-text').click();
    assert.deepEqual(await view.waitForPosted('openFunctionText'), { type: 'openFunctionText', index: 3 });
  });

  it('shows why a module could not be read', async () => {
    view = await openWebview('wasm-report');
    await view.waitForPosted('ready');
    await view.send({ type: 'failed', message: 'Could not read broken.wasm: not a WebAssembly file' });
    assert.match(await view.page.locator('#failure').innerText(), /not a WebAssembly file/);
  });
});
