import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { RULES } from '../../src/core/rules';
import { AnalysisController } from '../../src/extension/analysis-controller';
import { AnalysisWorkerClient } from '../../src/extension/analysis-worker-client';
import { DiagnosticStore } from '../../src/extension/diagnostic-store';
import type { LoadEngine } from '../../src/extension/engine-loader';
import { editDocument, FakeTextDocument, openDocument, resetStub, stub, type FakeLogOutputChannel } from '../helpers/vscode-stub';
import { testAssets } from '../helpers/hosts';
import { until } from '../helpers/until';

/** A wasm-bindgen cdylib crate's manifest with `release` as the body of its [profile.release]. */
function manifestText(release: string): string {
  const lines = ['[package]', 'name = "kernel"', 'version = "0.1.0"', 'edition = "2021"', '', '[lib]', 'crate-type = ["cdylib"]'];
  return [...lines, '', '[dependencies]', 'wasm-bindgen = "0.2"', '', '[profile.release]', release, ''].join('\n');
}
/** Without LTO (release-lto) and with 16 codegen units (release-codegen-units). */
const WITHOUT_LTO = manifestText('opt-level = 3');
const WITH_LTO = manifestText('opt-level = 3\nlto = true');
const FAT_LTO_ONE_UNIT = manifestText('opt-level = 3\nlto = "fat"\ncodegen-units = 1');

const dist = testAssets().dir;
const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A thread script that dies on its first request (by throwing or by exiting), then behaves like dist/analysis.js. */
function crashingOnceScript(how: 'throw' | 'exit'): string {
  const marker = join(dir, `crashed-${how}`);
  rmSync(marker, { force: true });
  const script = join(dir, `crash-${how}.js`);
  writeFileSync(
    script,
    `const { existsSync, writeFileSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
if (existsSync(${JSON.stringify(marker)})) require(${JSON.stringify(join(dist, 'analysis.js'))});
else {
  writeFileSync(${JSON.stringify(marker)}, '');
  parentPort.once('message', () => { ${how === 'throw' ? "throw new Error('boom in the thread')" : 'process.exit(7)'}; });
}
`,
  );
  return script;
}

