/**
 * The benchmark engine's view of a wasm module: the engine's strict reader (core/wasm)
 * decodes it once, and this file reshapes the result into what the driver and the import
 * stubs need, with section bodies kept as byte ranges so the rewriter can copy untouched
 * sections byte for byte. Bad input becomes a BenchError carrying the reader's offset.
 */
import { decodeModule, MODULE_MAGIC, type ModuleLayout } from '../core/wasm/module';
import type { ExternalKind, ModuleReport, WasmSection } from '../core/wasm/model';
import type { Limits } from '../core/wasm/types';
import { BenchError } from './errors';
import type { ValueType } from './types';

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

export type ImportKind = ExternalKind;

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
  /** Indexed like the type section; undefined where the entry is not a function type (GC struct/array). */
  readonly types: readonly (FuncType | undefined)[];
  readonly imports: readonly ImportEntry[];
  /** Type index of each defined (non-imported) function. */
  readonly functionTypes: readonly number[];
  /** Memories the module defines (not imported ones). */
  readonly memories: readonly MemoryLimits[];
  readonly exports: readonly ExportEntry[];
  readonly importedFunctionCount: number;
}

const VALUE_TYPES: ReadonlySet<string> = new Set<ValueType>(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref']);

/** The reader renders value types as text; anything beyond the bench's types (GC references) is `unknown`. */
function valueType(text: string): ValueType {
  return VALUE_TYPES.has(text) ? (text as ValueType) : 'unknown';
}

export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MODULE_MAGIC.every((b, i) => bytes[i] === b);
}

function rawSection(section: WasmSection): RawSection {
  return { id: section.id, start: section.offset, end: section.payloadOffset + section.size, bodyStart: section.payloadOffset };
}

function memoryLimits(limits: Limits): MemoryLimits {
  // 64-bit limits are not decoded; the rewriter leaves them as they are.
  const min = limits.min ?? 0;
  const base = { min, shared: limits.shared, memory64: limits.is64 };
  return limits.max === undefined ? base : { ...base, max: limits.max };
}

/** Pairs each import with its entry in the index space it opens (imports come first in every space). */
function importEntries(report: ModuleReport, layout: ModuleLayout): ImportEntry[] {
  const next = { memory: 0, table: 0, global: 0 };
  return report.imports.map(({ module, name, kind, typeIndex }): ImportEntry => {
    if (kind === 'memory') {
      const limits = layout.memories[next.memory++];
      return { module, name, kind, ...(limits ? { memory: memoryLimits(limits) } : {}) };
    }
    if (kind === 'table') {
      const table = layout.tables[next.table++];
      if (!table) return { module, name, kind };
      const { min, max } = memoryLimits(table.limits);
      return { module, name, kind, table: { element: valueType(table.element), min, ...(max !== undefined ? { max } : {}) } };
    }
    if (kind === 'global') {
      const global = layout.globals[next.global++];
      return { module, name, kind, ...(global ? { global: { type: valueType(global.type), mutable: global.mutable } } : {}) };
    }
    return { module, name, kind, ...(typeIndex !== undefined ? { typeIndex } : {}) };
  });
}

/** Raw byte ranges of the module's sections, in file order; malformed input is a BenchError. */
export function splitSections(bytes: Uint8Array): RawSection[] {
  return [...parseModule(bytes).sections];
}

/** Decodes the module once with the engine's reader; malformed input is a BenchError. */
export function parseModule(bytes: Uint8Array): ParsedModule {
  if (!isWasm(bytes)) throw BenchError.of('not-wasm', 'Not a WebAssembly binary (missing the \\0asm header)');
  if (bytes[6] === 1 && bytes[7] === 0) {
    throw BenchError.of('invalid-module', 'This is a WebAssembly component; only core modules can be benchmarked');
  }
  const { report, layout, error } = decodeModule(bytes);
  if (error) throw BenchError.of('invalid-module', `Malformed wasm module: ${error.message} (at byte ${error.offset})`);
  const importedFunctionCount = report.functions.imported;
  const importedMemories = report.imports.filter((entry) => entry.kind === 'memory').length;
  return {
    bytes,
    sections: report.sections.map(rawSection),
    types: layout.types.map((entry) =>
      typeof entry === 'object' ? { params: entry.params.map(valueType), results: entry.results.map(valueType) } : undefined,
    ),
    imports: importEntries(report, layout),
    functionTypes: Array.from(layout.functionTypes.subarray(importedFunctionCount)),
    memories: layout.memories.slice(importedMemories).map(memoryLimits),
    exports: report.exports.map(({ name, kind, index }) => ({ name, kind, index })),
    importedFunctionCount,
  };
}

/** The signature of a function by its index in the function index space. */
export function functionType(module: ParsedModule, functionIndex: number): FuncType | undefined {
  const typeIndex =
    functionIndex < module.importedFunctionCount
      ? module.imports.filter((entry) => entry.kind === 'func')[functionIndex]?.typeIndex
      : module.functionTypes[functionIndex - module.importedFunctionCount];
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
