/**
 * The instruction walk: decodes every instruction of a function body or constant
 * expression just far enough to skip its immediates, counts the prefixed instruction
 * classes and collects the features the opcodes imply.
 *
 * The walk itself is walker/walk.c compiled to wasm32 (scripts/build-walker.sh) because a
 * JS loop over tens of megabytes cannot beat the engine's own validator; this file feeds
 * it the bytes in chunks (so memory stays near the chunk size, never a copy of the file),
 * adds up its counts and turns its error codes into the reader's messages.
 */
import WALKER_WASM from './walker/walk.wasm';
import { DecodeFailure, fail } from './bytes';

/** Counters the walk adds to; one instance per module. */
export class WalkStats {
  total = 0;
  simd = 0;
  relaxedSimd = 0;
  bulkMemory = 0;
  atomics = 0;
  gc = 0;
  features = 0;
}

/** Bodies are walked in chunks of about this many bytes; a larger body is a chunk of its own. */
const CHUNK_BYTES = 2 * 1024 * 1024;
/** Constant expressions are a few bytes: a small window first, a larger one only on error. */
const FIRST_WINDOW = 256;
const PAGE = 65536;

/** Field order of `result` in walk.c. */
const enum Field {
  Error,
  Offset,
  A,
  B,
  C,
  Position,
  Records,
  Total,
  Simd,
  RelaxedSimd,
  BulkMemory,
  Atomics,
  Gc,
  Features,
  Count,
}

interface WalkerExports {
  readonly memory: WebAssembly.Memory;
  input_base(): number;
  pad_bytes(): number;
  result_base(): number;
  records_base(): number;
  max_records(): number;
  walk_bodies(length: number, sectionLeft: number, count: number, base: number, fileLeft: number, dataCount: number): number;
  walk_constant_expressions(length: number, regionLeft: number, count: number, fileLeft: number): number;
  index_names(length: number, left: number, count: number, base: number): number;
}

interface Walker {
  readonly exports: WalkerExports;
  readonly inputBase: number;
  readonly pad: number;
  readonly resultBase: number;
  readonly recordsBase: number;
  readonly maxRecords: number;
  /** Memory size when instantiated plus one chunk: an instance that grew past it is not kept. */
  readonly keepBytes: number;
}

let compiled: WebAssembly.Module | undefined;
let cached: Walker | undefined;

function walker(): Walker {
  if (cached) return cached;
  compiled ??= new WebAssembly.Module(WALKER_WASM);
  const exports = new WebAssembly.Instance(compiled).exports as unknown as WalkerExports;
  const inputBase = exports.input_base();
  cached = {
    exports,
    inputBase,
    pad: exports.pad_bytes(),
    resultBase: exports.result_base(),
    recordsBase: exports.records_base(),
    maxRecords: exports.max_records(),
    keepBytes: inputBase + CHUNK_BYTES + PAGE,
  };
  return cached;
}

/**
 * Copies `bytes[from, from + length)` into the walker's input, followed by its pad: the
 * file's next bytes (the walk peeks past a body's end exactly like a reader of the whole
 * file would), zeros past the file's end. Then runs `call` and returns the result fields.
 */
