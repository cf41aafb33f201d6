/**
 * Prepares one module for timing inside the benchmark child: reads it, appends the driver,
 * instantiates it, runs the setup (init export, buffers through the allocator), converts the
 * arguments to the export's parameter types and wraps the driver so traps name the export.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BenchError } from './errors';
import { DRIVER_EXPORTS, instrumentParsedModule } from './driver';
import { capPagesFor, instantiate, isWasiImport, type LoadedModule } from './instantiate';
import type { TimedSubject } from './measure';
import { seededRandom } from './stats';
import type { ArgValue, BufferSpec, HarnessSettings, ModuleRef, NumericType, TargetSpec } from './types';
import { isWasm, parseModule, type ParsedModule } from './wasm-binary';

export function labelOf(ref: ModuleRef): string {
  return ref.label ?? ('path' in ref ? basename(ref.path) : 'module');
}

export interface ModuleBytes {
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
    throw BenchError.of(
      'not-wasm',
      `${label} is not a WebAssembly binary: it does not start with the \\0asm header (first bytes: ${head || 'none, the file is empty'})`,
    );
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

function convertArg(
  value: ArgValue,
  type: NumericType,
  position: number,
  exportName: string,
  buffers: ReadonlyMap<string, number>,
): number | bigint {
  const where = `argument ${position + 1} of "${exportName}" (${type})`;
  let raw: number | string;
  if (typeof value === 'object') {
    const pointer = buffers.get(value.buffer);
    if (pointer === undefined)
      throw BenchError.of('bad-arguments', `${where} refers to buffer "${value.buffer}", which the setup does not define`);
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
  if (error instanceof RangeError && /memory/i.test(message))
    return BenchError.of('memory-limit', `${label}: "${exportName}" ran out of memory: ${message}`, extra);
  return BenchError.of('trap', `${label}: "${exportName}" threw: ${message}`, extra);
}

export interface PreparedSubject {
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

export function prepareSubject(module: ModuleBytes, target: TargetSpec, settings: HarnessSettings, stubImports: boolean): PreparedSubject {
  const capPages = capPagesFor(settings.memoryLimitMb);
  if (target.export === '_start' && module.parsed.imports.some(isWasiImport)) {
    throw BenchError.of(
      'not-benchmarkable',
      `${module.label}: "_start" is a WASI command's entry point, which exits the program and runs only once; time an exported function instead, or measure the load path`,
      { export: '_start' },
    );
  }
  const instrumented = instrumentParsedModule(module.parsed, [target.export], capPages);
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
      if (typeof init !== 'function')
        throw BenchError.of('no-such-export', `${module.label} has no function export "${setup.export}" to call as setup`, {
          export: setup.export,
        });
      guarded(() => (init as () => unknown)(), setup.export, module.label, loaded, capPages);
    }
    const buffers = new Map<string, number>();
    for (const spec of setup?.buffers ?? []) {
      const allocatorName = spec.allocator ?? 'alloc';
      const allocator = exports[allocatorName];
      if (typeof allocator !== 'function')
        throw BenchError.of('no-such-export', `${module.label} has no allocator export "${allocatorName}" for buffer "${spec.name}"`, {
          export: allocatorName,
        });
      if (!loaded.memory) throw BenchError.of('bad-request', `${module.label} has no memory to write buffer "${spec.name}" into`);
      const data = bufferBytes(spec, settings.seed);
      const pointer = Number(
        guarded(() => (allocator as (length: number) => unknown)(data.length), allocatorName, module.label, loaded, capPages),
      );
      const memory = new Uint8Array(loaded.memory.buffer);
      if (!Number.isInteger(pointer) || pointer <= 0 || pointer + data.length > memory.length) {
        throw BenchError.of(
          'bad-request',
          `${module.label}: allocator "${allocatorName}" returned ${pointer} for ${data.length} bytes, which is not a usable address`,
        );
      }
      memory.set(data, pointer >>> 0);
      buffers.set(spec.name, pointer >>> 0);
    }
    const type = instrumented.targets[0]!.type;
    const args = target.args ?? [];
    if (args.length !== type.params.length) {
      throw BenchError.of(
        'bad-arguments',
        `"${target.export}" takes ${type.params.length} argument${type.params.length === 1 ? '' : 's'} (${type.params.join(', ') || 'none'}), ${args.length} given`,
        { export: target.export },
      );
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

/** Labels made unique (`a.wasm`, `a.wasm #2`) so results can be told apart. */
export function uniqueLabels(refs: readonly ModuleRef[]): ModuleRef[] {
  const seen = new Map<string, number>();
  return refs.map((ref) => {
    const label = labelOf(ref);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? ref : { ...ref, label: `${label} #${count}` };
  });
}
