/**
 * The benchmark panel (`wasm-perf.benchmark`): one per window, restored after a reload by
 * the serializer. It lists what can be benchmarked, runs definitions on the engine in a
 * child process with progress and cancellation, and keeps finished runs per workspace.
 */
import * as vscode from 'vscode';
import type {
  BenchmarkDefinition,
  BenchmarkRun,
  ExportChoice,
  FromBenchmarkWebview,
  ModuleChoice,
  ToBenchmarkWebview,
  TrustState,
} from '../../protocol/benchmark';
import { markdownTable } from '../../protocol/benchmark-table';
import type { LoadEngine } from '../engine-loader';
import { type BenchmarkHistory, BenchFile, BENCH_FILE } from './benchmark-store';
import { RunFailure, runDefinition, type BenchEngine } from './benchmark-runner';
import { isManifestPath } from './benchmark-presets';
import { PanelChannel } from './panel-channel';
import { renderWebviewHtml, webviewOptions } from './webview-html';
import { findWorkspaceFiles, workspaceLabel } from './workspace-files';

export const BENCHMARK_VIEW_TYPE = 'wasm-perf.benchmark';

export interface BenchmarkPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly isTrusted: () => boolean;
  readonly history: BenchmarkHistory;
  /** Runs benchmarks. */
  readonly engine: BenchEngine;
  /** The engine bundle, for reading modules, crates and the bench file; loaded when a panel opens. */
  readonly loadEngine: LoadEngine;
  /** A run that measured a finding's fix finished: keep its result where the finding is shown. */
  readonly onMeasured?: (run: BenchmarkRun) => Promise<void>;
}

export function untrustedReason(): string {
  return vscode.l10n.t(
    'Benchmarks build and run code from this workspace, so they are disabled in Restricted Mode. Trust the workspace to use them.',
  );
}

export class BenchmarkPanel implements vscode.Disposable {
  private static current: BenchmarkPanel | undefined;

