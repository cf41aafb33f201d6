/**
 * The instruction walk: decodes every instruction of an expression (function body or
 * constant expression) just far enough to skip its immediates, counts the prefixed
 * instruction classes and collects the features the opcodes imply. Immediate layouts
 * follow facts §11 and the Wasm 3.0 binary grammar.
 *
 * This is the hot path on multi-megabyte binaries, so it is one loop over the bytes with
 * precomputed tables, single-byte LEB128 fast paths inlined, and no allocation per
 * instruction. Anything unusual (multi-byte LEBs, errors) goes to out-of-line helpers.
 */
import { checkSignedLast, fail } from './bytes';
import {
  F_ATOMICS, F_BULK_MEMORY, F_EXCEPTIONS, F_EXTENDED_CONST, F_FUNCTION_REFERENCES, F_GC, F_LEGACY_EXCEPTIONS,
  F_MULTIMEMORY, F_MULTIVALUE, F_NONTRAPPING, F_REFERENCE_TYPES, F_RELAXED_SIMD, F_SIGN_EXT, F_SIMD, F_TAIL_CALL,
} from './features';

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

/** Immediate kinds of single-byte opcodes (a const enum, so the switch compares literals). */
const enum K {
  /** The table default: no such opcode. */
  Unknown = 0,
  None,
  Block,
  End,
  Idx,
  Idx2,
  BrTable,
  Memarg,
  I32,
  I64,
  F32,
  F64,
  SelectT,
  TryTable,
  HeapType,
  MemIdx,
  Delegate,
  Gc,
  Misc,
  Simd,
  Atomic,
  /** Implies a feature: look it up, then dispatch on `BASE_KIND` (keeps that lookup off common opcodes). */
  Featured,
}

const BASE_KIND = new Uint8Array(256);
/** Features implied by each single-byte opcode inside function bodies. */
const CODE_FEATURES = new Int32Array(256);
/** The same for constant expressions, where arithmetic means extended-const. */
const CONST_FEATURES = new Int32Array(256);

function setKind(from: number, to: number, kind: number, features = 0): void {
  for (let op = from; op <= to; op++) {
    BASE_KIND[op] = kind;
    CODE_FEATURES[op] = features;
  }
}
setKind(0x00, 0x01, K.None);
setKind(0x02, 0x04, K.Block);
setKind(0x05, 0x05, K.None);
setKind(0x06, 0x06, K.Block, F_LEGACY_EXCEPTIONS); // try
setKind(0x07, 0x07, K.Idx, F_LEGACY_EXCEPTIONS); // catch tagidx
setKind(0x08, 0x08, K.Idx, F_EXCEPTIONS); // throw tagidx
setKind(0x09, 0x09, K.Idx, F_LEGACY_EXCEPTIONS); // rethrow labelidx
setKind(0x0a, 0x0a, K.None, F_EXCEPTIONS); // throw_ref
setKind(0x0b, 0x0b, K.End);
setKind(0x0c, 0x0d, K.Idx);
setKind(0x0e, 0x0e, K.BrTable);
setKind(0x0f, 0x0f, K.None);
setKind(0x10, 0x10, K.Idx);
setKind(0x11, 0x11, K.Idx2);
setKind(0x12, 0x12, K.Idx, F_TAIL_CALL);
setKind(0x13, 0x13, K.Idx2, F_TAIL_CALL);
setKind(0x14, 0x14, K.Idx, F_FUNCTION_REFERENCES); // call_ref
setKind(0x15, 0x15, K.Idx, F_FUNCTION_REFERENCES | F_TAIL_CALL); // return_call_ref
setKind(0x18, 0x18, K.Delegate, F_LEGACY_EXCEPTIONS);
setKind(0x19, 0x19, K.None, F_LEGACY_EXCEPTIONS); // catch_all
setKind(0x1a, 0x1b, K.None);
setKind(0x1c, 0x1c, K.SelectT, F_REFERENCE_TYPES);
setKind(0x1f, 0x1f, K.TryTable, F_EXCEPTIONS);
setKind(0x20, 0x24, K.Idx);
setKind(0x25, 0x26, K.Idx, F_REFERENCE_TYPES); // table.get/set
setKind(0x28, 0x3e, K.Memarg);
setKind(0x3f, 0x40, K.MemIdx);
setKind(0x41, 0x41, K.I32);
setKind(0x42, 0x42, K.I64);
setKind(0x43, 0x43, K.F32);
setKind(0x44, 0x44, K.F64);
setKind(0x45, 0xbf, K.None);
setKind(0xc0, 0xc4, K.None, F_SIGN_EXT);
setKind(0xd0, 0xd0, K.HeapType, F_REFERENCE_TYPES); // ref.null
setKind(0xd1, 0xd1, K.None, F_REFERENCE_TYPES); // ref.is_null
setKind(0xd2, 0xd2, K.Idx, F_REFERENCE_TYPES); // ref.func
setKind(0xd3, 0xd3, K.None, F_GC); // ref.eq
setKind(0xd4, 0xd4, K.None, F_FUNCTION_REFERENCES); // ref.as_non_null
setKind(0xd5, 0xd6, K.Idx, F_FUNCTION_REFERENCES); // br_on_null, br_on_non_null
// The prefix cases set their features themselves.
setKind(0xfb, 0xfb, K.Gc);
setKind(0xfc, 0xfc, K.Misc);
setKind(0xfd, 0xfd, K.Simd);
setKind(0xfe, 0xfe, K.Atomic);
CONST_FEATURES.set(CODE_FEATURES);
for (const op of [0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]) CONST_FEATURES[op] = F_EXTENDED_CONST;

