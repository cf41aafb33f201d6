/**
 * The benchmark panel's message protocol, imported by the extension (src/extension/panels)
 * and by the webview bundle (src/webview/benchmark.main.ts). Plain data only.
 */
import type { ReadyMessage } from './channel';

/** A WebAssembly value type as the panel shows and parses it. */
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'unknown';

/** Something that can be benchmarked: a built module, or a crate the extension builds first. */
export interface ModuleChoice {
  readonly kind: 'wasm' | 'crate';
  /** Absolute path of the .wasm file, or of the crate's Cargo.toml. */
  readonly path: string;
  /** Workspace-relative label. */
  readonly label: string;
}

export interface ExportChoice {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  /** Why it cannot be timed from JS (e.g. a v128 parameter); absent when it can. */
  readonly unsupported?: string;
}

/** Build switches applied on top of the crate's own release profile. */
export interface BuildFlags {
  readonly optLevel3: boolean;
  readonly simd128: boolean;
  readonly lto: boolean;
}

/** One side of an A/B comparison. The first variant is the baseline. */
export type VariantSpec =
  | { readonly kind: 'module'; readonly label: string; readonly modulePath: string }
  | { readonly kind: 'build'; readonly label: string; readonly manifestPath: string; readonly flags: BuildFlags };

/** What to run: saved per workspace, and to `wasm-perf.bench.json`. */
export interface BenchmarkDefinition {
  readonly name: string;
  readonly variants: readonly VariantSpec[];
  readonly exportName: string;
  /** Arguments as typed, parsed per the export's parameter types (i64 as decimal text). */
  readonly args: readonly string[];
  /** An export called once per instance before timing (e.g. to fill memory). */
  readonly setupExport?: string;
  /**
   * The rule whose fix this compares ("Measure the difference"): the result is kept in
   * wasm-perf.bench.json and shown on the finding's line.
   */
  readonly finding?: string;
}

export interface SampleStats {
  readonly medianNs: number;
  readonly meanNs: number;
  readonly p5Ns: number;
  readonly p95Ns: number;
  /** Median absolute deviation. */
  readonly madNs: number;
  /** 95% interval of the median, covering the drift between rounds (where a re-run's median lands). */
  readonly ciLowNs: number;
  readonly ciHighNs: number;
  readonly callsPerSecond: number;
  readonly sampleCount: number;
  /** What the harness adds to each measured call (its loop and timer), included in the times. */
  readonly harnessOverheadNs: number;
  /** Why this variant's numbers need care (a wide interval, overhead close to the call), when they do. */
  readonly warning?: string;
  /** Why the run of this variant was noisy, in words (rounds disagree, a skewed mean, a long tail); absent when it was not. */
  readonly noise?: string;
}

export interface VariantResult {
  readonly label: string;
  /** Per-call times (ns) for the distribution chart: every sample, or evenly spaced quantiles of many. */
  readonly samplesNs: readonly number[];
  readonly stats: SampleStats;
}

/** `variant` time divided by the baseline's: below 1 is faster. */
export interface RatioResult {
  readonly label: string;
  readonly ratio: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** The interval excludes 1 and the change is above the noise margin: the difference is real at this confidence. */
  readonly significant: boolean;
  /** How far the round-by-round ratios disagreed, when they did. */
  readonly noise?: string;
}

export interface BenchmarkRun {
  readonly id: string;
  /** ISO time. */
  readonly finishedAt: string;
  readonly definition: BenchmarkDefinition;
  readonly results: readonly VariantResult[];
  /** One entry per non-baseline variant, relative to `results[0]`. */
  readonly ratios: readonly RatioResult[];
  /** The machine and runtime that measured. */
  readonly environment: string;
  /** Warnings about the run as a whole (e.g. variants returned different values). */
  readonly warnings: readonly string[];
}

export type TrustState = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

// ---- extension → webview ----

export interface InitMessage {
  readonly type: 'init';
  readonly trust: TrustState;
  readonly modules: readonly ModuleChoice[];
  readonly history: readonly BenchmarkRun[];
  readonly savedDefinitions: readonly BenchmarkDefinition[];
  /** A definition to put in the form (from a CodeLens, a report button or a quick fix). */
  readonly preset?: BenchmarkDefinition;
  /** Run the preset at once: its export was unambiguous. */
  readonly autoRun?: boolean;
}

export interface ExportsMessage {
  readonly type: 'exports';
  readonly path: string;
  readonly exports: readonly ExportChoice[];
  readonly error?: string;
}

export interface ProgressMessage {
  readonly type: 'progress';
  readonly runId: string;
  readonly message: string;
  /** 0..1, absent when unknown. */
  readonly fraction?: number;
}

export interface ResultMessage {
  readonly type: 'result';
  readonly run: BenchmarkRun;
}

export interface RunEndedMessage {
  readonly type: 'runEnded';
  readonly runId: string;
  readonly outcome: 'failed' | 'cancelled';
  readonly message: string;
}

export interface HistoryMessage {
  readonly type: 'history';
  readonly history: readonly BenchmarkRun[];
  readonly savedDefinitions: readonly BenchmarkDefinition[];
}

export interface NoticeMessage {
  readonly type: 'notice';
  readonly message: string;
}

export type ToBenchmarkWebview =
  InitMessage | ExportsMessage | ProgressMessage | ResultMessage | RunEndedMessage | HistoryMessage | NoticeMessage;

// ---- webview → extension ----

export type FromBenchmarkWebview =
  | ReadyMessage
  | { readonly type: 'listExports'; readonly path: string }
  | { readonly type: 'run'; readonly runId: string; readonly definition: BenchmarkDefinition }
  | { readonly type: 'cancel'; readonly runId: string }
  | { readonly type: 'exportJson'; readonly runId: string }
  | { readonly type: 'copyMarkdown'; readonly runId: string }
  | { readonly type: 'saveDefinition'; readonly definition: BenchmarkDefinition }
  | { readonly type: 'clearHistory' };

/** At most `limit` evenly spaced quantiles of `values`: keeps a distribution's shape at any sample count. */
export function quantileSample(values: readonly number[], limit: number): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length <= limit) return sorted;
  const out: number[] = [];
  for (let i = 0; i < limit; i++) out.push(sorted[Math.round((i * (sorted.length - 1)) / (limit - 1))] as number);
  return out;
}

export const NO_FLAGS: BuildFlags = { optLevel3: false, simd128: false, lto: false };

/** "opt-level=3 +simd128 LTO", or "release profile" with no switches. */
export function describeFlags(flags: BuildFlags): string {
  const parts: string[] = [];
  if (flags.optLevel3) parts.push('opt-level=3');
  if (flags.simd128) parts.push('+simd128');
  if (flags.lto) parts.push('LTO');
  return parts.length > 0 ? parts.join(' ') : 'release profile';
}