  private readonly channel: PanelChannel<ToBenchmarkWebview, FromBenchmarkWebview>;
  private readonly runs = new Map<string, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];
  private preset: BenchmarkDefinition | undefined;
  private autoRun = false;
  private disposed = false;

  /** Shows the panel (creating it if needed), with `preset` in its form; `autoRun` starts it at once. */
  static show(deps: BenchmarkPanelDeps, preset?: BenchmarkDefinition, autoRun = false): BenchmarkPanel {
    const existing = BenchmarkPanel.current;
    if (existing) {
      existing.panel.reveal();
      if (preset) existing.applyPreset(preset, autoRun);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BENCHMARK_VIEW_TYPE, vscode.l10n.t('wasm-perf Benchmark'), vscode.ViewColumn.Active, {
      ...webviewOptions(deps.extensionUri),
      // A run takes seconds to minutes; its progress must not be lost while the tab is in the background.
      retainContextWhenHidden: true,
    });
    const created = new BenchmarkPanel(panel, deps, preset);
    created.autoRun = preset !== undefined && autoRun;
    return created;
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, deps: BenchmarkPanelDeps): BenchmarkPanel {
    BenchmarkPanel.current?.dispose();
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new BenchmarkPanel(panel, deps, undefined);
  }

  static get instance(): BenchmarkPanel | undefined {
    return BenchmarkPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: BenchmarkPanelDeps,
    preset: BenchmarkDefinition | undefined,
  ) {
    BenchmarkPanel.current = this;
    this.preset = preset;
    this.channel = new PanelChannel(
      panel.webview,
      { onReady: () => this.sendInit(), onMessage: (message) => this.handle(message) },
      deps.log,
    );
    this.disposables.push(
      this.channel,
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.sendInit()),
    );
    panel.webview.html = renderWebviewHtml(panel.webview, deps.extensionUri, { script: 'benchmark', title: 'wasm-perf Benchmark' });
    // Loading starts now, while the webview boots, so listing exports does not wait for it later.
    deps
      .loadEngine()
      .catch((error: unknown) => deps.log.error(`Cannot load the engine: ${error instanceof Error ? error.message : String(error)}`));
  }

  dispose(): void {
    this.disposed = true;
    if (BenchmarkPanel.current === this) BenchmarkPanel.current = undefined;
    for (const controller of this.runs.values()) controller.abort();
    this.runs.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private applyPreset(preset: BenchmarkDefinition, autoRun: boolean): void {
    this.preset = preset;
    this.autoRun = autoRun;
    void this.sendInit();
  }

  private trust(): TrustState {
    return this.deps.isTrusted() ? { trusted: true } : { trusted: false, reason: untrustedReason() };
  }

  /** The answer to `ready`, and a refresh after trust or a preset changes. */
  private async sendInit(): Promise<void> {
    const [modules, savedDefinitions] = await Promise.all([this.listModules(), this.savedDefinitions()]);
    const preset = this.preset;
    const autoRun = this.autoRun;
    this.preset = undefined;
    this.autoRun = false;
    this.channel.post({
      type: 'init',
      trust: this.trust(),
      modules,
      history: this.deps.history.runs(),
      savedDefinitions,
      ...(preset ? { preset } : {}),
      ...(preset && autoRun ? { autoRun } : {}),
    });
  }

  private async handle(message: Exclude<FromBenchmarkWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'listExports':
        this.channel.post({ type: 'exports', path: message.path, ...(await this.listExports(message.path)) });
        return;
      case 'run':
        await this.run(message.runId, message.definition);
        return;
      case 'cancel':
        this.runs.get(message.runId)?.abort();
        return;
      case 'exportJson':
        await this.exportJson(message.runId);
        return;
      case 'copyMarkdown': {
        const run = this.deps.history.find(message.runId);
        if (!run) return;
        await vscode.env.clipboard.writeText(markdownTable(run));
        this.channel.post({ type: 'notice', message: vscode.l10n.t('Copied the results as a Markdown table.') });
        return;
      }
      case 'saveDefinition':
        await this.saveDefinition(message.definition);
        return;
      case 'clearHistory':
        await this.deps.history.clear();
        this.channel.post({ type: 'history', history: [], savedDefinitions: await this.savedDefinitions() });
        return;
    }
  }

  private async run(runId: string, definition: BenchmarkDefinition): Promise<void> {
    if (!this.deps.isTrusted()) {
      this.channel.post({ type: 'runEnded', runId, outcome: 'failed', message: untrustedReason() });
      return;
    }
    const controller = new AbortController();
    this.runs.set(runId, controller);
    this.deps.log.info(
      `benchmark ${runId}: ${definition.exportName} on ${definition.variants.map((variant) => variant.label).join(' vs ')}`,
    );
    try {
      const run = await runDefinition(runId, definition, this.deps.engine, {
        signal: controller.signal,
        onProgress: (event) =>
          this.channel.post({
            type: 'progress',
            runId,
            message: event.message,
            ...(event.fraction !== undefined ? { fraction: event.fraction } : {}),
          }),
      });
      await this.deps.history.add(run);
      this.channel.post({ type: 'result', run });
      if (definition.finding) await this.keepMeasurement(run);
    } catch (error) {
      const failure =
        error instanceof RunFailure ? error : new RunFailure(error instanceof Error ? error.message : String(error), 'child-failed');
      const cancelled = failure.code === 'cancelled';
      // Closing the panel (or the window) cancels its runs; nobody is left to tell.
      if (this.disposed) return;
      if (!cancelled) this.deps.log.error(`benchmark ${runId} failed: ${failure.message}`);
      this.channel.post({
        type: 'runEnded',
        runId,
        outcome: cancelled ? 'cancelled' : 'failed',
        message: cancelled ? vscode.l10n.t('Cancelled.') : failure.message,
      });
    } finally {
      this.runs.delete(runId);
    }
  }

  private async keepMeasurement(run: BenchmarkRun): Promise<void> {
    try {
      await this.deps.onMeasured?.(run);
    } catch (error) {
      this.deps.log.warn(`could not keep the measurement in ${BENCH_FILE}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async listModules(): Promise<ModuleChoice[]> {
    const [wasm, manifests] = await Promise.all([findWorkspaceFiles('**/*.wasm'), findWorkspaceFiles('**/Cargo.toml')]);
    // Our own variant builds (target/wasm-perf/) would only clutter the list.
    const modules = wasm
      .filter((uri) => !uri.path.includes('/target/wasm-perf/'))
      .map((uri): ModuleChoice => ({ kind: 'wasm', path: uri.fsPath, label: workspaceLabel(uri) }));
    const crates = manifests
      .filter((uri) => !uri.path.includes('/target/'))
      .map((uri): ModuleChoice => ({ kind: 'crate', path: uri.fsPath, label: workspaceLabel(uri) }));
    return [...modules, ...crates];
  }

  private async listExports(path: string): Promise<{ exports: ExportChoice[]; error?: string }> {
    try {
      const engine = await this.deps.loadEngine();
      const wasmPath = isManifestPath(path) ? await engine.findCrateArtifact(path) : path;
      if (!wasmPath) {
        return {
          exports: [],
          error: vscode.l10n.t(
            'The crate has no release build for a wasm target yet, so its exports are unknown: type the export name (the run builds the crate).',
          ),
        };
      }
      const overview = engine.listBenchmarkableExports(await vscode.workspace.fs.readFile(vscode.Uri.file(wasmPath)));
      return {
        exports: overview.exports.map((entry) => ({
          name: entry.name,
          params: entry.params,
          results: entry.results,
          ...(entry.benchmarkable ? {} : { unsupported: entry.reason ?? 'not numeric' }),
        })),
      };
    } catch (error) {
      return {
        exports: [],
        error: vscode.l10n.t('Cannot read the exports of {0}: {1}', path, error instanceof Error ? error.message : String(error)),
      };
    }
  }

  private benchFile(): BenchFile | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? new BenchFile(folder.uri, this.deps.loadEngine) : undefined;
  }

  private async savedDefinitions(): Promise<BenchmarkDefinition[]> {
    try {
      const saved = await this.benchFile()?.definitions();
      for (const reason of saved?.skipped ?? []) this.deps.log.info(`${BENCH_FILE}: not shown in the panel: ${reason}`);
      return saved?.definitions ?? [];
    } catch (error) {
      this.deps.log.warn(error instanceof Error ? error.message : String(error));
      return [];
    }
  }

  private async saveDefinition(definition: BenchmarkDefinition): Promise<void> {
    const file = this.benchFile();
    if (!file) {
      this.channel.post({ type: 'notice', message: vscode.l10n.t('Open a folder to save benchmark definitions.') });
      return;
    }
    try {
      await file.save(definition);
      this.channel.post({ type: 'history', history: this.deps.history.runs(), savedDefinitions: await this.savedDefinitions() });
      this.channel.post({ type: 'notice', message: vscode.l10n.t('Saved "{0}" to {1}.', definition.name, BENCH_FILE) });
    } catch (error) {
      this.channel.post({
        type: 'notice',
        message: vscode.l10n.t('Could not save to {0}: {1}', BENCH_FILE, error instanceof Error ? error.message : String(error)),
      });
    }
  }

  private async exportJson(runId: string): Promise<void> {
    const run = this.deps.history.find(runId);
    if (!run) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `${run.definition.name.replace(/[^\w.-]+/g, '-')}-${run.finishedAt.slice(0, 10)}.json`;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
      filters: { JSON: ['json'] },
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(run, null, 2)}\n`));
    this.channel.post({ type: 'notice', message: vscode.l10n.t('Exported the run to {0}.', workspaceLabel(target)) });
  }
}
