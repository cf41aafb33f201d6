/**
 * Validation beyond decoding. `WebAssembly.validate` is the fast yes/no, but it only
 * knows the proposals the running V8 ships (Node 20 = V8 11.3). Which ones it lacks is
 * probed once with tiny modules, so a module that uses, say, memory64 is reported as
 * "cannot judge here" instead of invalid. Only a real "no" from an engine that knows every
 * feature the module uses is "invalid"; wabt (in a worker) then says why.
 */
import { section, uleb } from './encode';
import type { WasmFeature, WasmReport, WasmValidity } from './model';
import { withDefinedGlobalOffsetsInlined } from './defined-global-offsets';
import { decodeModule } from './module';
import type { ValidationWorker } from './validation-worker';

interface ProbeParts {
  readonly types?: number[];
  readonly imports?: number[];
  readonly memories?: number[];
  readonly globals?: number[];
  /** One function of type 0 `() -> ()` unless `types` says otherwise. */
  readonly body?: number[];
}

function probeModule(parts: ProbeParts): Uint8Array {
  const body = parts.body;
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, parts.types ?? [1, 0x60, 0, 0]),
    ...(parts.imports ? section(2, parts.imports) : []),
    ...(body ? section(3, [1, 0]) : []),
    ...(parts.memories ? section(5, parts.memories) : []),
    ...(parts.globals ? section(6, parts.globals) : []),
    ...(body ? section(10, [1, ...uleb(body.length + 1), ...body, 0x0b]) : []),
  ]);
}

const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** A smallest valid module using each feature (and nothing newer). */
const PROBES: Record<WasmFeature, Uint8Array> = {
  simd128: probeModule({ body: [0x00, ...V128_ZERO, 0x1a] }),
  'relaxed-simd': probeModule({ body: [0x00, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x80, 0x02, 0x1a] }),
  'bulk-memory': probeModule({ memories: [1, 0, 1], body: [0x00, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 11, 0] }),
  'nontrapping-fptoint': probeModule({ body: [0x00, 0x43, 0, 0, 0, 0, 0xfc, 0, 0x1a] }),
  'sign-ext': probeModule({ body: [0x00, 0x41, 0, 0xc0, 0x1a] }),
  atomics: probeModule({ memories: [1, 0x03, 1, 1], body: [0x00, 0xfe, 0x03, 0x00] }),
  'mutable-globals': probeModule({ imports: [1, 1, 0x6d, 1, 0x67, 0x03, 0x7f, 0x01] }),
  multivalue: probeModule({ types: [1, 0x60, 0, 2, 0x7f, 0x7f], body: [0x00, 0x41, 0, 0x41, 0] }),
  'reference-types': probeModule({ body: [0x00, 0xd0, 0x6f, 0x1a] }),
  'tail-call': probeModule({ body: [0x00, 0x12, 0x00] }),
  'exception-handling': probeModule({ body: [0x00, 0x1f, 0x40, 0x00, 0x0b] }),
  'legacy-exceptions': probeModule({ body: [0x00, 0x06, 0x40, 0x0b] }),
  memory64: probeModule({ memories: [1, 0x04, 1] }),
  multimemory: probeModule({ memories: [2, 0, 1, 0, 1] }),
  gc: probeModule({ types: [2, 0x60, 0, 0, 0x5f, 0] }),
  'function-references': probeModule({ body: [0x01, 0x01, 0x63, 0x00] }),
  'extended-const': probeModule({ globals: [1, 0x7f, 0x00, 0x41, 1, 0x41, 2, 0x6a, 0x0b] }),
  'custom-page-sizes': probeModule({ memories: [1, 0x08, 0, 0] }),
};

/** The engine takes any byte view; TypeScript's DOM types only want ArrayBuffer-backed ones. */
export function engineBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

const support = new Map<WasmFeature, boolean>();

/** Does the running engine accept this feature? Probed once per process. */
export function hostSupports(feature: WasmFeature): boolean {
  let known = support.get(feature);
  if (known === undefined) {
    known = WebAssembly.validate(engineBytes(PROBES[feature]));
    support.set(feature, known);
  }
  return known;
}

/** The probe modules, for tests that check each one against wabt. */
export function featureProbes(): Readonly<Record<WasmFeature, Uint8Array>> {
  return PROBES;
}

export function hostEngine(): string {
  return `V8 ${process.versions.v8 ?? 'unknown'}`;
}

/** Validates a binary that decoded (`report.error` unset). Never throws. */
export async function checkValidity(bytes: Uint8Array, report: WasmReport, validator: ValidationWorker): Promise<WasmValidity> {
  if (report.kind === 'component') {
    // V8 has no component model; judge each embedded core module on its own.
    for (const module of report.modules) {
      const validity = await checkValidity(
        bytes.subarray(module.offset, module.offset + module.size),
        { ...report, kind: 'module', modules: [module], totals: { ...report.totals, features: module.features } },
        validator,
      );
      if (validity.status !== 'valid') return shiftOffset(validity, module.offset);
    }
    return { status: 'valid' };
  }
  if (WebAssembly.validate(engineBytes(bytes))) return { status: 'valid' };
  // Wasm 3.0 allows a data offset to read a defined immutable global; V8 11.3 and wabt do not yet.
  const inlined = definedGlobalOffsetsInlined(bytes);
  if (inlined) return checkValidity(inlined, report, validator);
  const missing = report.totals.features.filter((feature) => !hostSupports(feature));
  if (missing.length > 0) {
    return {
      status: 'unknown',
      missingFeatures: missing,
      message: `the host engine (${hostEngine()}) lacks ${missing.join(', ')}, so it cannot tell whether the module is valid`,
    };
  }
  try {
    const detailed = await validator.wabtValidate(bytes);
    if (!detailed.valid)
      return {
        status: 'invalid',
        message: detailed.message ?? 'invalid',
        ...(detailed.offset !== undefined ? { offset: detailed.offset } : {}),
      };
    return {
      status: 'unknown',
      missingFeatures: [],
      message: `the host engine (${hostEngine()}) rejects the module but wabt accepts it: it may use a proposal this reader does not recognise`,
    };
  } catch {
    // wabt unavailable or too slow: V8's own message still says what is wrong.
    return v8Verdict(bytes);
  }
}

/** The module with data offsets that read defined immutable globals inlined, if it has any. */
function definedGlobalOffsetsInlined(bytes: Uint8Array): Uint8Array | undefined {
  const { report, layout, error } = decodeModule(bytes);
  const data = report.sections.find((s) => s.id === DATA_SECTION);
  if (error || !data) return undefined;
  const importedGlobals = report.imports.filter((i) => i.kind === 'global').length;
  return withDefinedGlobalOffsetsInlined(
    bytes,
    { start: data.payloadOffset, end: data.payloadOffset + data.size },
    layout,
    importedGlobals,
  );
}

const DATA_SECTION = 11;

function v8Verdict(bytes: Uint8Array): WasmValidity {
  try {
    new WebAssembly.Module(engineBytes(bytes));
    return { status: 'valid' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /@\+(\d+)/.exec(message);
    return {
      status: 'invalid',
      message: message.replace(/^WebAssembly\.Module\(\): /, ''),
      ...(at ? { offset: Number(at[1]) } : {}),
    };
  }
}

function shiftOffset(validity: WasmValidity, by: number): WasmValidity {
  if (validity.status !== 'invalid' || validity.offset === undefined) return validity;
  return { ...validity, offset: validity.offset + by };
}