describe('workspace analysis in the analysis thread', () => {
  const manifest = vscode.Uri.file(join(dir, 'Cargo.toml'));
  const folderKey = vscode.Uri.file(dir).toString();
  let controller: AnalysisController;
  let store: DiagnosticStore;
  let client: AnalysisWorkerClient;
  let log: FakeLogOutputChannel;
  let engineLoads: number;
  const loadEngine: LoadEngine = () => {
    engineLoads++;
    return Promise.reject(new Error('the engine must not load on the extension host for a local folder'));
  };
  const ruleIds = () => store.snapshot(folderKey)?.result.findings.map((finding) => finding.ruleId) ?? [];

  function startController(script = join(dist, 'analysis.js')): void {
    store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('wasm-perf'));
    log = vscode.window.createOutputChannel('t', { log: true }) as unknown as FakeLogOutputChannel;
    client = new AnalysisWorkerClient(script, dist, log);
    controller = new AnalysisController({ store, log, assets: testAssets(), loadEngine, worker: client, onDidChangeBusy: () => {} });
    controller.start();
  }

  beforeEach(() => {
    resetStub();
    engineLoads = 0;
    writeFileSync(manifest.fsPath, WITHOUT_LTO);
    stub.workspaceFolders = [{ uri: vscode.Uri.file(dir), name: 'ws', index: 0 }];
  });
  afterEach(() => controller.dispose());

  it('analyses a local folder in a worker thread, never loading the engine on the extension host', async () => {
    startController();
    await controller.analyzeAll();
    assert.ok(ruleIds().includes('release-lto'), `findings: ${ruleIds().join(', ')}`);
    assert.equal(store.allSnapshots().length, 1);
    assert.ok(vscode.languages.getDiagnostics(manifest).length > 0, 'the findings reach the Problems view');
    assert.equal(engineLoads, 0);
    const running = client.threadId;
    assert.ok(running !== undefined && running !== threadId, 'a thread other than this one');
    assert.ok(
      log.lines.some((line) => line.includes(`(thread ${running})`)),
      `the analysis ran in thread ${running}: ${log.lines.join('\n')}`,
    );
  });

  it("analyses the open editors' unsaved text, and records the versions it read", async () => {
    startController();
    const document = new FakeTextDocument(manifest, WITHOUT_LTO);
    openDocument(document);
    editDocument(document, WITH_LTO);
    await controller.analyzeAll();
    assert.ok(!ruleIds().includes('release-lto'), 'the unsaved `lto = true` counts, not the disk');
    assert.equal(store.snapshot(folderKey)?.readVersions.get(manifest.fsPath), document.version);
    editDocument(document, WITHOUT_LTO);
    await until(() => ruleIds().includes('release-lto'), 'the finding back after typing (debounced re-analysis)', 20_000);
    assert.equal(store.snapshot(folderKey)?.readVersions.get(manifest.fsPath), document.version);
  });

  it('never publishes an analysis a newer request superseded', async () => {
    startController();
    await controller.analyzeAll();
    const document = new FakeTextDocument(manifest, WITHOUT_LTO);
    openDocument(document);
    let publishes = 0;
    store.onDidChange(() => publishes++);
    editDocument(document, WITH_LTO);
    const stale = controller.analyzeAll();
    editDocument(document, FAT_LTO_ONE_UNIT);
    const newest = controller.analyzeAll();
    await Promise.all([stale, newest]);
    assert.equal(publishes, 1, 'only the analysis of the newest text published');
    assert.equal(store.snapshot(folderKey)?.readVersions.get(manifest.fsPath), document.version);
    assert.ok(!ruleIds().includes('release-codegen-units'), 'the newest text sets codegen-units = 1');
  });

  it('answers a superseded request with nothing when two requests for a folder overlap in the thread', async () => {
    startController();
    const request = { root: dir, settings: {}, overlay: new Map(), forget: [] };
    const [older, newer] = await Promise.all([
      client.analyze(request, new AbortController().signal),
      client.analyze(request, new AbortController().signal),
    ]);
    assert.equal(older, undefined);
    assert.ok(newer?.analysis.findings.some((finding) => finding.ruleId === 'release-lto'));
  });

  for (const how of ['throw', 'exit'] as const) {
    it(`logs a thread that dies (${how}) and starts a new one for the next analysis`, async () => {
      startController(crashingOnceScript(how));
      await controller.analyzeAll();
      assert.ok(
        log.lines.some((line) => line.startsWith('[error] the analysis thread stopped')),
        `a clear log line: ${log.lines.join('\n')}`,
      );
      assert.ok(log.lines.some((line) => line.includes('analysis of ws failed')));
      assert.deepEqual(ruleIds(), []);
      await controller.analyzeAll();
      assert.ok(ruleIds().includes('release-lto'), 'the next analysis ran in a fresh thread');
    });
  }

  it('stops the thread on dispose without logging an error', async () => {
    startController();
    await controller.analyzeAll();
    const running = controller.analyzeAll();
    controller.dispose();
    await running;
    await client.dispose(); // the thread has exited
    assert.equal(client.threadId, undefined);
    assert.equal(
      await client.analyze({ root: dir, settings: {}, overlay: new Map(), forget: [] }, new AbortController().signal),
      undefined,
    );
    assert.deepEqual(
      log.lines.filter((line) => line.startsWith('[error]')),
      [],
    );
  });

  it('runs from a bundle of its own that holds the parsers and the rules and never requires vscode', () => {
    const thread = readFileSync(join(dist, 'analysis.js'), 'utf8');
    // Strings only web-tree-sitter's and toml-eslint-parser's code contain (as in engine-loader.test.ts).
    for (const marker of ['Incompatible language version', 'Unterminated inline table']) assert.ok(thread.includes(marker), marker);
    for (const rule of RULES) assert.ok(thread.includes(JSON.stringify(rule.meta.id)), `${rule.meta.id} is missing from analysis.js`);
    assert.doesNotMatch(thread, /require\(["']vscode["']\)/);
  });
});
