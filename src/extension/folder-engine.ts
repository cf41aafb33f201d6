/**
 * Where a folder's analysis runs. Local folders (`file:`) are analysed in the analysis
 * thread, which reads the disk itself; the extension host only sends the open editors'
 * text. Virtual workspaces (other schemes) stay on the extension host's thread: their files
 * are reachable only through `vscode.workspace.fs`, which a worker thread cannot call.
 */
import { threadId } from 'node:worker_threads';
import type { Analyzer } from '../core/engine';
import type { Assets } from '../core/host';
import type { FilePath } from '../core/model';
import type { Rule } from '../core/rules/rule';
import type { AnalyzerSettings } from '../core/settings';
import type { AnalysisWorkerClient, AnalysisRun } from './analysis-worker-client';
import type { LoadEngine } from './engine-loader';
import type { OverlayHost, OverlayText } from './overlay-host';

export interface FolderRequest {
  readonly settings: Partial<AnalyzerSettings>;
  /** Only these files' text changed since the previous analysis; undefined: start afresh. */
  readonly changed: readonly FilePath[] | undefined;
  readonly signal: AbortSignal;
}

export interface FolderEngine {
  /** Undefined when the request was cancelled or superseded: nothing to publish. */
  analyze(request: FolderRequest): Promise<AnalysisRun | undefined>;
  /** Derived data of deleted or replaced files is dropped before the next analysis. */
  forget(paths: readonly FilePath[]): void;
  dispose(): void;
}

/** The folder analysed by the analysis thread, with the open editors' text sent along. */
export function threadEngine(
  client: AnalysisWorkerClient,
  root: FilePath,
  openDocuments: () => ReadonlyMap<FilePath, OverlayText>,
): FolderEngine {
  let forgotten: FilePath[] = [];
  return {
    analyze({ settings, changed, signal }) {
      const forget = forgotten;
      forgotten = [];
      return client.analyze({ root, settings, overlay: openDocuments(), forget, ...(changed ? { changed } : {}) }, signal);
    },
    forget: (paths) => void forgotten.push(...paths),
    dispose: () => client.close(root),
  };
}

/** The folder analysed on this thread (virtual workspaces, and tests that bring their own rules). */
export function inThreadEngine(
  root: FilePath,
  host: OverlayHost,
  deps: { readonly loadEngine: LoadEngine; readonly assets: Assets; readonly rules?: readonly Rule[] },
): FolderEngine {
  /** Created on the first analysis: the engine bundle (parsers, rules) loads then, not during activation. */
  let analyzer: Promise<Analyzer> | undefined;
  let applied: Partial<AnalyzerSettings> | undefined;
  return {
    async analyze({ settings, changed, signal }) {
      analyzer ??= deps.loadEngine().then(({ Analyzer }) => new Analyzer(host, settings, deps.assets, deps.rules));
      const engine = await analyzer;
      if (applied !== undefined && applied !== settings) engine.updateSettings(settings);
      applied = settings;
      host.takeReadVersions(); // start recording afresh
      const result = await engine.analyze([root], { signal, ...(changed ? { changed } : {}) });
      if (signal.aborted) return undefined;
      return { analysis: result, readVersions: host.takeReadVersions(), threadId };
    },
    forget: (paths) => void analyzer?.then((engine) => engine.forget(paths)),
    dispose: () => {},
  };
}
