import type { Assets, Host } from '../host';
import type { Notice } from '../model';
import type { AnalyzerSettings } from '../settings';
import type { DerivedCache } from './cache';
import type { DiscoveredFiles } from './discover';
import type { FileReader } from './reader';

/** What each area loader (cargo, host code, binaries) gets to build its part of the model. */
export interface LoadContext {
  readonly host: Host;
  readonly files: DiscoveredFiles;
  readonly reader: FileReader;
  readonly settings: AnalyzerSettings;
  readonly assets: Assets;
  /** Persists across analyses; key derived values by file content. */
  readonly cache: DerivedCache;
  readonly signal?: AbortSignal;
  notice(notice: Notice): void;
  /** Says what the loader is doing, for progress display in long runs (many binaries). */
  progress?(phase: string): void;
}
