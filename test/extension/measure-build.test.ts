/**
 * "Measure the difference" builds what the crate ships: the target its analysis found, into
 * the extension's storage, and a failed build or a missing standard library comes back as a
 * short message with the button that helps.
 */
import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { registerForTest, type BenchmarkTestContext } from './benchmark-context';
import { BenchError } from '../../src/bench/errors';
import type { BuildRequest } from '../../src/bench/types';
import { createNodeHost } from '../../src/node/node-host';
import { analysedWasmTarget } from '../../src/extension/crate-target';
import { buildSnapshot, DiagnosticStore } from '../../src/extension/diagnostic-store';
import type { Engine, LoadEngine } from '../../src/extension/engine-loader';
import { pathMapperFor } from '../../src/extension/paths';
import { createBenchEngine, crateBuildRoot } from '../../src/extension/panels/bench-engine';
import { RunFailure, type EngineRunOptions } from '../../src/extension/panels/benchmark-runner';
import { BenchmarkPanel } from '../../src/extension/panels/benchmark-panel';
import type { InitMessage } from '../../src/protocol/benchmark';
import { FakeLogOutputChannel, resetStub, stub, type FakeWebviewPanel } from '../helpers/vscode-stub';
import { testAssets } from '../helpers/hosts';
import { loadEngine } from './fixtures';

