/**
 * `wasm-perf bench`: times exports of .wasm modules (alone or interleaved against other
 * builds), builds "what if" variants of a crate and compares them, measures the load path,
 * or runs the definitions of a wasm-perf.bench.json. Prints the same statistics as the panel,
 * as a table or as JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BENCH_FILE_NAME, parseBenchFile, type BenchDefinition } from '../bench/bench-file';
import { runDefinition, type DefinitionOutcome } from '../bench/definitions';
import { BenchError } from '../bench/errors';
import { listBenchmarkableExports } from '../bench/exports';
import { formatBenchmark, formatComparison, formatLoad, table } from '../bench/report';
import { resolveSettings } from '../bench/settings';
import { parseVariant } from '../bench/variants';
import type { ArgValue, BenchFailure, HarnessOptions, ProgressEvent } from '../bench/types';
import { flag, lastValue, parseCommandArgs, stringValues, UsageError, type OptionSpecs, type ParsedArgs } from './args';
import type { CliIo, CommandIo } from './io';
import { createProgress } from './progress';

const COMMAND = 'bench';
const EXIT_OK = 0;
const EXIT_FAILED = 1;

export const BENCH_HELP = `Usage:
  wasm-perf bench MODULE.wasm --export NAME [--args 1,2] [--setup NAME] [--compare OTHER.wasm]...
  wasm-perf bench --crate DIR --export NAME --variant opt-level=3,+simd128 [--variant ...]
  wasm-perf bench MODULE.wasm --load [--sequence 20]
  wasm-perf bench MODULE.wasm --list
  wasm-perf bench [--file ${BENCH_FILE_NAME}] [--name NAME]...

Times an exported function in a separate process, through a driver loop appended to a copy of
the module (overhead well under 1 ns per call, reported with the results). With --compare or
--variant, the modules are measured interleaved and compared by the ratio of medians with a
bootstrap 95% CI. Without a module or crate, runs ./${BENCH_FILE_NAME}.

What to time:
  --export NAME          exported function (numeric parameters and results)
  --args LIST            comma-separated arguments, e.g. 1,2.5,-3 (i64 may exceed 2^53)
  --setup NAME           export to call once before timing (e.g. init)
  --compare FILE         another build of the module, timed interleaved (repeatable)
  --load                 time compile, instantiate and a sequence of modules instead
  --sequence N           modules loaded one after another with --load (default 20)
  --list                 list the module's exports and whether they can be timed

Crate variants:
  --crate DIR            build the crate as configured and as each --variant, then compare
  --variant SPEC         opt-level=0|1|2|3|s|z, lto[=fat|thin|off], codegen-units=N, +feature,
                         -C<flag>; comma-separated (repeatable)
  --target TRIPLE        default the crate's own (build.target, rust-toolchain.toml), else wasm32-unknown-unknown
  --profile NAME         default release
  --package NAME         workspace package (-p)
  --target-dir DIR       where the per-variant target dirs go (default DIR/target/wasm-perf)
  --cargo PATH           cargo executable (default: cargo on PATH)
  --rustc PATH           rustc for cargo to use (sets RUSTC)

Definitions:
  --file PATH            run the benchmarks of a ${BENCH_FILE_NAME}
  --name NAME            only the benchmark with this name (repeatable)

Harness:
  --budget MS            measuring time per module (default 1000)
  --warmup MS            warm-up time per module (default 100)
  --rounds N             rounds whose spread shows noise (default 5)
  --time-limit MS        stop a run after this long (default: from the budget, ≥ 10 s)
  --memory-limit MB      cap on wasm memory and on the benchmark process (default 1024)
  --stub-imports         replace non-WASI imports with functions returning zero
  --seed N               seed for the bootstrap and random buffers (default 1)

Output:
  --json                 print results as JSON
  --verbose              show cargo's output while building
  --fail-on-slower       exit 1 when a compared build is slower than the first
  -h, --help             show this help

Exit codes: 0 done, 1 a benchmark failed (or was slower with --fail-on-slower), 2 usage error.
`;

const OPTIONS: OptionSpecs = {
  export: { type: 'string' },
  args: { type: 'string' },
  setup: { type: 'string' },
  compare: { type: 'string', multiple: true },
  load: { type: 'boolean' },
  sequence: { type: 'string' },
  list: { type: 'boolean' },
  crate: { type: 'string' },
  variant: { type: 'string', multiple: true },
  target: { type: 'string' },
  profile: { type: 'string' },
  package: { type: 'string' },
  'target-dir': { type: 'string' },
  cargo: { type: 'string' },
  rustc: { type: 'string' },
  file: { type: 'string' },
  name: { type: 'string', multiple: true },
  budget: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  'time-limit': { type: 'string' },
  'memory-limit': { type: 'string' },
  'stub-imports': { type: 'boolean' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'fail-on-slower': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function numberOption(parsed: ParsedArgs, name: string, integer: boolean): number | undefined {
  const text = lastValue(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} needs a ${integer ? 'non-negative integer' : 'non-negative number'}, got '${text}'`, COMMAND);
  }
  return value;
}

function harnessOptions(parsed: ParsedArgs): HarnessOptions {
  const entries: [keyof HarnessOptions, number | boolean | undefined][] = [
    ['budgetMs', numberOption(parsed, 'budget', false)],
    ['warmupMs', numberOption(parsed, 'warmup', false)],
    ['rounds', numberOption(parsed, 'rounds', true)],
    ['timeLimitMs', numberOption(parsed, 'time-limit', false)],
    ['memoryLimitMb', numberOption(parsed, 'memory-limit', true)],
    ['seed', numberOption(parsed, 'seed', true)],
    ['stubImports', flag(parsed, 'stub-imports') ? true : undefined],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** `1,2.5,-3,18446744073709551615`: numbers, with integers beyond 2^53 kept as text for i64. */
