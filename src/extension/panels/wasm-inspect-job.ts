/** Runs the inspection worker (wasm-inspect.worker.ts, bundled to dist/wasm-inspect.js). */
import { Worker } from 'node:worker_threads';
import type { ReportView } from './wasm-report-view';

export interface InspectJob {
  readonly fileName: string;
  /** Read by the worker from disk… */
  readonly path: string;
  /** …unless the bytes are given (files that are not on the local disk). */
  readonly bytes?: Uint8Array;
}

export type InspectOutcome = { readonly ok: true; readonly view: ReportView } | { readonly ok: false; readonly message: string };

/** Inspects in a fresh worker; aborting terminates it. */
export function inspectInWorker(workerScript: string, job: InspectJob, signal?: AbortSignal): Promise<InspectOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(workerScript);
    let settled = false;
    const finish = (outcome: InspectOutcome) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      resolve(outcome);
    };
    const abort = () => finish({ ok: false, message: 'cancelled' });
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (outcome: InspectOutcome) => finish(outcome));
    worker.once('error', (error) => finish({ ok: false, message: `the inspection worker failed: ${error.message}` }));
    worker.once('exit', (code) => finish({ ok: false, message: `the inspection worker stopped (exit code ${code})` }));
    worker.postMessage(job);
  });
}
