import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { registerWasmReport, WASM_REPORT_VIEW_TYPE } from '../../src/extension/panels/wasm-report';
import { buildReportView, pageOf, repeatsIndex } from '../../src/extension/panels/wasm-report-view';
import { WAT_SCHEME, watUri } from '../../src/extension/panels/wat-document';
import type { ExportRow, FunctionRow, ReportSummary } from '../../src/protocol/wasm-report';
import { FakeLogOutputChannel, FakeWebviewPanel, fireDiagnosticsChange, resetStub, stub } from '../helpers/vscode-stub';
import { testAssets } from '../helpers/hosts';
import { wat } from '../wasm/wat';

/** 130 small functions (more than a page), one SIMD function, an import, a memory and numeric exports. */
function moduleText(): string {
  const fillers = Array.from(
    { length: 128 },
    (_, i) => `(func $filler${i} (result i32) ${'i32.const 1 '.repeat((i % 7) + 1)}${'i32.add '.repeat(i % 7)})`,
  ).join('\n');
  return `(module
    (import "env" "log" (func $log (param i32)))
    (memory (export "memory") 1)
    (func $sum (export "sum") (param i32) (result i64) local.get 0 i64.extend_i32_u)
    (func $dot (export "dot4") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
    (func $fill (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
    ${fillers})`;
}

let dir: string;
let path: string;
let bytes: Uint8Array;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasm-perf-report-'));
  path = join(dir, 'kernels.wasm');
  bytes = await wat(moduleText(), { names: true });
  writeFileSync(path, bytes);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('report view', () => {
  it('summarises sections, features, counts, imports and exports', () => {
    const view = buildReportView('kernels.wasm', inspectWasm(bytes), 3.4);
    const summary = view.summary;
    assert.equal(summary.fileSize, bytes.length);
    assert.deepEqual(summary.sections.map((section) => section.name).slice(0, 6), [
      'type',
      'import',
      'function',
      'memory',
      'export',
      'code',
    ]);
    assert.equal(summary.sections.reduce((total, section) => total + section.size, 0) < bytes.length, true);
    assert.equal(summary.counts.simd, 1);
    assert.equal(summary.counts.bulkMemory, 1);
    assert.equal(summary.counts.atomics, 0);
    assert.deepEqual(
      summary.features.filter((feature) => feature.name === 'simd128'),
      [{ name: 'simd128', declared: false, used: true }],
    );
    assert.equal(summary.functionCount, 132);
    assert.equal(summary.inspectMs, 3);
    assert.deepEqual(view.imports, [{ module: 'env', name: 'log', kind: 'func', type: '(i32) -> ()' }]);
    assert.deepEqual(
      view.exports.map((row: ExportRow) => [row.name, row.type, row.benchmarkable]),
      [
        ['memory', '', false],
        ['sum', '(i32) -> i64', true],
        ['dot4', '(v128, v128) -> v128', false],
        ['fill', '(i32, i32, i32) -> ()', true],
      ],
    );
  });

  it('names functions only by real names: one that repeats its index is no name', () => {
    assert.equal(repeatsIndex('f12', 13, 12), true);
    assert.equal(repeatsIndex('func[13]', 13, 12), true);
    assert.equal(repeatsIndex('$func13', 13, 12), true);
    assert.equal(repeatsIndex('13', 13, 12), true);
    assert.equal(repeatsIndex('f2', 13, 12), false, 'another number is a name');
    assert.equal(repeatsIndex('filler12', 15, 12), false);
    assert.equal(repeatsIndex('sha256', 256, 255), false);
  });

  it('lists functions largest first and serves them a page at a time', () => {
    const view = buildReportView('kernels.wasm', inspectWasm(bytes), 1);
    const sizes = view.functions.map((row: FunctionRow) => row.bodySize);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
    );
    assert.equal(view.functions.length, 131);
    assert.ok(
      view.functions.some((row) => row.index === 1 && row.name === 'sum'),
      'names come from the name section',
    );
    const first = pageOf(view, 'functions', 0);
    assert.equal(first.rows.length, 100);
    assert.equal(first.total, 131);
    const second = pageOf(view, 'functions', 100);
    assert.equal(second.offset, 100);
    assert.equal(second.rows.length, 31);
    assert.equal(pageOf(view, 'functions', 5000).offset, 100, 'an offset past the end shows the last page');
  });

  it('reports what decoded when the module is malformed', () => {
    const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
    const view = buildReportView('broken.wasm', inspectWasm(truncated), 1);
    assert.match(view.summary.problems[0] ?? '', /^Malformed at byte \d+/);
    assert.ok(view.summary.sections.length > 0);
  });
});

/** Lets queued callbacks (worker answers, posts) run. */
async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Posted = { type: string; [key: string]: unknown };

