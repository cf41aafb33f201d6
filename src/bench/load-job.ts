/** The load-path job of the benchmark child: compile, instantiate, both, and a sequence of live modules. */
import { environmentInfo } from './environment';
import { BenchError } from './errors';
import { buildImports, capPagesFor } from './instantiate';
import type { ChildJob } from './protocol';
import { describeMilliseconds, median } from './stats';
import { readModule } from './subject';
import type { LoadResult, ProgressEvent } from './types';

function leastSquaresSlope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let numerator = 0;
  let denominator = 0;
  values.forEach((y, x) => {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  });
  return numerator / denominator;
}

function elapsedMs(action: () => unknown): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function runLoadJob(job: Extract<ChildJob, { kind: 'load' }>, report: (event: ProgressEvent) => void): LoadResult {
  const module = readModule(job.module);
  const capPages = capPagesFor(job.settings.memoryLimitMb);
  const environment = buildImports(module.parsed, module.label, job.stubImports, capPages);
  try {
    const bytes = module.bytes as Uint8Array<ArrayBuffer>;
    const compile = () => {
      try {
        return new WebAssembly.Module(bytes);
      } catch (error) {
        throw BenchError.of('invalid-module', `${module.label} does not compile: ${(error as Error).message}`);
      }
    };
    const instantiateOnce = (compiled: WebAssembly.Module) => {
      try {
        return new WebAssembly.Instance(compiled, environment.imports);
      } catch (error) {
        throw BenchError.of('trap', `${module.label} failed to instantiate: ${(error as Error).message}`, {
          export: '(start function)',
          detail: (error as Error).stack,
        });
      }
    };
    const total = job.repetitions * 3 + job.sequenceCount;
    const step = (done: number, message: string) => report({ phase: 'measuring', message, fraction: done / total });
    const compileMs: number[] = [];
    for (let i = 0; i < job.repetitions; i++) {
      compileMs.push(elapsedMs(compile));
      step(i + 1, `Compile ${i + 1} of ${job.repetitions}`);
    }
    const compiled = compile();
    const instantiateMs: number[] = [];
    for (let i = 0; i < job.repetitions; i++) {
      instantiateMs.push(elapsedMs(() => instantiateOnce(compiled)));
      step(job.repetitions + i + 1, `Instantiate ${i + 1} of ${job.repetitions}`);
    }
    const bothMs: number[] = [];
    for (let i = 0; i < job.repetitions; i++) {
      bothMs.push(elapsedMs(() => instantiateOnce(compile())));
      step(2 * job.repetitions + i + 1, `Compile + instantiate ${i + 1} of ${job.repetitions}`);
    }
    const alive: WebAssembly.Instance[] = [];
    const perModuleMs: number[] = [];
    for (let i = 0; i < job.sequenceCount; i++) {
      perModuleMs.push(elapsedMs(() => alive.push(instantiateOnce(compile()))));
      step(3 * job.repetitions + i + 1, `Module ${i + 1} of ${job.sequenceCount} in sequence`);
    }
    const quarter = Math.max(1, Math.floor(perModuleMs.length / 4));
    const growthRatio = median(perModuleMs.slice(-quarter)) / median(perModuleMs.slice(0, quarter));
    const warnings: string[] = [];
    if (perModuleMs.length >= 8 && growthRatio > 1.5) {
      warnings.push(
        `Loading gets slower as more modules stay alive: the last quarter took ${growthRatio.toFixed(1)}× as long as the first`,
      );
    }
    if (!process.execArgv.includes('--no-wasm-lazy-compilation')) {
      warnings.push('V8 compiles wasm functions lazily here (the Node default), so compile times exclude most code generation');
    }
    return {
      kind: 'load',
      module: {
        label: module.label,
        ...(module.path !== undefined ? { path: module.path } : {}),
        sizeBytes: module.bytes.length,
        sha256: module.sha256,
        imports: environment.plan.wasi
          ? environment.plan.stubbed.length > 0
            ? 'wasi+stubbed'
            : 'wasi'
          : environment.plan.stubbed.length > 0
            ? 'stubbed'
            : 'none',
        initialized: false,
      },
      compileMs: describeMilliseconds(compileMs),
      instantiateMs: describeMilliseconds(instantiateMs),
      compileAndInstantiateMs: describeMilliseconds(bothMs),
      sequence: { perModuleMs, slopeMsPerModule: leastSquaresSlope(perModuleMs), growthRatio },
      warnings,
      environment: environmentInfo(),
    };
  } finally {
    environment.capture?.dispose();
  }
}
