/**
 * Plain, JSON-serialisable data shared by the benchmark engine, the CLI and the panel's
 * message protocol. No functions, classes, BigInts or typed arrays cross this boundary:
 * i64 values travel as decimal strings and module bytes as base64.
 */

export type NumericType = 'i32' | 'i64' | 'f32' | 'f64';
export type ValueType = NumericType | 'v128' | 'funcref' | 'externref' | 'unknown';

/** A module to load: a file on disk (read by the child process) or inline bytes. */
export type ModuleRef = { readonly path: string; readonly label?: string } | { readonly bytesBase64: string; readonly label: string };

/**
 * One argument of the timed export: a number, an i64 as a decimal string (or any numeric
 * string), or the pointer of a buffer written during setup.
 */
export type ArgValue = number | string | { readonly buffer: string };

/** Bytes written into linear memory through an exported allocator before timing. */
export interface BufferSpec {
  /** Referenced from arguments as `{ "buffer": name }`. */
  readonly name: string;
  /** Export called as `allocator(length) -> pointer`; defaults to `alloc`. */
  readonly allocator?: string;
  readonly length: number;
  /** Content: zeros, a byte ramp (i & 255), seeded pseudo-random bytes, or explicit base64 bytes. */
  readonly fill?: 'zeros' | 'ramp' | 'random';
  readonly base64?: string;
}

export interface SetupSpec {
  /** Export called once after instantiation and before timing (e.g. `init`). */
  readonly export?: string;
  readonly buffers?: readonly BufferSpec[];
}

/** How long and how carefully to measure. Every field has a default (see harness-defaults.ts). */
export interface HarnessOptions {
  /** Measuring time per module, split over the rounds (default 1000 ms). */
  readonly budgetMs?: number;
  /** Time spent running the export before measuring so V8 tiers up (default 100 ms). */
  readonly warmupMs?: number;
  /** Short rounds whose medians are compared to judge noise (default 5). */
  readonly rounds?: number;
  /** Minimum samples per module over all rounds (default 30). */
  readonly minSamples?: number;
  /** Each sample runs the export in a batch that lasts at least this long (default 25 µs). */
  readonly minSampleMicros?: number;
  /** Wall-clock limit for the whole child process run (default: derived from the budget, at least 10 s). */
  readonly timeLimitMs?: number;
  /** Cap for wasm linear memory and for the child's resident memory (default 1024 MiB). */
  readonly memoryLimitMb?: number;
  /** Replace non-WASI imports with stubs returning zero instead of failing. */
  readonly stubImports?: boolean;
  /** Seed for bootstrap resampling and random buffers (default 1). */
  readonly seed?: number;
  /** A/B ratios within ±margin of 1 count as "no difference" (default 0.03 = 3%). */
  readonly equivalenceMargin?: number;
}

export interface TargetSpec {
  readonly export: string;
  readonly args?: readonly ArgValue[];
  readonly setup?: SetupSpec;
}

export interface BenchmarkRequest extends TargetSpec {
  readonly module: ModuleRef;
  readonly options?: HarnessOptions;
}

export interface CompareRequest extends TargetSpec {
  /** The first module is the baseline the others are compared with. */
  readonly modules: readonly ModuleRef[];
  readonly options?: HarnessOptions;
}

export interface LoadRequest {
  readonly module: ModuleRef;
  /** Modules compiled and instantiated one after another, all kept alive (default 20). */
  readonly sequenceCount?: number;
  /** Repetitions of each single load measurement (default 15). */
  readonly repetitions?: number;
  readonly options?: HarnessOptions;
}

export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  readonly level: 0.95;
  /** `round-medians`: from the spread of the round medians (see stats.ts), which covers drift between rounds. */
  readonly method: 'order-statistic' | 'bootstrap' | 'round-medians';
}

/** Statistics over per-call times in nanoseconds (samples are batch time / batch size). */
export interface SampleStats {
  readonly count: number;
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly p5: number;
  readonly p95: number;
  /** Median absolute deviation (unscaled). */
  readonly mad: number;
  readonly stddev: number;
  readonly medianCi: ConfidenceInterval;
}

export interface RoundSummary {
  readonly round: number;
  readonly samples: number;
  readonly medianNs: number;
}

