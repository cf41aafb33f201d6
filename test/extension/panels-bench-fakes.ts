/** A benchmark engine double for the panel tests: records requests and answers with made-up measurements. */
import { BenchError, toFailure } from '../../src/bench/errors';
import type {
  BenchmarkResult,
  BuildRequest,
  ComparisonResult,
  EnvironmentInfo,
  ExportMeasurement,
  HarnessSettings,
  ModuleRef,
} from '../../src/bench/types';
import type { BenchEngine, EngineRunOptions } from '../../src/extension/panels/benchmark-runner';

export const ENVIRONMENT: EnvironmentInfo = {
  cpuModel: 'Test CPU',
  cores: 2,
  totalMemoryMb: 4096,
  platform: 'linux',
  arch: 'x64',
  nodeVersion: '20.20.2',
  v8Version: '11.3',
  execArgv: [],
  electron: false,
};

const SETTINGS: HarnessSettings = {
  budgetMs: 100,
  warmupMs: 10,
  rounds: 5,
  minSamples: 30,
  minSampleMicros: 25,
  timeLimitMs: 10_000,
  memoryLimitMb: 512,
  seed: 1,
  equivalenceMargin: 0.03,
};

export function measurement(label: string, medianNs: number, sampleCount = 50): ExportMeasurement {
  const samplesNs = Array.from({ length: sampleCount }, (_, i) => medianNs + (i % 5) - 2);
  return {
    module: { label, sizeBytes: 100, sha256: 'x', imports: 'none', initialized: false },
    stats: {
      count: sampleCount,
      median: medianNs,
      mean: medianNs + 0.5,
      min: medianNs - 2,
      max: medianNs + 2,
      p5: medianNs - 2,
      p95: medianNs + 2,
      mad: 1,
      stddev: 1.2,
      medianCi: { low: medianNs - 1, high: medianNs + 1, level: 0.95, method: 'order-statistic' },
    },
    rounds: [],
    roundSpread: 0.02,
    batchSize: 1000,
    throughputPerSecond: 1e9 / medianNs,
    overhead: { loopNsPerCall: 0.3, emptyCallNsPerCall: 1, timerNsPerCall: 0.2, totalNsPerCall: 0.5 },
    returned: ['42'],
    samplesNs,
  };
}

export interface FakeEngine extends BenchEngine {
  readonly calls: { kind: 'run' | 'compare' | 'build'; request: unknown }[];
  /** When set, runs wait for the abort signal and fail as cancelled. */
  hang: boolean;
  /** When set, runs fail with this. */
  failure: BenchError | undefined;
}

export function fakeEngine(): FakeEngine {
  const engine: FakeEngine = {
    calls: [],
    hang: false,
    failure: undefined,
    async runBenchmark(request, options): Promise<BenchmarkResult> {
      engine.calls.push({ kind: 'run', request });
      await behave(engine, options);
      const label = labelOf(request.module);
      return {
        kind: 'export',
        export: request.export,
        args: request.args ?? [],
        measurement: measurement(label, 100),
        noisy: false,
        warnings: [],
        environment: ENVIRONMENT,
        settings: SETTINGS,
      };
    },
    async compareModules(request, options): Promise<ComparisonResult> {
      engine.calls.push({ kind: 'compare', request });
      await behave(engine, options);
      const labels = request.modules.map(labelOf);
      const measurements = labels.map((label, i) => measurement(label, 100 - 20 * i));
      return {
        kind: 'compare',
        export: request.export,
        args: request.args ?? [],
        measurements,
        comparisons: labels.slice(1).map((label, i) => ({
          label,
          baselineLabel: labels[0] as string,
          ratio: (80 - 20 * i) / 100,
          ci: { low: (78 - 20 * i) / 100, high: (82 - 20 * i) / 100, level: 0.95, method: 'bootstrap' },
          verdict: 'faster',
          summary: `${label} is faster`,
        })),
        noisy: true,
        warnings: [
          `${labels[1]}: the 95% CI of the median is 7% wide`,
          'b returned 1 where a returned 2: the builds may not compute the same thing',
        ],
        environment: ENVIRONMENT,
        settings: SETTINGS,
      };
    },
    async buildVariants(request: BuildRequest, options) {
      engine.calls.push({ kind: 'build', request });
      options.onProgress({ phase: 'building', message: 'Building' });
      return request.variants.map((spec, i) => ({
        name: spec.name ?? `variant ${i}`,
        spec,
        wasmPath: `${request.crateDir}/target/wasm-perf/v${i}/crate.wasm`,
        target: request.target ?? 'wasm32-unknown-unknown',
        targetDir: `${request.crateDir}/target/wasm-perf/v${i}`,
        command: ['cargo', 'build'],
        env: {},
        durationMs: 5,
      }));
    },
    toFailure: async (error) => toFailure(error),
  };
  return engine;
}

function labelOf(ref: ModuleRef): string {
  return ref.label ?? ('path' in ref ? ref.path : 'bytes');
}

async function behave(engine: FakeEngine, options: EngineRunOptions): Promise<void> {
  options.onProgress({ phase: 'measuring', message: 'Measuring round 1 of 5', fraction: 0.2 });
  if (engine.failure) throw engine.failure;
  if (!engine.hang) return;
  await new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve(), { once: true }));
  throw BenchError.of('cancelled', 'The benchmark was cancelled');
}
