/**
 * Decodes one core module section by section without building an AST: headers, types,
 * imports, exports, function/code counts, per-body sizes, custom sections, and the full
 * instruction walk of every body and constant expression. Strict: everything the core
 * spec calls malformed stops decoding with a `DecodeFailure`; the decoder keeps what it
 * read before so the caller can still report it.
 */
import { ByteReader, DecodeFailure, fail, MODULE_MAGIC } from './bytes';
import { walkCodeBodies, walkConstantExpressions, WalkStats } from './code-walk';
import { producers, targetFeatures } from './custom-sections';
import { functionNames, NO_FUNCTION_NAMES, type FunctionNames } from './function-names';
import { F_BULK_MEMORY, F_EXCEPTIONS, F_MULTIMEMORY, F_MUTABLE_GLOBALS, F_REFERENCE_TYPES, featureNames } from './features';
import type {
  CustomSection,
  ExternalKind,
  LargestFunction,
  ModuleReport,
  Producers,
  TargetFeature,
  WasmDecodeError,
  WasmExport,
  WasmImport,
  WasmSection,
} from './model';
import { limits, referenceType, typeSection, valueType, type FeatureSink, type Limits, type TypeEntry } from './types';

export { MODULE_MAGIC };
const SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'element',
  'code',
  'data',
  'datacount',
  'tag',
];
/** Required order of non-custom sections (the tag section sits between memory and global). */
const SECTION_RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };
const EXTERNAL_KINDS: readonly ExternalKind[] = ['func', 'table', 'memory', 'global', 'tag'];
const LARGEST_COUNT = 10;

/** A section id's place in the required order; undefined for custom (and unknown) sections. */
export function sectionRank(id: number): number | undefined {
  return SECTION_RANK[id];
}

export function sectionName(id: number, customName?: string): string {
  return id === 0 ? `custom:${customName ?? ''}` : (SECTION_NAMES[id] ?? `unknown(${id})`);
}

