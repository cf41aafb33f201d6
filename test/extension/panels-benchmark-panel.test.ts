import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { registerForTest, type BenchmarkTestContext } from './benchmark-context';
import { BenchError } from '../../src/bench/errors';
import { BenchmarkPanel, BENCHMARK_VIEW_TYPE, type BenchmarkPanelDeps } from '../../src/extension/panels/benchmark-panel';
import { BenchmarkHistory } from '../../src/extension/panels/benchmark-store';
import type { BenchmarkDefinition, BenchmarkRun, InitMessage } from '../../src/protocol/benchmark';
import { FakeLogOutputChannel, FakeMemento, FakeWebviewPanel, resetStub, stub } from '../helpers/vscode-stub';
import { wat } from '../wasm/wat';
import { fakeEngine, type FakeEngine } from './panels-bench-fakes';
import { loadEngine } from './fixtures';
import type { LoadEngine } from '../../src/extension/engine-loader';

let workspace: string;
let modulePath: string;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'wasm-perf-panel-'));
  mkdirSync(join(workspace, 'out'));
  modulePath = join(workspace, 'out', 'kernels.wasm');
  writeFileSync(
    modulePath,
    await wat(`(module
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      (func (export "init"))
      (func (export "splat") (param v128) (result v128) local.get 0))`),
  );
  writeFileSync(join(workspace, 'Cargo.toml'), '[package]\nname = "kernels"\nversion = "0.1.0"\n');
});
after(() => rmSync(workspace, { recursive: true, force: true }));