const KERNELS = join(process.cwd(), 'test/wasm-src/kernels');
const scratch = mkdtempSync(join(tmpdir(), 'wasm-perf-measure-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let workspaces = 0;
/** A workspace with the kernels crate and the given extra files (relative path → text). */
function workspace(files: Record<string, string>): string {
  const root = join(scratch, `ws${workspaces++}`);
  cpSync(KERNELS, join(root, 'kernels'), { recursive: true, filter: (src) => !src.includes('/target') });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Analyses the workspace as the extension does and publishes the result. */
async function analysed(root: string): Promise<DiagnosticStore> {
  const { Analyzer } = await loadEngine();
  const analyzer = new Analyzer(createNodeHost({ env: { HOME: join(scratch, 'no-home') } }), {}, testAssets());
  const result = await analyzer.analyze([root]);
  const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('t'));
  const uri = vscode.Uri.file(root);
  store.publish(buildSnapshot(uri.toString(), root, pathMapperFor(uri), result, new Map()));
  return store;
}

const noProgress: EngineRunOptions = { signal: new AbortController().signal, onProgress: () => {} };

/** The bench engine over the real engine bundle, with `buildVariants` replaced when given. */
function benchEngine(store: DiagnosticStore, buildVariants?: Engine['buildVariants']) {
  const requests: BuildRequest[] = [];
  const wrapped: LoadEngine = async () => {
    const engine = await loadEngine();
    const build: Engine['buildVariants'] = (request, options) => {
      requests.push(request);
      return (buildVariants ?? engine.buildVariants)(request, options);
    };
    return { ...engine, buildVariants: build };
  };
  const buildLog = new FakeLogOutputChannel('wasm-perf build');
  const storageDir = join(scratch, 'storage');
  const engine = createBenchEngine({
    loadEngine: wrapped,
    log: new FakeLogOutputChannel('wasm-perf'),
    buildLog,
    childScript: join(process.cwd(), 'dist', 'bench-child.js'),
    storageDir,
    crateTarget: (crateDir) => analysedWasmTarget(store, crateDir),
  });
  return { engine, requests, buildLog, storageDir };
}

async function runFailureOf(promise: Promise<unknown>): Promise<RunFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RunFailure, `expected a RunFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the build to fail');
}

describe('Measure the difference: the build', () => {
  beforeEach(() => {
    resetStub();
    // Debian's toolchain: its rustc (found next to this cargo) has std for wasm32-unknown-unknown and wasm32-wasi only.
    stub.configuration.set('wasm-perf.benchmark.cargoPath', '/usr/bin/cargo');
  });

  it('builds the target the analysis found: build.target, a toolchain file, or a [target.…] rustflags table', async () => {
    // A cdylib nothing marks as wasm has no analysed target: the engine then reads the config chain itself.
    const cases: [Record<string, string>, string | undefined][] = [
      [{ 'kernels/.cargo/config.toml': '[build]\ntarget = "wasm32-wasip1"\n' }, 'wasm32-wasip1'],
      [{ 'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\ntargets = ["wasm32-wasip1"]\n' }, 'wasm32-wasip1'],
      [{ 'kernels/.cargo/config.toml': '[target.wasm32-wasi]\nrustflags = ["-C", "target-feature=+simd128"]\n' }, 'wasm32-wasi'],
      [{}, undefined],
    ];
    for (const [files, expected] of cases) {
      const root = workspace(files);
      const store = await analysed(root);
      const crateDir = join(root, 'kernels');
      assert.equal(analysedWasmTarget(store, crateDir), expected, JSON.stringify(files));
      const { engine, requests, storageDir } = benchEngine(store, async () => []);
      await engine.buildVariants({ crateDir, includeConfigured: false, variants: [{ optLevel: '3' }] }, noProgress);
      assert.equal(requests[0]?.target, expected);
      // Outside the crate's target/ dir, which the Explorer shows.
      assert.equal(requests[0]?.targetRoot, crateBuildRoot(storageDir, crateDir));
      assert.ok(!requests[0]?.targetRoot?.startsWith(root));
    }
  });

  it('a wasm32-wasi crate builds into the storage with the crate’s own config', { timeout: 120_000 }, async () => {
    const root = workspace({ 'kernels/.cargo/config.toml': '[build]\ntarget = "wasm32-wasi"\n' });
    const { engine, storageDir, buildLog } = benchEngine(await analysed(root));
    const [built] = await engine.buildVariants(
      { crateDir: join(root, 'kernels'), includeConfigured: false, variants: [{ name: 'fixed', optLevel: '3' }] },
      noProgress,
    );
    assert.ok(built!.wasmPath.startsWith(storageDir), built!.wasmPath);
    assert.match(built!.wasmPath, /\/wasm32-wasi\/release\/kernels\.wasm$/);
    assert.ok(
      buildLog.lines.some((line) => /Compiling kernels/.test(line)),
      "cargo's output is in the build log",
    );
  });

  it('a missing standard library on Debian names the package situation and offers the build log', async () => {
    const root = workspace({ 'kernels/.cargo/config.toml': '[build]\ntarget = "wasm32-wasip1"\n' });
    const { engine, buildLog } = benchEngine(await analysed(root));
    stub.nextMessageChoice = 'Show build log';
    const failure = await runFailureOf(
      engine.buildVariants({ crateDir: join(root, 'kernels'), includeConfigured: false, variants: [{ optLevel: '3' }] }, noProgress),
    );
    assert.equal(failure.code, 'target-missing');
    assert.match(failure.message, /standard library for wasm32-wasip1 is not installed: Debian's rustc 1\.63\.0 has no package/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(stub.messages[0]?.items, ['Show build log'], 'no install command exists for it on Debian');
    assert.ok(buildLog.shown);
    assert.ok(buildLog.lines.some((line) => line.includes('sysroot: /usr\n')));
  });

  it('with rustup, the install command is a button that runs it in a terminal in the crate', async () => {
    const root = workspace({});
    const command = 'rustup target add wasm32-wasip1 --toolchain stable-x86_64-unknown-linux-gnu';
    const { engine } = benchEngine(await analysed(root), async () => {
      throw BenchError.of(
        'target-missing',
        `The Rust standard library for wasm32-wasip1 is not installed: install it with \`${command}\``,
        {
          target: 'wasm32-wasip1',
          remedy: { kind: 'rustup', command },
        },
      );
    });
    stub.nextMessageChoice = `Run ${command}`;
    const failure = await runFailureOf(
      engine.buildVariants({ crateDir: join(root, 'kernels'), includeConfigured: false, variants: [] }, noProgress),
    );
    assert.equal(failure.code, 'target-missing');
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(stub.messages[0]?.items, [`Run ${command}`, 'Show build log']);
    assert.equal(stub.terminals[0]?.options.cwd, join(root, 'kernels'));
    assert.deepEqual(stub.terminals[0]?.sent, [command]);
  });

  it('a compile error comes back as its first lines with workspace-relative paths', { timeout: 120_000 }, async () => {
    const root = workspace({});
    writeFileSync(join(root, 'kernels', 'src', 'lib.rs'), '#[no_mangle]\npub extern "C" fn f() -> i32 { undefined_name }\n');
    stub.workspaceFolders = [{ uri: vscode.Uri.file(root), name: 'ws', index: 0 }];
    const { engine, buildLog } = benchEngine(await analysed(root));
    const failure = await runFailureOf(
      engine.buildVariants(
        { crateDir: join(root, 'kernels'), includeConfigured: false, variants: [{ name: 'fixed', optLevel: '3' }] },
        noProgress,
      ),
    );
    assert.equal(failure.code, 'build-failed');
    const lines = failure.message.split('\n');
    assert.equal(lines[0], 'Building "fixed" failed:');
    assert.match(lines[1] ?? '', /^error\[E0425\]: cannot find value `undefined_name` in this scope \(src\/lib\.rs:2:\d+\)$/);
    assert.ok(!failure.message.includes(root), 'no absolute paths');
    assert.ok(lines.length <= 4);
    assert.ok(
      buildLog.lines.some((line) => line.includes('undefined_name')),
      'the whole output is in the build log',
    );
  });
});

