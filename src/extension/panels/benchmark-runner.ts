/**
 * Runs a panel `BenchmarkDefinition` on the benchmark engine (src/bench) and turns the
 * engine's result into the panel's `BenchmarkRun`. vscode-free: the engine is passed in,
 * so tests drive this with a fake engine and the extension with the real one.
 */
import type {
  BenchFailure,
  BenchmarkRequest,
  BenchmarkResult,
  BuildRequest,
  BuiltVariant,
  CompareRequest,
  ComparisonResult,
  EnvironmentInfo,
  ExportMeasurement,
  FailureCode,
  ModuleRef,
  ProgressEvent,
  VariantSpec as EngineVariantSpec,
} from '../../bench/types';
import {
  describeFlags,
  quantileSample,
  type BenchmarkDefinition,
  type BenchmarkRun,
  type BuildFlags,
  type VariantResult,
  type VariantSpec,
} from '../../protocol/benchmark';

export interface EngineRunOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (event: ProgressEvent) => void;
}

/** The parts of the benchmark engine the panel uses. */
export interface BenchEngine {
  runBenchmark(request: BenchmarkRequest, options: EngineRunOptions): Promise<BenchmarkResult>;
  compareModules(request: CompareRequest, options: EngineRunOptions): Promise<ComparisonResult>;
  buildVariants(request: BuildRequest, options: EngineRunOptions): Promise<readonly BuiltVariant[]>;
  /** What went wrong, from anything the engine threw (it alone recognises its own error class). */
  toFailure(error: unknown): Promise<BenchFailure>;
}

/** Samples kept per variant in a stored run: enough for the chart, small enough for workspaceState. */
export const STORED_SAMPLES = 2000;

export class RunFailure extends Error {
  constructor(
    message: string,
    readonly code: FailureCode,
  ) {
    super(message);
    this.name = 'RunFailure';
  }
}

export async function runDefinition(
  runId: string,
  definition: BenchmarkDefinition,
  engine: BenchEngine,
  options: EngineRunOptions,
  now = () => new Date(),
): Promise<BenchmarkRun> {
  try {
    const modules = await resolveModules(definition.variants, engine, options);
    const target = {
      export: definition.exportName,
      args: definition.args,
      ...(definition.setupExport ? { setup: { export: definition.setupExport } } : {}),
    };
    if (modules.length === 1) {
      const result = await engine.runBenchmark({ ...target, module: modules[0] as ModuleRef }, options);
      return toRun(runId, definition, [result.measurement], [], result.warnings, result.environment, now());
    }
    const result = await engine.compareModules({ ...target, modules }, options);
    return toRun(runId, definition, result.measurements, result.comparisons, result.warnings, result.environment, now());
  } catch (error) {
    if (error instanceof RunFailure) throw error;
    const failure = await engine.toFailure(error);
    const detail = failure.detail && failure.code !== 'cancelled' ? `\n${failure.detail}` : '';
    throw new RunFailure(`${failure.message}${detail}`, failure.code);
  }
}

/** Module variants as they are; crate variants built first, one engine call per crate. */
async function resolveModules(variants: readonly VariantSpec[], engine: BenchEngine, options: EngineRunOptions): Promise<ModuleRef[]> {
  if (variants.length === 0) throw new RunFailure('Add a module or crate to benchmark', 'bad-request');
  const built = new Map<VariantSpec, string>();
  const byCrate = new Map<string, Extract<VariantSpec, { kind: 'build' }>[]>();
  for (const variant of variants) {
    if (variant.kind !== 'build') continue;
    byCrate.set(variant.manifestPath, [...(byCrate.get(variant.manifestPath) ?? []), variant]);
  }
  for (const [manifestPath, crateVariants] of byCrate) {
    const crateDir = manifestPath.replace(/\/?Cargo\.toml$/, '') || '/';
    const results = await engine.buildVariants(
      { crateDir, includeConfigured: false, variants: crateVariants.map((variant) => engineVariant(variant.label, variant.flags)) },
      options,
    );
    crateVariants.forEach((variant, index) => {
      const result = results[index];
      if (!result) throw new RunFailure(`The build of "${variant.label}" produced no module`, 'build-failed');
      built.set(variant, result.wasmPath);
    });
  }
  return variants.map((variant) => ({
    path: variant.kind === 'module' ? variant.modulePath : (built.get(variant) as string),
    label: variant.label,
  }));
}

/** The panel's switches as the engine's "what if" build; no switch builds the crate as configured. */
export function engineVariant(name: string, flags: BuildFlags): EngineVariantSpec {
  return {
    name,
    ...(flags.optLevel3 ? { optLevel: '3' as const } : {}),
    ...(flags.lto ? { lto: 'fat' as const } : {}),
    ...(flags.simd128 ? { targetFeatures: ['simd128'] } : {}),
  };
}

function toRun(
  id: string,
  definition: BenchmarkDefinition,
  measurements: readonly ExportMeasurement[],
  comparisons: ComparisonResult['comparisons'],
  warnings: readonly string[],
  environment: EnvironmentInfo,
  finishedAt: Date,
): BenchmarkRun {
  const labels = measurements.map((measurement) => measurement.module.label);
  // The engine prefixes warnings about one module with its label; the rest concern the run.
  const ownerOf = (warning: string) => labels.find((label) => warning.startsWith(`${label}: `));
  const results: VariantResult[] = measurements.map((measurement) => {
    const label = measurement.module.label;
    // Noise reasons travel on their own; the warnings keep the rest.
    const noise = (measurement.noise ?? []).map((reason) => `noisy: ${reason}`);
    const own = warnings
      .filter((warning) => ownerOf(warning) === label)
      .map((warning) => warning.slice(label.length + 2))
      .filter((warning) => !noise.includes(warning));
    const stats = measurement.stats;
    return {
      label,
      samplesNs: quantileSample(measurement.samplesNs, STORED_SAMPLES),
      stats: {
        medianNs: stats.median,
        meanNs: stats.mean,
        p5Ns: stats.p5,
        p95Ns: stats.p95,
        madNs: stats.mad,
        ciLowNs: stats.medianCi.low,
        ciHighNs: stats.medianCi.high,
        callsPerSecond: measurement.throughputPerSecond,
        sampleCount: stats.count,
        harnessOverheadNs: measurement.overhead.totalNsPerCall,
        ...(own.length > 0 ? { warning: own.join('; ') } : {}),
        ...(measurement.noise && measurement.noise.length > 0 ? { noise: measurement.noise.join('; ') } : {}),
      },
    };
  });
  return {
    id,
    finishedAt: finishedAt.toISOString(),
    definition,
    results,
    ratios: comparisons.map((comparison) => ({
      label: comparison.label,
      ratio: comparison.ratio,
      ciLow: comparison.ci.low,
      ciHigh: comparison.ci.high,
      significant: comparison.verdict !== 'no-difference',
      ...(comparison.noise ? { noise: comparison.noise } : {}),
    })),
    environment: describeEnvironment(environment),
    warnings: warnings.filter((warning) => ownerOf(warning) === undefined),
  };
}

export function describeEnvironment(environment: EnvironmentInfo): string {
  const runtime = `${environment.electron ? 'Electron ' : ''}Node ${environment.nodeVersion}, V8 ${environment.v8Version}`;
  return `${environment.cpuModel} (${environment.cores} cores), ${environment.platform} ${environment.arch}, ${runtime}`;
}

/** Default variants for a crate's "what if" comparison, labelled by their switches. */
export function buildVariantSpec(manifestPath: string, flags: BuildFlags): VariantSpec {
  return { kind: 'build', label: describeFlags(flags), manifestPath, flags };
}