function run(bytes: Uint8Array, from: number, length: number, call: (w: WalkerExports) => number, records?: BodyRecords): Uint32Array {
  const w = walker();
  const memory = w.exports.memory;
  const needed = w.inputBase + length + w.pad;
  if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  const input = new Uint8Array(memory.buffer, w.inputBase, length + w.pad);
  const copied = Math.min(length + w.pad, bytes.length - from);
  input.set(bytes.subarray(from, from + copied));
  input.fill(0, copied);
  try {
    call(w.exports);
  } catch (error) {
    // Impossible by construction (every read is clamped to the input); if it happens, the
    // instance's state is suspect, so it is dropped and the caller reports an internal error.
    cached = undefined;
    throw new Error(`the instruction walker failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = new Uint32Array(memory.buffer, w.resultBase, Field.Count).slice();
  if (records) {
    const count = result[Field.Records]!;
    records.offsets.set(new Uint32Array(memory.buffer, w.recordsBase, count), records.at);
    records.sizes.set(new Uint32Array(memory.buffer, w.recordsBase + w.maxRecords * 4, count), records.at);
  }
  if (memory.buffer.byteLength > w.keepBytes) cached = undefined; // let a grown memory go
  return result;
}

function addCounts(stats: WalkStats, result: Uint32Array): void {
  stats.total += result[Field.Total]!;
  stats.simd += result[Field.Simd]!;
  stats.relaxedSimd += result[Field.RelaxedSimd]!;
  stats.bulkMemory += result[Field.BulkMemory]!;
  stats.atomics += result[Field.Atomics]!;
  stats.gc += result[Field.Gc]!;
  stats.features |= result[Field.Features]!;
}

/** Where the walk of the code section records each body's offset and size (index_names: each name's index and offset). */
interface BodyRecords {
  readonly offsets: Uint32Array;
  readonly sizes: Uint32Array;
  /** Index of the first body the next call records. */
  at: number;
}

/**
 * Walks the code section's `count` bodies from `start` (the first body's size LEB) to `end`,
 * filling `offsets` and `sizes` as it goes; returns the position after the last body. Without
 * `hasDataCount` (no data count section), `memory.init` and `data.drop` are malformed. The
 * walker gets the section a window of about CHUNK_BYTES at a time (a larger body gets a
 * window of its own), so memory stays near the chunk size.
 */
export function walkCodeBodies(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  offsets: Uint32Array,
  sizes: Uint32Array,
  stats: WalkStats,
  hasDataCount: boolean,
): number {
  const records: BodyRecords = { offsets, sizes, at: 0 };
  let p = start;
  let needed = 0;
  while (records.at < count) {
    const length = Math.min(end - p, Math.max(CHUNK_BYTES, needed));
    const base = p;
    const left = count - records.at;
    const result = run(
      bytes,
      base,
      length,
      (w) => w.walk_bodies(length, end - base, left, base, bytes.length - base, hasDataCount ? 1 : 0),
      records,
    );
    addCounts(stats, result);
    const recorded = result[Field.Records]!;
    const code = result[Field.Error]!;
    if (code === Code.BodySize) {
      const index = records.at + result[Field.A]!;
      fail(
        base + result[Field.Offset]!,
        `function body ${index} declares ${result[Field.B]} bytes but only ${result[Field.C]} are left in the code section`,
      );
    }
    if (code === Code.SectionTruncated) fail(base + result[Field.Offset]!, 'unexpected end of code section');
    if (code !== 0 && code !== Code.MoreInput) throwFailure(result, base, 'function body');
    records.at += recorded;
    p = base + result[Field.Position]!;
    if (code === 0) return p;
    needed = result[Field.A]!;
    if (recorded === 0 && needed <= length) throw new Error(`the instruction walker made no progress at offset ${p}`);
  }
  return p;
}

/**
 * Walks `count` consecutive constant expressions from `p` (ending by `end`); returns the
 * position after the last one. The usual shapes are read here (`simpleConstantEnd`); from the
 * first other one on, the walker reads the rest.
 */
export function walkConstantExpressions(bytes: Uint8Array, p: number, end: number, count: number, stats: WalkStats): number {
  for (let done = 0; done < count; done++) {
    const simple = simpleConstantEnd(bytes, p, end);
    if (simple === undefined) return walkConstantExpressionsInWalker(bytes, p, end, count - done, stats);
    stats.total += 2; // the constant and its `end`, as the walker counts them
    p = simple;
  }
  return p;
}

/**
 * `walkConstantExpressions` by the walker alone. A single expression gets a small window first:
 * they are a few bytes, and a larger window is only needed when one fails.
 */
export function walkConstantExpressionsInWalker(bytes: Uint8Array, p: number, end: number, count: number, stats: WalkStats): number {
  let window = count === 1 ? FIRST_WINDOW : CHUNK_BYTES;
  let done = 0;
  while (done < count) {
    const length = Math.min(end - p, window);
    const base = p;
    const left = count - done;
    const result = run(bytes, base, length, (w) => w.walk_constant_expressions(length, end - base, left, bytes.length - base));
    addCounts(stats, result);
    const code = result[Field.Error]!;
    if (code !== 0 && code !== Code.MoreInput) throwFailure(result, base, 'expression');
    done += result[Field.Records]!;
    p = base + result[Field.Position]!;
    // Out of window: go on from the expression that did not fit, in a larger window if none did.
    if (code === Code.MoreInput && result[Field.Records] === 0) window *= 16;
  }
  return p;
}

/** Opcodes of the constant expressions nearly every segment and global uses: `i32.const`, `i64.const`, `global.get`. */
const I32_CONST = 0x41;
const I64_CONST = 0x42;
const GLOBAL_GET = 0x23;
const END = 0x0b;

/**
 * Where the expression at `p` ends when it is one `i32.const`, `i64.const` or `global.get` whose
 * LEB128 immediate is too short to be out of range (at most 4 bytes; 9 for i64), then `end`;
 * otherwise undefined, and the walker decides. Data segments and globals are nearly always this
 * shape, and Go binaries have ~100,000 segments: one call into the walker each cost more than
 * walking the whole code section.
 */
export function simpleConstantEnd(bytes: Uint8Array, p: number, end: number): number | undefined {
  const op = bytes[p];
  if (op !== I32_CONST && op !== I64_CONST && op !== GLOBAL_GET) return undefined;
  const last = Math.min(end, p + 1 + (op === I64_CONST ? 9 : 4)) - 1;
  let q = p + 1;
  while (q < last && bytes[q]! & 0x80) q++;
  if (q > last || bytes[q]! & 0x80 || q + 1 >= end || bytes[q + 1] !== END) return undefined;
  return q + 2;
}

/**
 * The function names subsection's `count` entries `bytes[start, end)` (after its count) indexed by
 * the walker, a window at a time: each entry's function index, and where its name's length LEB
 * starts relative to `origin`. Undefined unless every entry has the usual form (u32 LEB128s, an
 * ASCII name) and nothing follows the last; the caller's exact reader then says what is wrong.
 * Done here because a JS loop over 290,000 names runs mostly before the JIT has optimised it.
 */
export function indexPlainNames(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  origin: number,
): { readonly indices: Uint32Array; readonly nameOffsets: Uint32Array } | undefined {
  const indices = new Uint32Array(count);
  const nameOffsets = new Uint32Array(count);
  const records: BodyRecords = { offsets: indices, sizes: nameOffsets, at: 0 };
  let p = start;
  for (;;) {
    const length = Math.min(end - p, CHUNK_BYTES);
    const base = p;
    const left = count - records.at;
    const result = run(bytes, base, length, (w) => w.index_names(length, end - base, left, base - origin), records);
    const code = result[Field.Error]!;
    if (code !== 0 && code !== Code.MoreInput) return undefined;
    records.at += result[Field.Records]!;
    if (code === 0) return { indices, nameOffsets };
    p = base + result[Field.Position]!;
  }
}

/** Error codes of walk.c, in its order. */
const enum Code {
  TrailingBytes = 1,
  ImmediatesPastEnd,
  MissingEnd,
  UnknownOpcode,
  BlockType,
  TruncatedImmediate,
  U32TooLarge,
  U32TooLong,
  U64TooLarge,
  U64TooLong,
  SignedTooLarge,
  SignedTooLong,
  MemargFlags,
  BrTableCount,
  HeapType,
  ValueType,
  ValtypeVectorCount,
  CatchCount,
  CatchKind,
  FenceReserved,
  CastFlags,
  DelegateOutsideTry,
  LocalsCount,
  TooManyLocals,
  SectionTruncated,
  BodySize,
  ElseOutsideIf,
  DataCountRequired,
  MoreInput = 100,
  NotPlain,
}

function throwFailure(result: Uint32Array, base: number, region: 'function body' | 'expression'): never {
  const code = result[Field.Error]!;
  const offset = base + result[Field.Offset]!;
  const a = result[Field.A]!;
  const b = result[Field.B]!;
  const message = errorMessage(code, a, b, base, region);
  if (message === undefined) throw new Error(`the instruction walker reported error code ${code} at offset ${offset}`);
  throw new DecodeFailure(offset, message);
}

function hex(value: number): string {
  return value.toString(16);
}

function errorMessage(code: number, a: number, b: number, base: number, region: string): string | undefined {
  switch (code) {
    case Code.TrailingBytes:
      return `expected the end of the ${region} after its final \`end\`, found ${a} more bytes`;
    case Code.ImmediatesPastEnd:
      return `unexpected end of ${region}: the immediates of the instruction at offset ${base + a} run past it`;
    case Code.MissingEnd:
      return `expected \`end\` (0x0b) to close the ${region}${a > 0 ? ` and ${a} open block${a > 1 ? 's' : ''}` : ''}`;
    case Code.UnknownOpcode:
      return `unknown opcode ${a === 0 ? `0x${hex(b).padStart(2, '0')}` : `0x${hex(a)} ${b}`}: expected an instruction`;
    case Code.BlockType:
      return `malformed block type 0x${hex(a)}: expected 0x40, a value type or a type index`;
    case Code.TruncatedImmediate:
      return 'unexpected end of function body: an immediate runs past it';
    case Code.U32TooLarge:
      return 'integer too large: expected an unsigned 32-bit LEB128';
    case Code.U32TooLong:
      return 'integer representation too long: expected at most 5 bytes for a 32-bit LEB128';
    case Code.U64TooLarge:
      return 'integer too large: expected an unsigned 64-bit LEB128';
    case Code.U64TooLong:
      return 'integer representation too long: expected at most 10 bytes for a 64-bit LEB128';
    case Code.SignedTooLarge:
      return `integer too large: expected a signed ${a}-bit LEB128`;
    case Code.SignedTooLong:
      return `integer representation too long: expected at most ${Math.ceil(a / 7)} bytes for a ${a}-bit signed LEB128`;
    case Code.MemargFlags:
      return `malformed memory operand flags ${a}: expected an alignment below 64, plus 64 when a memory index follows`;
    case Code.BrTableCount:
      return `br_table has ${a} labels but only ${b} bytes are left in the function body`;
    case Code.HeapType:
      return `malformed heap type 0x${hex(a)}: expected an abstract heap type or a type index`;
    case Code.ValueType:
      return `malformed value type 0x${hex(a)}: expected a number, vector or reference type`;
    case Code.ValtypeVectorCount:
      return `vector of ${a} value types is longer than the ${b} bytes left`;
    case Code.CatchCount:
      return `try_table has ${a} catch clauses but only ${b} bytes are left`;
    case Code.CatchKind:
      return `malformed catch clause kind ${a}: expected 0 (catch), 1 (catch_ref), 2 (catch_all) or 3 (catch_all_ref)`;
    case Code.FenceReserved:
      return `malformed atomic.fence: expected the reserved byte 0x00, found 0x${hex(a)}`;
    case Code.CastFlags:
      return `malformed cast flags ${a}: expected 0–3`;
    case Code.DelegateOutsideTry:
      return 'unexpected `delegate` outside a `try` block';
    case Code.LocalsCount:
      return `${a} local declarations cannot fit in the ${b} bytes left in the function body`;
    case Code.TooManyLocals:
      return 'too many locals: expected fewer than 2^32 in total';
    case Code.ElseOutsideIf:
      return 'unexpected `else` outside an `if` block';
    case Code.DataCountRequired:
      return `${a === 8 ? 'memory.init' : 'data.drop'} uses a data index, which requires a data count section before the code section`;
    default:
      return undefined;
  }
}
