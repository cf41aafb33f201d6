/**
 * Everything that starts a benchmark: the panel command, the .wasm report's and CodeLens's
 * "Benchmark" (`wasm-perf.benchmarkExport`), the "Measure the difference" quick fix
 * (`wasm-perf.measureDifference`), the CodeLens above exported Rust functions, and the
 * serializer that restores the panel after a reload. In Restricted Mode each command says
 * why it is disabled; the panel opens read-only with the same reason.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { BenchmarkDefinition } from '../../protocol/benchmark';
import { MeasuredLensProvider } from '../codelens/measured-lens';
import { registerRustExportLenses } from '../codelens/rust-export-lens';
import { analysedWasmTarget } from '../crate-target';
import type { DiagnosticStore } from '../diagnostic-store';
import type { LoadEngine } from '../engine-loader';
import { BenchmarkPanel, BENCHMARK_VIEW_TYPE, untrustedReason, type BenchmarkPanelDeps } from './benchmark-panel';
import { exportPreset, measureDifferencePreset } from './benchmark-presets';
import { createBenchEngine } from './bench-engine';
import { BenchFile, BENCH_FILE, BenchmarkHistory } from './benchmark-store';
import { unambiguousExport } from './measure-export';

export interface BenchmarkDeps {
  /** False in Restricted Mode: anything that runs code is disabled with a reason. */
  readonly isTrusted: () => boolean;
  readonly log: vscode.LogOutputChannel;
  /** The engine bundle, loaded by the first panel or Rust CodeLens that needs it. */
  readonly loadEngine: LoadEngine;
  /** The latest analyses: which wasm target each crate builds for. */
  readonly store: DiagnosticStore;
}

export function registerBenchmarkFeatures(context: vscode.ExtensionContext, deps: BenchmarkDeps): void {
  const buildLog = vscode.window.createOutputChannel('wasm-perf build');
  context.subscriptions.push(buildLog);
  const panelDeps: BenchmarkPanelDeps = {
    extensionUri: context.extensionUri,
    log: deps.log,
    isTrusted: deps.isTrusted,
    history: new BenchmarkHistory(context.workspaceState),
    engine: createBenchEngine({
      loadEngine: deps.loadEngine,
      log: deps.log,
      buildLog,
      childScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'bench-child.js').fsPath,
      // Workspace storage when a folder is open; builds are caches, so global storage is fine otherwise.
      storageDir: (context.storageUri ?? context.globalStorageUri).fsPath,
      crateTarget: (crateDir) => analysedWasmTarget(deps.store, crateDir),
    }),
    loadEngine: deps.loadEngine,
    onMeasured: async (run) => {
      const file = benchFile();
      if (!file) return;
      await file.saveMeasurement(run);
      await measured.reload();
    },
  };
  const benchFile = () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? new BenchFile(folder.uri, deps.loadEngine) : undefined;
  };
  const measured = new MeasuredLensProvider(deps.store, async () => (await benchFile()?.measurements()) ?? [], deps.log);
  const benchFileWatcher = vscode.workspace.createFileSystemWatcher(`**/${BENCH_FILE}`);
  const open = (preset?: BenchmarkDefinition, autoRun = false) => {
    if (!deps.isTrusted()) void vscode.window.showWarningMessage(untrustedReason());
    BenchmarkPanel.show(panelDeps, preset, autoRun);
  };
  const assetsDir = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  context.subscriptions.push(
    vscode.commands.registerCommand('wasm-perf.openBenchmarkPanel', () => open()),
    vscode.commands.registerCommand('wasm-perf.benchmarkExport', (args?: unknown) => {
      const target = exportArgs(args);
      if (!target) {
        void vscode.window.showErrorMessage(vscode.l10n.t('wasm-perf.benchmarkExport needs {0}.', '{ modulePath, exportName }'));
        return;
      }
      open(exportPreset(target.modulePath, target.exportName, vscode.workspace.asRelativePath(target.modulePath)));
    }),
    vscode.commands.registerCommand('wasm-perf.measureDifference', async (args?: unknown) => {
      const target = measureArgs(args);
      // asRelativePath answers a workspace folder itself (or a path outside) with the absolute path: no label then.
      const crateDir = target ? dirname(target.manifestPath) : '';
      const relative = vscode.workspace.asRelativePath(crateDir, false);
      const crateLabel = relative === crateDir ? '' : relative;
      const preset = target ? measureDifferencePreset(target.manifestPath, target.ruleId, crateLabel) : undefined;
      if (!target || !preset) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no build to compare for this finding.'));
        return;
      }
      // Nothing is read or run for an untrusted workspace; the panel says why.
      const chosen = deps.isTrusted()
        ? await deps
            .loadEngine()
            .then((engine) => unambiguousExport(target.manifestPath, engine, assetsDir))
            .catch((error: unknown) => {
              deps.log.trace(`no export chosen for ${target.manifestPath}: ${error instanceof Error ? error.message : String(error)}`);
              return undefined;
            })
        : undefined;
      open(chosen ? { ...preset, exportName: chosen.exportName, args: [...chosen.args] } : preset, chosen !== undefined);
    }),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.toml' }, measured),
    measured,
    benchFileWatcher,
    benchFileWatcher.onDidChange(() => void measured.reload()),
    benchFileWatcher.onDidCreate(() => void measured.reload()),
    benchFileWatcher.onDidDelete(() => void measured.reload()),
    vscode.window.registerWebviewPanelSerializer(BENCHMARK_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        BenchmarkPanel.revive(panel, panelDeps);
      },
    }),
    { dispose: () => BenchmarkPanel.instance?.dispose() },
  );
  registerRustExportLenses(context, deps);
}

function exportArgs(args: unknown): { modulePath: string; exportName: string } | undefined {
  const value = args as { modulePath?: unknown; exportName?: unknown } | undefined;
  return typeof value?.modulePath === 'string' && typeof value.exportName === 'string'
    ? { modulePath: value.modulePath, exportName: value.exportName }
    : undefined;
}

function measureArgs(args: unknown): { manifestPath: string; ruleId: string } | undefined {
  const value = args as { manifestPath?: unknown; ruleId?: unknown } | undefined;
  return typeof value?.manifestPath === 'string' && typeof value.ruleId === 'string'
    ? { manifestPath: value.manifestPath, ruleId: value.ruleId }
    : undefined;
}