export function parseArgList(text: string | undefined): ArgValue[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((token) => {
    const trimmed = token.trim();
    if (/^-?\d+$/.test(trimmed)) return Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : trimmed;
    const value = Number(trimmed);
    if (trimmed === '' || Number.isNaN(value)) throw new UsageError(`--args: '${trimmed}' is not a number`, COMMAND);
    return value;
  });
}

/** The definitions the flags describe (a file, a crate, or a module). */
function definitionsFrom(parsed: ParsedArgs, io: CommandIo): BenchDefinition[] {
  const options = harnessOptions(parsed);
  const module = parsed.positionals[0];
  if (parsed.positionals.length > 1)
    throw new UsageError(`one module at a time (got ${parsed.positionals.length}); use --compare for more builds`, COMMAND);
  const crate = lastValue(parsed, 'crate');
  let file = lastValue(parsed, 'file');
  if ([module, crate, file].filter((v) => v !== undefined).length > 1)
    throw new UsageError('give a module, --crate or --file, not several', COMMAND);
  if (module === undefined && crate === undefined && file === undefined) {
    if (!existsSync(resolve(io.cwd, BENCH_FILE_NAME)))
      throw new UsageError(`nothing to benchmark: give a module, --crate DIR or --file (no ${BENCH_FILE_NAME} here)`, COMMAND);
    file = BENCH_FILE_NAME;
  }
  if (file !== undefined) return definitionsFromFile(resolve(io.cwd, file), stringValues(parsed, 'name'), options);

  const exportName = lastValue(parsed, 'export');
  const setupName = lastValue(parsed, 'setup');
  const target = { args: parseArgList(lastValue(parsed, 'args')), ...(setupName !== undefined ? { setup: { export: setupName } } : {}) };
  if (flag(parsed, 'load')) {
    if (module === undefined) throw new UsageError('--load measures a module file', COMMAND);
    const sequenceCount = numberOption(parsed, 'sequence', true);
    return [
      { kind: 'load', name: module, module: resolve(io.cwd, module), options, ...(sequenceCount !== undefined ? { sequenceCount } : {}) },
    ];
  }
  if (exportName === undefined) throw new UsageError('--export NAME is required (see --list for the exports)', COMMAND);
  if (crate !== undefined) {
    const variants = stringValues(parsed, 'variant').map((text) => {
      try {
        return parseVariant(text);
      } catch (error) {
        throw new UsageError(`--variant: ${(error as Error).message}`, COMMAND);
      }
    });
    const optional = (name: 'target' | 'profile' | 'package') => {
      const value = lastValue(parsed, name);
      return value === undefined ? {} : { [name]: value };
    };
    const targetDir = lastValue(parsed, 'target-dir');
    return [
      {
        kind: 'crate',
        name: crate,
        crate: resolve(io.cwd, crate),
        variants,
        export: exportName,
        options,
        ...target,
        ...optional('target'),
        ...optional('profile'),
        ...optional('package'),
        ...(targetDir !== undefined ? { targetRoot: resolve(io.cwd, targetDir) } : {}),
      },
    ];
  }
  if (stringValues(parsed, 'variant').length > 0) throw new UsageError('--variant needs --crate', COMMAND);
  return [
    {
      kind: 'module',
      name: module!,
      module: resolve(io.cwd, module!),
      compare: stringValues(parsed, 'compare').map((p) => resolve(io.cwd, p)),
      export: exportName,
      options,
      ...target,
    },
  ];
}

