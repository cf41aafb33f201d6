/**
 * Everything that starts a benchmark: the panel command, the .wasm report's and CodeLens's
 * "Benchmark" (`wasm-perf.benchmarkExport`), the "Measure the difference" quick fix
 * (`wasm-perf.measureDifference`), the CodeLens above exported Rust functions, and the
 * serializer that restores the panel after a reload. In Restricted Mode each command says
 * why it is disabled; the panel opens read-only with the same reason.
 */
import * as vscode from 'vscode';
import type { BenchmarkDefinition } from '../../protocol/benchmark';
import { registerRustExportLenses } from '../codelens/rust-export-lens';
import type { LoadEngine } from '../engine-loader';
import { BenchmarkPanel, BENCHMARK_VIEW_TYPE, untrustedReason, type BenchmarkPanelDeps } from './benchmark-panel';
import { exportPreset, measureDifferencePreset } from './benchmark-presets';
import type { BenchEngine, EngineRunOptions } from './benchmark-runner';
import { BenchmarkHistory } from './benchmark-store';

export interface BenchmarkDeps {
  /** False in Restricted Mode: anything that runs code is disabled with a reason. */
  readonly isTrusted: () => boolean;
  readonly log: vscode.LogOutputChannel;
  /** The engine bundle, loaded by the first panel or Rust CodeLens that needs it. */
  readonly loadEngine: LoadEngine;
}

export function registerBenchmarkFeatures(context: vscode.ExtensionContext, deps: BenchmarkDeps): void {
  const panelDeps: BenchmarkPanelDeps = {
    extensionUri: context.extensionUri,
    log: deps.log,
    isTrusted: deps.isTrusted,
    history: new BenchmarkHistory(context.workspaceState),
    engine: engineFor(context, deps),
    loadEngine: deps.loadEngine,
  };
  const open = (preset?: BenchmarkDefinition) => {
    if (!deps.isTrusted()) void vscode.window.showWarningMessage(untrustedReason());
    BenchmarkPanel.show(panelDeps, preset);
  };
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
    vscode.commands.registerCommand('wasm-perf.measureDifference', (args?: unknown) => {
      const target = measureArgs(args);
      const preset = target ? measureDifferencePreset(target.manifestPath, target.ruleId) : undefined;
      if (!target || !preset) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no build to compare for this finding.'));
        return;
      }
      open(preset);
    }),
    vscode.window.registerWebviewPanelSerializer(BENCHMARK_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        BenchmarkPanel.revive(panel, panelDeps);
      },
    }),
    { dispose: () => BenchmarkPanel.instance?.dispose() },
  );
  registerRustExportLenses(context, deps);
}

/**
 * The real engine, from the engine bundle (loaded by the first call): runs in a child process
 * of VS Code's own runtime (Electron as Node).
 */
function engineFor(context: vscode.ExtensionContext, { log, loadEngine }: BenchmarkDeps): BenchEngine {
  const childScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'bench-child.js').fsPath;
  const settings = () => vscode.workspace.getConfiguration('wasm-perf.benchmark');
  const runOptions = (options: EngineRunOptions) => {
    // The settings' wording: `timeLimitMs` is the measuring time per task, `budgetMs` bounds the whole run.
    const measuring = settings().get<number>('timeLimitMs');
    const whole = settings().get<number>('budgetMs');
    return {
      run: { signal: options.signal, onProgress: options.onProgress, executable: process.execPath, childScript },
      harness: { ...(measuring ? { budgetMs: measuring } : {}), ...(whole ? { timeLimitMs: whole } : {}) },
    };
  };
  return {
    runBenchmark: async (request, options) => {
      const { run, harness } = runOptions(options);
      return (await loadEngine()).runBenchmark({ ...request, options: { ...harness, ...request.options } }, run);
    },
    compareModules: async (request, options) => {
      const { run, harness } = runOptions(options);
      return (await loadEngine()).compareModules({ ...request, options: { ...harness, ...request.options } }, run);
    },
    buildVariants: async (request, options) =>
      (await loadEngine()).buildVariants(request, {
        cargo: settings().get<string>('cargoPath') || 'cargo',
        signal: options.signal,
        onOutput: (line, stream, variant) => {
          if (stream === 'stderr') log.info(`[cargo ${variant}] ${line}`);
          options.onProgress({ phase: 'building', message: `Building ${variant}: ${line.slice(0, 160)}`, label: variant });
        },
      }),
    toFailure: async (error) => (await loadEngine()).toFailure(error),
  };
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