function dispatchTable(features: Int32Array): Uint8Array {
  return BASE_KIND.map((kind, op) => (features[op] !== 0 ? K.Featured : kind));
}
const CODE_KIND = dispatchTable(CODE_FEATURES);
const CONST_KIND = dispatchTable(CONST_FEATURES);

/** Sub-opcode immediates under 0xFD (facts §11.1). */
const enum S {
  Unknown = 0,
  None,
  Memarg,
  Bytes16,
  Lane,
  MemargLane,
}
const SIMD_KIND = new Uint8Array(0x114);
SIMD_KIND.fill(S.None);
SIMD_KIND.fill(S.Memarg, 0x00, 0x0c);
SIMD_KIND[0x0c] = S.Bytes16; // v128.const
SIMD_KIND[0x0d] = S.Bytes16; // i8x16.shuffle
SIMD_KIND.fill(S.Lane, 0x15, 0x23);
SIMD_KIND.fill(S.MemargLane, 0x54, 0x5c);
SIMD_KIND[0x5c] = S.Memarg;
SIMD_KIND[0x5d] = S.Memarg;
// Numbers the SIMD proposal left unassigned.
for (const op of [0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee]) {
  SIMD_KIND[op] = S.Unknown;
}

/** Valid single-byte value types and the features they imply; -1 where the byte is no value type. */
const VALTYPE_FEATURES = new Int32Array(128).fill(-1);
/** Abstract heap types (single byte, negative s33) and their features. */
const HEAPTYPE_FEATURES = new Int32Array(128).fill(-1);
for (const t of [0x7f, 0x7e, 0x7d, 0x7c]) VALTYPE_FEATURES[t] = 0;
VALTYPE_FEATURES[0x7b] = F_SIMD;
for (const t of [0x70, 0x6f]) HEAPTYPE_FEATURES[t] = F_REFERENCE_TYPES;
for (const t of [0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73]) HEAPTYPE_FEATURES[t] = F_GC;
for (const t of [0x69, 0x74]) HEAPTYPE_FEATURES[t] = F_EXCEPTIONS;
for (let t = 0; t < 128; t++) if (HEAPTYPE_FEATURES[t]! >= 0) VALTYPE_FEATURES[t] = HEAPTYPE_FEATURES[t]!;
const REF_NULL_PREFIX = 0x63;
const REF_PREFIX = 0x64;

/**
 * Walks one expression from `p` to its final `end` (which must be the last byte before
 * `end` when `exact`), adding to `stats`. Returns the position after the final `end`.
 */
