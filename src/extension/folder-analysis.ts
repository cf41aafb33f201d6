/**
 * Analysis of one workspace folder: its engine (folder-engine.ts: the analysis thread for
 * local folders, which keeps derived data between runs), settings, and a debounced,
 * cancellable run loop. At most one analysis of a folder runs at a time; a request during a
 * run aborts it and runs again with the newest text, and an aborted run never publishes.
 */
import type * as vscode from 'vscode';
import type { Assets } from '../core/host';
import type { FilePath } from '../core/model';
import type { Rule } from '../core/rules/rule';
import type { AnalyzerSettings } from '../core/settings';
import type { AnalysisWorkerClient } from './analysis-worker-client';
import { buildSnapshot, type DiagnosticStore } from './diagnostic-store';
import type { LoadEngine } from './engine-loader';
import { inThreadEngine, threadEngine, type FolderEngine } from './folder-engine';
import type { PathMapper } from './paths';
import { readAnalyzerSettings } from './settings';
import { createBaseHost, createOverlayHost, openDocumentsIn, openDocumentsOverlay } from './workspace-host';

const MISSING_FILE = /ENOENT|EntryNotFound|FileNotFound|no such file/i;

export interface FolderAnalysisDeps {
  readonly store: DiagnosticStore;
  readonly log: vscode.LogOutputChannel;
  readonly assets: Assets;
  readonly loadEngine: LoadEngine;
  /** The analysis thread; without it (tests with their own rules) folders are analysed on this thread. */
  readonly worker?: AnalysisWorkerClient;
  /** The rules to run on this thread; the registry unless a test supplies its own. */
  readonly rules?: readonly Rule[];
  readonly onDidStart: () => void;
  readonly onDidFinish: () => void;
}

export class FolderAnalysis implements vscode.Disposable {
  readonly key: string;
  readonly root: FilePath;
  private readonly engine: FolderEngine;
  private settings: Partial<AnalyzerSettings> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private again = false;
  private disposed = false;
  /**
   * What changed since the last finished analysis: the paths whose text changed (typing,
   * saves), or 'all' after anything structural (first run, creation, deletion, settings).
   * With paths only, the engine re-reads just those files.
   */
  private pending: Set<FilePath> | 'all' = 'all';

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly mapper: PathMapper,
    private readonly deps: FolderAnalysisDeps,
  ) {
    this.key = folder.uri.toString();
    this.root = mapper.toPath(folder.uri);
    this.engine =
      deps.worker && mapper.scheme === 'file'
        ? threadEngine(deps.worker, this.root, () => openDocumentsIn(mapper, (path) => this.contains(path)))
        : inThreadEngine(this.root, createOverlayHost(createBaseHost(mapper, process.env), openDocumentsOverlay(mapper)), deps);
  }

  contains(path: FilePath): boolean {
    return path === this.root || path.startsWith(this.root.endsWith('/') ? this.root : `${this.root}/`);
  }

  reloadSettings(): void {
    this.pending = 'all';
    this.settings = undefined; // read again by the next analysis
  }

  forget(paths: Iterable<FilePath>): void {
    const forgotten = [...paths];
    this.pending = 'all';
    this.engine.forget(forgotten);
  }

  /**
   * Runs after `delayMs` of quiet; a newer request restarts the wait. `changedPath` says only
   * that file's text changed; without it the next analysis starts afresh.
   */
  schedule(delayMs: number, changedPath?: FilePath): void {
    if (this.disposed) return;
    this.noteChange(changedPath);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  private noteChange(changedPath: FilePath | undefined): void {
    if (changedPath === undefined) this.pending = 'all';
    else if (this.pending !== 'all') this.pending.add(changedPath);
  }

  /** Analyses now, reading everything afresh (the "analyse workspace" command). */
  runAfresh(): Promise<void> {
    this.pending = 'all';
    return this.run();
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
        const started = performance.now();
        const changes = this.pending;
        this.pending = new Set();
        try {
          this.settings ??= this.readSettings();
          const run = await this.engine.analyze({
            settings: this.settings,
            changed: changes === 'all' ? undefined : [...changes],
            signal: abort.signal,
          });
          if (!run || abort.signal.aborted || this.disposed) {
            this.restore(changes);
            continue;
          }
          const result = run.analysis;
          const snapshot = buildSnapshot(this.key, this.root, this.mapper, result, run.readVersions);
          const changed = this.deps.store.publish(snapshot);
          for (const notice of result.notices) {
            if (notice.kind === 'internal') this.deps.log.error(`${notice.file}: ${notice.message}`);
            // Probing for files that may not exist (configs above the folder, toolchain files) is routine.
            else if (MISSING_FILE.test(notice.message)) this.deps.log.trace(`${notice.file}: ${notice.message}`);
            else this.deps.log.info(`${notice.file}: ${notice.message}`);
          }
          this.deps.log.debug(
            `analysed ${this.folder.name}: ${result.findings.length} findings, ${changed.length} files updated, ${Math.round(performance.now() - started)} ms (thread ${run.threadId})`,
          );
        } catch (error) {
          this.pending = 'all';
          if (this.disposed) return;
          this.deps.log.error(
            `analysis of ${this.folder.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        }
      } while (this.again && !this.disposed);
    } finally {
      this.abort = undefined;
      this.deps.onDidFinish();
    }
  }

  /** An abandoned run's changes still have to reach the next one. */
  private restore(changes: Set<FilePath> | 'all'): void {
    if (changes === 'all') this.pending = 'all';
    else for (const path of changes) this.noteChange(path);
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
    this.engine.dispose();
    this.deps.store.removeFolder(this.key);
  }
}
