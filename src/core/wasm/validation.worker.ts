/**
 * The long-lived validation thread of one analysis (built to dist/validation.js): wabt's
 * detailed verdict for modules V8 rejects, with wabt loaded once for every module of the analysis.
 */
import { parentPort } from 'node:worker_threads';
import type { ValidationRequest, ValidationResponse } from './validation-protocol';

async function answer(request: ValidationRequest): Promise<ValidationResponse> {
  try {
    // wabt (0.9 MB of JS) is a file of its own in dist/ (wabt-run.js), loaded with the first job.
    const response = await (await import('./wabt-run')).runWabt({ op: 'validate', bytes: request.bytes });
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
