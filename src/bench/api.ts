/**
 * The benchmark engine's entry points for the CLI and the extension's panel. Every run happens
 * in a child process (see runner.ts); these functions only validate the request and shape it
 * into a job.
 */
import { BenchError } from './errors';
import { runChildJob, type RunOptions } from './runner';
import { resolveSettings } from './settings';
import type {
  BenchmarkRequest,
  BenchmarkResult,
  CompareRequest,
  ComparisonResult,
  LoadRequest,
  LoadResult,
  ModuleRef,
  TargetSpec,
} from './types';

export type { RunOptions } from './runner';

function checkModule(ref: ModuleRef | undefined, where: string): ModuleRef {
  if (!ref || typeof ref !== 'object' || (!('path' in ref) && !('bytesBase64' in ref))) {
    throw BenchError.of('bad-request', `${where} needs a module: { path } or { bytesBase64, label }`);
  }
  return ref;
}

function checkTarget(request: TargetSpec): TargetSpec {
  if (typeof request.export !== 'string' || request.export === '') throw BenchError.of('bad-request', 'Name the export to time');
  return { export: request.export, args: request.args ?? [], ...(request.setup ? { setup: request.setup } : {}) };
}

/** Times one export of one module. */
export async function runBenchmark(request: BenchmarkRequest, options: RunOptions = {}): Promise<BenchmarkResult> {
  const settings = resolveSettings(request.options);
  const result = await runChildJob(
    {
      kind: 'export',
      modules: [checkModule(request.module, 'runBenchmark')],
      target: checkTarget(request),
      settings,
      stubImports: request.options?.stubImports ?? false,
    },
    options,
  );
  if (result.kind !== 'export') throw BenchError.of('child-failed', `Expected an export result, got ${result.kind}`);
  return result;
}

/** Times the same export of two or more modules, interleaved; the first module is the baseline. */
export async function compareModules(request: CompareRequest, options: RunOptions = {}): Promise<ComparisonResult> {
  if (!Array.isArray(request.modules) || request.modules.length < 2)
    throw BenchError.of('bad-request', 'A comparison needs at least two modules');
  const modules = request.modules.map((ref, i) => checkModule(ref, `compareModules (module ${i + 1})`));
  const settings = resolveSettings(request.options, modules.length);
  const result = await runChildJob(
    { kind: 'export', modules, target: checkTarget(request), settings, stubImports: request.options?.stubImports ?? false },
    options,
  );
  if (result.kind !== 'compare') throw BenchError.of('child-failed', `Expected a comparison result, got ${result.kind}`);
  return result;
}

/** Times compile, instantiate, both, and a sequence of modules kept alive one after another. */
export async function measureLoad(request: LoadRequest, options: RunOptions = {}): Promise<LoadResult> {
  const settings = resolveSettings(request.options);
  const count = (value: number | undefined, fallback: number, name: string) => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw BenchError.of('bad-request', `${name} must be an integer from 1 to 10000 (got ${String(value)})`);
    return n;
  };
  const result = await runChildJob(
    {
      kind: 'load',
      module: checkModule(request.module, 'measureLoad'),
      sequenceCount: count(request.sequenceCount, 20, 'sequenceCount'),
      repetitions: count(request.repetitions, 15, 'repetitions'),
      settings,
      stubImports: request.options?.stubImports ?? false,
    },
    options,
  );
  if (result.kind !== 'load') throw BenchError.of('child-failed', `Expected a load result, got ${result.kind}`);
  return result;
}