class ModuleDecoder implements FeatureSink {
  features = 0;
  readonly stats = new WalkStats();
  readonly sections: WasmSection[] = [];
  readonly customSections: CustomSection[] = [];
  readonly customProblems: WasmDecodeError[] = [];
  readonly imports: WasmImport[] = [];
  readonly exports: WasmExport[] = [];
  types: TypeEntry[] = [];
  /** Type index of every function (imported first). */
  /** Type index of each imported function, then (from the function section on) of every function in `funcTypes`. */
  private importedFuncTypes: number[] = [];
  funcTypes = new Uint32Array(0);
  importedFuncs = 0;
  readonly memories: Limits[] = [];
  readonly tables: TableType[] = [];
  readonly globals: GlobalType[] = [];
  declaredFunctions: number | undefined;
  dataCount: number | undefined;
  bodySizes = new Uint32Array(0);
  bodyOffsets = new Uint32Array(0);
  names: FunctionNames = NO_FUNCTION_NAMES;
  producers: Producers | undefined;
  targetFeatures: TargetFeature[] | undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}

  decode(): void {
    const r = new ByteReader(this.bytes, this.start, this.end, this.start === 0 ? 'file' : 'module');
    preamble(r, 'module');
    let lastRank = 0;
    let lastId = 0;
    while (!r.atEnd) {
      const offset = r.pos;
      const id = r.u8();
      if (id > 13) fail(offset, `malformed section id ${id}: expected 0–13`);
      const sizeOffset = r.pos;
      const size = r.u32();
      const payload = r.pos;
      if (size > this.end - payload) {
        fail(
          sizeOffset,
          `section size mismatch: the ${SECTION_NAMES[id]} section declares ${size} bytes but only ${this.end - payload} are left`,
        );
      }
      if (id !== 0) {
        const rank = SECTION_RANK[id]!;
        if (rank <= lastRank) {
          fail(
            offset,
            rank === lastRank
              ? `duplicate ${SECTION_NAMES[id]} section: expected each section at most once`
              : `unexpected ${SECTION_NAMES[id]} section after the ${SECTION_NAMES[lastId]} section: expected sections in the spec's order`,
          );
        }
        lastRank = rank;
        lastId = id;
      }
      const section = new ByteReader(this.bytes, payload, payload + size, `${SECTION_NAMES[id]} section`);
      let name: string | undefined;
      if (id === 0) name = this.customSection(section, offset, payload + size - offset);
      else this.section(id, section);
      if (section.pos !== section.end) {
        fail(
          section.pos,
          `section size mismatch: the ${SECTION_NAMES[id]} section declares ${size} bytes but its contents end after ${section.pos - payload}`,
        );
      }
      this.sections.push({ id, name: sectionName(id, name), offset, payloadOffset: payload, size });
      r.pos = payload + size;
    }
    // No data section means zero segments, which a non-zero data count contradicts (spec: binary format, Modules, Data Count Section).
    if (this.dataCount && !this.sections.some((s) => s.id === 11)) {
      fail(
        this.end,
        `data count and data section have inconsistent lengths: the data count section says ${this.dataCount}, but there is no data section`,
      );
    }
    const defined = this.declaredFunctions ?? 0;
    if (defined !== 0 && !this.sections.some((s) => s.id === 10)) {
      fail(this.end, `function and code section have inconsistent lengths: ${defined} functions declared but there is no code section`);
    }
  }

  private section(id: number, r: ByteReader): void {
    switch (id) {
      case 1:
        this.types = typeSection(r, this);
        return;
      case 2:
        return this.importSection(r);
      case 3:
        return this.functionSection(r);
      case 4:
        for (let i = 0, n = r.count(); i < n; i++) this.table(r);
        return;
      case 5:
        for (let i = 0, n = r.count(); i < n; i++) this.memory(r);
        return;
      case 13:
        this.features |= F_EXCEPTIONS;
        for (let i = 0, n = r.count(2); i < n; i++) this.tagType(r);
        return;
      case 6:
        for (let i = 0, n = r.count(2); i < n; i++) {
          this.globals.push(this.globalType(r, false));
          this.constExpr(r);
        }
        return;
      case 7:
        return this.exportSection(r);
      case 8:
        r.u32();
        return;
      case 9:
        for (let i = 0, n = r.count(); i < n; i++) this.elementSegment(r);
        return;
      case 12:
        this.dataCount = r.u32();
        return;
      case 10:
        return this.codeSection(r);
      case 11:
        return this.dataSection(r);
    }
  }

  private importSection(r: ByteReader): void {
    for (let i = 0, n = r.count(3); i < n; i++) {
      const module = r.name();
      const name = r.name();
      const at = r.pos;
      const kindByte = r.u8();
      const kind = EXTERNAL_KINDS[kindByte];
      if (!kind) fail(at, `malformed import kind 0x${kindByte.toString(16)}: expected 0x00–0x04`);
      if (kind === 'func') {
        const typeIndex = r.u32();
        this.importedFuncTypes.push(typeIndex);
        this.importedFuncs++;
        const signature = this.signature(typeIndex);
        this.imports.push({ module, name, kind, typeIndex, ...(signature ? { signature } : {}) });
        continue;
      }
      if (kind === 'table') this.table(r, true);
      else if (kind === 'memory') this.memory(r);
      else if (kind === 'global') this.globals.push(this.globalType(r, true));
      else {
        const typeIndex = this.tagType(r);
        this.features |= F_EXCEPTIONS;
        this.imports.push({ module, name, kind, typeIndex });
        continue;
      }
      this.imports.push({ module, name, kind });
    }
    this.funcTypes = Uint32Array.from(this.importedFuncTypes);
  }

  /**
   * Type indices of the defined functions, into a typed array (hundreds of thousands in a large
   * module). Nearly every index is one byte, copied by a plain loop; a longer one goes to `u32()`.
   */
  private functionSection(r: ByteReader): void {
    const n = r.count();
    this.declaredFunctions = n;
    const imported = this.importedFuncTypes.length;
    const types = new Uint32Array(imported + n);
    types.set(this.importedFuncTypes);
    const bytes = this.bytes;
    const start = r.pos;
    const fast = Math.min(n, r.end - start);
    let i = 0;
    while (i < fast && bytes[start + i]! < 0x80) {
      types[imported + i] = bytes[start + i]!;
      i++;
    }
    r.pos = start + i;
    for (; i < n; i++) types[imported + i] = r.u32();
    this.funcTypes = types;
  }

  private exportSection(r: ByteReader): void {
    for (let i = 0, n = r.count(3); i < n; i++) {
      const name = r.name();
      const at = r.pos;
      const kindByte = r.u8();
      const kind = EXTERNAL_KINDS[kindByte];
      if (!kind) fail(at, `malformed export kind 0x${kindByte.toString(16)}: expected 0x00–0x04`);
      const index = r.u32();
      const signature = kind === 'func' ? this.signature(this.funcTypes[index]) : undefined;
      // Built whole: a spread made a temporary object per export (duckdb-wasm has 75,000).
      this.exports.push(signature ? { name, kind, index, signature } : { name, kind, index });
    }
  }

  private signature(typeIndex: number | undefined): WasmImport['signature'] {
    const type = typeIndex === undefined ? undefined : this.types[typeIndex];
    return typeof type === 'object' ? type : undefined;
  }

  private table(r: ByteReader, imported = false): void {
    if (this.tables.length > 0) this.features |= F_REFERENCE_TYPES;
    let initializer = false;
    if (!imported && r.bytes[r.pos] === 0x40) {
      const at = r.pos + 1;
      r.pos++;
      if (r.u8() !== 0) fail(at, 'malformed table: expected the reserved byte 0x00 after 0x40');
      initializer = true;
      this.features |= F_REFERENCE_TYPES;
    }
    let element = 'funcref';
    if (r.bytes[r.pos] === 0x70 && r.pos < r.end)
      r.pos++; // funcref tables are MVP
    else element = referenceType(r, this);
    this.tables.push({ element, limits: limits(r, this, false) });
    if (initializer) this.constExpr(r);
  }

  private memory(r: ByteReader): void {
    if (this.memories.length > 0) this.features |= F_MULTIMEMORY;
    this.memories.push(limits(r, this, true));
  }

  private globalType(r: ByteReader, imported: boolean): GlobalType {
    const type = valueType(r, this);
    const at = r.pos;
    const mutability = r.u8();
    if (mutability > 1) fail(at, `malformed mutability ${mutability}: expected 0 or 1`);
    if (mutability === 1 && imported) this.features |= F_MUTABLE_GLOBALS;
    return { type, mutable: mutability === 1 };
  }

  private tagType(r: ByteReader): number {
    const at = r.pos;
    const attribute = r.u8();
    if (attribute !== 0) fail(at, `malformed tag attribute ${attribute}: expected 0x00 (exception)`);
    return r.u32();
  }

  private constExpr(r: ByteReader): void {
    r.pos = walkConstantExpressions(this.bytes, r.pos, r.end, 1, this.stats);
  }

  private elementSegment(r: ByteReader): void {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) fail(at, `malformed element segment flags ${flags}: expected 0–7`);
    if (flags !== 0) this.features |= flags & 1 ? F_BULK_MEMORY : F_REFERENCE_TYPES;
    if ((flags & 3) === 2) r.u32(); // explicit table index
    if ((flags & 1) === 0) this.constExpr(r); // active: offset
    const usesExpressions = (flags & 4) !== 0;
    if (flags & 3) {
      if (usesExpressions) referenceType(r, this);
      else {
        const kindAt = r.pos;
        if (r.u8() !== 0) fail(kindAt, 'malformed element kind: expected 0x00 (funcref)');
      }
    }
    const n = r.count();
    if (usesExpressions) r.pos = walkConstantExpressions(this.bytes, r.pos, r.end, n, this.stats);
    else for (let i = 0; i < n; i++) r.u32();
  }

  private codeSection(r: ByteReader): void {
    const countAt = r.pos;
    const count = r.count();
    const declared = this.declaredFunctions ?? 0;
    if (count !== declared) {
      fail(
        countAt,
        `function and code section have inconsistent lengths: ${declared} functions declared, ${count} bodies in the code section`,
      );
    }
    this.bodySizes = new Uint32Array(count);
    this.bodyOffsets = new Uint32Array(count);
    r.pos = walkCodeBodies(this.bytes, r.pos, r.end, count, this.bodyOffsets, this.bodySizes, this.stats, this.dataCount !== undefined);
  }

  private dataSection(r: ByteReader): void {
    const countAt = r.pos;
    const count = r.count();
    if (this.dataCount !== undefined && this.dataCount !== count) {
      fail(
        countAt,
        `data count and data section have inconsistent lengths: the data count section says ${this.dataCount}, the data section has ${count}`,
      );
    }
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const flags = r.u32();
      if (flags > 2) fail(at, `malformed data segment flags ${flags}: expected 0, 1 or 2`);
      if (flags === 1) this.features |= F_BULK_MEMORY;
      if (flags === 2 && r.u32() !== 0) this.features |= F_MULTIMEMORY;
      if (flags !== 1) this.constExpr(r);
      r.skip(r.u32());
    }
  }

  private customSection(r: ByteReader, offset: number, size: number): string {
    const name = r.name();
    const start = r.pos;
    const end = r.end;
    this.customSections.push({ name, offset, size });
    try {
      if (name === 'name') this.names = functionNames(this.bytes, start, end);
      else if (name === 'producers') this.producers = producers(this.bytes, start, end);
      else if (name === 'target_features') this.targetFeatures = targetFeatures(this.bytes, start, end);
    } catch (error) {
      if (!(error instanceof DecodeFailure)) throw error;
      this.customProblems.push({ offset: error.offset, message: `${name} section: ${error.message}` });
    }
    r.pos = end;
    return name;
  }

  layout(): ModuleLayout {
    return { types: this.types, functionTypes: this.funcTypes, memories: this.memories, tables: this.tables, globals: this.globals };
  }

  report(): ModuleReport {
    const debugSections = this.customSections.filter((s) => s.name.startsWith('.debug_'));
    const stats = this.stats;
    return {
      offset: this.start,
      size: this.end - this.start,
      sections: this.sections,
      types: this.types.length,
      imports: this.imports,
      exports: this.exports,
      functions: {
        count: this.importedFuncs + this.bodySizes.length,
        imported: this.importedFuncs,
        bodySizes: this.bodySizes,
        bodyOffsets: this.bodyOffsets,
        names: this.names,
        largest: this.largest(),
      },
      customSections: this.customSections,
      ...(this.customProblems.length > 0 ? { customSectionProblems: this.customProblems } : {}),
      ...(this.producers ? { producers: this.producers } : {}),
      ...(this.targetFeatures ? { targetFeatures: this.targetFeatures } : {}),
      debugSections,
      debugBytes: debugSections.reduce((sum, s) => sum + s.size, 0),
      features: featureNames(this.usedFeatures()),
      instructions: {
        total: stats.total,
        simd: stats.simd,
        relaxedSimd: stats.relaxedSimd,
        bulkMemory: stats.bulkMemory,
        atomics: stats.atomics,
        gc: stats.gc,
      },
    };
  }

  /**
   * With at most one memory a non-zero memory index is out of range, not a use of multimemory:
   * the module is invalid whatever the engine supports, so it must not wait on multimemory support.
   */
  private usedFeatures(): number {
    const used = this.features | this.stats.features;
    return this.memories.length > 1 ? used : used & ~F_MULTIMEMORY;
  }

  private largest(): LargestFunction[] {
    // A bounded insertion list: O(n · 10) without sorting (or copying) every size.
    const top: number[] = [];
    const sizes = this.bodySizes;
    for (let i = 0; i < sizes.length; i++) {
      const size = sizes[i]!;
      if (top.length === LARGEST_COUNT && size <= sizes[top[top.length - 1]!]!) continue;
      let k = top.length;
      while (k > 0 && sizes[top[k - 1]!]! < size) k--;
      top.splice(k, 0, i);
      if (top.length > LARGEST_COUNT) top.pop();
    }
    return top.map((i) => {
      const index = i + this.importedFuncs;
      const name = this.names.get(index);
      return { index, offset: this.bodyOffsets[i]!, size: sizes[i]!, ...(name !== undefined ? { name } : {}) };
    });
  }
}