/** What the harness itself adds to each measured call. */
export interface HarnessOverhead {
  /** The appended driver's loop without any call, per iteration. */
  readonly loopNsPerCall: number;
  /** The driver calling an appended empty function, per iteration (loop + one wasm→wasm call). */
  readonly emptyCallNsPerCall: number;
  /** Timer pair plus the JS→wasm entry into the driver, spread over one batch. */
  readonly timerNsPerCall: number;
  /** loopNsPerCall + timerNsPerCall: what a reported time contains beyond the export's own call. */
  readonly totalNsPerCall: number;
}

export interface EnvironmentInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryMb: number;
  readonly platform: string;
  readonly arch: string;
  readonly nodeVersion: string;
  readonly v8Version: string;
  /** Flags the child ran with (e.g. --max-old-space-size). */
  readonly execArgv: readonly string[];
  readonly electron: boolean;
}

export interface HarnessSettings {
  readonly budgetMs: number;
  readonly warmupMs: number;
  readonly rounds: number;
  readonly minSamples: number;
  readonly minSampleMicros: number;
  readonly timeLimitMs: number;
  readonly memoryLimitMb: number;
  readonly seed: number;
  readonly equivalenceMargin: number;
}

export interface ModuleSummary {
  readonly label: string;
  readonly path?: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** 'wasi' when WASI preview 1 imports were provided, 'stubbed' when other imports were stubbed. */
  readonly imports: 'none' | 'wasi' | 'stubbed' | 'wasi+stubbed';
  /** Reactor modules: `_initialize` was called once. */
  readonly initialized: boolean;
}

export interface WasiOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** The measurement of one export in one module. */
export interface ExportMeasurement {
  readonly module: ModuleSummary;
  readonly stats: SampleStats;
  readonly rounds: readonly RoundSummary[];
  /** (max - min) / median of the round medians. */
  readonly roundSpread: number;
  readonly batchSize: number;
  /** Calls per second at the median. */
  readonly throughputPerSecond: number;
  readonly overhead: HarnessOverhead;
  /** What one call returned, as text (i64 as decimal, floats as JS prints them). */
  readonly returned: readonly string[];
  /** Why these numbers are noisy, in words (rounds disagree, a skewed mean, a long tail); absent when they are not. */
  readonly noise?: readonly string[];
  readonly wasi?: WasiOutput;
  /** Per-call times of every sample in measuring order (for histograms and timelines). */
  readonly samplesNs: readonly number[];
}

export interface BenchmarkResult {
  readonly kind: 'export';
  readonly export: string;
  readonly args: readonly ArgValue[];
  readonly measurement: ExportMeasurement;
  readonly noisy: boolean;
  readonly warnings: readonly string[];
  readonly environment: EnvironmentInfo;
  readonly settings: HarnessSettings;
}

export type Verdict = 'faster' | 'slower' | 'no-difference';

export interface RatioComparison {
  readonly label: string;
  readonly baselineLabel: string;
  /** median(candidate) / median(baseline): below 1 means the candidate is faster. */
  readonly ratio: number;
  readonly ci: ConfidenceInterval;
  readonly verdict: Verdict;
  /** One sentence a person can read. */
  readonly summary: string;
  /** How far the round-by-round ratios disagreed, when more than the noise limit. */
  readonly noise?: string;
}

export interface ComparisonResult {
  readonly kind: 'compare';
  readonly export: string;
  readonly args: readonly ArgValue[];
  /** In the order of the request; the first is the baseline. */
  readonly measurements: readonly ExportMeasurement[];
  readonly comparisons: readonly RatioComparison[];
  readonly noisy: boolean;
  readonly warnings: readonly string[];
  readonly environment: EnvironmentInfo;
  readonly settings: HarnessSettings;
}

/** Load-path statistics, in milliseconds. */
export type MillisecondStats = Pick<SampleStats, 'count' | 'median' | 'mean' | 'min' | 'max' | 'p5' | 'p95'>;

