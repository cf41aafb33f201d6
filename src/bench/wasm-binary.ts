/**
 * A section-level reader for the parts of a wasm module the benchmark engine needs: types,
 * imports, function declarations, memories, exports. Section bodies stay as byte ranges so a
 * rewriter can copy untouched sections byte for byte.
 */
import { ByteReader, DecodeFailure } from '../core/wasm/bytes';
import { BenchError } from './errors';
import type { ValueType } from './types';

export { ByteReader } from '../core/wasm/bytes';

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/** Position of each known section id in the order the binary format requires. */
const SECTION_ORDER: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

export function sectionRank(id: number): number | undefined {
  return SECTION_ORDER[id];
}

export interface RawSection {
  readonly id: number;
  /** Whole section including id and size. */
  readonly start: number;
  readonly end: number;
  /** Payload only. */
  readonly bodyStart: number;
}

export interface FuncType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

export type ImportKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface MemoryLimits {
  readonly min: number;
  readonly max?: number;
  readonly shared: boolean;
  readonly memory64: boolean;
}

export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  readonly kind: ImportKind;
  /** For functions: the type index. */
  readonly typeIndex?: number;
  readonly memory?: MemoryLimits;
  readonly global?: { readonly type: ValueType; readonly mutable: boolean };
  readonly table?: { readonly element: ValueType; readonly min: number; readonly max?: number };
}

export interface ExportEntry {
  readonly name: string;
  readonly kind: ImportKind;
  readonly index: number;
}

export interface ParsedModule {
  readonly bytes: Uint8Array;
  readonly sections: readonly RawSection[];
  readonly types: readonly FuncType[];
  readonly imports: readonly ImportEntry[];
  /** Type index of each defined (non-imported) function. */
  readonly functionTypes: readonly number[];
  readonly memories: readonly MemoryLimits[];
  readonly exports: readonly ExportEntry[];
  readonly importedFunctionCount: number;
}

const VALUE_TYPES: Readonly<Record<number, ValueType>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

export const VALUE_TYPE_CODES: Readonly<Record<'i32' | 'i64' | 'f32' | 'f64', number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
};

const KINDS: readonly ImportKind[] = ['func', 'table', 'memory', 'global', 'tag'];

function invalid(message: string): BenchError {
  return BenchError.of('invalid-module', `Malformed wasm module: ${message}`);
}

function valueType(reader: ByteReader): ValueType {
  return VALUE_TYPES[reader.u8()] ?? 'unknown';
}

export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

export function encodeName(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...encodeU32(bytes.length), ...bytes];
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

function readLimits(reader: ByteReader): MemoryLimits {
  const flags = reader.u8();
  const memory64 = (flags & 0x04) !== 0;
  const shared = (flags & 0x02) !== 0;
  if (memory64) {
    reader.skipU64();
    if (flags & 0x01) reader.skipU64();
    return { min: 0, shared, memory64 };
  }
  const min = reader.u32();
  const max = flags & 0x01 ? reader.u32() : undefined;
  return max === undefined ? { min, shared, memory64 } : { min, max, shared, memory64 };
}

export function splitSections(bytes: Uint8Array): RawSection[] {
  if (!isWasm(bytes)) throw BenchError.of('not-wasm', 'Not a WebAssembly binary (missing the \\0asm header)');
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw BenchError.of('invalid-module', 'Unsupported wasm binary version (only version 1 core modules can be benchmarked; components cannot)');
  }
  const reader = new ByteReader(bytes, 8, bytes.length, 'module');
  const sections: RawSection[] = [];
  while (reader.pos < bytes.length) {
    const start = reader.pos;
    const id = reader.u8();
    const size = reader.u32();
    const bodyStart = reader.pos;
    const end = bodyStart + size;
    if (end > bytes.length) throw invalid(`section ${id} at byte ${start} runs past the end of the file`);
    sections.push({ id, start, end, bodyStart });
    reader.pos = end;
  }
  return sections;
}

