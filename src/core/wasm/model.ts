/**
 * The binaries area's model. `BinaryFile` is the contract other areas and hosts rely on;
 * `WasmReport` is what `inspectWasm` (./inspect.ts) reads out of one `.wasm` file, module
 * or component. Everything is plain data; byte offsets are offsets into the file.
 */
import type { FilePath } from '../model';
import type { ReadFailure } from '../workspace/reader';
import type { FunctionNames } from './function-names';

/** Where decoding stopped: the byte offset and what the binary format expected there. */
export interface WasmDecodeError {
  readonly offset: number;
  readonly message: string;
}

export type WasmKind = 'module' | 'component';

/** A top-level section. `offset` is the section id byte; `size` is the payload size. */
export interface WasmSection {
  readonly id: number;
  /** `type`, `code`, … for known ids; `custom:<name>` for custom sections. */
  readonly name: string;
  readonly offset: number;
  /** Offset of the payload (after the id and size LEB). */
  readonly payloadOffset: number;
  readonly size: number;
}

/** A function signature rendered as text, e.g. params `['i32', 'i64']`, results `['f64']`. */
export interface FunctionSignature {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

export type ExternalKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface WasmImport {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternalKind;
  /** Type index for functions and tags. */
  readonly typeIndex?: number;
  readonly signature?: FunctionSignature;
}

export interface WasmExport {
  readonly name: string;
  readonly kind: ExternalKind;
  readonly index: number;
  /** Only for functions whose type is a function type. */
  readonly signature?: FunctionSignature;
}

export interface CustomSection {
  readonly name: string;
  /** Offset of the section's id byte. */
  readonly offset: number;
  /** Bytes the whole section occupies in the file, header included (what removing it saves). */
  readonly size: number;
}

/** One `producers` value: `{ name: 'rustc', version: '1.78.0 (…)' }` (facts §10.2). */
export interface ProducerEntry {
  readonly name: string;
  readonly version: string;
}

export interface Producers {
  readonly language: readonly ProducerEntry[];
  readonly processedBy: readonly ProducerEntry[];
  readonly sdk: readonly ProducerEntry[];
}

/** One `target_features` entry (facts §10.1); the removed `=` prefix is read as `+`. */
export interface TargetFeature {
  readonly prefix: '+' | '-';
  readonly name: string;
}

export interface LargestFunction {
  /** Index in the function index space (imports first). */
  readonly index: number;
  readonly name?: string;
  /** Offset of the body's size LEB in the file. */
  readonly offset: number;
  /** Body size in bytes, without the size LEB. */
  readonly size: number;
}

/** Instruction counts from the full walk of every function body (facts §11). */
export interface InstructionCounts {
  readonly total: number;
  /** `0xFD` instructions, relaxed ones included. */
  readonly simd: number;
  /** `0xFD` sub-opcodes 256–275. */
  readonly relaxedSimd: number;
  /** `0xFC` instructions: saturating truncation (0–7) plus bulk memory/table (8–17). */
  readonly bulkMemory: number;
  /** `0xFE` instructions. */
  readonly atomics: number;
  /** `0xFB` instructions. */
  readonly gc: number;
}

/** Proposal names as LLVM/tool-conventions spell them where they have a name there. */
export type WasmFeature =
  | 'simd128'
  | 'relaxed-simd'
  | 'bulk-memory'
  | 'nontrapping-fptoint'
  | 'sign-ext'
  | 'atomics'
  | 'mutable-globals'
  | 'multivalue'
  | 'reference-types'
  | 'tail-call'
  | 'exception-handling'
  | 'legacy-exceptions'
  | 'memory64'
  | 'multimemory'
  | 'gc'
  | 'function-references'
  | 'extended-const'
  | 'custom-page-sizes';

export interface FunctionsInfo {
  /** Imported plus defined functions. */
  readonly count: number;
  readonly imported: number;
  /** Defined functions' body sizes in code-section order (defined index = function index − imported). */
  readonly bodySizes: Uint32Array;
  /** File offset of each defined function's body (its size LEB). */
  readonly bodyOffsets: Uint32Array;
  /** Function names from the `name` section, by function index, decoded only when asked for. */
  readonly names: FunctionNames;
  readonly largest: readonly LargestFunction[];
}

/** A core module: the whole file, or one embedded in a component. */
export interface ModuleReport {
  /** Offset of the module's preamble in the file. */
  readonly offset: number;
  readonly size: number;
  readonly sections: readonly WasmSection[];
  readonly types: number;
  readonly imports: readonly WasmImport[];
  readonly exports: readonly WasmExport[];
  readonly functions: FunctionsInfo;
  readonly customSections: readonly CustomSection[];
  /** `name`/`producers`/`target_features` sections that did not decode (they never make a module malformed). */
  readonly customSectionProblems?: readonly WasmDecodeError[];
  readonly producers?: Producers;
  /** Undefined when the section is absent (stripped, facts §10.3). */
  readonly targetFeatures?: readonly TargetFeature[];
  /** `.debug_*` custom sections (DWARF). */
  readonly debugSections: readonly CustomSection[];
  readonly debugBytes: number;
  /** Features the module uses, judged from opcodes, types and sections; sorted. */
  readonly features: readonly WasmFeature[];
  readonly instructions: InstructionCounts;
}

export interface WasmReport {
  readonly kind: WasmKind;
  /** Module version (1) or component version word (0x0d) from the preamble. */
  readonly version: number;
  readonly fileSize: number;
  /**
   * For a module: its own report. For a component: undefined; see `modules`.
   * Partial when `error` is set (what decoded before the error).
   */
  readonly module?: ModuleReport;
  /** Component only: top-level sections of the component. */
  readonly componentSections?: readonly WasmSection[];
  /** Component only: the embedded core modules, in file order (nested components included). */
  readonly modules: readonly ModuleReport[];
  /** Sums over `modules` (or the one module). */
  readonly totals: {
    readonly functions: number;
    readonly codeBytes: number;
    readonly debugBytes: number;
    readonly instructions: InstructionCounts;
    readonly features: readonly WasmFeature[];
  };
  /** Set when the binary is malformed; everything above is what decoded before it. */
  readonly error?: WasmDecodeError;
}

/** The outcome of validation beyond decoding (only for binaries that decode). */
export type WasmValidity =
  | { readonly status: 'valid' }
  | { readonly status: 'invalid'; readonly message: string; readonly offset?: number }
  /** The host engine cannot judge: it lacks features the module uses. */
  | { readonly status: 'unknown'; readonly message: string; readonly missingFeatures: readonly WasmFeature[] };

export interface BinaryFile {
  readonly path: FilePath;
  readonly size: number;
  /** The read failed or was skipped (too large, unreadable). */
  readonly failure?: ReadFailure;
  /** Inspection result; absent only when the read failed. */
  readonly report?: WasmReport;
  /** Validation result; absent when the binary is malformed (nothing to validate) or unread. */
  readonly validity?: WasmValidity;
}

export interface BinaryModel {
  readonly files: readonly BinaryFile[];
  /** Discovered binaries that were not read: under test paths, or binaries are not analysed at all. */
  readonly unread: number;
}

/** The model when nothing was loaded: `unread` binaries were left alone, or the loader failed. */
export function emptyBinaryModel(unread = 0): BinaryModel {
  return { files: [], unread };
}