function definitionsFromFile(path: string, names: readonly string[], overrides: HarnessOptions): BenchDefinition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, COMMAND);
  }
  let definitions: readonly BenchDefinition[];
  try {
    definitions = parseBenchFile(text, path).benchmarks;
  } catch (error) {
    throw new UsageError((error as Error).message, COMMAND);
  }
  const unknown = names.filter((name) => !definitions.some((d) => d.name === name));
  if (unknown.length > 0)
    throw new UsageError(
      `no benchmark named ${unknown.map((n) => `'${n}'`).join(', ')} in ${path} (names: ${definitions.map((d) => d.name).join(', ')})`,
      COMMAND,
    );
  // Flags given on the command line beat the file's options.
  return definitions
    .filter((d) => names.length === 0 || names.includes(d.name))
    .map((d) => ({ ...d, options: { ...d.options, ...overrides } }));
}

function listExports(path: string, io: CommandIo, json: boolean): number {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    io.stderr(`wasm-perf: error: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return EXIT_FAILED;
  }
  let overview;
  try {
    overview = listBenchmarkableExports(bytes);
  } catch (error) {
    io.stderr(`wasm-perf: error: ${path}: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
  if (json) {
    io.stdout(`${JSON.stringify(overview, null, 2)}\n`);
    return EXIT_OK;
  }
  const rows = overview.exports.map((e) => [
    e.name,
    `(${e.params.join(', ')}) -> (${e.results.join(', ')})`,
    e.benchmarkable ? 'yes' : `no: ${e.reason ?? ''}`,
  ]);
  io.stdout(`${table([['export', 'signature', 'can be timed'], ...rows], [0, 1, 2])}\n`);
  if (overview.imports.length > 0) {
    io.stdout(`imports: ${overview.imports.join(', ')}\n${overview.needsStubs ? 'non-WASI imports: run with --stub-imports\n' : ''}`);
  }
  return EXIT_OK;
}

function describeFailure(name: string, failure: BenchFailure): string {
  const lines = [`wasm-perf: error: ${name}: ${failure.message}`];
  if (failure.code === 'build-failed' && failure.detail) lines.push(failure.detail.split('\n').slice(-40).join('\n'));
  if (failure.wasi?.stderr) lines.push(`wasi stderr:\n${failure.wasi.stderr.trimEnd()}`);
  return `${lines.join('\n')}\n`;
}

export async function runBenchCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(COMMAND, args, OPTIONS);
  if (flag(parsed, 'help')) {
    io.stdout(BENCH_HELP);
    return EXIT_OK;
  }
  const json = flag(parsed, 'json');
  if (flag(parsed, 'list')) {
    const module = parsed.positionals[0];
    if (module === undefined) throw new UsageError('--list needs a module file', COMMAND);
    return listExports(resolve(io.cwd, module), io, json);
  }
  const definitions = definitionsFrom(parsed, io);
  for (const definition of definitions) {
    try {
      resolveSettings(definition.options);
    } catch (error) {
      throw new UsageError(`${definition.name}: ${(error as Error).message}`, COMMAND);
    }
  }
  const verbose = flag(parsed, 'verbose');
  const cargo = lastValue(parsed, 'cargo');
  const rustc = lastValue(parsed, 'rustc');
  const outcomes: (DefinitionOutcome | { name: string; error: BenchFailure })[] = [];
  let failed = false;
  for (const definition of definitions) {
    const progress = createProgress(io, !json);
    try {
      const outcome = await runDefinition(definition, {
        onProgress: (event: ProgressEvent) => progress.update(`${definition.name}: ${event.message}`),
        build: {
          ...(cargo !== undefined ? { cargo } : {}),
          ...(rustc !== undefined ? { rustc } : {}),
          // Cargo's output is not progress: asked for, it is shown on any stderr.
          ...(verbose ? { onOutput: (line: string, _stream: string, variant: string) => progress.log(`[${variant}] ${line}\n`) } : {}),
        },
      });
      progress.done();
      outcomes.push(outcome);
      if (!json) io.stdout(`${formatOutcome(outcome)}\n`);
      if (
        flag(parsed, 'fail-on-slower') &&
        outcome.result.kind === 'compare' &&
        outcome.result.comparisons.some((c) => c.verdict === 'slower')
      )
        failed = true;
    } catch (error) {
      progress.done();
      if (!(error instanceof BenchError)) throw error;
      failed = true;
      outcomes.push({ name: definition.name, error: error.failure });
      if (!json) io.stderr(describeFailure(definition.name, error.failure));
    }
  }
  if (json) io.stdout(`${JSON.stringify({ benchmarks: outcomes }, null, 2)}\n`);
  return failed ? EXIT_FAILED : EXIT_OK;
}

function formatOutcome(outcome: DefinitionOutcome): string {
  const { result, name } = outcome;
  const builds = outcome.builds?.map((b) => `built ${b.name}: ${b.wasmPath} in ${(b.durationMs / 1000).toFixed(1)} s`).join('\n');
  const body =
    result.kind === 'export'
      ? formatBenchmark(result, name)
      : result.kind === 'compare'
        ? formatComparison(result, name)
        : formatLoad(result, name);
  return builds ? `${builds}\n${body}` : body;
}
