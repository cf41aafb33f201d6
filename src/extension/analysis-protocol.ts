/**
 * Messages between the extension host (analysis-worker-client.ts) and its analysis thread
 * (analysis.worker.ts, bundled to dist/analysis.js), and the analysis they carry back.
 * Both sides import this file; it holds types and the two conversions of a result, so
 * what crosses the thread boundary is defined once.
 */
import type { AnalysisResult } from '../core/engine';
import type { FilePath, Finding } from '../core/model';
import type { AnalyzerSettings } from '../core/settings';
import { LineIndex } from '../core/text/line-index';
import type { DiscoveredFiles } from '../core/workspace/discover';
import type { SourceFile } from '../core/workspace/reader';
import type { OverlayText } from './overlay-host';

/** Given to the thread when it starts. */
export interface AnalysisWorkerData {
  /** Directory of the bundled run-time assets (grammars, validation.js). */
  readonly assetsDir: string;
}

export interface AnalyzeRequest {
  readonly kind: 'analyze';
  readonly id: number;
  /** The folder's engine path; the thread keeps one Analyzer (and its caches) per root. */
  readonly root: FilePath;
  readonly settings: Partial<AnalyzerSettings>;
  /** Every open editor's text in the folder, saved or not: the analysis reads it instead of the disk. */
  readonly overlay: ReadonlyMap<FilePath, OverlayText>;
  /** `AnalyzeOptions.changed`: only these files' text changed. Absent: start afresh. */
  readonly changed?: readonly FilePath[];
  /** Files deleted or replaced since the previous request: their derived data is dropped first. */
  readonly forget: readonly FilePath[];
}

export type AnalysisWorkerRequest =
  | AnalyzeRequest
  /** Stop the analysis `id` at its next await; it answers `cancelled`. */
  | { readonly kind: 'cancel'; readonly id: number }
  /** A folder left the workspace: drop its Analyzer. */
  | { readonly kind: 'close'; readonly root: FilePath };

export type AnalysisWorkerResponse =
  | {
      readonly kind: 'done';
      readonly id: number;
      /** The thread that analysed (never the extension host's main thread, 0). */
      readonly threadId: number;
      readonly analysis: WireAnalysis;
      /** Version of each open document whose text the analysis read. */
      readonly readVersions: ReadonlyMap<FilePath, number>;
    }
  /** Cancelled, or superseded by a newer request for the same folder. */
  | { readonly kind: 'cancelled'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };

/**
 * What the extension keeps of an analysis: findings, the text they point into, and the few
 * facts about the workspace its features look up. The full model (parsed trees, binary
 * reports, functions) stays in the thread that built it: cloning it back would cost the
 * extension host as much as the parse it avoided.
 */
export interface PublishedAnalysis extends Pick<AnalysisResult, 'findings' | 'notices' | 'sources' | 'rules'> {
  readonly model: PublishedModel;
}

export interface PublishedModel {
  readonly files: DiscoveredFiles;
  /** Discovered binaries the analysis did not read (test paths, or binaries off): not counted as checked. */
  readonly binaries: { readonly unread: number };
  /** Each crate's directory and wasm targets (the measure command builds for the first). */
  readonly cargo: { readonly crates: readonly { readonly dir: FilePath; readonly wasm?: { readonly targets: readonly string[] } }[] };
}

/**
 * A PublishedAnalysis as plain data: the text of the files findings point at (their location,
 * evidence and fixes), whose line index is rebuilt when used. Only those: the engine reads every
 * manifest and host source on each re-analysis, and sending all that text to the extension host
 * on every keystroke would cost it a copy of the workspace's sources each time.
 */
export interface WireAnalysis extends Omit<PublishedAnalysis, 'sources'> {
  readonly texts: ReadonlyMap<FilePath, string>;
}

/** Every file a finding points at: where it is, its evidence, and what its fixes change. */
export function referencedFiles(findings: readonly Finding[]): Set<FilePath> {
  const files = new Set<FilePath>();
  for (const finding of findings) {
    files.add(finding.location.file);
    for (const evidence of finding.evidence) if (evidence.location) files.add(evidence.location.file);
    for (const fix of finding.fixes) for (const change of fix.changes) files.add(change.file);
  }
  return files;
}

/** In the thread: the part of a result the extension uses, as structured-clonable data. */
export function toWire(result: AnalysisResult): WireAnalysis {
  return {
    findings: result.findings,
    notices: result.notices,
    texts: new Map(
      [...referencedFiles(result.findings)].flatMap((path) => {
        const source = result.sources.get(path);
        return source ? [[path, source.text] as const] : [];
      }),
    ),
    model: {
      files: result.model.files,
      binaries: { unread: result.model.binaries.unread },
      cargo: {
        crates: result.model.cargo.crates.map((crate) => ({
          dir: crate.dir,
          ...(crate.wasm ? { wasm: { targets: crate.wasm.targets } } : {}),
        })),
      },
    },
    rules: result.rules,
  };
}

/**
 * In the extension host: sources again. A file's line index is built on first use (only
 * files with findings or fixes need one), so receiving a big workspace costs no scan of its text.
 */
export function fromWire(wire: WireAnalysis): PublishedAnalysis {
  const sources = new Map<FilePath, SourceFile>();
  for (const [path, text] of wire.texts) {
    let lines: LineIndex | undefined;
    sources.set(path, {
      path,
      text,
      get lines() {
        return (lines ??= new LineIndex(text));
      },
    });
  }
  const { texts: _texts, ...rest } = wire;
  return { ...rest, sources };
}
