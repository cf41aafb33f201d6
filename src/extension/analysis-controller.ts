/**
 * Keeps diagnostics in step with the workspace: one FolderAnalysis per workspace folder,
 * re-run on typing (debounced), saving, file creation and deletion (including a rebuilt
 * .wasm under target/), folder and setting changes. Events for files no rule reads are
 * ignored, so a cargo build's churn under target/ costs nothing but the .wasm outputs.
 */
import * as vscode from 'vscode';
import type { Assets } from '../core/host';
import type { FilePath } from '../core/model';
import type { Rule } from '../core/rules/rule';
import { isInside } from '../core/text/paths';
import { classify } from '../core/workspace/discover';
import type { AnalysisWorkerClient } from './analysis-worker-client';
import { isCurrent, type DiagnosticStore } from './diagnostic-store';
import type { LoadEngine } from './engine-loader';
import { FolderAnalysis } from './folder-analysis';
import { pathMapperFor } from './paths';
import { affectsAnalysis } from './settings';

/** Quiet time after the last keystroke before the unsaved text is analysed again. */
const TYPING_DEBOUNCE_MS = 120;
/** File-system events come in bursts (a build writes many files); coalesce them. */
const FILE_EVENT_DEBOUNCE_MS = 150;

const IGNORED_SEGMENT = /\/(\.git|node_modules)\//;

/** Would the engine read this file? (The same classification discovery uses.) */
export function isRelevantPath(path: FilePath, root: FilePath): boolean {
  if (IGNORED_SEGMENT.test(path)) return false;
  const relative = path.slice(root.length + 1);
  const kind = classify(path, relative);
  if (!kind) return false;
  // Under a target/ directory discovery keeps only final .wasm artifacts.
  return kind === 'binaries' || !/(^|\/)target\//.test(relative);
}

export interface AnalysisControllerDeps {
  readonly store: DiagnosticStore;
  readonly log: vscode.LogOutputChannel;
  readonly assets: Assets;
  readonly loadEngine: LoadEngine;
  /** The analysis thread for local folders; the controller stops it on dispose. Without it, folders are analysed on this thread. */
  readonly worker?: AnalysisWorkerClient;
  /** The rules to run on this thread; the registry unless a test supplies its own. */
  readonly rules?: readonly Rule[];
  /** Analysis started or finished somewhere (status bar). */
  readonly onDidChangeBusy: (busy: boolean) => void;
}

export class AnalysisController implements vscode.Disposable {
  private readonly folders = new Map<string, FolderAnalysis>();
  private readonly disposables: vscode.Disposable[] = [];
  private busy = 0;

  constructor(private readonly deps: AnalysisControllerDeps) {}

  start(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.addFolder(folder);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.onFileEvent(uri, 'created')),
      watcher.onDidChange((uri) => this.onFileEvent(uri, 'changed')),
      watcher.onDidDelete((uri) => this.onFileEvent(uri, 'deleted')),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.scheduleFor(event.document.uri, TYPING_DEBOUNCE_MS, 'text');
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.onOpen(document)),
      // Closing a dirty editor drops its unsaved text: the disk version counts again.
      vscode.workspace.onDidCloseTextDocument((document) => this.scheduleFor(document.uri, 0, 'text')),
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const analysis of this.folders.values()) {
          if (!affectsAnalysis(event, analysis.folder.uri)) continue;
          analysis.reloadSettings();
          analysis.schedule(0);
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) {
          this.folders.get(folder.uri.toString())?.dispose();
          this.folders.delete(folder.uri.toString());
        }
        for (const folder of event.added) this.addFolder(folder).schedule(0);
      }),
    );
  }

  /** Analyses every folder now (the `analyzeWorkspace` command and the first run). */
  async analyzeAll(): Promise<void> {
    await Promise.all([...this.folders.values()].map((analysis) => analysis.runAfresh()));
  }

  private addFolder(folder: vscode.WorkspaceFolder): FolderAnalysis {
    const analysis = new FolderAnalysis(folder, pathMapperFor(folder.uri), {
      store: this.deps.store,
      log: this.deps.log,
      assets: this.deps.assets,
      loadEngine: this.deps.loadEngine,
      ...(this.deps.worker ? { worker: this.deps.worker } : {}),
      ...(this.deps.rules ? { rules: this.deps.rules } : {}),
      onDidStart: () => {
        if (this.busy++ === 0) this.deps.onDidChangeBusy(true);
      },
      onDidFinish: () => {
        if (--this.busy === 0) this.deps.onDidChangeBusy(false);
      },
    });
    this.folders.set(analysis.key, analysis);
    return analysis;
  }

  /** The folders whose analysis reads `uri`, with its engine path in each. */
  private foldersOf(uri: vscode.Uri): { analysis: FolderAnalysis; path: FilePath }[] {
    return [...this.folders.values()].flatMap((analysis) => {
      if (uri.scheme !== analysis.mapper.scheme) return [];
      const path = analysis.mapper.toPath(uri);
      return analysis.contains(path) ? [{ analysis, path }] : [];
    });
  }

  /** `text`: only this file's text changed (no file appeared or vanished). */
  private scheduleFor(uri: vscode.Uri, delayMs: number, change: 'text' | 'structure'): void {
    for (const { analysis, path } of this.foldersOf(uri)) {
      if (isRelevantPath(path, analysis.root)) analysis.schedule(delayMs, change === 'text' ? path : undefined);
    }
  }

  private onOpen(document: vscode.TextDocument): void {
    for (const { analysis, path } of this.foldersOf(document.uri)) {
      if (!isRelevantPath(path, analysis.root)) continue;
      const snapshot = this.deps.store.snapshot(analysis.key);
      // Identical text keeps the diagnostics (and adopts the version); different text means the disk moved on.
      if (snapshot && !isCurrent(snapshot, path, document)) analysis.schedule(0, path);
    }
  }

  private onFileEvent(uri: vscode.Uri, kind: 'created' | 'changed' | 'deleted'): void {
    for (const { analysis, path } of this.foldersOf(uri)) {
      if (kind === 'deleted') {
        // A deleted directory reports only itself: forget every discovered file beneath it.
        const snapshot = this.deps.store.snapshot(analysis.key);
        const { roots: _roots, ...discovered } = snapshot?.result.model.files ?? { roots: [] };
        const gone = Object.values(discovered)
          .flat()
          .filter((known) => isInside(known, path));
        if (gone.length > 0 || isRelevantPath(path, analysis.root)) {
          analysis.forget([path, ...gone]);
          analysis.schedule(FILE_EVENT_DEBOUNCE_MS);
        }
        continue;
      }
      if (isRelevantPath(path, analysis.root)) analysis.schedule(FILE_EVENT_DEBOUNCE_MS, kind === 'changed' ? path : undefined);
    }
  }

  dispose(): void {
    for (const analysis of this.folders.values()) analysis.dispose();
    this.folders.clear();
    for (const disposable of this.disposables) disposable.dispose();
    void this.deps.worker?.dispose();
  }
}
