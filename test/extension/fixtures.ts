/** Hand-built analysis snapshots for the adapter tests (no rule registry needed). */
import { RULES } from '../../src/core/rules';
import * as vscode from 'vscode';
import type { PublishedAnalysis } from '../../src/extension/analysis-protocol';
import type { Finding, FilePath } from '../../src/core/model';
import type { DiscoveredFiles } from '../../src/core/workspace/discover';
import { decodeUtf8, type SourceFile } from '../../src/core/workspace/reader';
import { buildSnapshot, type Snapshot } from '../../src/extension/diagnostic-store';
import type { LoadEngine } from '../../src/extension/engine-loader';
import { pathMapperFor } from '../../src/extension/paths';

export const ROOT = '/ws';

export function source(path: FilePath, text: string): SourceFile {
  const decoded = decodeUtf8(path, new TextEncoder().encode(text));
  if (!decoded.ok) throw new Error('test text must be UTF-8');
  return decoded.file;
}

export function files(partial: Partial<DiscoveredFiles> = {}): DiscoveredFiles {
  return {
    roots: [ROOT],
    manifests: [],
    cargoConfigs: [],
    lockfiles: [],
    toolchains: [],
    spinManifests: [],
    goModules: [],
    pythonManifests: [],
    hostSources: [],
    binaries: [],
    scripts: [],
    readmes: [],
    ...partial,
  };
}

export function result(findings: Finding[], sources: SourceFile[], discovered: Partial<DiscoveredFiles> = {}): PublishedAnalysis {
  return {
    findings,
    notices: [],
    sources: new Map(sources.map((s) => [s.path, s])),
    model: { files: files(discovered), binaries: { unread: 0 }, cargo: { crates: [] } },
    rules: RULES.map((rule) => rule.meta),
  };
}

export function snapshot(
  findings: Finding[],
  sources: SourceFile[],
  readVersions: [FilePath, number][] = [],
  discovered: Partial<DiscoveredFiles> = {},
): Snapshot {
  return buildSnapshot(
    vscode.Uri.file(ROOT).toString(),
    ROOT,
    pathMapperFor(vscode.Uri.file(ROOT)),
    result(findings, sources, discovered),
    new Map(readVersions),
  );
}

/** Offset of `needle` in `text` (fails loudly when absent, so spans in tests stay honest). */
export function offsetOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not in text`);
  return at;
}

/** An opt-level-size finding on the `"s"` of `text` (a manifest at `file`). */
export function optLevelSizeFinding(file: FilePath, text: string, fixes: Finding['fixes'] = []): Finding {
  const value = offsetOf(text, '"s"');
  return {
    ruleId: 'opt-level-size',
    severity: 'warning',
    message: 'the release profile optimises for size',
    location: { file, span: { start: value, end: value + 3 } },
    evidence: [],
    fixes,
  };
}

/** The engine from the sources (the extension loads the same module from dist/engine.js). */
export const loadEngine: LoadEngine = () => import('../../src/extension/engine-bundle');
