/**
 * The one DiagnosticCollection and what each published diagnostic was computed from.
 * Each workspace folder publishes a snapshot of its latest analysis; the store diffs it
 * against what is shown and touches only the files whose diagnostics changed. A file
 * inside two (nested) folders shows the union of both folders' findings.
 */
import * as vscode from 'vscode';
import type { Finding, FilePath, Severity } from '../core/model';
import type { PublishedAnalysis } from './analysis-protocol';
import { diagnosticFingerprint, toDiagnostic } from './diagnostics';
import type { PathMapper } from './paths';

export interface DiagnosticEntry {
  readonly finding: Finding;
  readonly diagnostic: vscode.Diagnostic;
}

export interface FileFindings {
  readonly uri: vscode.Uri;
  readonly path: FilePath;
  readonly entries: readonly DiagnosticEntry[];
}

/** One folder's latest analysis and the editor versions it read. */
export interface Snapshot {
  readonly folderKey: string;
  /** The folder's engine path. */
  readonly root: FilePath;
  readonly mapper: PathMapper;
  readonly result: PublishedAnalysis;
  /** Version of each open document whose (unsaved) text the analysis read. */
  readonly readVersions: Map<FilePath, number>;
  readonly files: ReadonlyMap<string, FileFindings>;
}

export function buildSnapshot(
  folderKey: string,
  root: FilePath,
  mapper: PathMapper,
  result: PublishedAnalysis,
  readVersions: Map<FilePath, number>,
): Snapshot {
  const files = new Map<string, { uri: vscode.Uri; path: FilePath; entries: DiagnosticEntry[] }>();
  for (const finding of result.findings) {
    const uri = mapper.toUri(finding.location.file);
    const key = uri.toString();
    const file = files.get(key) ?? { uri, path: finding.location.file, entries: [] };
    file.entries.push({ finding, diagnostic: toDiagnostic(finding, result.sources, mapper) });
    files.set(key, file);
  }
  return { folderKey, root, mapper, result, readVersions, files };
}

export type SeverityCounts = Record<Severity, number>;

export class DiagnosticStore implements vscode.Disposable {
  private readonly snapshots = new Map<string, Snapshot>();
  /** Fingerprint of what the collection shows, per URI. */
  private readonly shown = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly collection: vscode.DiagnosticCollection) {}

  /** Replaces a folder's snapshot; returns the URIs whose diagnostics changed. */
  publish(snapshot: Snapshot): string[] {
    const previous = this.snapshots.get(snapshot.folderKey);
    this.snapshots.set(snapshot.folderKey, snapshot);
    const touched = new Map<string, vscode.Uri>();
    for (const file of [...(previous?.files.values() ?? []), ...snapshot.files.values()]) touched.set(file.uri.toString(), file.uri);
    const updated = this.refresh(touched);
    this.changed.fire();
    return updated;
  }

  removeFolder(folderKey: string): void {
    const previous = this.snapshots.get(folderKey);
    if (!previous) return;
    this.snapshots.delete(folderKey);
    this.refresh(new Map([...previous.files.values()].map((file) => [file.uri.toString(), file.uri])));
    this.changed.fire();
  }

  snapshot(folderKey: string): Snapshot | undefined {
    return this.snapshots.get(folderKey);
  }

  allSnapshots(): Snapshot[] {
    return [...this.snapshots.values()];
  }

  /** The findings shown for `uri`, with the snapshot each came from. */
  findingsFor(uri: vscode.Uri): { snapshot: Snapshot; file: FileFindings }[] {
    const key = uri.toString();
    return this.allSnapshots().flatMap((snapshot) => {
      const file = snapshot.files.get(key);
      return file ? [{ snapshot, file }] : [];
    });
  }

  counts(): SeverityCounts {
    const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
    for (const snapshot of this.snapshots.values())
      for (const file of snapshot.files.values()) for (const entry of file.entries) counts[entry.finding.severity]++;
    return counts;
  }

  private refresh(uris: ReadonlyMap<string, vscode.Uri>): string[] {
    const updated: string[] = [];
    for (const [key, uri] of uris) {
      const diagnostics = this.allSnapshots().flatMap(
        (snapshot) => snapshot.files.get(key)?.entries.map((entry) => entry.diagnostic) ?? [],
      );
      const fingerprint = diagnostics.map(diagnosticFingerprint).join('\n');
      if ((this.shown.get(key) ?? '') === fingerprint) continue;
      updated.push(key);
      if (diagnostics.length === 0) {
        this.shown.delete(key);
        this.collection.delete(uri);
      } else {
        this.shown.set(key, fingerprint);
        this.collection.set(uri, diagnostics);
      }
    }
    return updated;
  }

  dispose(): void {
    this.changed.dispose();
    this.collection.clear();
    this.collection.dispose();
  }
}

/**
 * Is the snapshot's text of `path` still what the editor holds? Files that are not open
 * are current (a change on disk triggers a new analysis). An open document must have the
 * version the analysis read; a document opened after the analysis (read from disk) is
 * current while its text is identical, and from then on its version is tracked.
 */
export function isCurrent(
  snapshot: Snapshot,
  path: FilePath,
  document: Pick<vscode.TextDocument, 'version' | 'getText'> | undefined,
): boolean {
  if (!document) return true;
  const read = snapshot.readVersions.get(path);
  if (read !== undefined) return read === document.version;
  const source = snapshot.result.sources.get(path);
  if (!source || source.text !== document.getText()) return false;
  snapshot.readVersions.set(path, document.version);
  return true;
}