describe('Measure the difference: the export', () => {
  let context: BenchmarkTestContext;
  beforeEach(() => {
    resetStub();
    context = registerForTest(process.cwd(), loadEngine);
  });
  afterEach(() => {
    BenchmarkPanel.instance?.dispose();
    for (const disposable of context.subscriptions) disposable.dispose();
  });

  async function presetFor(libRs: string): Promise<InitMessage> {
    const root = workspace({ 'kernels/src/lib.rs': libRs });
    await vscode.commands.executeCommand('wasm-perf.measureDifference', {
      manifestPath: join(root, 'kernels', 'Cargo.toml'),
      ruleId: 'opt-level-size',
      fixes: [],
    });
    const panel = stub.webviewPanels[0] as FakeWebviewPanel;
    panel.webview.receive({ type: 'ready' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const init = panel.webview.posted.find((message) => (message as InitMessage).type === 'init');
      if (init) return init as InitMessage;
      if (Date.now() > deadline) throw new Error('no init message');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('starts at once when the crate exports one function that takes numbers', async () => {
    const init = await presetFor('#[no_mangle]\npub extern "C" fn box_blur(iterations: i32, radius: u32) -> i32 { 0 }\n');
    assert.equal(init.autoRun, true);
    assert.equal(init.preset?.exportName, 'box_blur');
    assert.deepEqual(init.preset?.args, ['1', '1']);
    assert.equal(init.preset?.finding, 'opt-level-size');
  });

  it('leaves the choice to the user with two exports, or one that takes a pointer', async () => {
    const two = await presetFor('#[no_mangle]\npub extern "C" fn a() {}\n#[no_mangle]\npub extern "C" fn b() {}\n');
    assert.equal(two.autoRun, undefined);
    assert.equal(two.preset?.exportName, '');
    BenchmarkPanel.instance?.dispose();
    stub.webviewPanels.length = 0;
    const pointer = await presetFor('#[no_mangle]\npub extern "C" fn sum(data: *const u8, len: usize) -> u32 { 0 }\n');
    assert.equal(pointer.autoRun, undefined);
  });
});