describe('report editor', () => {
  let context: { extensionUri: vscode.Uri; subscriptions: { dispose(): unknown }[] };
  let provider: vscode.CustomReadonlyEditorProvider;

  beforeEach(() => {
    resetStub();
    // The extension's dist/ is where the built workers are.
    context = { extensionUri: vscode.Uri.file(join(testAssets().dir, '..')), subscriptions: [] };
    registerWasmReport(context as unknown as vscode.ExtensionContext, { log: new FakeLogOutputChannel('t') });
    provider = stub.customEditorProviders.get(WASM_REPORT_VIEW_TYPE) as vscode.CustomReadonlyEditorProvider;
  });

  async function open(file = path): Promise<FakeWebviewPanel> {
    const panel = new FakeWebviewPanel(WASM_REPORT_VIEW_TYPE, 'report');
    const document = await provider.openCustomDocument(
      vscode.Uri.file(file),
      {} as vscode.CustomDocumentOpenContext,
      new vscode.CancellationTokenSource().token,
    );
    await provider.resolveCustomEditor(document, panel as unknown as vscode.WebviewPanel, new vscode.CancellationTokenSource().token);
    panel.webview.receive({ type: 'ready' });
    return panel;
  }

  const messages = (panel: FakeWebviewPanel, type: string) => (panel.webview.posted as Posted[]).filter((message) => message.type === type);

  it('streams the summary and the first page of each table after the handshake', async () => {
    const uri = vscode.Uri.file(path);
    const finding = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 0),
      'The module uses SIMD without declaring it',
      vscode.DiagnosticSeverity.Warning,
    );
    finding.source = 'wasm-perf';
    finding.code = { value: 'missing-simd128', target: vscode.Uri.parse('command:x') };
    const collection = vscode.languages.createDiagnosticCollection('wasm-perf');
    collection.set(uri, [finding]);

    const panel = await open();
    assert.match(panel.webview.html, /dist\/webview\/wasm-report\.js/);
    const summary = (await until(() => messages(panel, 'summary')[0], 'summary')).summary as ReportSummary;
    assert.equal(messages(panel, 'loading')[0]?.fileSize, bytes.length);
    assert.equal(summary.counts.simd, 1);
    const pages = await until(() => (messages(panel, 'page').length === 3 ? messages(panel, 'page') : undefined), 'pages');
    assert.deepEqual(
      pages.map((page) => [page.table, page.offset, page.total, (page.rows as unknown[]).length]),
      [
        ['functions', 0, 131, 100],
        ['exports', 0, 4, 4],
        ['imports', 0, 1, 1],
      ],
    );
    const findings = await until(() => messages(panel, 'findings')[0], 'findings');
    assert.deepEqual(findings.findings, [
      { ruleId: 'missing-simd128', severity: 'warning', message: 'The module uses SIMD without declaring it' },
    ]);

    collection.set(uri, []);
    fireDiagnosticsChange([uri]);
    assert.deepEqual(messages(panel, 'findings')[1]?.findings, []);
  });

  it('answers page requests, forwards Benchmark clicks and renders a function as text', async () => {
    const panel = await open();
    await until(() => messages(panel, 'summary')[0], 'summary');
    panel.webview.receive({ type: 'page', table: 'functions', offset: 100 });
    const page = await until(() => messages(panel, 'page').find((message) => message.offset === 100), 'second page');
    assert.equal((page.rows as unknown[]).length, 31);

    panel.webview.receive({ type: 'benchmark', exportName: 'sum' });
    await until(() => stub.executedCommands.find((call) => call.command === 'wasm-perf.benchmarkExport'), 'command');
    assert.deepEqual(stub.executedCommands.find((call) => call.command === 'wasm-perf.benchmarkExport')?.args, [
      { modulePath: path, exportName: 'sum' },
    ]);

    panel.webview.receive({ type: 'functionText', index: 1 });
    const text = await until(() => messages(panel, 'functionText')[0], 'function text');
    assert.equal(text.error, undefined);
    assert.match(String(text.text), /^\s*\(func \$sum/);
    assert.match(String(text.text), /i64\.extend_i32_u/);
  });

  it('serves a function as a wat document named after the module, and says what went wrong otherwise', async () => {
    const documents = stub.contentProviders.get(WAT_SCHEME) as vscode.TextDocumentContentProvider;
    const token = new vscode.CancellationTokenSource().token;
    const uri = watUri(vscode.Uri.file(path), 1);
    assert.equal(uri.path.split('/').pop(), `${path.split('/').pop()} function 1.wat`);
    const text = String(await documents.provideTextDocumentContent(uri, token));
    assert.match(text, /^\s*\(func \$sum/);
    assert.match(text, /i64\.extend_i32_u/);

    const missing = watUri(vscode.Uri.file(join(dir, 'missing.wasm')), 1);
    assert.match(String(await documents.provideTextDocumentContent(missing, token)), /^;; Could not (read|render)/);
    const noFunction = vscode.Uri.from({ scheme: WAT_SCHEME, path: '/module.wasm function x.wat' });
    assert.match(String(await documents.provideTextDocumentContent(noFunction, token)), /^;; Not a function of a \.wasm file/);
  });

  it('shows a read failure instead of a report', async () => {
    const panel = await open(join(dir, 'missing.wasm'));
    const failed = await until(() => messages(panel, 'failed')[0], 'failure');
    assert.match(String(failed.message), /Could not read missing\.wasm/);
  });

  it('opens the report for the .wasm given to the inspect command', async () => {
    await vscode.commands.executeCommand('wasm-perf.inspectWasm', vscode.Uri.file(path));
    const openWith = stub.executedCommands.find((call) => call.command === 'vscode.openWith');
    assert.equal((openWith?.args[0] as vscode.Uri).fsPath, path);
    assert.equal(openWith?.args[1], WASM_REPORT_VIEW_TYPE);
  });
});