export function walkExpression(b: Uint8Array, p: number, end: number, stats: WalkStats, constant: boolean, exact: boolean): number {
  // Locals, not module bindings, in the loop: V8 then needs no context loads per instruction.
  const kindOf = constant ? CONST_KIND : CODE_KIND;
  const baseKindOf = BASE_KIND;
  const featureOf = constant ? CONST_FEATURES : CODE_FEATURES;
  const simdKindOf = SIMD_KIND;
  const MULTIMEMORY = F_MULTIMEMORY;
  const MULTIVALUE = F_MULTIVALUE;
  const RELAXED_SIMD = F_RELAXED_SIMD;
  const SIMD = F_SIMD;
  const ATOMICS = F_ATOMICS;
  const GC = F_GC;
  // Only the counters every instruction touches live in locals (registers); the rare
  // classes count straight into `stats`, which keeps register pressure down in the loop.
  let total = 0;
  let simd = 0;
  let features = 0;
  let depth = 0;
  let op = 0;
  let x = 0;
  let kind = 0;
  let start = p;
  while (p < end) {
    start = p;
    op = b[p++]!;
    total++;
    kind = kindOf[op]!;
    if (kind === K.Featured) {
      features |= featureOf[op]!;
      kind = baseKindOf[op]!;
    }
    switch (kind) {
      case K.Idx:
        if (b[p++]! & 0x80) p = skipU32(b, p - 1, end);
        break;
      case K.None:
        break;
      case K.Memarg:
        if (b[p]! >= 0x40) {
          p = skipMemargFlags(b, p, end);
          features |= MULTIMEMORY;
        } else p++;
        if (b[p++]! & 0x80) p = skipU64(b, p - 1, end);
        break;
      case K.I32:
        if (b[p++]! & 0x80) p = skipSigned(b, p - 1, end, 32);
        break;
      case K.End:
        if (depth === 0) {
          if (exact && p !== end) fail(p, `expected the end of the ${constant ? 'expression' : 'function body'} after its final \`end\`, found ${end - p} more bytes`);
          stats.total += total;
          stats.simd += simd;
          stats.features |= features;
          return p;
        }
        depth--;
        break;
      case K.Block:
        depth++;
        x = b[p++]!;
        if (x !== 0x40) {
          if (x < 0x40) features |= MULTIVALUE;
          else if (x < 0x80) {
            p = skipValtypeTail(b, x, p, end, start + 1);
            features |= blockFeatures(x);
          } else {
            p = skipSigned(b, p - 1, end, 33);
            features |= MULTIVALUE;
          }
        }
        break;
      case K.Simd:
        simd++;
        features |= SIMD;
        x = b[p++]!;
        if (x & 0x80) {
          // Sub-opcodes 128–16383 take two bytes: the common case, decoded inline.
          if (b[p]! & 0x80) {
            x = readU32(b, p - 1, end);
            p = lebEnd(b, p - 1);
          } else x = (x & 0x7f) | (b[p++]! << 7);
          if (x >= 0x100) {
            stats.relaxedSimd++;
            features |= RELAXED_SIMD;
          }
        }
        switch (x < 0x114 ? simdKindOf[x] : S.Unknown) {
          case S.None:
            break;
          case S.Memarg:
            p = skipMemarg(b, p, end);
            break;
          case S.Bytes16:
            p += 16;
            break;
          case S.Lane:
            p += 1;
            break;
          case S.MemargLane:
            p = skipMemarg(b, p, end) + 1;
            break;
          default:
            unknownOpcode(start, `0xfd ${x}`);
        }
        break;
      case K.Idx2:
        if (b[p++]! & 0x80) p = skipU32(b, p - 1, end);
        if (b[p++]! & 0x80) p = skipU32(b, p - 1, end);
        break;
      case K.Misc:
        stats.bulkMemory++;
        x = subOpcode(b, p, end);
        p = skipMisc(b, x, lebEnd(b, p), end, start);
        features |= miscFeatures(b, x, start);
        break;
      case K.I64:
        if (b[p++]! & 0x80) p = skipSigned(b, p - 1, end, 64);
        break;
      case K.F64:
        p += 8;
        break;
      case K.F32:
        p += 4;
        break;
      case K.BrTable:
        p = skipBrTable(b, p, end);
        break;
      case K.Atomic:
        stats.atomics++;
        features |= ATOMICS;
        p = skipAtomic(b, p, end, start);
        break;
      case K.Gc:
        stats.gc++;
        features |= GC;
        p = skipGc(b, p, end, start);
        break;
      case K.MemIdx:
        x = b[p++]!;
        if (x !== 0) {
          features |= MULTIMEMORY;
          if (x & 0x80) p = skipU32(b, p - 1, end);
        }
        break;
      case K.SelectT:
        p = skipValtypeVector(b, p, end);
        break;
      case K.TryTable:
        depth++;
        p = skipTryTable(b, p, end, start);
        break;
      case K.HeapType:
        p = skipHeapType(b, p, end);
        break;
      case K.Delegate:
        if (b[p++]! & 0x80) p = skipU32(b, p - 1, end);
        if (depth === 0) fail(start, 'unexpected `delegate` outside a `try` block');
        depth--;
        break;
      default:
        unknownOpcode(start, `0x${op.toString(16).padStart(2, '0')}`);
    }
  }
  if (p > end) fail(end, `unexpected end of ${constant ? 'expression' : 'function body'}: the immediates of the instruction at offset ${start} run past it`);
  return fail(end, `expected \`end\` (0x0b) to close the ${constant ? 'expression' : 'function body'}${depth > 0 ? ` and ${depth} open block${depth > 1 ? 's' : ''}` : ''}`);
}

