/**
 * Appends timing drivers to a copy of a module. A driver calls the target export's function
 * with a direct `call` in a counted loop and adds every result into an i64 accumulator it
 * returns, so each call is real work the engine cannot drop, and one JS→wasm entry and one
 * timer pair are spread over the whole batch.
 *
 * Only the type, function, export, code and memory sections change: new types and functions
 * are appended at the end, so no existing index moves, and every other section (start, data,
 * name, custom…) is copied byte for byte.
 */
import { ByteReader } from '../core/wasm/bytes';
import { uleb as encodeU32 } from '../core/wasm/encode';
import { sectionRank } from '../core/wasm/module';
import { limits } from '../core/wasm/types';
import { BenchError } from './errors';
import { type FuncType, type ParsedModule, functionType, parseModule } from './wasm-binary';
import type { NumericType, ValueType } from './types';

/** Export names of the drivers added beside the module's own exports. */
export const DRIVER_EXPORTS = {
  loop: '__wasm_perf_loop',
  memory: '__wasm_perf_memory',
  emptyCall: '__wasm_perf_empty_call',
  target: (index: number) => `__wasm_perf_drive_${index}`,
} as const;

export const WASM_PAGE_BYTES = 65536;

/** Ids of the sections the rewriter replaces. */
const SECTION = { type: 1, function: 3, memory: 5, export: 7, code: 10 } as const;

const VALUE_TYPE_CODES: Readonly<Record<NumericType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

function encodeName(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...encodeU32(bytes.length), ...bytes];
}

const OP = {
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Sub: 0x6b,
  i64Add: 0x7c,
  i64ExtendI32U: 0xad,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
  voidBlock: 0x40,
} as const;

function isNumeric(type: ValueType): type is NumericType {
  return type === 'i32' || type === 'i64' || type === 'f32' || type === 'f64';
}

/** Why an export's signature cannot be timed, or undefined when it can. */
export function unbenchmarkableReason(type: FuncType): string | undefined {
  const bad = [...type.params, ...type.results].find((value) => !isNumeric(value));
  return bad === undefined ? undefined : `uses a ${bad} value; only i32/i64/f32/f64 parameters and results can be timed`;
}

/** Folds the value on top of the stack into the accumulator local. */
function accumulate(result: NumericType, accumulator: number): number[] {
  const widen: Record<NumericType, number[]> = {
    i32: [OP.i64ExtendI32U],
    i64: [],
    f32: [OP.i32ReinterpretF32, OP.i64ExtendI32U],
    f64: [OP.i64ReinterpretF64],
  };
  return [...widen[result], OP.localGet, ...encodeU32(accumulator), OP.i64Add, OP.localSet, ...encodeU32(accumulator)];
}

/**
 * `(n: i32, ...params) -> i64`: runs the loop body n times (n ≤ 0 runs nothing) and returns
 * the accumulator. Local 0 is the counter, the params follow, the accumulator is last.
 */
function loopFunction(paramCount: number, body: (accumulator: number) => number[]): number[] {
  const accumulator = paramCount + 1;
  const code = [
    ...[1, 1, VALUE_TYPE_CODES.i64], // one local group: 1 × i64
    OP.block,
    OP.voidBlock,
    OP.localGet,
    0,
    OP.i32Eqz,
    OP.brIf,
    0,
    OP.loop,
    OP.voidBlock,
    ...body(accumulator),
    OP.localGet,
    0,
    OP.i32Const,
    1,
    OP.i32Sub,
    OP.localTee,
    0,
    OP.brIf,
    0,
    OP.end,
    OP.end,
    OP.localGet,
    ...encodeU32(accumulator),
    OP.end,
  ];
  return [...encodeU32(code.length), ...code];
}

function funcTypeBytes(params: readonly NumericType[], results: readonly NumericType[]): number[] {
  return [
    0x60,
    ...encodeU32(params.length),
    ...params.map((p) => VALUE_TYPE_CODES[p]),
    ...encodeU32(results.length),
    ...results.map((r) => VALUE_TYPE_CODES[r]),
  ];
}

interface Addition {
  types: number[][];
  functions: number[];
  bodies: number[][];
  exports: number[][];
}

/** Byte pieces concatenated once at the end (spreading megabytes into arrays overflows the stack). */
type Pieces = (Uint8Array | readonly number[])[];

function byteLength(pieces: Pieces): number {
  return pieces.reduce((sum, piece) => sum + piece.length, 0);
}

