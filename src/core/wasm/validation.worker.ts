/**
 * The long-lived validation thread of one analysis (built to dist/validation.js): V8's own
 * validation, which runs here while the main thread walks the same module, and wabt's detailed
 * verdict for modules V8 rejects, with wabt loaded once for every module of the analysis.
 */
import { parentPort } from 'node:worker_threads';
import { engineInput } from './engine-input';
import type { ValidationRequest, ValidationResponse } from './validation-protocol';
import type { WabtResponse } from './wabt-protocol';

/**
 * wabt (0.9 MB of JS) is a file of its own in dist/ (wabt-run.js), required on the first module
 * V8 rejects: a thread that only runs V8's validation starts without compiling it.
 */
async function runWabt(bytes: Uint8Array): Promise<WabtResponse> {
  return (await import('./wabt-run')).runWabt({ op: 'validate', bytes });
}

async function answer(request: ValidationRequest): Promise<ValidationResponse> {
  try {
    if (request.op === 'engine') return { id: request.id, ok: true, valid: WebAssembly.validate(request.bytes as Uint8Array<ArrayBuffer>) };
    if (request.op === 'engine-sections') {
      // The copy is made here, beside the caller's decode; V8 would copy shared memory anyway.
      const input = engineInput(request.bytes) ?? request.bytes;
      return { id: request.id, ok: true, valid: WebAssembly.validate(input as Uint8Array<ArrayBuffer>) };
    }
    const response = await runWabt(request.bytes);
    if (!response.ok) return { id: request.id, ok: false, message: response.message };
    if (!('valid' in response)) return { id: request.id, ok: false, message: 'unexpected answer from wabt' };
    return { id: request.id, ok: true, valid: response.valid, ...(response.message !== undefined ? { message: response.message } : {}) };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (request: ValidationRequest) => {
  void answer(request).then((response) => parentPort?.postMessage(response));
});