/** Magic and version; `kind` says which preamble the caller expects. */
export function preamble(r: ByteReader, kind: 'module' | 'component'): number {
  for (let i = 0; i < 4; i++) {
    const at = r.pos;
    if (r.atEnd) fail(at, `${r.end === 0 ? 'empty file' : `unexpected end of ${r.region}`}: expected the magic number \\0asm`);
    if (r.u8() !== MODULE_MAGIC[i]) fail(at, 'wrong magic number: expected \\0asm (00 61 73 6d)');
  }
  const at = r.pos;
  if (r.end - r.pos < 4) fail(r.end, `unexpected end of ${r.region}: expected a 4-byte version`);
  const b = r.bytes;
  const word = b[at]! | (b[at + 1]! << 8);
  const layer = b[at + 2]! | (b[at + 3]! << 8);
  r.pos += 4;
  if (kind === 'module' && !(word === 1 && layer === 0))
    fail(at, `unknown binary version ${hex4(b, at)}: expected 01 00 00 00 (a core module)`);
  if (kind === 'component' && layer !== 1) fail(at + 2, `unknown component layer ${layer}: expected 1`);
  return word;
}

export function hex4(b: Uint8Array, at: number): string {
  return [0, 1, 2, 3].map((i) => b[at + i]!.toString(16).padStart(2, '0')).join(' ');
}