function concat(pieces: Pieces): Uint8Array {
  const out = new Uint8Array(byteLength(pieces));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** Re-encodes a vector section's body with extra entries appended after the existing ones. */
function appendToVector(bytes: Uint8Array, section: { bodyStart: number; end: number } | undefined, extra: number[][]): Pieces {
  let count = 0;
  let rest: Uint8Array = new Uint8Array(0);
  if (section) {
    const reader = new ByteReader(bytes, section.bodyStart, section.end);
    count = reader.u32();
    rest = bytes.subarray(reader.pos, section.end);
  }
  return [encodeU32(count + extra.length), rest, ...extra];
}

function encodeSection(id: number, body: Pieces): Pieces {
  return [[id, ...encodeU32(byteLength(body))], ...body];
}

const CUSTOM_PAGE_SIZE_FLAG = 0x08;

function clampedMemorySection(module: ParsedModule, body: { bodyStart: number; end: number }, capPages: number): Pieces {
  const reader = new ByteReader(module.bytes, body.bodyStart, body.end);
  const count = reader.u32();
  const out: number[] = [...encodeU32(count)];
  for (let i = 0; i < count; i++) {
    const start = reader.pos;
    const flags = module.bytes[start]!;
    // The module decoded already; this pass only finds each entry's bytes.
    const { min, max } = limits(reader, { features: 0 }, true);
    if (min === undefined || flags & CUSTOM_PAGE_SIZE_FLAG) {
      // memory64 and custom-page-size limits are left as they are; the RSS watchdog still applies.
      out.push(...module.bytes.subarray(start, reader.pos));
      continue;
    }
    if (min > capPages) {
      throw BenchError.of(
        'memory-limit',
        `The module's memory starts at ${min} pages (${(min * WASM_PAGE_BYTES) / 2 ** 20} MiB), more than the memory cap of ${(capPages * WASM_PAGE_BYTES) / 2 ** 20} MiB`,
      );
    }
    out.push(flags | 0x01, ...encodeU32(min), ...encodeU32(Math.min(max ?? capPages, capPages)));
  }
  return [out];
}

export interface DriverTarget {
  readonly export: string;
  readonly functionIndex: number;
  readonly type: FuncType;
}

export interface InstrumentedModule {
  readonly bytes: Uint8Array;
  readonly targets: readonly DriverTarget[];
  /** Name under which memory 0 is exported in the copy (the module's own name, or one added). */
  readonly memoryExport?: string;
}

/** Finds an exported function and checks that the harness can time it. */
export function resolveTarget(module: ParsedModule, exportName: string): DriverTarget {
  const entry = module.exports.find((e) => e.name === exportName);
  if (!entry) {
    const functions = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
    throw BenchError.of(
      'no-such-export',
      `The module has no export named "${exportName}" (exported functions: ${functions.join(', ') || 'none'})`,
      { export: exportName },
    );
  }
  if (entry.kind !== 'func')
    throw BenchError.of('not-benchmarkable', `Export "${exportName}" is a ${entry.kind}, not a function`, { export: exportName });
  const type = functionType(module, entry.index);
  if (!type)
    throw BenchError.of('invalid-module', `Export "${exportName}" refers to a function that does not exist`, { export: exportName });
  const reason = unbenchmarkableReason(type);
  if (reason) throw BenchError.of('not-benchmarkable', `Export "${exportName}" ${reason}`, { export: exportName });
  return { export: exportName, functionIndex: entry.index, type };
}

/**
 * Returns a copy of the module with a driver per target export, the two baseline drivers,
 * and (when capPages is given) every 32-bit memory's maximum lowered to the cap so runaway
 * `memory.grow` fails inside the module instead of exhausting the machine.
 */
export function instrumentModule(bytes: Uint8Array, exportNames: readonly string[], capPages?: number): InstrumentedModule {
  return instrumentParsedModule(parseModule(bytes), exportNames, capPages);
}

/** `instrumentModule` for a module already decoded (the child decodes each module once). */
export function instrumentParsedModule(module: ParsedModule, exportNames: readonly string[], capPages?: number): InstrumentedModule {
  const bytes = module.bytes;
  const targets = exportNames.map((name) => resolveTarget(module, name));
  const reserved: string[] = [
    DRIVER_EXPORTS.loop,
    DRIVER_EXPORTS.emptyCall,
    DRIVER_EXPORTS.memory,
    ...targets.map((_, i) => DRIVER_EXPORTS.target(i)),
  ];
  const clash = module.exports.find((e) => reserved.includes(e.name));
  if (clash)
    throw BenchError.of('invalid-module', `The module already exports "${clash.name}", a name the harness reserves for its drivers`);

  const firstType = module.types.length;
  const firstFunction = module.importedFunctionCount + module.functionTypes.length;
  const add: Addition = { types: [], functions: [], bodies: [], exports: [] };
  const addFunction = (typeBytes: number[], body: number[], exportName?: string): number => {
    let typeIndex = add.types.findIndex((existing) => existing.join() === typeBytes.join());
    if (typeIndex < 0) typeIndex = add.types.push(typeBytes) - 1;
    const functionIndex = firstFunction + add.functions.length;
    add.functions.push(firstType + typeIndex);
    add.bodies.push(body);
    if (exportName !== undefined) add.exports.push([...encodeName(exportName), 0x00, ...encodeU32(functionIndex)]);
    return functionIndex;
  };

  const driverType = (params: readonly NumericType[]) => funcTypeBytes(['i32', ...params], ['i64']);
  const emptyIndex = addFunction(funcTypeBytes([], []), [...encodeU32(2), 0, OP.end]);
  const counterIntoAccumulator = (accumulator: number) => [OP.localGet, 0, ...accumulate('i32', accumulator)];
  addFunction(driverType([]), loopFunction(0, counterIntoAccumulator), DRIVER_EXPORTS.loop);
  addFunction(
    driverType([]),
    loopFunction(0, (acc) => [OP.call, ...encodeU32(emptyIndex), ...counterIntoAccumulator(acc)]),
    DRIVER_EXPORTS.emptyCall,
  );
  targets.forEach((target, i) => {
    const params = target.type.params as NumericType[];
    const results = target.type.results as NumericType[];
    const body = (accumulator: number) => [
      ...params.flatMap((_, p) => [OP.localGet, ...encodeU32(p + 1)]),
      OP.call,
      ...encodeU32(target.functionIndex),
      ...[...results].reverse().flatMap((result) => accumulate(result, accumulator)),
    ];
    addFunction(driverType(params), loopFunction(params.length, body), DRIVER_EXPORTS.target(i));
  });

  // Export memory 0 when the module keeps it private, so the harness can report its growth.
  const hasMemory = module.memories.length > 0 || module.imports.some((entry) => entry.kind === 'memory');
  let memoryExport = module.exports.find((e) => e.kind === 'memory' && e.index === 0)?.name;
  if (hasMemory && memoryExport === undefined) {
    memoryExport = DRIVER_EXPORTS.memory;
    add.exports.push([...encodeName(memoryExport), 0x02, 0x00]);
  }

  const replacements = new Map<number, Pieces>([
    [
      SECTION.type,
      appendToVector(
        bytes,
        module.sections.find((s) => s.id === SECTION.type),
        add.types,
      ),
    ],
    [
      SECTION.function,
      appendToVector(
        bytes,
        module.sections.find((s) => s.id === SECTION.function),
        add.functions.map((t) => encodeU32(t)),
      ),
    ],
    [
      SECTION.export,
      appendToVector(
        bytes,
        module.sections.find((s) => s.id === SECTION.export),
        add.exports,
      ),
    ],
    [
      SECTION.code,
      appendToVector(
        bytes,
        module.sections.find((s) => s.id === SECTION.code),
        add.bodies,
      ),
    ],
  ]);
  const memorySection = module.sections.find((s) => s.id === SECTION.memory);
  if (capPages !== undefined && memorySection) replacements.set(SECTION.memory, clampedMemorySection(module, memorySection, capPages));

  const out: Pieces = [bytes.subarray(0, 8)];
  const emitted = new Set<number>();
  const emitMissingBefore = (rank: number) => {
    for (const [id, body] of [...replacements].sort((a, b) => sectionRank(a[0])! - sectionRank(b[0])!)) {
      if (!emitted.has(id) && sectionRank(id)! < rank) {
        out.push(...encodeSection(id, body));
        emitted.add(id);
      }
    }
  };
  for (const section of module.sections) {
    const rank = sectionRank(section.id);
    if (rank !== undefined) emitMissingBefore(rank);
    const replacement = replacements.get(section.id);
    if (replacement && !emitted.has(section.id)) {
      out.push(...encodeSection(section.id, replacement));
      emitted.add(section.id);
    } else {
      out.push(bytes.subarray(section.start, section.end));
    }
  }
  emitMissingBefore(Number.POSITIVE_INFINITY);
  return { bytes: concat(out), targets, ...(memoryExport !== undefined ? { memoryExport } : {}) };
}