/** Features of a 0xFC instruction (facts §11.2); a nonzero memory index means multi-memory. */
function miscFeatures(b: Uint8Array, sub: number, start: number): number {
  const kind = sub < 8 ? F_NONTRAPPING : sub < 15 ? F_BULK_MEMORY : F_REFERENCE_TYPES;
  return (sub === 8 || sub === 10 || sub === 11) && hasNonzeroMemidx(b, sub, start) ? kind | F_MULTIMEMORY : kind;
}

function unknownOpcode(offset: number, opcode: string): never {
  return fail(offset, `unknown opcode ${opcode}: expected an instruction`);
}

function blockFeatures(x: number): number {
  if (x === REF_NULL_PREFIX || x === REF_PREFIX) return F_FUNCTION_REFERENCES;
  return x < 0x80 ? Math.max(0, VALTYPE_FEATURES[x]!) : 0;
}

/** After a single-byte value type `x` at `p - 1`: validates it and skips a `(ref ht)` heap type. */
function skipValtypeTail(b: Uint8Array, x: number, p: number, end: number, at: number): number {
  if (x === REF_NULL_PREFIX || x === REF_PREFIX) return skipHeapType(b, p, end);
  if (VALTYPE_FEATURES[x]! < 0) fail(at, `malformed block type 0x${x.toString(16)}: expected 0x40, a value type or a type index`);
  return p;
}

/** The u32 sub-opcode after a prefix byte; the caller skips it with `lebEnd`. */
function subOpcode(b: Uint8Array, p: number, end: number): number {
  if (p >= end) truncatedImmediate(p, end);
  const x = b[p]!;
  return x & 0x80 ? readU32(b, p, end) : x;
}

function lebEnd(b: Uint8Array, p: number): number {
  while (b[p++]! & 0x80);
  return p;
}

function truncatedImmediate(p: number, end: number): never {
  return fail(Math.min(p, end), 'unexpected end of function body: an immediate runs past it');
}

/** Reads a u32 LEB starting at `p` (strictly); the caller skips it with `lebEnd`. */
function readU32(b: Uint8Array, p: number, end: number): number {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    if (p + i >= end) truncatedImmediate(p + i, end);
    const byte = b[p + i]!;
    if (i === 4 && (byte & 0x70) !== 0) fail(p + i, 'integer too large: expected an unsigned 32-bit LEB128');
    result += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return result;
  }
  return fail(p, 'integer representation too long: expected at most 5 bytes for a 32-bit LEB128');
}

