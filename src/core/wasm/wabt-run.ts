/**
 * wabt jobs as the worker threads run them (dist/wabt.js: one job then exit; dist/validation.js:
 * many). wabt is loaded on the first job only, and kept for the next ones in the same thread.
 */
import type { WabtRequest, WabtResponse } from './wabt-protocol';

interface WabtModule {
  validate(features: Record<string, boolean>): void;
  generateNames(): void;
  applyNames(): void;
  toText(options: { foldExprs?: boolean; inlineExport?: boolean }): string;
  destroy(): void;
}

interface Wabt {
  readWasm(bytes: Uint8Array, options: Record<string, boolean>): WabtModule;
}

/** Every proposal wabt knows: validation here is about types, not about which features are allowed. */
const ALL_FEATURES: Record<string, boolean> = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  gc: true,
  memory64: true,
  multi_memory: true,
  extended_const: true,
  relaxed_simd: true,
};

let loaded: Promise<Wabt> | undefined;

function wabt(): Promise<Wabt> {
  // Loaded here, not at the top: only a thread that runs a wabt job pays for its 0.7 MB of JS and its heap.
  loaded ??= import('wabt').then((module) => (module.default as unknown as () => Promise<Wabt>)());
  return loaded;
}

/**
 * The bytes of the view alone. wabt's `readWasm` reads a view's whole underlying buffer, so a
 * core module embedded in a component must go as its own copy, or wabt validates the module
 * plus everything that follows it.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

export async function runWabt(request: WabtRequest): Promise<WabtResponse> {
  const instance = await wabt();
  const bytes = ownBytes(request.bytes);
  let module: WabtModule | undefined;
  try {
    if (request.op === 'validate') {
      module = instance.readWasm(bytes, { ...ALL_FEATURES, check: true });
      module.validate(ALL_FEATURES);
      return { ok: true, valid: true };
    }
    module = instance.readWasm(bytes, { ...ALL_FEATURES, readDebugNames: true, check: false });
    module.generateNames();
    module.applyNames();
    return { ok: true, text: module.toText({ foldExprs: false, inlineExport: true }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return request.op === 'validate' ? { ok: true, valid: false, message } : { ok: false, message };
  } finally {
    module?.destroy();
  }
}
