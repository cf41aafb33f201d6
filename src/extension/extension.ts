/**
 * Entry point. Activation only wires things up (well under 50 ms of our own work): workspace
 * analysis runs in a worker thread (dist/analysis.js) started by the first analysis, after
 * `activate` returns; the engine bundle loads on this thread only for virtual workspaces,
 * the benchmark panel, SARIF export or a Rust CodeLens; the parsers and wabt load lazily inside it.
 */
import * as vscode from 'vscode';
import { registerBenchmarkFeatures } from './panels/benchmark-features';
import { registerWasmReport } from './panels/wasm-report';
import { AnalysisController } from './analysis-controller';
import { AnalysisWorkerClient } from './analysis-worker-client';
import { WasmPerfCodeActions } from './code-actions';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { DiagnosticStore } from './diagnostic-store';
import { disposeLastFirst } from './dispose-order';
import { bundledEngine } from './engine-loader';
import { registerRuleDocs } from './rule-docs';
import { exportSarif } from './sarif-export';
import { FindingsStatusBar } from './status-bar';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('wasm-perf', { log: true });
  const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  const status = new FindingsStatusBar(store);
  const loadEngine = bundledEngine(context.asAbsolutePath('dist'));
  const controller = new AnalysisController({
    store,
    log,
    assets: { dir: context.asAbsolutePath('dist') },
    loadEngine,
    worker: new AnalysisWorkerClient(context.asAbsolutePath('dist/analysis.js'), context.asAbsolutePath('dist'), log),
    onDidChangeBusy: (busy) => status.setBusy(busy),
  });
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const schemes = [...new Set(['file', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)])];

  context.subscriptions.push(
    log,
    store,
    status,
    controller,
    registerRuleDocs(loadEngine),
    vscode.languages.registerCodeActionsProvider(
      schemes.map((scheme) => ({ scheme })),
      new WasmPerfCodeActions({
        store,
        isTrusted: () => vscode.workspace.isTrusted,
        openDocument: (uri) => vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString()),
        log,
      }),
      WasmPerfCodeActions.metadata,
    ),
    vscode.commands.registerCommand('wasm-perf.analyzeWorkspace', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('wasm-perf: analysing') }, () =>
        controller.analyzeAll(),
      ),
    ),
    vscode.commands.registerCommand('wasm-perf.exportSarif', () => exportSarif(store.allSnapshots(), version, loadEngine)),
  );
  registerBenchmarkFeatures(context, { isTrusted: () => vscode.workspace.isTrusted, log, loadEngine, store });
  registerWasmReport(context, { log });
  // Panels and controllers, registered last, go first; the log and the diagnostics they use, last.
  const registered = context.subscriptions.splice(0);
  context.subscriptions.push(disposeLastFirst(registered, (error) => console.error('wasm-perf: dispose failed', error)));

  controller.start();
  setTimeout(() => void controller.analyzeAll(), 0);
  log.info(
    `wasm-perf ${version} activated in ${(performance.now() - started).toFixed(1)} ms (${vscode.workspace.isTrusted ? 'trusted' : 'restricted mode'})`,
  );
}

export function deactivate(): void {}