/** Lets queued promise callbacks (message handlers, posts) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await settle();
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Posted = { type: string; [key: string]: unknown };

function posted(panel: FakeWebviewPanel, type: string): Posted[] {
  return (panel.webview.posted as Posted[]).filter((message) => message.type === type);
}

describe('benchmark panel (extension side)', () => {
  let engine: FakeEngine;
  let memento: FakeMemento;
  let log: FakeLogOutputChannel;
  let deps: BenchmarkPanelDeps;

  beforeEach(() => {
    resetStub();
    stub.workspaceFolders = [{ uri: vscode.Uri.file(workspace), name: 'ws', index: 0 }];
    stub.workspaceFiles.push(modulePath, join(workspace, 'Cargo.toml'), join(workspace, 'target', 'wasm-perf', 'v0', 'kernels.wasm'));
    engine = fakeEngine();
    memento = new FakeMemento();
    log = new FakeLogOutputChannel('test');
    deps = {
      extensionUri: vscode.Uri.file('/ext'),
      log: log,
      isTrusted: () => stub.isTrusted,
      history: new BenchmarkHistory(memento),
      engine,
      loadEngine,
    };
  });
  afterEach(() => BenchmarkPanel.instance?.dispose());

  async function openReady(preset?: BenchmarkDefinition): Promise<FakeWebviewPanel> {
    BenchmarkPanel.show(deps, preset);
    const panel = stub.webviewPanels[stub.webviewPanels.length - 1] as FakeWebviewPanel;
    panel.webview.receive({ type: 'ready' });
    await until(() => posted(panel, 'init')[0], 'init');
    return panel;
  }

  it('holds messages until the webview is ready, then answers with the modules, trust and history', async () => {
    BenchmarkPanel.show(deps);
    const panel = stub.webviewPanels[0] as FakeWebviewPanel;
    assert.equal(panel.viewType, BENCHMARK_VIEW_TYPE);
    assert.match(panel.webview.html, /Content-Security-Policy/);
    await settle();
    assert.deepEqual(panel.webview.posted, [], 'nothing before ready');
    panel.webview.receive({ type: 'ready' });
    const init = (await until(() => posted(panel, 'init')[0], 'init')) as unknown as InitMessage;
    assert.deepEqual(init.trust, { trusted: true });
    assert.deepEqual(init.modules, [
      { kind: 'wasm', path: modulePath, label: 'out/kernels.wasm' },
      { kind: 'crate', path: join(workspace, 'Cargo.toml'), label: 'Cargo.toml' },
    ]);
    assert.deepEqual(init.history, []);
  });

  it('lists the exports of a module with what cannot be timed', async () => {
    const panel = await openReady();
    panel.webview.receive({ type: 'listExports', path: modulePath });
    const answer = await until(() => posted(panel, 'exports')[0], 'exports');
    const exports = answer.exports as { name: string; params: string[]; unsupported?: string }[];
    assert.deepEqual(
      exports.map((each) => [each.name, each.params, each.unsupported !== undefined]),
      [
        ['add', ['i32', 'i32'], false],
        ['init', [], false],
        ['splat', ['v128'], true],
      ],
    );
    panel.webview.receive({ type: 'listExports', path: join(workspace, 'Cargo.toml') });
    const crate = await until(() => posted(panel, 'exports')[1], 'crate exports');
    assert.match(String(crate.error), /no release build/);
  });

  it('runs a definition with progress, posts the result and keeps it for the workspace', async () => {
    const panel = await openReady();
    const definition: BenchmarkDefinition = {
      name: 'add',
      variants: [{ kind: 'module', label: 'k', modulePath }],
      exportName: 'add',
      args: ['1', '2'],
    };
    panel.webview.receive({ type: 'run', runId: 'run-a', definition });
    const result = await until(() => posted(panel, 'result')[0], 'result');
    assert.deepEqual(posted(panel, 'progress')[0], { type: 'progress', runId: 'run-a', message: 'Measuring round 1 of 5', fraction: 0.2 });
    const run = result.run as BenchmarkRun;
    assert.equal(run.id, 'run-a');
    assert.equal(run.results[0]?.stats.medianNs, 100);
    assert.deepEqual(
      deps.history.runs().map((each) => each.id),
      ['run-a'],
    );

    // A panel restored after a reload shows the stored run.
    BenchmarkPanel.instance?.dispose();
    const restored = new FakeWebviewPanel(BENCHMARK_VIEW_TYPE, 'restored');
    BenchmarkPanel.revive(restored as unknown as vscode.WebviewPanel, deps);
    restored.webview.receive({ type: 'ready' });
    const init = await until(() => posted(restored, 'init')[0], 'init after revive');
    assert.deepEqual(
      (init.history as BenchmarkRun[]).map((each) => each.id),
      ['run-a'],
    );
  });

  it('cancels a running benchmark', async () => {
    engine.hang = true;
    const panel = await openReady();
    panel.webview.receive({
      type: 'run',
      runId: 'run-c',
      definition: { name: 'x', variants: [{ kind: 'module', label: 'k', modulePath }], exportName: 'add', args: ['1', '2'] },
    });
    await until(() => posted(panel, 'progress')[0], 'progress');
    panel.webview.receive({ type: 'cancel', runId: 'run-c' });
    const ended = await until(() => posted(panel, 'runEnded')[0], 'runEnded');
    assert.deepEqual(ended, { type: 'runEnded', runId: 'run-c', outcome: 'cancelled', message: 'Cancelled.' });
    assert.deepEqual(deps.history.runs(), []);
  });

  it('reports a failed run with the engine message', async () => {
    engine.failure = BenchError.of('unresolved-imports', 'The module imports env.log, which the harness cannot provide');
    const panel = await openReady();
    panel.webview.receive({
      type: 'run',
      runId: 'run-f',
      definition: { name: 'x', variants: [{ kind: 'module', label: 'k', modulePath }], exportName: 'add', args: [] },
    });
    const ended = await until(() => posted(panel, 'runEnded')[0], 'runEnded');
    assert.equal(ended.outcome, 'failed');
    assert.match(String(ended.message), /imports env\.log/);
    assert.ok(log.lines.some((line) => line.startsWith('[error] benchmark run-f failed')));
  });

  it('refuses to run in an untrusted workspace and says why', async () => {
    stub.isTrusted = false;
    const panel = await openReady();
    const init = posted(panel, 'init')[0] as unknown as InitMessage;
    assert.equal(init.trust.trusted, false);
    assert.match(init.trust.trusted ? '' : init.trust.reason, /Restricted Mode/);
    panel.webview.receive({
      type: 'run',
      runId: 'run-u',
      definition: { name: 'x', variants: [{ kind: 'module', label: 'k', modulePath }], exportName: 'add', args: [] },
    });
    const ended = await until(() => posted(panel, 'runEnded')[0], 'runEnded');
    assert.equal(ended.outcome, 'failed');
    assert.match(String(ended.message), /Restricted Mode/);
    assert.deepEqual(engine.calls, []);
  });

  it('copies Markdown, exports JSON through the save dialog and clears the history', async () => {
    const panel = await openReady();
    panel.webview.receive({
      type: 'run',
      runId: 'run-m',
      definition: { name: 'add', variants: [{ kind: 'module', label: 'k', modulePath }], exportName: 'add', args: ['1', '2'] },
    });
    await until(() => posted(panel, 'result')[0], 'result');
    panel.webview.receive({ type: 'copyMarkdown', runId: 'run-m' });
    await until(() => (stub.clipboard ? true : undefined), 'clipboard');
    assert.match(stub.clipboard, /^\*\*add\*\*: `add\(1, 2\)`/);
    assert.match(stub.clipboard, /\| k \| 100 ns \|/);

    stub.nextSaveUri = vscode.Uri.file(join(workspace, 'run.json'));
    panel.webview.receive({ type: 'exportJson', runId: 'run-m' });
    const written = await until(() => stub.writtenFiles.get(stub.nextSaveUri!.toString()), 'exported file');
    const exported = JSON.parse(new TextDecoder().decode(written)) as BenchmarkRun;
    assert.equal(exported.id, 'run-m');
    assert.equal(exported.definition.exportName, 'add');

    panel.webview.receive({ type: 'clearHistory' });
    await until(() => posted(panel, 'history')[0], 'history');
    assert.deepEqual(deps.history.runs(), []);
  });

  it('saves definitions to wasm-perf.bench.json in the engine format, keeping what else the file holds', async () => {
    const fileUri = vscode.Uri.file(join(workspace, 'wasm-perf.bench.json'));
    const existing = {
      defaults: { budgetMs: 500 },
      benchmarks: [
        { name: 'startup', module: 'out/kernels.wasm', load: true },
        { name: 'simd', module: 'out/kernels.wasm', export: 'add', args: [1, 2], options: { rounds: 9 } },
      ],
    };
    stub.writtenFiles.set(fileUri.toString(), new TextEncoder().encode(JSON.stringify(existing)));
    const panel = await openReady();
    const init = posted(panel, 'init')[0] as unknown as InitMessage;
    assert.deepEqual(
      init.savedDefinitions.map((definition) => definition.name),
      ['simd'],
      'the load benchmark is not shown',
    );
    assert.ok(log.lines.some((line) => line.includes('"startup" measures loading')));

    const definition: BenchmarkDefinition = {
      name: 'simd',
      variants: [
        {
          kind: 'build',
          label: 'release profile',
          manifestPath: join(workspace, 'Cargo.toml'),
          flags: { optLevel3: false, simd128: false, lto: false },
        },
        {
          kind: 'build',
          label: 'opt-level=3 +simd128',
          manifestPath: join(workspace, 'Cargo.toml'),
          flags: { optLevel3: true, simd128: true, lto: false },
        },
      ],
      exportName: 'sum',
      args: ['3', '9007199254740993'],
    };
    panel.webview.receive({ type: 'saveDefinition', definition });
    const history = await until(() => posted(panel, 'history')[0], 'history after save');
    const saved = JSON.parse(new TextDecoder().decode(stub.writtenFiles.get(fileUri.toString()))) as typeof existing;
    assert.deepEqual(saved.defaults, { budgetMs: 500 });
    assert.deepEqual(saved.benchmarks[0], existing.benchmarks[0]);
    assert.deepEqual(saved.benchmarks[1], {
      name: 'simd',
      crate: '.',
      variants: ['opt-level=3,+simd128'],
      export: 'sum',
      args: [3, '9007199254740993'],
      options: { rounds: 9 },
    });
    assert.deepEqual(history.savedDefinitions, [definition]);
    assert.match(String(posted(panel, 'notice')[0]?.message), /Saved "simd" to wasm-perf\.bench\.json/);

    panel.webview.receive({
      type: 'saveDefinition',
      definition: { ...definition, name: 'mixed', variants: [...definition.variants, { kind: 'module', label: 'k', modulePath }] },
    });
    const refusal = await until(() => posted(panel, 'notice')[1], 'refusal');
    assert.match(
      String(refusal.message),
      /Could not save to wasm-perf\.bench\.json: a comparison of built modules with crate builds cannot be saved/,
    );
  });
});

describe('benchmark commands', () => {
  let context: BenchmarkTestContext;
  let engineLoads: number;
  beforeEach(() => {
    resetStub();
    stub.workspaceFolders = [{ uri: vscode.Uri.file(workspace), name: 'ws', index: 0 }];
    engineLoads = 0;
    const countedLoad: LoadEngine = () => {
      engineLoads++;
      return loadEngine();
    };
    context = registerForTest('/ext', countedLoad, () => stub.isTrusted);
  });
  afterEach(() => {
    for (const disposable of context.subscriptions) disposable.dispose();
  });

  it('registers the commands, the panel serializer and the Rust CodeLens', () => {
    for (const command of ['wasm-perf.openBenchmarkPanel', 'wasm-perf.benchmarkExport', 'wasm-perf.measureDifference'])
      assert.ok(stub.commands.has(command), command);
    assert.ok(stub.panelSerializers.has(BENCHMARK_VIEW_TYPE));
    assert.deepEqual(
      stub.codeLensProviders.map((entry) => entry.selector),
      [
        { scheme: 'file', pattern: '**/*.toml' },
        { language: 'rust', scheme: 'file' },
      ],
    );
    assert.equal(engineLoads, 0, 'registering loads nothing of the engine');
  });

  it('starts loading the engine bundle when the panel opens', async () => {
    await vscode.commands.executeCommand('wasm-perf.openBenchmarkPanel');
    assert.equal(stub.webviewPanels.length, 1);
    assert.ok(engineLoads > 0, 'the panel loads the engine before the webview asks for anything');
  });

  it('opens the panel with both builds prepared for "Measure the difference"', async () => {
    await vscode.commands.executeCommand('wasm-perf.measureDifference', {
      manifestPath: join(workspace, 'Cargo.toml'),
      ruleId: 'missing-simd128',
      fixes: [],
    });
    const panel = stub.webviewPanels[0] as FakeWebviewPanel;
    panel.webview.receive({ type: 'ready' });
    const init = (await until(() => posted(panel, 'init')[0], 'init')) as unknown as InitMessage;
    assert.deepEqual(
      init.preset?.variants.map((variant) => variant.label),
      ['current build', 'fixed (+simd128)'],
    );
    // The preset is used once: a reload shows the user's own form again.
    panel.webview.receive({ type: 'ready' });
    const again = (await until(() => posted(panel, 'init')[1], 'second init')) as unknown as InitMessage;
    assert.equal(again.preset, undefined);
  });

  it('puts an export from the report or a CodeLens into the open panel', async () => {
    await vscode.commands.executeCommand('wasm-perf.openBenchmarkPanel');
    const panel = stub.webviewPanels[0] as FakeWebviewPanel;
    panel.webview.receive({ type: 'ready' });
    await until(() => posted(panel, 'init')[0], 'init');
    await vscode.commands.executeCommand('wasm-perf.benchmarkExport', { modulePath, exportName: 'add' });
    assert.equal(stub.webviewPanels.length, 1, 'the same panel is reused');
    const init = (await until(() => posted(panel, 'init')[1], 'init with preset')) as unknown as InitMessage;
    assert.deepEqual(init.preset, {
      name: 'add',
      variants: [{ kind: 'module', label: 'out/kernels.wasm', modulePath }],
      exportName: 'add',
      args: [],
    });
  });

  it('says why benchmarks are disabled when a command runs in an untrusted workspace', async () => {
    stub.isTrusted = false;
    await vscode.commands.executeCommand('wasm-perf.benchmarkExport', { modulePath, exportName: 'add' });
    assert.equal(stub.messages[0]?.level, 'warning');
    assert.match(stub.messages[0]?.message ?? '', /disabled in Restricted Mode/);
  });

  it('rejects calls without their arguments', async () => {
    await vscode.commands.executeCommand('wasm-perf.benchmarkExport');
    await vscode.commands.executeCommand('wasm-perf.measureDifference', { manifestPath: '/x/Cargo.toml', ruleId: 'no-such-rule' });
    assert.deepEqual(
      stub.messages.map((message) => message.level),
      ['error', 'error'],
    );
    assert.equal(stub.webviewPanels.length, 0);
  });
});
