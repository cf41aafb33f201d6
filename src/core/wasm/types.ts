/**
 * Type-level decoding: value types, the type section (function, struct and array types,
 * recursion groups) and limits. Function types are kept as text signatures for the
 * report's imports/exports; the features they imply are collected as bits.
 */
import { fail, type ByteReader } from './bytes';
import {
  F_CUSTOM_PAGE_SIZES,
  F_EXCEPTIONS,
  F_FUNCTION_REFERENCES,
  F_GC,
  F_MEMORY64,
  F_MULTIVALUE,
  F_REFERENCE_TYPES,
  F_SIMD,
  F_ATOMICS,
} from './features';
import type { FunctionSignature } from './model';

const NUMERIC: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };
const HEAP: Record<number, [string, number]> = {
  0x70: ['func', F_REFERENCE_TYPES],
  0x6f: ['extern', F_REFERENCE_TYPES],
  0x6e: ['any', F_GC],
  0x6d: ['eq', F_GC],
  0x6c: ['i31', F_GC],
  0x6b: ['struct', F_GC],
  0x6a: ['array', F_GC],
  0x71: ['none', F_GC],
  0x72: ['noextern', F_GC],
  0x73: ['nofunc', F_GC],
  0x69: ['exn', F_EXCEPTIONS],
  0x74: ['noexn', F_EXCEPTIONS],
};

/** Feature bits seen while decoding types; shared with the module decoder. */
export interface FeatureSink {
  features: number;
}

function heapType(r: ByteReader, sink: FeatureSink): string {
  const at = r.pos;
  const byte = r.bytes[r.pos];
  if (byte !== undefined && byte >= 0x40 && byte < 0x80) {
    r.pos++;
    const known = HEAP[byte];
    if (!known) fail(at, `malformed heap type 0x${byte.toString(16)}: expected an abstract heap type or a type index`);
    sink.features |= known[1];
    return known[0];
  }
  const index = r.signed(33);
  if (index < 0) fail(at, `malformed heap type ${index}: expected an abstract heap type or a type index`);
  sink.features |= F_FUNCTION_REFERENCES;
  return String(index);
}

/** A value type as text (`i32`, `funcref`, `(ref null 3)`). */
export function valueType(r: ByteReader, sink: FeatureSink): string {
  const at = r.pos;
  const byte = r.u8();
  const numeric = NUMERIC[byte];
  if (numeric) {
    if (byte === 0x7b) sink.features |= F_SIMD;
    return numeric;
  }
  if (byte === 0x63 || byte === 0x64) {
    sink.features |= F_FUNCTION_REFERENCES;
    return `(ref ${byte === 0x63 ? 'null ' : ''}${heapType(r, sink)})`;
  }
  const heap = HEAP[byte];
  if (!heap) return fail(at, `malformed value type 0x${byte.toString(16)}: expected a number, vector or reference type`);
  sink.features |= heap[1];
  return `${heap[0]}ref`;
}

function storageType(r: ByteReader, sink: FeatureSink): void {
  const byte = r.bytes[r.pos];
  if (byte === 0x78 || byte === 0x77)
    r.pos++; // packed i8 / i16
  else valueType(r, sink);
  const at = r.pos;
  const mutability = r.u8();
  if (mutability > 1) fail(at, `malformed mutability ${mutability}: expected 0 or 1`);
}

/** One entry of the type index space: a function signature, or another composite type. */
export type TypeEntry = FunctionSignature | 'struct' | 'array';

function compositeType(r: ByteReader, sink: FeatureSink): TypeEntry {
  const at = r.pos;
  const form = r.u8();
  if (form === 0x60) {
    const params: string[] = [];
    for (let i = 0, n = r.count(); i < n; i++) params.push(valueType(r, sink));
    const results: string[] = [];
    for (let i = 0, n = r.count(); i < n; i++) results.push(valueType(r, sink));
    if (results.length > 1) sink.features |= F_MULTIVALUE;
    return { params, results };
  }
  if (form === 0x5f) {
    sink.features |= F_GC;
    for (let i = 0, n = r.count(2); i < n; i++) storageType(r, sink);
    return 'struct';
  }
  if (form === 0x5e) {
    sink.features |= F_GC;
    storageType(r, sink);
    return 'array';
  }
  return fail(at, `malformed type form 0x${form.toString(16)}: expected 0x60 (func), 0x5f (struct) or 0x5e (array)`);
}

function subType(r: ByteReader, sink: FeatureSink): TypeEntry {
  const byte = r.bytes[r.pos];
  if (byte === 0x50 || byte === 0x4f) {
    r.pos++;
    sink.features |= F_GC;
    for (let i = 0, n = r.count(); i < n; i++) r.u32();
  }
  return compositeType(r, sink);
}

/** The type section: every entry of the (flattened) type index space. */
export function typeSection(r: ByteReader, sink: FeatureSink): TypeEntry[] {
  const types: TypeEntry[] = [];
  for (let i = 0, n = r.count(); i < n; i++) {
    if (r.bytes[r.pos] === 0x4e) {
      r.pos++;
      sink.features |= F_GC;
      for (let k = 0, m = r.count(); k < m; k++) types.push(subType(r, sink));
    } else {
      types.push(subType(r, sink));
    }
  }
  return types;
}

export interface Limits {
  readonly shared: boolean;
  readonly is64: boolean;
  /** Initial size in pages or elements; undefined for 64-bit limits, which are read past rather than decoded. */
  readonly min?: number;
  readonly max?: number;
}

/** Limits of a memory or table; `memory` allows the shared and page-size flags. */
export function limits(r: ByteReader, sink: FeatureSink, memory: boolean): Limits {
  const at = r.pos;
  const flags = r.u8();
  const allowed = memory ? 0x0f : 0x05;
  if ((flags & ~allowed) !== 0)
    fail(at, `malformed limits flags 0x${flags.toString(16)}: expected ${memory ? '0x00–0x0f' : '0x00, 0x01, 0x04 or 0x05'}`);
  const is64 = (flags & 0x04) !== 0;
  const shared = (flags & 0x02) !== 0;
  if (is64) sink.features |= F_MEMORY64;
  if (shared) sink.features |= F_ATOMICS;
  let min: number | undefined;
  let max: number | undefined;
  if (is64) r.skipU64();
  else min = r.u32();
  if (flags & 0x01) {
    if (is64) r.skipU64();
    else max = r.u32();
  }
  if (flags & 0x08) {
    sink.features |= F_CUSTOM_PAGE_SIZES;
    r.u32();
  }
  return { shared, is64, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

export function referenceType(r: ByteReader, sink: FeatureSink): string {
  const at = r.pos;
  const byte = r.bytes[r.pos];
  if (byte !== undefined && NUMERIC[byte]) fail(at, `malformed reference type 0x${byte.toString(16)}: expected a reference type`);
  return valueType(r, sink);
}
