/**
 * Analysis of one workspace folder: its own Analyzer (so derived data is cached between
 * runs), host with editor overlays, settings, and a debounced, cancellable run loop.
 * At most one analysis of a folder runs at a time; a request during a run aborts it and
 * runs again with the newest text.
 */
import * as vscode from 'vscode';
import type { Analyzer } from '../core/engine';
import type { Assets } from '../core/host';
import type { FilePath } from '../core/model';
import type { Rule } from '../core/rules/rule';
import { buildSnapshot, type DiagnosticStore } from './diagnostic-store';
import type { LoadEngine } from './engine-loader';
import type { PathMapper } from './paths';
import { readAnalyzerSettings } from './settings';
import { createBaseHost, createOverlayHost, openDocumentsOverlay, type OverlayHost } from './workspace-host';

export interface FolderAnalysisDeps {
  readonly store: DiagnosticStore;
  readonly log: vscode.LogOutputChannel;
  readonly assets: Assets;
  readonly loadEngine: LoadEngine;
  /** The rules to run; the registry unless a test supplies its own. */
  readonly rules?: readonly Rule[];
  readonly onDidStart: () => void;
  readonly onDidFinish: () => void;
}

export class FolderAnalysis implements vscode.Disposable {
  readonly key: string;
  readonly root: FilePath;
  private readonly host: OverlayHost;
  /** Created on the first analysis: the engine bundle (parsers, rules) loads then, not during activation. */
  private analyzer: Promise<Analyzer> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private again = false;
  private disposed = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly mapper: PathMapper,
    private readonly deps: FolderAnalysisDeps,
  ) {
    this.key = folder.uri.toString();
    this.root = mapper.toPath(folder.uri);
    this.host = createOverlayHost(createBaseHost(mapper, process.env), openDocumentsOverlay(mapper));
  }

  contains(path: FilePath): boolean {
    return path === this.root || path.startsWith(this.root.endsWith('/') ? this.root : `${this.root}/`);
  }

  reloadSettings(): void {
    void this.analyzer?.then((analyzer) => analyzer.updateSettings(this.readSettings()));
  }

  forget(paths: Iterable<FilePath>): void {
    const forgotten = [...paths];
    void this.analyzer?.then((analyzer) => analyzer.forget(forgotten));
  }

  private engine(): Promise<Analyzer> {
    this.analyzer ??= this.deps.loadEngine().then(({ Analyzer }) => new Analyzer(this.host, this.readSettings(), this.deps.assets, this.deps.rules));
    return this.analyzer;
  }

  /** Runs after `delayMs` of quiet; a newer request restarts the wait. */
  schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  /** Analyses now; resolves when the folder's diagnostics reflect the current text. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      this.abort?.abort();
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    this.deps.onDidStart();
    try {
      do {
        this.again = false;
        const abort = new AbortController();
        this.abort = abort;
        this.host.takeReadVersions(); // start recording afresh
        const started = performance.now();
        try {
          const analyzer = await this.engine();
          const result = await analyzer.analyze([this.root], { signal: abort.signal });
          if (abort.signal.aborted || this.disposed) continue;
          const snapshot = buildSnapshot(this.key, this.root, this.mapper, result, this.host.takeReadVersions());
          const changed = this.deps.store.publish(snapshot);
          for (const notice of result.notices) {
            if (notice.kind === 'internal') this.deps.log.error(`${notice.file}: ${notice.message}`);
            else this.deps.log.info(`${notice.file}: ${notice.message}`);
          }
          this.deps.log.debug(
            `analysed ${this.folder.name}: ${result.findings.length} findings, ${changed.length} files updated, ${result.sources.size} files read, ${Math.round(performance.now() - started)} ms`,
          );
        } catch (error) {
          this.deps.log.error(`analysis of ${this.folder.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      } while (this.again && !this.disposed);
    } finally {
      this.abort = undefined;
      this.deps.onDidFinish();
    }
  }

  private readSettings() {
    const { settings, problems } = readAnalyzerSettings(this.folder.uri);
    for (const problem of problems) this.deps.log.warn(`${this.folder.name}: ${problem}`);
    return settings;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    this.deps.store.removeFolder(this.key);
  }
}