function skipU32(b: Uint8Array, p: number, end: number): number {
  readU32(b, p, end);
  return lebEnd(b, p);
}

function skipU64(b: Uint8Array, p: number, end: number): number {
  for (let i = 0; i < 10; i++) {
    if (p + i >= end) truncatedImmediate(p + i, end);
    const byte = b[p + i]!;
    if (i === 9 && (byte & 0x7e) !== 0) fail(p + i, 'integer too large: expected an unsigned 64-bit LEB128');
    if ((byte & 0x80) === 0) return p + i + 1;
  }
  return fail(p, 'integer representation too long: expected at most 10 bytes for a 64-bit LEB128');
}

function skipSigned(b: Uint8Array, p: number, end: number, bits: 32 | 33 | 64): number {
  const maxBytes = Math.ceil(bits / 7);
  for (let i = 0; i < maxBytes; i++) {
    if (p + i >= end) truncatedImmediate(p + i, end);
    const byte = b[p + i]!;
    if (i === maxBytes - 1) checkSignedLast(byte, bits, p + i);
    if ((byte & 0x80) === 0) return p + i + 1;
  }
  return fail(p, `integer representation too long: expected at most ${maxBytes} bytes for a ${bits}-bit signed LEB128`);
}

/** Memarg flags ≥ 64: bit 6 announces a memory index (multi-memory, facts §11); ≥ 128 is malformed. */
function skipMemargFlags(b: Uint8Array, p: number, end: number): number {
  const flags = readU32(b, p, end);
  if (flags >= 0x80) fail(p, `malformed memory operand flags ${flags}: expected an alignment below 64, plus 64 when a memory index follows`);
  p = lebEnd(b, p);
  if (flags >= 0x40) p = skipU32(b, p, end);
  return p;
}

function skipMemarg(b: Uint8Array, p: number, end: number): number {
  if (b[p]! >= 0x40) p = skipMemargFlags(b, p, end);
  else p++;
  return skipU64(b, p, end);
}

function skipBrTable(b: Uint8Array, p: number, end: number): number {
  const count = readU32(b, p, end);
  p = lebEnd(b, p);
  if (count > end - p) fail(p, `br_table has ${count} labels but only ${end - p} bytes are left in the function body`);
  for (let i = 0; i <= count; i++) {
    if (b[p++]! & 0x80) p = skipU32(b, p - 1, end);
  }
  return p;
}

function skipHeapType(b: Uint8Array, p: number, end: number): number {
  const x = b[p]!;
  if (p >= end) truncatedImmediate(p, end);
  if (x >= 0x40 && x < 0x80) {
    if (HEAPTYPE_FEATURES[x]! < 0) fail(p, `malformed heap type 0x${x.toString(16)}: expected an abstract heap type or a type index`);
    return p + 1;
  }
  return skipSigned(b, p, end, 33);
}

function skipValtype(b: Uint8Array, p: number, end: number): number {
  if (p >= end) truncatedImmediate(p, end);
  const x = b[p]!;
  if (x === REF_NULL_PREFIX || x === REF_PREFIX) return skipHeapType(b, p + 1, end);
  if (x >= 0x80 || VALTYPE_FEATURES[x]! < 0) fail(p, `malformed value type 0x${x.toString(16)}: expected a number, vector or reference type`);
  return p + 1;
}

function skipValtypeVector(b: Uint8Array, p: number, end: number): number {
  const count = readU32(b, p, end);
  p = lebEnd(b, p);
  if (count > end - p) fail(p, `vector of ${count} value types is longer than the ${end - p} bytes left`);
  for (let i = 0; i < count; i++) p = skipValtype(b, p, end);
  return p;
}

