/**
 * Entry point. Activation only wires things up (well under 50 ms of our own work): the
 * first analysis starts after `activate` returns, and the parsers and wabt load lazily
 * inside it.
 */
import * as vscode from 'vscode';
import { registerBenchmarkFeatures } from './panels/benchmark-features';
import { registerWasmReport } from './panels/wasm-report';
import { AnalysisController } from './analysis-controller';
import { WasmPerfCodeActions } from './code-actions';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { DiagnosticStore } from './diagnostic-store';
import { registerRuleDocs } from './rule-docs';
import { FindingsStatusBar } from './status-bar';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('wasm-perf', { log: true });
  const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  const status = new FindingsStatusBar(store);
  const controller = new AnalysisController({
    store,
    log,
    assets: { dir: context.asAbsolutePath('dist') },
    onDidChangeBusy: (busy) => status.setBusy(busy),
  });
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const schemes = [...new Set(['file', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)])];

  context.subscriptions.push(
    log,
    store,
    status,
    controller,
    registerRuleDocs(),
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
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('wasm-perf: analysing') }, () => controller.analyzeAll()),
    ),
    // The SARIF writer and the rule registry load when first used.
    vscode.commands.registerCommand('wasm-perf.exportSarif', async () => (await import('./sarif-export')).exportSarif(store.allSnapshots(), version)),
  );
  registerBenchmarkFeatures(context, { isTrusted: () => vscode.workspace.isTrusted, log });
  registerWasmReport(context, { log });

  controller.start();
  setTimeout(() => void controller.analyzeAll(), 0);
  log.info(`wasm-perf ${version} activated in ${(performance.now() - started).toFixed(1)} ms (${vscode.workspace.isTrusted ? 'trusted' : 'restricted mode'})`);
}

export function deactivate(): void {}
