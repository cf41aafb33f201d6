/**
 * The work done inside the benchmark child process: load modules, set them up, time the
 * export (or the load path) and turn samples into results. Runs only in the child; the
 * calling process never executes user wasm.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename } from 'node:path';
import { BenchError } from './errors';
import { DRIVER_EXPORTS, instrumentModule } from './driver';
import { buildImports, capPagesFor, instantiate, isWasiImport, type LoadedModule } from './instantiate';
import { entryCost, measureSubjects, quickPerCall, type TimedSubject } from './measure';
import type { ChildJob } from './protocol';
import {
  bootstrapRatioCi,
  describeMilliseconds,
  describeSamples,
  median,
  relativeSpread,
  seededRandom,
} from './stats';
import type {
  ArgValue,
  BenchmarkResult,
  BufferSpec,
  ComparisonResult,
  EnvironmentInfo,
  ExportMeasurement,
  HarnessSettings,
  LoadResult,
  ModuleRef,
  NumericType,
  ProgressEvent,
  RatioComparison,
  TargetSpec,
} from './types';
import { isWasm, parseModule, type ParsedModule } from './wasm-binary';

type Report = (event: ProgressEvent) => void;

export function environmentInfo(): EnvironmentInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: typeof availableParallelism === 'function' ? availableParallelism() : cpuList.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    v8Version: process.versions.v8,
    execArgv: [...process.execArgv],
    electron: process.versions.electron !== undefined,
  };
}

export function labelOf(ref: ModuleRef): string {
  return ref.label ?? ('path' in ref ? basename(ref.path) : 'module');
}

interface ModuleBytes {
  readonly label: string;
  readonly path?: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly parsed: ParsedModule;
}

export function readModule(ref: ModuleRef): ModuleBytes {
  const label = labelOf(ref);
  let bytes: Uint8Array;
  if ('path' in ref) {
    try {
      bytes = readFileSync(ref.path);
    } catch (error) {
      throw BenchError.of('bad-request', `Cannot read ${ref.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else {
    bytes = Buffer.from(ref.bytesBase64, 'base64');
  }
  if (!isWasm(bytes)) {
    const head = Buffer.from(bytes.subarray(0, 8)).toString('hex').replace(/(..)/g, '$1 ').trim();
    throw BenchError.of('not-wasm', `${label} is not a WebAssembly binary: it does not start with the \\0asm header (first bytes: ${head || 'none, the file is empty'})`);
  }
  return {
    label,
    ...('path' in ref ? { path: ref.path } : {}),
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    parsed: parseModule(bytes),
  };
}

const I32_MIN = -(2 ** 31);
const U32_MAX = 2 ** 32 - 1;

function convertArg(value: ArgValue, type: NumericType, position: number, exportName: string, buffers: ReadonlyMap<string, number>): number | bigint {
  const where = `argument ${position + 1} of "${exportName}" (${type})`;
  let raw: number | string;
  if (typeof value === 'object') {
    const pointer = buffers.get(value.buffer);
    if (pointer === undefined) throw BenchError.of('bad-arguments', `${where} refers to buffer "${value.buffer}", which the setup does not define`);
    raw = pointer;
  } else {
    raw = value;
  }
  if (type === 'i64') {
    try {
      const big = BigInt(typeof raw === 'number' ? Math.trunc(raw) : raw.trim());
      if (typeof raw === 'number' && !Number.isInteger(raw)) throw new Error('fraction');
      if (big < -(2n ** 63n) || big >= 2n ** 64n) throw new Error('range');
      return BigInt.asIntN(64, big);
    } catch {
      throw BenchError.of('bad-arguments', `${where} must be an integer (got ${JSON.stringify(raw)})`);
    }
  }
  const number = typeof raw === 'number' ? raw : Number(raw.trim());
  if (typeof raw === 'string' && raw.trim() === '') throw BenchError.of('bad-arguments', `${where} is empty`);
  if (Number.isNaN(number) && !(typeof raw === 'string' && raw.trim().toLowerCase() === 'nan')) {
    throw BenchError.of('bad-arguments', `${where} is not a number (got ${JSON.stringify(raw)})`);
  }
  if (type === 'i32') {
    if (!Number.isInteger(number) || number < I32_MIN || number > U32_MAX) {
      throw BenchError.of('bad-arguments', `${where} must be an integer from ${I32_MIN} to ${U32_MAX} (got ${JSON.stringify(raw)})`);
    }
    return number | 0;
  }
  return number;
}

function bufferBytes(spec: BufferSpec, seed: number): Uint8Array {
  if (spec.base64 !== undefined) return Buffer.from(spec.base64, 'base64');
  const bytes = new Uint8Array(spec.length);
  if (spec.fill === 'ramp') for (let i = 0; i < bytes.length; i++) bytes[i] = i & 255;
  else if (spec.fill === 'random') {
    const random = seededRandom(seed);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  }
  return bytes;
}

function trapFailure(error: unknown, exportName: string, label: string, loaded: LoadedModule, capPages: number): BenchError {
  if (error instanceof BenchError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof Error ? error.stack : undefined;
  const wasi = loaded.wasiOutput();
  const extra = { export: exportName, ...(detail !== undefined ? { detail } : {}), ...(wasi ? { wasi } : {}) };
  const pages = loaded.memory ? loaded.memory.buffer.byteLength / 65536 : 0;
  // A grow request past the cap fails anywhere in the last stretch below it, depending on its size.
  const nearCap = capPages - Math.max(16, Math.floor(capPages / 10));
  if (loaded.memory && pages >= nearCap) {
    const mib = (value: number) => ((value * 65536) / 2 ** 20).toFixed(0);
    return BenchError.of(
      'memory-limit',
      `${label}: "${exportName}" grew linear memory to ${mib(pages)} MiB, against the cap of ${mib(capPages)} MiB, and then failed (${message}); raise the memory limit if this much memory is expected`,
      extra,
    );
  }
  if (error instanceof WebAssembly.RuntimeError) return BenchError.of('trap', `${label}: "${exportName}" trapped: ${message}`, extra);
  if (error instanceof RangeError && /memory/i.test(message)) return BenchError.of('memory-limit', `${label}: "${exportName}" ran out of memory: ${message}`, extra);
  return BenchError.of('trap', `${label}: "${exportName}" threw: ${message}`, extra);
}

interface PreparedSubject {
  readonly loaded: LoadedModule;
  readonly subject: TimedSubject;
  readonly returned: readonly string[];
  readonly loop: (n: number) => unknown;
  readonly emptyCall: (n: number) => unknown;
}

function guarded<T>(action: () => T, exportName: string, label: string, loaded: LoadedModule, capPages: number): T {
  try {
    return action();
  } catch (error) {
    throw trapFailure(error, exportName, label, loaded, capPages);
  }
}

function prepareSubject(module: ModuleBytes, target: TargetSpec, settings: HarnessSettings, stubImports: boolean): PreparedSubject {
  const capPages = capPagesFor(settings.memoryLimitMb);
  if (target.export === '_start' && module.parsed.imports.some(isWasiImport)) {
    throw BenchError.of('not-benchmarkable', `${module.label}: "_start" is a WASI command's entry point, which exits the program and runs only once; time an exported function instead, or measure the load path`, { export: '_start' });
  }
  const instrumented = instrumentModule(module.bytes, [target.export], capPages);
  const loaded = instantiate({
    label: module.label,
    ...(module.path !== undefined ? { path: module.path } : {}),
    originalBytes: module.bytes,
    sha256: module.sha256,
    runBytes: instrumented.bytes,
    parsed: module.parsed,
    stubImports,
    capPages,
    ...(instrumented.memoryExport !== undefined ? { memoryExport: instrumented.memoryExport } : {}),
  });
  try {
    const exports = loaded.instance.exports as Record<string, unknown>;
    const setup = target.setup;
    if (setup?.export !== undefined) {
      const init = exports[setup.export];
      if (typeof init !== 'function') throw BenchError.of('no-such-export', `${module.label} has no function export "${setup.export}" to call as setup`, { export: setup.export });
      guarded(() => (init as () => unknown)(), setup.export, module.label, loaded, capPages);
    }
    const buffers = new Map<string, number>();
    for (const spec of setup?.buffers ?? []) {
      const allocatorName = spec.allocator ?? 'alloc';
      const allocator = exports[allocatorName];
      if (typeof allocator !== 'function') throw BenchError.of('no-such-export', `${module.label} has no allocator export "${allocatorName}" for buffer "${spec.name}"`, { export: allocatorName });
      if (!loaded.memory) throw BenchError.of('bad-request', `${module.label} has no memory to write buffer "${spec.name}" into`);
      const data = bufferBytes(spec, settings.seed);
      const pointer = Number(guarded(() => (allocator as (length: number) => unknown)(data.length), allocatorName, module.label, loaded, capPages));
      const memory = new Uint8Array(loaded.memory.buffer);
      if (!Number.isInteger(pointer) || pointer <= 0 || pointer + data.length > memory.length) {
        throw BenchError.of('bad-request', `${module.label}: allocator "${allocatorName}" returned ${pointer} for ${data.length} bytes, which is not a usable address`);
      }
      memory.set(data, pointer >>> 0);
      buffers.set(spec.name, pointer >>> 0);
    }
    const type = instrumented.targets[0]!.type;
    const args = target.args ?? [];
    if (args.length !== type.params.length) {
      throw BenchError.of('bad-arguments', `"${target.export}" takes ${type.params.length} argument${type.params.length === 1 ? '' : 's'} (${type.params.join(', ') || 'none'}), ${args.length} given`, { export: target.export });
    }
    const values = args.map((value, i) => convertArg(value, type.params[i] as NumericType, i, target.export, buffers));
    const exported = exports[target.export] as (...values: unknown[]) => unknown;
    const once = guarded(() => exported(...values), target.export, module.label, loaded, capPages);
    const returned = type.results.length === 0 ? [] : type.results.length === 1 ? [String(once)] : (once as unknown[]).map(String);
    const driver = exports[DRIVER_EXPORTS.target(0)] as (n: number, ...values: unknown[]) => unknown;
    const drive = (n: number) => {
      try {
        return driver(n, ...values);
      } catch (error) {
        throw trapFailure(error, target.export, module.label, loaded, capPages);
      }
    };
    return {
      loaded,
      subject: { label: module.label, drive },
      returned,
      loop: exports[DRIVER_EXPORTS.loop] as (n: number) => unknown,
      emptyCall: exports[DRIVER_EXPORTS.emptyCall] as (n: number) => unknown,
    };
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}

function uniqueLabels(refs: readonly ModuleRef[]): ModuleRef[] {
  const seen = new Map<string, number>();
  return refs.map((ref) => {
    const label = labelOf(ref);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? ref : { ...ref, label: `${label} #${count}` };
  });
}

function noiseWarnings(label: string, measurement: ExportMeasurement, rounds: number): string[] {
  const warnings: string[] = [];
  const { stats } = measurement;
  if (rounds > 1 && measurement.roundSpread > 0.1) {
    warnings.push(`${label}: the medians of the ${rounds} rounds spread by ${(measurement.roundSpread * 100).toFixed(0)}%: the machine was noisy, so read differences below that as ties (close other programs or raise the budget)`);
  }
  const ciWidth = (stats.medianCi.high - stats.medianCi.low) / stats.median;
  if (ciWidth > 0.05) warnings.push(`${label}: the 95% CI of the median is ${(ciWidth * 100).toFixed(0)}% wide`);
  if (stats.median < 4 * measurement.overhead.totalNsPerCall) {
    warnings.push(`${label}: one call (${stats.median.toFixed(2)} ns) is close to the harness overhead (${measurement.overhead.totalNsPerCall.toFixed(2)} ns per call)`);
  }
  return warnings;
}

function verdictOf(ratio: number, low: number, high: number, margin: number): RatioComparison['verdict'] {
  if (high < 1 && ratio < 1 - margin) return 'faster';
  if (low > 1 && ratio > 1 + margin) return 'slower';
  return 'no-difference';
}

export function compareRatio(
  label: string,
  baselineLabel: string,
  baseline: readonly (readonly number[])[],
  candidate: readonly (readonly number[])[],
  seed: number,
  margin: number,
): RatioComparison {
  const ratio = median(candidate.flat()) / median(baseline.flat());
  const bootstrap = bootstrapRatioCi(baseline, candidate, seed);
  // With few rounds or timer-quantised samples the percentile interval can miss the full-data
  // estimate by a hair; widening it to include the estimate only ever makes a verdict more cautious.
  const ci = { ...bootstrap, low: Math.min(bootstrap.low, ratio), high: Math.max(bootstrap.high, ratio) };
  const verdict = verdictOf(ratio, ci.low, ci.high, margin);
  const range = `ratio ${ratio.toFixed(3)}, 95% CI ${ci.low.toFixed(3)}–${ci.high.toFixed(3)}`;
  let summary: string;
  if (verdict === 'faster') summary = `${label} is ${(1 / ratio).toFixed(2)}× as fast as ${baselineLabel} (${range})`;
  else if (verdict === 'slower') summary = `${label} is ${ratio.toFixed(2)}× slower than ${baselineLabel} (${range})`;
  else if (ci.high < 1 || ci.low > 1) summary = `${label} and ${baselineLabel} differ by less than the ${(margin * 100).toFixed(0)}% margin (${range}): no difference that matters`;
  else summary = `No difference between ${label} and ${baselineLabel} that the data can show (${range})`;
  return { label, baselineLabel, ratio, ci, verdict, summary };
}

export function runExportJob(job: Extract<ChildJob, { kind: 'export' }>, report: Report): BenchmarkResult | ComparisonResult {
  const { settings, target } = job;
  if (job.modules.length === 0) throw BenchError.of('bad-request', 'No module to benchmark');
  report({ phase: 'loading', message: `Loading ${job.modules.length} module${job.modules.length === 1 ? '' : 's'}`, fraction: 0 });
  const refs = uniqueLabels(job.modules);
  const prepared: PreparedSubject[] = [];
  try {
    for (const ref of refs) prepared.push(prepareSubject(readModule(ref), target, settings, job.stubImports));
    const samples = measureSubjects(prepared.map((p) => p.subject), settings, { onProgress: report });

    report({ phase: 'analysing', message: 'Measuring harness overhead', fraction: 0.96 });
    const targetNs = settings.minSampleMicros * 1000;
    const measurements: ExportMeasurement[] = prepared.map((p, i) => {
      const { rounds, batchSize } = samples[i]!;
      const all = rounds.flat();
      const stats = describeSamples(all);
      const loopNsPerCall = quickPerCall(p.loop, targetNs);
      const timerNsPerCall = entryCost(p.subject.drive) / batchSize;
      const wasi = p.loaded.wasiOutput();
      return {
        module: p.loaded.summary,
        stats,
        rounds: rounds.map((values, round) => ({ round: round + 1, samples: values.length, medianNs: median(values) })),
        roundSpread: relativeSpread(rounds.map((values) => median(values))),
        batchSize,
        throughputPerSecond: 1e9 / stats.median,
        overhead: {
          loopNsPerCall,
          emptyCallNsPerCall: quickPerCall(p.emptyCall, targetNs),
          timerNsPerCall,
          totalNsPerCall: loopNsPerCall + timerNsPerCall,
        },
        returned: p.returned,
        ...(wasi ? { wasi } : {}),
        samplesNs: all,
      };
    });
    const warnings = measurements.flatMap((m) => noiseWarnings(m.module.label, m, settings.rounds));
    const noisy = measurements.some((m) => m.roundSpread > 0.1);
    const base = { export: target.export, args: target.args ?? [], noisy, environment: environmentInfo(), settings };
    if (prepared.length === 1) {
      return { kind: 'export', ...base, measurement: measurements[0]!, warnings };
    }
    const baseline = measurements[0]!;
    const comparisons = measurements.slice(1).map((m, i) =>
      compareRatio(m.module.label, baseline.module.label, samples[0]!.rounds, samples[i + 1]!.rounds, settings.seed + i, settings.equivalenceMargin),
    );
    const returnedDiffers = measurements.filter((m) => m.returned.join() !== baseline.returned.join());
    for (const m of returnedDiffers) {
      warnings.push(`${m.module.label} returned ${m.returned.join(', ')} where ${baseline.module.label} returned ${baseline.returned.join(', ')}: the builds may not compute the same thing`);
    }
    return { kind: 'compare', ...base, measurements, comparisons, warnings };
  } finally {
    for (const p of prepared) p.loaded.dispose();
  }
}

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

export function runLoadJob(job: Extract<ChildJob, { kind: 'load' }>, report: Report): LoadResult {
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
        throw BenchError.of('trap', `${module.label} failed to instantiate: ${(error as Error).message}`, { export: '(start function)', detail: (error as Error).stack });
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
      warnings.push(`Loading gets slower as more modules stay alive: the last quarter took ${growthRatio.toFixed(1)}× as long as the first`);
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
        imports: environment.plan.wasi ? (environment.plan.stubbed.length > 0 ? 'wasi+stubbed' : 'wasi') : environment.plan.stubbed.length > 0 ? 'stubbed' : 'none',
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
