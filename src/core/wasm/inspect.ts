/**
 * `inspectWasm`: the public entry point of the binary reader. It recognises a core
 * module or a component from the preamble, decodes it (components: their top-level
 * sections plus every embedded core module) and returns a `WasmReport`. It is
 * synchronous and never throws: malformed input yields a report with `error`.
 */
import { ByteReader, DecodeFailure, fail } from './bytes';
import { featureBits, featureNames } from './features';
import type { InstructionCounts, ModuleReport, WasmDecodeError, WasmReport, WasmSection } from './model';
import { decodeModule, preamble } from './module';

const COMPONENT_SECTION_NAMES = [
  'custom',
  'core module',
  'core instance',
  'core type',
  'component',
  'instance',
  'alias',
  'type',
  'canon',
  'start',
  'import',
  'export',
  'value',
];
const CORE_MODULE_SECTION = 1;
const NESTED_COMPONENT_SECTION = 4;
const MAX_COMPONENT_NESTING = 32;

export function inspectWasm(bytes: Uint8Array): WasmReport {
  try {
    return inspect(bytes);
  } catch (error) {
    // A bug in the reader must not take the host down; report it where decoding stood.
    return emptyReport(bytes, {
      offset: 0,
      message: `internal error while reading the binary: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function inspect(bytes: Uint8Array): WasmReport {
  const isComponent =
    bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[6] === 1 && bytes[7] === 0;
  if (!isComponent) {
    const { report, error } = decodeModule(bytes);
    return {
      kind: 'module',
      version: bytes.length >= 8 ? bytes[4]! | (bytes[5]! << 8) : 0,
      fileSize: bytes.length,
      module: report,
      modules: [report],
      totals: totals([report]),
      ...(error ? { error } : {}),
    };
  }
  const modules: ModuleReport[] = [];
  const sections: WasmSection[] = [];
  let error: WasmDecodeError | undefined;
  try {
    component(bytes, 0, bytes.length, modules, sections, 0);
  } catch (failure) {
    if (!(failure instanceof DecodeFailure)) throw failure;
    error = { offset: failure.offset, message: failure.message };
  }
  return {
    kind: 'component',
    version: bytes[4]! | (bytes[5]! << 8),
    fileSize: bytes.length,
    componentSections: sections,
    modules,
    totals: totals(modules),
    ...(error ? { error } : {}),
  };
}

/** Walks a component's top-level sections; `sections` collects only the outermost level. */
function component(
  bytes: Uint8Array,
  start: number,
  end: number,
  modules: ModuleReport[],
  sections: WasmSection[] | undefined,
  depth: number,
): void {
  if (depth > MAX_COMPONENT_NESTING) fail(start, `components nested deeper than ${MAX_COMPONENT_NESTING} levels`);
  const r = new ByteReader(bytes, start, end, depth === 0 ? 'file' : 'nested component');
  preamble(r, 'component');
  while (!r.atEnd) {
    const offset = r.pos;
    const id = r.u8();
    if (id >= COMPONENT_SECTION_NAMES.length)
      fail(offset, `malformed component section id ${id}: expected 0–${COMPONENT_SECTION_NAMES.length - 1}`);
    const sizeOffset = r.pos;
    const size = r.u32();
    const payload = r.pos;
    if (size > end - payload)
      fail(
        sizeOffset,
        `section size mismatch: the ${COMPONENT_SECTION_NAMES[id]} section declares ${size} bytes but only ${end - payload} are left`,
      );
    let name = COMPONENT_SECTION_NAMES[id]!;
    if (id === 0) name = `custom:${new ByteReader(bytes, payload, payload + size, 'custom section').name()}`;
    else if (id === CORE_MODULE_SECTION) {
      const result = decodeModule(bytes, payload, payload + size);
      modules.push(result.report);
      // A malformed embedded module makes the component malformed; stop where it failed.
      if (result.error) throw new DecodeFailure(result.error.offset, `core module at offset ${payload}: ${result.error.message}`);
    } else if (id === NESTED_COMPONENT_SECTION) {
      component(bytes, payload, payload + size, modules, undefined, depth + 1);
    }
    sections?.push({ id, name, offset, payloadOffset: payload, size });
    r.pos = payload + size;
  }
}

const ZERO_COUNTS: InstructionCounts = { total: 0, simd: 0, relaxedSimd: 0, bulkMemory: 0, atomics: 0, gc: 0 };

function totals(modules: readonly ModuleReport[]): WasmReport['totals'] {
  let functions = 0;
  let codeBytes = 0;
  let debugBytes = 0;
  let features = 0;
  const instructions = { ...ZERO_COUNTS };
  for (const m of modules) {
    functions += m.functions.count;
    const sizes = m.functions.bodySizes;
    for (let i = 0; i < sizes.length; i++) codeBytes += sizes[i]!; // an index loop: no iterator per body
    debugBytes += m.debugBytes;
    features |= featureBits(m.features);
    for (const key of Object.keys(instructions) as (keyof InstructionCounts)[]) instructions[key] += m.instructions[key];
  }
  return { functions, codeBytes, debugBytes, instructions, features: featureNames(features) };
}

function emptyReport(bytes: Uint8Array, error: WasmDecodeError): WasmReport {
  return { kind: 'module', version: 0, fileSize: bytes.length, modules: [], totals: totals([]), error };
}
