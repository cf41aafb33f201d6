/**
 * End-to-end: an A/B run of two real kernel builds in the benchmark panel of a real VS Code
 * (code-server), read the way a person reads it. The verdict line names the faster build and a
 * factor that agrees with the table; changing the setup afterwards greys the results and says
 * they are stale; arguments that do not fit the export's types are refused as they are typed.
 * Then the panel and the .wasm report are photographed at two window sizes in the light and the
 * dark theme (test-output/benchmark-verdict/), and each picture is checked for cut-off parts.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { E2eSession, poll, quickOpen, repo, webviewFrame, type Server } from './harness';
import { cutOff, setTheme, SIZES, THEMES, type Theme } from './layout';

const FIXTURES = join(repo, 'test/fixtures/wasm');
const TIMEOUT = 300_000;

let session: E2eSession;

/** Whether a vscode-elements control is disabled (its property, which the attribute mirrors). */
function isDisabled(frame: Frame, selector: string): Promise<boolean> {
  return frame.locator(selector).evaluate((element) => (element as HTMLElement & { disabled: boolean }).disabled);
}

/** Picks the option whose text contains `text` in a vscode-single-select, as a click on it would. */
async function choose(frame: Frame, selector: string, text: string): Promise<void> {
  await frame.locator(selector).evaluate((select: HTMLElement & { value: string }, wanted) => {
    const option = [...select.querySelectorAll('vscode-option')].find((each) => each.textContent?.includes(wanted));
    if (!option) throw new Error(`no option with ${wanted}`);
    select.value = option.getAttribute('value') ?? '';
    select.dispatchEvent(new Event('change'));
  }, text);
}

/** Types into a vscode-textfield's inner input. */
async function typeInto(frame: Frame, selector: string, text: string): Promise<void> {
  await frame.locator(`${selector} input`).fill(text);
}

interface Row {
  readonly label: string;
  readonly median: number;
  readonly unit: string;
  readonly vsBaseline: string;
}

/** The summary table's rows as the cells show them. */
async function summaryRows(frame: Frame): Promise<Row[]> {
  const rows = await frame
    .locator('#results-summary vscode-table-row')
    .evaluateAll((elements) =>
      elements.map((row) => [...row.querySelectorAll('vscode-table-cell')].map((cell) => (cell.textContent ?? '').trim())),
    );
  return rows.map((cells) => {
    const median = /^([\d.,]+) (\S+)$/.exec(cells[1] ?? '');
    assert.ok(median, `a median cell: ${cells.join(' | ')}`);
    return { label: cells[0] ?? '', median: Number(median[1]!.replace(/,/g, '')), unit: median[2]!, vsBaseline: cells[3] ?? '' };
  });
}

