import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { registerForTest, type BenchmarkTestContext } from './benchmark-context';
import { BenchmarkPanel } from '../../src/extension/panels/benchmark-panel';
import { bundledEngine } from '../../src/extension/engine-loader';
import type { BenchmarkRun } from '../../src/protocol/benchmark';
import { resetStub, stub, type FakeWebviewPanel } from '../helpers/vscode-stub';

const repo = process.cwd();
const fixture = (name: string) => join(repo, 'test', 'fixtures', 'wasm', name);

type Posted = { type: string; [key: string]: unknown };

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('benchmark panel on the real engine', () => {
  let context: BenchmarkTestContext;
  beforeEach(() => {
    resetStub();
    // Short measuring time per module: this checks the wiring, not the numbers.
    stub.configuration.set('wasm-perf.benchmark.timeLimitMs', 150);
    // A generous limit for the whole run: the full suite runs test files in parallel on two cores.
    stub.configuration.set('wasm-perf.benchmark.budgetMs', 60_000);
    // The extension's root: dist/bench-child.js is where the panel finds the child script, and
    // dist/engine.js the engine, loaded as the extension loads it.
    context = registerForTest(repo, bundledEngine(join(repo, 'dist')));
  });
  afterEach(() => {
    for (const disposable of context.subscriptions) disposable.dispose();
  });

  it('compares two fixture modules in a child process and posts a complete run', { timeout: 120_000 }, async () => {
    await vscode.commands.executeCommand('wasm-perf.openBenchmarkPanel');
    const panel = stub.webviewPanels[0] as FakeWebviewPanel;
    panel.webview.receive({ type: 'ready' });
    await until(() => (panel.webview.posted as Posted[]).find((message) => message.type === 'init'), 'init');
    panel.webview.receive({
      type: 'run',
      runId: 'real',
      definition: {
        name: 'add: opt-level s vs 3',
        variants: [
          { kind: 'module', label: 'opt-level s', modulePath: fixture('kernels-s.wasm') },
          { kind: 'module', label: 'opt-level 3', modulePath: fixture('kernels-3.wasm') },
        ],
        exportName: 'add',
        args: ['2', '40'],
      },
    });
    const ended = await until(
      () => (panel.webview.posted as Posted[]).find((message) => message.type === 'result' || message.type === 'runEnded'),
      'the run to end',
    );
    assert.equal(ended.type, 'result', JSON.stringify(ended));
    const run = ended.run as BenchmarkRun;
    assert.deepEqual(
      run.results.map((result) => result.label),
      ['opt-level s', 'opt-level 3'],
    );
    for (const result of run.results) {
      assert.ok(result.stats.sampleCount >= 30, `samples: ${result.stats.sampleCount}`);
      assert.ok(result.stats.medianNs > 0 && Number.isFinite(result.stats.medianNs));
      assert.ok(result.stats.ciLowNs <= result.stats.medianNs && result.stats.medianNs <= result.stats.ciHighNs);
      assert.ok(result.stats.p5Ns <= result.stats.p95Ns);
      assert.equal(result.samplesNs.length, Math.min(result.stats.sampleCount, 2000));
    }
    assert.equal(run.ratios.length, 1);
    assert.ok(run.ratios[0]!.ciLow <= run.ratios[0]!.ratio && run.ratios[0]!.ratio <= run.ratios[0]!.ciHigh);
    assert.ok((panel.webview.posted as Posted[]).some((message) => message.type === 'progress'));
    assert.match(run.environment, /Node/);
    BenchmarkPanel.instance?.dispose();
  });
});
