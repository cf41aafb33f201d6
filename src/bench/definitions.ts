/** Runs one benchmark definition (from wasm-perf.bench.json or the CLI's flags) end to end. */
import { compareModules, measureLoad, runBenchmark, type RunOptions } from './api';
import type { BenchDefinition, CrateDefinition, ModuleExportDefinition } from './bench-file';
import { buildVariants, type BuildOptions } from './variants';
import type { BenchmarkResult, BuiltVariant, ComparisonResult, LoadResult } from './types';

export interface DefinitionOutcome {
  readonly name: string;
  readonly result: BenchmarkResult | ComparisonResult | LoadResult;
  /** Crate definitions: what was built, in the order of the comparison. */
  readonly builds?: readonly BuiltVariant[];
}

export interface DefinitionRunOptions extends RunOptions {
  readonly build?: Omit<BuildOptions, 'signal'>;
}

function exportTarget(definition: ModuleExportDefinition | CrateDefinition) {
  return {
    export: definition.export,
    args: definition.args,
    ...(definition.setup ? { setup: definition.setup } : {}),
    options: definition.options,
  };
}

export async function runDefinition(definition: BenchDefinition, options: DefinitionRunOptions = {}): Promise<DefinitionOutcome> {
  const { build, ...run } = options;
  const { name } = definition;
  switch (definition.kind) {
    case 'load':
      return {
        name,
        result: await measureLoad(
          {
            module: { path: definition.module },
            ...(definition.sequenceCount !== undefined ? { sequenceCount: definition.sequenceCount } : {}),
            ...(definition.repetitions !== undefined ? { repetitions: definition.repetitions } : {}),
            options: definition.options,
          },
          run,
        ),
      };
    case 'module': {
      const target = exportTarget(definition);
      if (definition.compare.length === 0)
        return { name, result: await runBenchmark({ module: { path: definition.module }, ...target }, run) };
      const modules = [definition.module, ...definition.compare].map((path) => ({ path }));
      return { name, result: await compareModules({ modules, ...target }, run) };
    }
    case 'crate': {
      const builds = await buildVariants(
        {
          crateDir: definition.crate,
          variants: definition.variants,
          ...(definition.target !== undefined ? { target: definition.target } : {}),
          ...(definition.profile !== undefined ? { profile: definition.profile } : {}),
          ...(definition.package !== undefined ? { package: definition.package } : {}),
          ...(definition.targetRoot !== undefined ? { targetRoot: definition.targetRoot } : {}),
        },
        { ...build, ...(run.signal ? { signal: run.signal } : {}) },
      );
      const target = exportTarget(definition);
      const modules = builds.map((b) => ({ path: b.wasmPath, label: b.name }));
      const result =
        modules.length === 1
          ? await runBenchmark({ module: modules[0]!, ...target }, run)
          : await compareModules({ modules, ...target }, run);
      return { name, result, builds };
    }
  }
}
