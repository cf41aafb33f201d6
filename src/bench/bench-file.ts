/**
 * `wasm-perf.bench.json`: benchmark definitions a team commits so everyone (and CI, through
 * `wasm-perf bench --file`) runs the same measurements. BENCH_FILE_SCHEMA (bench-file-schema.ts)
 * describes the shape for editors; this module checks it, with messages that name the exact
 * place of each problem. Paths are relative to the file's directory.
 *
 *   {
 *     "defaults": { "budgetMs": 500 },
 *     "benchmarks": [
 *       { "name": "blur", "module": "dist/app.wasm", "export": "blur3x3", "args": [1], "setup": "init",
 *         "compare": ["dist/app-simd.wasm"] },
 *       { "name": "blur what-if", "crate": "crates/kernels", "export": "blur3x3", "args": [1],
 *         "setup": "init", "variants": ["opt-level=3,+simd128", "opt-level=3,lto"] },
 *       { "name": "startup", "module": "dist/app.wasm", "load": { "sequenceCount": 50 } }
 *     ]
 *   }
 */
import { dirname, resolve } from 'node:path';
import { BenchError } from './errors';
import { parseVariant } from './variants';
import type { ArgValue, BufferSpec, HarnessOptions, SetupSpec, VariantSpec } from './types';

export const BENCH_FILE_NAME = 'wasm-perf.bench.json';

interface BenchDefinitionBase {
  readonly name: string;
  readonly options: HarnessOptions;
}

interface ExportDefinition extends BenchDefinitionBase {
  readonly export: string;
  readonly args: readonly ArgValue[];
  readonly setup?: SetupSpec;
}

export interface ModuleExportDefinition extends ExportDefinition {
  readonly kind: 'module';
  readonly module: string;
  readonly compare: readonly string[];
}

/**
 * The last result of a "Measure the difference" run, kept with its definition so the editor
 * shows it on the finding's line after a reload. The CLI runs such entries like any other.
 */
export interface MeasuredResult {
  /** ISO time the run finished. */
  readonly at: string;
  /** Labels of the configured build and of the build with the fix. */
  readonly baseline: string;
  readonly candidate: string;
  /** median(candidate) / median(baseline), with its 95% interval: below 1, the fix is faster. */
  readonly ratio: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly significant: boolean;
  /** The machine and runtime that measured. */
  readonly environment?: string;
}

export interface CrateDefinition extends ExportDefinition {
  readonly kind: 'crate';
  /** The rule whose fix the variants stand for (`opt-level-size`), when a finding started the benchmark. */
  readonly finding?: string;
  readonly measured?: MeasuredResult;
  readonly crate: string;
  readonly target?: string;
  readonly profile?: string;
  readonly package?: string;
  /** Root of the per-variant target dirs (CLI --target-dir; default inside the crate). */
  readonly targetRoot?: string;
  readonly variants: readonly VariantSpec[];
}

export interface LoadDefinition extends BenchDefinitionBase {
  readonly kind: 'load';
  readonly module: string;
  readonly sequenceCount?: number;
  readonly repetitions?: number;
}

export type BenchDefinition = ModuleExportDefinition | CrateDefinition | LoadDefinition;

export interface BenchFile {
  readonly path: string;
  readonly benchmarks: readonly BenchDefinition[];
}

const OPTION_KEYS: Readonly<Record<keyof HarnessOptions, 'number' | 'boolean'>> = {
  budgetMs: 'number',
  warmupMs: 'number',
  rounds: 'number',
  minSamples: 'number',
  minSampleMicros: 'number',
  timeLimitMs: 'number',
  memoryLimitMb: 'number',
  stubImports: 'boolean',
  seed: 'number',
  equivalenceMargin: 'number',
};

const BENCHMARK_KEYS = new Set([
  'name',
  'module',
  'crate',
  'target',
  'profile',
  'package',
  'export',
  'args',
  'setup',
  'compare',
  'variants',
  'load',
  'options',
  'finding',
  'measured',
]);

