/**
 * Worker thread around the `wabt` npm package (built to dist/wabt.js). wabt's Emscripten
 * heap grows to hundreds of MB on big modules and never shrinks, so each job runs in a
 * fresh worker that the caller ends afterwards (see wabt-client.ts). One job per worker:
 * the request comes in `workerData`, the answer goes back as one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

async function run(request: WabtRequest): Promise<WabtResponse> {
  // Loaded here, not at the top: only the worker ever pays for wabt's 0.7 MB of JS and its heap.
  const init = (await import('wabt')).default as unknown as () => Promise<Wabt>;
  const wabt = await init();
  let module: WabtModule | undefined;
  try {
    if (request.op === 'validate') {
      module = wabt.readWasm(request.bytes, { ...ALL_FEATURES, check: true });
      module.validate(ALL_FEATURES);
      return { ok: true, valid: true };
    }
    module = wabt.readWasm(request.bytes, { ...ALL_FEATURES, readDebugNames: true, check: false });
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

run(workerData as WabtRequest).then(
  (response) => parentPort?.postMessage(response),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WabtResponse),
);