export interface TableType {
  /** `funcref`, `externref`, `(ref null 3)`… as `valueType` renders it. */
  readonly element: string;
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: string;
  readonly mutable: boolean;
}

/**
 * The index spaces as decoded, imported entries first: what a caller that rewrites or
 * instantiates the module needs beyond the report (the report keeps only counts and text).
 */
export interface ModuleLayout {
  /** Every entry of the type index space. */
  readonly types: readonly TypeEntry[];
  /** Type index of every function. */
  readonly functionTypes: Uint32Array;
  readonly memories: readonly Limits[];
  readonly tables: readonly TableType[];
  readonly globals: readonly GlobalType[];
}

export interface ModuleResult {
  readonly report: ModuleReport;
  /** Partial, like the report, when `error` is set. */
  readonly layout: ModuleLayout;
  readonly error?: WasmDecodeError;
}

/** Decodes the module occupying `bytes[start, end)`. Never throws on bad input. */
export function decodeModule(bytes: Uint8Array, start = 0, end = bytes.length): ModuleResult {
  const decoder = new ModuleDecoder(bytes, start, end);
  try {
    decoder.decode();
    return { report: decoder.report(), layout: decoder.layout() };
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    return { report: decoder.report(), layout: decoder.layout(), error: { offset: error.offset, message: error.message } };
  }
}