const MEASURED_NUMBERS = ['ratio', 'ciLow', 'ciHigh'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects every problem before failing, so one run shows them all. */
class Checker {
  readonly problems: string[] = [];

  problem(where: string, message: string): void {
    this.problems.push(`${where}: ${message}`);
  }

  string(where: string, value: unknown, required: boolean): string | undefined {
    if (value === undefined) {
      if (required) this.problem(where, 'is required (a non-empty string)');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(where, `expected a non-empty string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  stringList(where: string, value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(where, 'expected an array of strings');
      return [];
    }
    return value.flatMap((item, i) => this.string(`${where}[${i}]`, item, true) ?? []);
  }

  unknownKeys(where: string, value: Record<string, unknown>, allowed: ReadonlySet<string>): void {
    for (const key of Object.keys(value)) {
      if (!allowed.has(key) && key !== '$schema') this.problem(`${where}.${key}`, `unknown key (allowed: ${[...allowed].join(', ')})`);
    }
  }

  options(where: string, value: unknown): HarnessOptions {
    if (value === undefined) return {};
    if (!isObject(value)) {
      this.problem(where, 'expected an object');
      return {};
    }
    this.unknownKeys(where, value, new Set(Object.keys(OPTION_KEYS)));
    const out: Record<string, number | boolean> = {};
    for (const [key, kind] of Object.entries(OPTION_KEYS)) {
      const item = value[key];
      if (item === undefined) continue;
      if (typeof item !== kind || (kind === 'number' && !Number.isFinite(item)))
        this.problem(`${where}.${key}`, `expected a ${kind}, got ${JSON.stringify(item)}`);
      else out[key] = item as number | boolean;
    }
    return out;
  }

  args(where: string, value: unknown): ArgValue[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(where, 'expected an array of numbers, numeric strings or { "buffer": name }');
      return [];
    }
    return value.flatMap((item, i): ArgValue[] => {
      if (typeof item === 'number' && Number.isFinite(item)) return [item];
      if (typeof item === 'string' && item.trim() !== '' && !Number.isNaN(Number(item))) return [item];
      if (isObject(item) && typeof item.buffer === 'string' && Object.keys(item).length === 1) return [{ buffer: item.buffer }];
      this.problem(`${where}[${i}]`, `expected a number, a numeric string (for i64) or { "buffer": name }, got ${JSON.stringify(item)}`);
      return [];
    });
  }

  buffer(where: string, value: unknown): BufferSpec | undefined {
    if (!isObject(value)) {
      this.problem(where, 'expected an object { name, length, allocator?, fill?, base64? }');
      return undefined;
    }
    this.unknownKeys(where, value, new Set(['name', 'allocator', 'length', 'fill', 'base64']));
    const name = this.string(`${where}.name`, value.name, true);
    const allocator = this.string(`${where}.allocator`, value.allocator, false);
    const base64 = value.base64 === undefined ? undefined : this.string(`${where}.base64`, value.base64, true);
    let length = value.length;
    if (length === undefined && base64 !== undefined) length = Buffer.from(base64, 'base64').length;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) {
      this.problem(`${where}.length`, `expected a positive integer, got ${JSON.stringify(value.length)}`);
      return undefined;
    }
    const fill = value.fill;
    if (fill !== undefined && fill !== 'zeros' && fill !== 'ramp' && fill !== 'random') {
      this.problem(`${where}.fill`, `expected "zeros", "ramp" or "random", got ${JSON.stringify(fill)}`);
    }
    if (name === undefined) return undefined;
    return {
      name,
      length,
      ...(allocator !== undefined ? { allocator } : {}),
      ...(fill === 'zeros' || fill === 'ramp' || fill === 'random' ? { fill } : {}),
      ...(base64 !== undefined ? { base64 } : {}),
    };
  }

  measured(where: string, value: unknown): MeasuredResult | undefined {
    if (value === undefined) return undefined;
    if (!isObject(value)) {
      this.problem(where, 'expected an object { at, baseline, candidate, ratio, ciLow, ciHigh, significant, environment? }');
      return undefined;
    }
    this.unknownKeys(where, value, new Set(['at', 'baseline', 'candidate', 'environment', 'significant', ...MEASURED_NUMBERS]));
    const at = this.string(`${where}.at`, value.at, true);
    const baseline = this.string(`${where}.baseline`, value.baseline, true);
    const candidate = this.string(`${where}.candidate`, value.candidate, true);
    const environment = this.string(`${where}.environment`, value.environment, false);
    if (at !== undefined && Number.isNaN(Date.parse(at))) this.problem(`${where}.at`, `expected an ISO date, got ${JSON.stringify(at)}`);
    const numbers = MEASURED_NUMBERS.map((key) => {
      const item = value[key];
      if (typeof item === 'number' && Number.isFinite(item) && item > 0) return item;
      this.problem(`${where}.${key}`, `expected a positive number, got ${JSON.stringify(item)}`);
      return undefined;
    });
    if (typeof value.significant !== 'boolean')
      this.problem(`${where}.significant`, `expected true or false, got ${JSON.stringify(value.significant)}`);
    const [ratio, ciLow, ciHigh] = numbers;
    if (at === undefined || baseline === undefined || candidate === undefined || typeof value.significant !== 'boolean') return undefined;
    if (ratio === undefined || ciLow === undefined || ciHigh === undefined || Number.isNaN(Date.parse(at))) return undefined;
    return {
      at,
      baseline,
      candidate,
      ratio,
      ciLow,
      ciHigh,
      significant: value.significant,
      ...(environment !== undefined ? { environment } : {}),
    };
  }

  setup(where: string, value: unknown): SetupSpec | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value.trim() === '' ? (this.problem(where, 'is empty'), undefined) : { export: value };
    if (!isObject(value)) {
      this.problem(where, 'expected an export name or { "export"?, "buffers"? }');
      return undefined;
    }
    this.unknownKeys(where, value, new Set(['export', 'buffers']));
    const exportName = this.string(`${where}.export`, value.export, false);
    let buffers: BufferSpec[] = [];
    if (value.buffers !== undefined) {
      if (!Array.isArray(value.buffers)) this.problem(`${where}.buffers`, 'expected an array');
      else buffers = value.buffers.flatMap((item, i) => this.buffer(`${where}.buffers[${i}]`, item) ?? []);
    }
    return { ...(exportName !== undefined ? { export: exportName } : {}), ...(buffers.length > 0 ? { buffers } : {}) };
  }
}

function definition(check: Checker, where: string, raw: unknown, base: string, defaults: HarnessOptions): BenchDefinition | undefined {
  if (!isObject(raw)) {
    check.problem(where, 'expected an object');
    return undefined;
  }
  check.unknownKeys(where, raw, BENCHMARK_KEYS);
  const name = check.string(`${where}.name`, raw.name, true);
  const options = { ...defaults, ...check.options(`${where}.options`, raw.options) };
  const module = check.string(`${where}.module`, raw.module, false);
  const crate = check.string(`${where}.crate`, raw.crate, false);
  if ((module === undefined) === (crate === undefined)) {
    check.problem(where, 'needs exactly one of "module" (a .wasm file) or "crate" (a crate directory)');
    return undefined;
  }
  const path = (relative: string) => resolve(base, relative);
  const onlyFor = (key: string, kind: string) => {
    if (raw[key] !== undefined) check.problem(`${where}.${key}`, `only applies to ${kind}`);
  };
  if (raw.load !== undefined) {
    if (module === undefined) {
      check.problem(`${where}.load`, 'measures a module: use "module", not "crate"');
      return undefined;
    }
    for (const key of ['export', 'args', 'setup', 'compare', 'variants', 'finding', 'measured'])
      onlyFor(key, 'export benchmarks, not "load"');
    const load = isObject(raw.load) ? raw.load : raw.load === true ? {} : undefined;
    if (!load) {
      check.problem(`${where}.load`, 'expected true or { "sequenceCount"?, "repetitions"? }');
      return undefined;
    }
    check.unknownKeys(`${where}.load`, load, new Set(['sequenceCount', 'repetitions']));
    const count = (key: 'sequenceCount' | 'repetitions') => {
      const value = load[key];
      if (value === undefined) return {};
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        check.problem(`${where}.load.${key}`, `expected a positive integer, got ${JSON.stringify(value)}`);
        return {};
      }
      return { [key]: value };
    };
    return name === undefined
      ? undefined
      : { kind: 'load', name, options, module: path(module), ...count('sequenceCount'), ...count('repetitions') };
  }
  const exportName = check.string(`${where}.export`, raw.export, true);
  const args = check.args(`${where}.args`, raw.args);
  const setup = check.setup(`${where}.setup`, raw.setup);
  if (name === undefined || exportName === undefined) return undefined;
  const target = { export: exportName, args, ...(setup ? { setup } : {}) };
  if (module !== undefined) {
    for (const key of ['variants', 'target', 'profile', 'package', 'finding', 'measured']) onlyFor(key, '"crate" benchmarks');
    return {
      kind: 'module',
      name,
      options,
      module: path(module),
      compare: check.stringList(`${where}.compare`, raw.compare).map(path),
      ...target,
    };
  }
  onlyFor('compare', '"module" benchmarks (crates compare their variants)');
  const variants = check.stringList(`${where}.variants`, raw.variants).flatMap((text, i) => {
    try {
      return [parseVariant(text)];
    } catch (error) {
      check.problem(`${where}.variants[${i}]`, (error as Error).message);
      return [];
    }
  });
  const measured = check.measured(`${where}.measured`, raw.measured);
  const optional = (key: 'target' | 'profile' | 'package' | 'finding') => {
    const value = check.string(`${where}.${key}`, raw[key], false);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    kind: 'crate',
    name,
    options,
    crate: path(crate!),
    variants,
    ...optional('target'),
    ...optional('profile'),
    ...optional('package'),
    ...optional('finding'),
    ...(measured ? { measured } : {}),
    ...target,
  };
}

/** Validates parsed JSON; `path` is the file's location (relative paths resolve from its directory). */
export function parseBenchFile(text: string, path: string): BenchFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw BenchError.of('bench-file', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  const check = new Checker();
  const benchmarks: BenchDefinition[] = [];
  if (!isObject(json)) {
    check.problem('(top level)', 'expected an object with "benchmarks"');
  } else {
    check.unknownKeys('(top level)', json, new Set(['defaults', 'benchmarks']));
    const defaults = check.options('defaults', json.defaults);
    if (!Array.isArray(json.benchmarks) || json.benchmarks.length === 0) {
      check.problem('benchmarks', 'expected a non-empty array of benchmark definitions');
    } else {
      const seen = new Set<string>();
      json.benchmarks.forEach((raw, i) => {
        const parsed = definition(check, `benchmarks[${i}]`, raw, dirname(resolve(path)), defaults);
        if (!parsed) return;
        if (seen.has(parsed.name))
          check.problem(`benchmarks[${i}].name`, `"${parsed.name}" is used by an earlier benchmark; names must be unique`);
        seen.add(parsed.name);
        benchmarks.push(parsed);
      });
    }
  }
  if (check.problems.length > 0) {
    throw BenchError.of(
      'bench-file',
      `${path} has ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}:\n  ${check.problems.join('\n  ')}`,
      {
        detail: check.problems.join('\n'),
      },
    );
  }
  return { path, benchmarks };
}
