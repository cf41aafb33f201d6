/** The benchmark panel read at a glance: the verdict, short labels, stale results, arguments checked as typed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparisonRun, EXPORTS_MESSAGE, initMessage, MODULE_PATH } from './benchmark-fixtures';
import { webviewLifecycle, type WebviewUnderTest } from './harness';

type Disableable = HTMLElement & { disabled: boolean };

describe('benchmark panel results and form state', () => {
  const lifecycle = webviewLifecycle();
  let view: WebviewUnderTest | undefined;

  async function open(init = initMessage(), width?: number): Promise<WebviewUnderTest> {
    view = await lifecycle.open('benchmark', width ? { width } : {});
    await view.send(init);
    return view;
  }

  async function verdictOf(run: ReturnType<typeof comparisonRun>): Promise<string> {
    const shown = await open(initMessage({ history: [run] }));
    const verdict = shown.page.locator('#verdict');
    await verdict.waitFor();
    return verdict.innerText();
  }

  const runDisabled = (view: WebviewUnderTest) => view.page.locator('#run').evaluate((button: Disableable) => button.disabled);

  it('says in one line how many times faster the variant is, with the interval as speed-ups', async () => {
    const text = await verdictOf(comparisonRun('fast', { ratio: 0.159, ciLow: 0.156, ciHigh: 0.162, significant: true }));
    assert.equal(text.trim(), '3-simd is 6.3× faster than s (95% CI 6.2–6.4×)');
    assert.equal(await view!.page.locator('#verdict strong').innerText(), '3-simd is 6.3× faster');
    assert.deepEqual(view!.problems, []);
  });

  it('says how many times slower a slower variant is', async () => {
    const text = await verdictOf(comparisonRun('slow', { ratio: 1.4, ciLow: 1.35, ciHigh: 1.46, significant: true }));
    assert.equal(text.trim(), '3-simd is 1.40× slower than s (95% CI 1.35–1.46×)');
  });

  it('says there is no measurable difference when the interval includes no change', async () => {
    const text = await verdictOf(comparisonRun('same', { ratio: 1.01, ciLow: 0.98, ciHigh: 1.04, significant: false }));
    assert.match(text, /^No measurable difference between 3-simd and s \(95% CI 1\.02× faster to 1\.04× slower includes no change\)/);
    const row = await view!.page.locator('#results-table vscode-table-row').nth(1).innerText();
    assert.match(row, /no difference/);
  });

  it('says there is no measurable difference when the change is below the noise margin', async () => {
    const text = await verdictOf(comparisonRun('tiny', { ratio: 0.98, ciLow: 0.975, ciHigh: 0.985, significant: false }));
    assert.match(text, /^No measurable difference between 3-simd and s \(the 2% change is below the noise\)/);
  });

  /** The full reasons the Details section lists (it is rendered folded; the list is there to open). */
  const detailReasons = () => view!.page.locator('#noise-reasons li').allInnerTexts();

  it('says why a run was noisy after the verdict, and marks the noisy variant', async () => {
    const run = comparisonRun('noisy', { ratio: 0.434, ciLow: 0.3, ciHigh: 0.6, significant: true });
    const reason = "the 5 rounds disagree: their medians spread by 38%, so the machine's load changed during the run";
    const [baseline, candidate] = run.results;
    const noisy = { ...run, results: [baseline!, { ...candidate!, stats: { ...candidate!.stats, noise: reason } }] };
    const text = await verdictOf(noisy);
    assert.equal(text.trim(), '3-simd is 2.3× faster than s (95% CI 1.7–3.3×). Noisy run: the 5 rounds disagree');
    assert.deepEqual(await detailReasons(), [reason]);
    const cells = await view!.page.locator('#results-table vscode-table-row').nth(1).locator('vscode-table-cell').allInnerTexts();
    assert.equal(cells[4]?.trim(), 'noisy');
    assert.equal((await view!.page.locator('#results-table vscode-table-row').nth(0).locator('vscode-table-cell').allInnerTexts())[4], '–');
  });

  it('names the variant of each noise reason when several variants were noisy', async () => {
    const run = comparisonRun('two-noisy', { ratio: 0.434, ciLow: 0.3, ciHigh: 0.6, significant: true });
    const reason = (spread: number) =>
      `the 5 rounds disagree: their medians spread by ${spread}%, so the machine's load changed during the run`;
    const [baseline, candidate] = run.results;
    const noisy = {
      ...run,
      results: [
        { ...baseline!, stats: { ...baseline!.stats, noise: reason(67) } },
        { ...candidate!, stats: { ...candidate!.stats, noise: reason(47) } },
      ],
    };
    const text = await verdictOf(noisy);
    assert.equal(
      text.trim(),
      '3-simd is 2.3× faster than s (95% CI 1.7–3.3×). Noisy run: s: the 5 rounds disagree and 1 more reason in Details',
    );
    assert.deepEqual(await detailReasons(), [`s: ${reason(67)}`, `3-simd: ${reason(47)}`]);
    // What both say word for word is said once.
    const busy = 'the machine was busy (load average 7.0 on 2 CPUs): other programs can move a re-run beyond this interval';
    const both = {
      ...noisy,
      results: noisy.results.map((result) => ({ ...result, stats: { ...result.stats, noise: `${busy}; ${result.stats.noise}` } })),
    };
    assert.equal(
      (await verdictOf(both)).trim(),
      '3-simd is 2.3× faster than s (95% CI 1.7–3.3×). Noisy run: the machine was busy (load average 7.0 on 2 CPUs) and 2 more reasons in Details',
    );
    assert.deepEqual(await detailReasons(), [busy, `s: ${reason(67)}`, `3-simd: ${reason(47)}`]);
  });

  it('labels the variants without the prefix and suffix they share, in the table and the charts', async () => {
    const view = await open(
      initMessage({
        history: [
          comparisonRun('labels', { ratio: 0.5, ciLow: 0.48, ciHigh: 0.52, significant: true }, [
            'target/wasm32-unknown-unknown/release/kernels-opt-s.wasm',
            'target/wasm32-unknown-unknown/release/kernels-opt3-simd.wasm',
          ]),
        ],
      }),
    );
    const rows = view.page.locator('#results-table vscode-table-row');
    await rows.first().waitFor();
    assert.match(await rows.nth(0).innerText(), /^opt-s\t/);
    assert.match(await rows.nth(1).innerText(), /^opt3-simd\t.*2\.0× faster \(1\.9–2\.1×\)/);
    assert.match(await view.page.locator('#verdict').innerText(), /^opt3-simd is 2\.0× faster than opt-s/);
  });

  it('greys results and clears an error once the setup changes', async () => {
    const run = comparisonRun('earlier', { ratio: 0.5, ciLow: 0.48, ciHigh: 0.52, significant: true });
    const view = await open(initMessage({ history: [run], preset: run.definition }));
    await view.page.locator('#verdict').waitFor();
    assert.equal(await view.page.locator('#stale').isHidden(), true, 'the form holds the setup of the shown run');
    // A failed run leaves an error banner.
    await view.page.waitForFunction(() => !(document.getElementById('run') as Disableable).disabled);
    await view.page.locator('#run').click();
    const request = await view.waitForPosted('run');
    await view.send({ type: 'runEnded', runId: request.runId, outcome: 'failed', message: 'dot trapped: unreachable' });
    await view.page.locator('#status-text', { hasText: 'dot trapped' }).waitFor();

    await view.page.locator('#args input').fill('2');
    await view.page.locator('#stale').waitFor();
    assert.match(await view.page.locator('#stale').innerText(), /Stale/);
    assert.equal(await view.page.locator('#results').evaluate((results) => results.classList.contains('stale')), true);
    assert.equal(await view.page.locator('#status').isHidden(), true, 'the old error is gone');
    await view.screenshot('benchmark-stale');

    // Back to the setup of the run: it is current again.
    await view.page.locator('#args input').fill('1');
    await view.page.locator('#stale').waitFor({ state: 'hidden' });

    // Re-run of a stale run puts its setup back in the form.
    await view.page.locator('#args input').fill('3');
    await view.page.locator('#stale').waitFor();
    await view.page.locator('#rerun').click();
    await view.page.waitForFunction(
      () => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'run').length === 2,
    );
    const rerun = await view.waitForPosted('run');
    assert.notEqual(rerun.runId, request.runId);
    assert.deepEqual((rerun.definition as { args: string[] }).args, ['1']);
    await view.page.locator('#stale').waitFor({ state: 'hidden' });
    assert.equal(await view.page.locator('#args').evaluate((field: HTMLElement & { value: string }) => field.value), '1');
  });

  it('checks the arguments as they are typed and keeps Run disabled while they are wrong', async () => {
    const view = await open();
    await view.send(EXPORTS_MESSAGE);
    const args = view.page.locator('#args input');
    await args.waitFor();
    const error = view.page.locator('#args-error');

    await args.fill('7,');
    await error.waitFor();
    assert.equal(await error.innerText(), 'Argument 2 (i32) is empty.');
    assert.equal(await runDisabled(view), true);

    await args.fill('7, x');
    assert.equal(await error.innerText(), 'Argument 2 (i32) is not a number: "x".');
    assert.equal(await runDisabled(view), true);

    await args.fill('7');
    assert.equal(await error.innerText(), 'add takes 2 (i32, i32); 1 given.');

    await args.fill('7, 4294967296');
    assert.match(await error.innerText(), /must be an integer from -2147483648 to 4294967295/);

    await args.fill('7, 35');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await runDisabled(view), false);
    assert.equal((await view.posted()).filter((message) => message.type === 'run').length, 0, 'nothing ran while typing');
  });

  it('keeps every edit: a new name survives typing the arguments, a typed export enables Run at once', async () => {
    const view = await open();
    await view.page.locator('#definition-name input').fill('blur, small image');
    // No exports listed yet: the export is typed.
    await view.page.locator('#export-name input').pressSequentially('add');
    await view.page.waitForFunction(() => !(document.getElementById('run') as Disableable).disabled);
    await view.page.locator('#args input').fill('7, 35');
    await view.page.locator('#run').click();
    const request = await view.waitForPosted('run');
    const definition = request.definition as { name: string; exportName: string; args: string[] };
    assert.deepEqual([definition.name, definition.exportName, definition.args], ['blur, small image', 'add', ['7', '35']]);
  });

  it('shows in the Export box the export that runs, and enables Run for it', async () => {
    const preset = {
      name: 'b',
      variants: [{ kind: 'module' as const, label: 'k', modulePath: MODULE_PATH }],
      exportName: 'gone',
      args: [],
    };
    const view = await open(initMessage({ preset }));
    await view.send(EXPORTS_MESSAGE);
    const picker = view.page.locator('#export-name');
    await view.page.waitForFunction(() => (document.getElementById('export-name') as HTMLElement & { value: string }).value === 'add');
    // What the closed select shows (in its shadow tree) is the export that will run.
    assert.match(await picker.evaluate((select) => select.shadowRoot?.textContent ?? ''), /add\(i32, i32\)/);
    assert.equal(await runDisabled(view), false);

    await picker.evaluate((select: HTMLElement & { value: string }) => {
      select.value = 'sum';
      select.dispatchEvent(new Event('change'));
    });
    await view.page.waitForFunction(() => !(document.getElementById('run') as Disableable).disabled);
    await view.page.locator('#run').click();
    const request = await view.waitForPosted('run');
    assert.deepEqual((request.definition as { exportName: string; args: string[] }).exportName, 'sum');
    assert.deepEqual((request.definition as { exportName: string; args: string[] }).args, ['0']);
  });

  for (const width of [1400, 700]) {
    it(`fits the results at ${width} px without cutting the table or scrolling sideways`, async () => {
      const run = comparisonRun('wide', { ratio: 0.159, ciLow: 0.156, ciHigh: 0.162, significant: true });
      const view = await open(initMessage({ history: [run] }), width);
      await view.page.waitForFunction(() =>
        ['distribution-chart', 'ratio-chart'].every((id) => (document.getElementById(id) as HTMLCanvasElement | null)?.width),
      );
      assert.ok(await view.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
      // Every summary cell shows its whole text.
      const cut = await view.page.$$eval('#results-table vscode-table-cell', (cells) =>
        cells
          .filter((cell) => {
            // The cell cuts its text with an ellipsis inside its shadow tree: compare the text's own width.
            const wrapper = cell.shadowRoot?.querySelector('.wrapper');
            const text = document.createRange();
            text.selectNodeContents(cell);
            return wrapper !== null && wrapper !== undefined && text.getBoundingClientRect().width > wrapper.clientWidth + 0.5;
          })
          .map((cell) => cell.textContent),
      );
      assert.deepEqual(cut, []);
      await view.screenshot(`benchmark-results-${width}`);
    });
  }
});