function skipTryTable(b: Uint8Array, p: number, end: number, start: number): number {
  const x = b[p++]!;
  if (x & 0x80) p = skipSigned(b, p - 1, end, 33);
  else if (x >= 0x40 && x !== 0x40) p = skipValtypeTail(b, x, p, end, start + 1);
  const count = readU32(b, p, end);
  p = lebEnd(b, p);
  if (count > end - p) fail(p, `try_table has ${count} catch clauses but only ${end - p} bytes are left`);
  for (let i = 0; i < count; i++) {
    const kind = b[p]!;
    if (p >= end) truncatedImmediate(p, end);
    if (kind > 3) fail(p, `malformed catch clause kind ${kind}: expected 0 (catch), 1 (catch_ref), 2 (catch_all) or 3 (catch_all_ref)`);
    p++;
    if (kind < 2) p = skipU32(b, p, end); // tag index
    p = skipU32(b, p, end); // label
  }
  return p;
}

/** 0xFC immediates (facts §11.2). */
function skipMisc(b: Uint8Array, sub: number, p: number, end: number, start: number): number {
  if (sub <= 7) return p;
  if (sub > 17) unknownOpcode(start, `0xfc ${sub}`);
  p = b[p]! & 0x80 ? skipU32(b, p, end) : p + 1;
  if (sub === 9 || sub === 11 || sub === 13 || sub >= 15) return p;
  return b[p]! & 0x80 ? skipU32(b, p, end) : p + 1; // 8, 10, 12, 14: two indices
}

function hasNonzeroMemidx(b: Uint8Array, sub: number, start: number): boolean {
  // memory.init: dataidx memidx; memory.copy: memidx memidx; memory.fill: memidx.
  let p = lebEnd(b, start + 1);
  if (sub === 8) p = lebEnd(b, p);
  if (b[p] !== 0) return true;
  return sub === 10 && b[lebEnd(b, p)] !== 0;
}

/** 0xFE immediates (facts §11.3). */
function skipAtomic(b: Uint8Array, p: number, end: number, start: number): number {
  const sub = subOpcode(b, p, end);
  p = lebEnd(b, p);
  if (sub === 3) {
    if (p >= end) truncatedImmediate(p, end);
    if (b[p] !== 0) fail(p, `malformed atomic.fence: expected the reserved byte 0x00, found 0x${b[p]!.toString(16)}`);
    return p + 1;
  }
  if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return skipMemarg(b, p, end);
  return unknownOpcode(start, `0xfe ${sub}`);
}

/** 0xFB immediates (facts §11.4). */
function skipGc(b: Uint8Array, p: number, end: number, start: number): number {
  const sub = subOpcode(b, p, end);
  p = lebEnd(b, p);
  switch (sub) {
    case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16:
      return skipU32(b, p, end);
    case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19:
      return skipU32(b, skipU32(b, p, end), end);
    case 15: case 26: case 27: case 28: case 29: case 30:
      return p;
    case 20: case 21: case 22: case 23:
      return skipHeapType(b, p, end);
    case 24: case 25: {
      if (p >= end) truncatedImmediate(p, end);
      if (b[p]! > 3) fail(p, `malformed cast flags ${b[p]}: expected 0–3`);
      p = skipU32(b, p + 1, end);
      return skipHeapType(b, skipHeapType(b, p, end), end);
    }
    default:
      return unknownOpcode(start, `0xfb ${sub}`);
  }
}

/**
 * Reads a function body's local declarations (a vector of count + value type) and
 * returns where the instructions start. The total number of locals must stay below 2^32.
 */
export function skipLocals(b: Uint8Array, p: number, end: number, stats: WalkStats): number {
  const groups = readU32(b, p, end);
  p = lebEnd(b, p);
  if (groups > end - p) fail(p, `${groups} local declarations cannot fit in the ${end - p} bytes left in the function body`);
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const at = p;
    total += readU32(b, p, end);
    p = lebEnd(b, p);
    if (total >= 2 ** 32) fail(at, 'too many locals: expected fewer than 2^32 in total');
    if (p >= end) truncatedImmediate(p, end);
    const x = b[p]!;
    if (x < 0x80 && VALTYPE_FEATURES[x]! > 0) stats.features |= VALTYPE_FEATURES[x]!;
    if (x === REF_NULL_PREFIX || x === REF_PREFIX) stats.features |= F_FUNCTION_REFERENCES;
    p = skipValtype(b, p, end);
  }
  return p;
}