export interface LoadResult {
  readonly kind: 'load';
  readonly module: ModuleSummary;
  readonly compileMs: MillisecondStats;
  readonly instantiateMs: MillisecondStats;
  readonly compileAndInstantiateMs: MillisecondStats;
  readonly sequence: {
    /** Time of each compile+instantiate while all earlier instances stay alive. */
    readonly perModuleMs: readonly number[];
    /** Least-squares slope of time over module index (ms per additional module). */
    readonly slopeMsPerModule: number;
    /** Median of the last quarter over the median of the first quarter. */
    readonly growthRatio: number;
  };
  readonly warnings: readonly string[];
  readonly environment: EnvironmentInfo;
}

export type FailureCode =
  | 'bad-request'
  | 'not-wasm'
  | 'invalid-module'
  | 'no-such-export'
  | 'not-benchmarkable'
  | 'bad-arguments'
  | 'unresolved-imports'
  | 'trap'
  | 'timeout'
  | 'memory-limit'
  | 'cancelled'
  | 'child-failed'
  | 'build-failed'
  | 'target-missing'
  | 'bench-file';

/** What installs a missing target's standard library: a command to run in a terminal. */
export interface InstallRemedy {
  readonly kind: 'rustup' | 'debian';
  readonly command: string;
  /** The Debian package, for `kind: 'debian'`. */
  readonly package?: string;
}

/** Why a run failed, as data. `BenchError` carries one of these. */
export interface BenchFailure {
  readonly code: FailureCode;
  readonly message: string;
  /** The export that trapped or was missing. */
  readonly export?: string;
  /** Unresolved imports as `module.name (kind signature)`. */
  readonly imports?: readonly string[];
  /** Longer text: a wasm stack trace, the compiler's output, the child's stderr. */
  readonly detail?: string;
  readonly wasi?: WasiOutput;
  /** `target-missing`: the target triple, and how to install its standard library when that is known. */
  readonly target?: string;
  readonly remedy?: InstallRemedy;
}

export type ProgressPhase = 'loading' | 'warmup' | 'calibrating' | 'measuring' | 'analysing' | 'building';

export interface ProgressEvent {
  readonly phase: ProgressPhase;
  readonly message: string;
  /** 0..1 over the whole run, when known. */
  readonly fraction?: number;
  readonly label?: string;
  readonly round?: number;
  readonly rounds?: number;
  /** The latest per-call time (ns) for live charts. */
  readonly sampleNs?: number;
}

export interface ExportSignature {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  /** Numeric parameters and results only: the harness can time it. */
  readonly benchmarkable: boolean;
  readonly reason?: string;
}

export interface ModuleOverview {
  readonly exports: readonly ExportSignature[];
  readonly imports: readonly string[];
  readonly wasi: boolean;
  /** A non-WASI import exists: running needs the stub option. */
  readonly needsStubs: boolean;
  readonly reactor: boolean;
}

/** One "what if" build of a crate. */
export interface VariantSpec {
  /** Shown in tables; defaults to the canonical text of the settings. */
  readonly name?: string;
  readonly optLevel?: '0' | '1' | '2' | '3' | 's' | 'z';
  readonly lto?: 'off' | 'thin' | 'fat';
  readonly codegenUnits?: number;
  /** Target features to add, e.g. ['simd128']. */
  readonly targetFeatures?: readonly string[];
  /** Extra rustc flags appended to the effective flags. */
  readonly rustflags?: readonly string[];
}

export interface BuildRequest {
  readonly crateDir: string;
  /** Build the crate as configured too (first in the result, name "as configured"). Default true. */
  readonly includeConfigured?: boolean;
  readonly variants: readonly VariantSpec[];
  /** Default: the crate's own wasm target (CARGO_BUILD_TARGET, build.target, rust-toolchain.toml targets), else wasm32-unknown-unknown. */
  readonly target?: string;
  readonly profile?: string;
  /** `-p` for workspaces. */
  readonly package?: string;
  /** Root of the per-variant target dirs; default `<crateDir>/target/wasm-perf`. */
  readonly targetRoot?: string;
}

export interface BuiltVariant {
  readonly name: string;
  readonly spec: VariantSpec | null;
  readonly wasmPath: string;
  /** The target triple it was built for. */
  readonly target: string;
  readonly targetDir: string;
  readonly command: readonly string[];
  /** Environment variables set for this build (only the ones the variant changed). */
  readonly env: Readonly<Record<string, string>>;
  readonly durationMs: number;
}

export type BuildOutputStream = 'stdout' | 'stderr';
