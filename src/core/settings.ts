import type { SeveritySetting } from './model';

/** User-facing settings; the extension maps `wasm-perf.*` configuration onto this. */
export interface AnalyzerSettings {
  /** Per-rule severity overrides by rule id. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** Glob patterns (relative to a root, `**` and `*` supported) of paths to skip. */
  readonly exclude: readonly string[];
  /** Read and inspect `.wasm` files. */
  readonly analyzeBinaries: boolean;
  /** Larger binaries are skipped with a notice instead of being read. */
  readonly maxBinaryBytes: number;
  /** Larger text files (manifests, sources) are skipped with a notice. */
  readonly maxTextBytes: number;
  /**
   * Judge test, benchmark, fuzz and fixture code too (`workspace/test-code.ts`). Off by
   * default: host-code and binary rules skip it.
   */
  readonly includeTests: boolean;
}

export const DEFAULT_SETTINGS: AnalyzerSettings = {
  rules: {},
  exclude: [],
  analyzeBinaries: true,
  maxBinaryBytes: 256 * 1024 * 1024,
  maxTextBytes: 4 * 1024 * 1024,
  includeTests: false,
};

export function withDefaults(settings: Partial<AnalyzerSettings> | undefined): AnalyzerSettings {
  return { ...DEFAULT_SETTINGS, ...settings };
}