describe('benchmark verdict, stale state and screenshots in a real VS Code (code-server)', () => {
  let page: Page;
  let server: Server;
  let panel: Frame;

  before(async () => {
    session = await E2eSession.start('benchmark-verdict');
    const workspace = join(session.scratch, 'workspace');
    mkdirSync(workspace);
    for (const name of ['kernels-s.wasm', 'kernels-3-simd.wasm']) copyFileSync(join(FIXTURES, name), join(workspace, name));
    // Short measuring per module: enough for a clear verdict on a 2-core machine, which is all this checks.
    server = await session.startCodeServer('verdict', { 'wasm-perf.benchmark.timeLimitMs': 300, 'workbench.colorTheme': THEMES[0].name });
    page = await session.openWorkbench(server, workspace, true);
  });

  after(() => session?.dispose());

  it('says which build is faster and by how much, in agreement with the table', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'verdict',
      async () => {
        await quickOpen(page, 'kernels-s.wasm');
        const report = await webviewFrame(page, '#exports-table vscode-button.benchmark[data-export="dot"]');
        await report.locator('#exports-table vscode-button.benchmark[data-export="dot"]').click();

        panel = await webviewFrame(page, '#run');
        await poll('the export picker with dot chosen', async () =>
          (await panel
            .locator('vscode-single-select#export-name')
            .evaluate((picker) => (picker as HTMLElement & { value: string }).value)) === 'dot'
            ? true
            : undefined,
        );
        await typeInto(panel, '#args', '200');
        await choose(panel, '#setup-export', 'init');
        // B: the same call in the opt-level=3 + simd128 build.
        await panel.locator('#add-variant').click();
        await panel.locator('.variant[data-index="1"] .variant-source').waitFor();
        await choose(panel, '.variant[data-index="1"] .variant-source', 'kernels-3-simd.wasm');
        await poll('Run to be enabled', async () => ((await isDisabled(panel, '#run')) ? undefined : true));
        await panel.locator('#run').click();

        const rows = await poll(
          'both builds measured',
          async () => {
            const status = (await panel.locator('#status-text').count()) > 0 ? await panel.locator('#status-text').innerText() : '';
            if (status) throw new Error(`the run ended without a result: ${status}`);
            return (await panel.locator('#results-summary vscode-table-row').count()) === 2 ? summaryRows(panel) : undefined;
          },
          240_000,
        );
        const verdict = (await panel.locator('#verdict .verdict-line').first().innerText()).replace(/\s+/g, ' ');
        const [baseline, candidate] = rows as [Row, Row];
        assert.equal(baseline.unit, candidate.unit, 'the table shows every time in one unit');
        assert.equal(baseline.vsBaseline, 'baseline');

        // Which one is faster is read from the table, not assumed.
        const candidateFaster = candidate.median < baseline.median;
        const [fast, slow] = candidateFaster ? [candidate, baseline] : [baseline, candidate];
        const said = /^(.+?) is ([\d.]+)× (faster|slower) than (.+?) \(95% CI ([\d.]+)–([\d.]+)×\)/.exec(verdict);
        assert.ok(said, `a verdict with a factor: ${verdict}`);
        const [, subject, factorText, direction, object, lowText, highText] = said;
        // The verdict speaks of the candidate against the baseline.
        assert.equal(subject, candidate.label, verdict);
        assert.equal(object, baseline.label, verdict);
        assert.equal(direction, candidateFaster ? 'faster' : 'slower', `${verdict} / table: ${JSON.stringify(rows)}`);
        const factor = Number(factorText);
        // The table's medians are rounded to three or four digits: the factor agrees within 2%.
        const tableFactor = slow.median / fast.median;
        assert.ok(Math.abs(factor / tableFactor - 1) < 0.02, `verdict ${factor}× vs table ${tableFactor.toFixed(3)}×`);
        assert.ok(Number(lowText) <= factor && factor <= Number(highText), `the factor lies in its interval: ${verdict}`);
        // The table's "vs baseline" cell says the same thing in the same words.
        assert.ok(candidate.vsBaseline.startsWith(`${factorText}× ${direction}`), `${candidate.vsBaseline} vs ${verdict}`);
        assert.equal(await panel.locator('#stale').isHidden(), true, 'a fresh result is not stale');
      },
    ),
  );

  it('photographs the panel and the report at two sizes in both themes, with nothing essential cut off', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'screenshots',
      async () => {
        const reportTab = page.locator('.tab', { hasText: 'kernels-s.wasm' }).first();
        const panelTab = page.locator('.tab', { hasText: /Benchmark/ }).first();
        // Every picture is taken before a failure is reported, so all of them can be looked at.
        const problems: string[] = [];
        for (const theme of THEMES) {
          await setTheme(page, server, theme);
          for (const size of SIZES) {
            const name = `${size.width}x${size.height}-${theme.kind}`;
            await page.setViewportSize(size);
            await panelTab.click();
            panel = await webviewFrame(page, '#verdict');
            await themedWebview(panel, theme);
            await panel.locator('#verdict').evaluate((verdict) => verdict.scrollIntoView({ block: 'start' }));
            await session.shot(page, `panel-${name}`);
            // The charts sit below the table: scrolled into view for a picture of their axes.
            await panel.locator('.charts').evaluate((charts) => charts.scrollIntoView({ block: 'end' }));
            await session.shot(page, `panel-charts-${name}`);
            const panelCut = await cutOff(
              panel,
              [
                '#verdict .verdict-line',
                '#results-summary',
                '#results-summary vscode-table-header-cell',
                '#results-summary vscode-table-cell',
              ],
              { scrolling: ['#results-summary'], canvases: ['#distribution-chart', '#ratio-chart'] },
            );
            problems.push(...panelCut.map((problem) => `panel ${name}: ${problem}`));

            await reportTab.click();
            const report = await webviewFrame(page, '#exports-table');
            await themedWebview(report, theme);
            await session.shot(page, `report-${name}`);
            const reportCut = await cutOff(
              report,
              ['h2', '#exports-table', '#exports-table vscode-table-header-cell', '#exports-table vscode-table-cell'],
              { scrolling: ['#exports-table'] },
            );
            problems.push(...reportCut.map((problem) => `report ${name}: ${problem}`));
          }
        }
        assert.deepEqual(problems, [], `cut off:\n${problems.join('\n')}`);
      },
    ),
  );

  it("opens a function's text from the report in a read-only, highlighted WAT editor tab", { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'wat-editor',
      async () => {
        await page.setViewportSize(SIZES[0]);
        await page.locator('.tab', { hasText: 'kernels-s.wasm' }).first().click();
        const report = await webviewFrame(page, '#functions-table vscode-button.show-text');
        const first = report.locator('#functions-table vscode-button.show-text').first();
        const index = await first.getAttribute('data-index');
        await first.click();
        await report.locator('#wat').waitFor({ timeout: 60_000 });
        await report.locator('#open-text').click();

        const tab = page.locator('.tab.active', { hasText: `kernels-s.wasm function ${index}.wat` });
        await tab.waitFor({ timeout: 60_000 });
        const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
        const text = await poll('the function text in the editor', async () => {
          const shown = (await lines.innerText()).replace(/\u00a0/g, ' ');
          return shown.includes('(func') ? shown : undefined;
        });
        assert.match(text, /\(func/);
        assert.match(await page.locator('.statusbar-item[id="status.editor.mode"]').innerText(), /WebAssembly Text/);
        // Highlighted: the tokens of a line such as "(func $f (type 0) (param i32)" get several colours.
        const colours = await poll('the highlighting', async () => {
          const found = new Set(
            await lines.locator('span[class^="mtk"]').evaluateAll((spans) => spans.map((span) => getComputedStyle(span).color)),
          );
          return found.size >= 3 ? found : undefined;
        });
        assert.ok(colours.size >= 3, [...colours].join(', '));
        await session.shot(page, 'wat-editor');

        // Read-only: typing changes nothing.
        await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
        await page.keyboard.type('typed');
        await page.keyboard.press('Enter');
        assert.equal((await lines.innerText()).replace(/\u00a0/g, ' '), text);
        assert.doesNotMatch(text, /typed/);
      },
    ),
  );

  it('greys the results as stale when the setup changes, and refuses arguments that do not fit', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'stale',
      async () => {
        await page.setViewportSize(SIZES[0]);
        await page
          .locator('.tab', { hasText: /Benchmark/ })
          .first()
          .click();
        panel = await webviewFrame(page, '#verdict');
        const staleShown = async () =>
          (await panel.locator('#stale').isVisible()) &&
          (await panel.locator('#results').evaluate((results) => results.classList.contains('stale')));
        const verdictOpacity = () => panel.locator('#verdict').evaluate((verdict) => Number(getComputedStyle(verdict).opacity));

        // Other arguments: the shown results were measured with another setup.
        await typeInto(panel, '#args', '300');
        await poll('the stale banner', async () => ((await staleShown()) ? true : undefined));
        assert.match(await panel.locator('#stale').innerText(), /Stale: measured with another setup/);
        assert.ok((await verdictOpacity()) < 1, 'the stale verdict is greyed');
        assert.equal(await isDisabled(panel, '#run'), false, 'Run measures the new setup');
        await session.shot(page, 'stale-arguments');

        // Back to what was measured: current again.
        await typeInto(panel, '#args', '200');
        await poll('the stale banner to go', async () => ((await staleShown()) ? undefined : true));
        assert.equal(await verdictOpacity(), 1);

        // Another export is another setup too; Run stays enabled for the selected export.
        await choose(panel, '#export-name', 'fnv1a(');
        await poll('stale after choosing another export', async () => ((await staleShown()) ? true : undefined));
        assert.equal(await isDisabled(panel, '#run'), false);
        await choose(panel, '#export-name', 'dot(');
        await typeInto(panel, '#args', '200');
        await poll('current again', async () => ((await staleShown()) ? undefined : true));

        // A removed variant changes what would be compared.
        await panel.locator('.variant[data-index="1"] .variant-remove').click();
        await poll('stale after removing a variant', async () => ((await staleShown()) ? true : undefined));

        // dot takes one i32: text is refused where it is typed, and Run waits for a number.
        await typeInto(panel, '#args', 'many');
        const error = panel.locator('#args-error');
        await poll('the argument error', async () => ((await error.isVisible()) ? true : undefined));
        assert.match(await error.innerText(), /\S/);
        assert.equal(await isDisabled(panel, '#run'), true, 'Run is disabled while the arguments do not fit');
        await session.shot(page, 'arguments-refused');
        await typeInto(panel, '#args', '1, 2');
        await poll('the error for one argument too many', async () => ((await error.isVisible()) ? true : undefined));
        assert.equal(await isDisabled(panel, '#run'), true);
        await typeInto(panel, '#args', '200');
        await poll('the error to go', async () => ((await error.isHidden()) ? true : undefined));
        assert.equal(await isDisabled(panel, '#run'), false);
      },
    ),
  );
});

/** Waits until the webview has taken the theme (VS Code sets the body class after the workbench). */
async function themedWebview(frame: Frame, theme: Theme): Promise<void> {
  await poll(`the webview in the ${theme.kind} theme`, async () =>
    (await frame.locator('body').evaluate((body, kind) => body.classList.contains(`vscode-${kind}`), theme.kind)) ? true : undefined,
  );
  // The charts redraw on the theme change in the next frame.
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