/** Reads the module's types, imports, functions, memories and exports; malformed input is a BenchError. */
export function parseModule(bytes: Uint8Array): ParsedModule {
  try {
    return readModule(bytes);
  } catch (error) {
    if (error instanceof DecodeFailure) throw invalid(`${error.message} (at byte ${error.offset})`);
    throw error;
  }
}

function readModule(bytes: Uint8Array): ParsedModule {
  const sections = splitSections(bytes);
  const types: FuncType[] = [];
  const imports: ImportEntry[] = [];
  const functionTypes: number[] = [];
  const memories: MemoryLimits[] = [];
  const exports: ExportEntry[] = [];
  for (const section of sections) {
    const reader = new ByteReader(bytes, section.bodyStart, section.end);
    switch (section.id) {
      case SECTION.type: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) {
          const form = reader.u8();
          if (form !== 0x60) throw invalid(`type ${i} is not a function type (form 0x${form.toString(16)}); GC types are not supported`);
          const params = Array.from({ length: reader.u32() }, () => valueType(reader));
          const results = Array.from({ length: reader.u32() }, () => valueType(reader));
          types.push({ params, results });
        }
        break;
      }
      case SECTION.import: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) {
          const module = reader.name();
          const name = reader.name();
          const kind = KINDS[reader.u8()];
          if (kind === undefined) throw invalid(`import ${module}.${name} has an unknown kind`);
          if (kind === 'func') imports.push({ module, name, kind, typeIndex: reader.u32() });
          else if (kind === 'memory') imports.push({ module, name, kind, memory: readLimits(reader) });
          else if (kind === 'global') {
            const type = valueType(reader);
            imports.push({ module, name, kind, global: { type, mutable: reader.u8() === 1 } });
          } else if (kind === 'table') {
            const element = valueType(reader);
            const limits = readLimits(reader);
            imports.push({ module, name, kind, table: limits.max === undefined ? { element, min: limits.min } : { element, min: limits.min, max: limits.max } });
          } else {
            reader.u8();
            imports.push({ module, name, kind, typeIndex: reader.u32() });
          }
        }
        break;
      }
      case SECTION.function: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) functionTypes.push(reader.u32());
        break;
      }
      case SECTION.memory: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) memories.push(readLimits(reader));
        break;
      }
      case SECTION.export: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) {
          const name = reader.name();
          const kind = KINDS[reader.u8()];
          if (kind === undefined) throw invalid(`export ${name} has an unknown kind`);
          exports.push({ name, kind, index: reader.u32() });
        }
        break;
      }
      default:
        break;
    }
  }
  const importedFunctionCount = imports.filter((entry) => entry.kind === 'func').length;
  return { bytes, sections, types, imports, functionTypes, memories, exports, importedFunctionCount };
}

/** The signature of a function by its index in the function index space. */
export function functionType(module: ParsedModule, functionIndex: number): FuncType | undefined {
  if (functionIndex < module.importedFunctionCount) {
    const imported = module.imports.filter((entry) => entry.kind === 'func')[functionIndex];
    return imported?.typeIndex === undefined ? undefined : module.types[imported.typeIndex];
  }
  const typeIndex = module.functionTypes[functionIndex - module.importedFunctionCount];
  return typeIndex === undefined ? undefined : module.types[typeIndex];
}

export function describeType(type: FuncType): string {
  const params = type.params.length > 0 ? ` (param ${type.params.join(' ')})` : '';
  const results = type.results.length > 0 ? ` (result ${type.results.join(' ')})` : '';
  return `func${params}${results}`;
}

export function describeImport(module: ParsedModule, entry: ImportEntry): string {
  let signature: string = entry.kind;
  if (entry.kind === 'func' && entry.typeIndex !== undefined) {
    const type = module.types[entry.typeIndex];
    if (type) signature = describeType(type);
  } else if (entry.kind === 'global' && entry.global) {
    signature = `global ${entry.global.mutable ? 'mut ' : ''}${entry.global.type}`;
  }
  return `${entry.module}.${entry.name} (${signature})`;
}
