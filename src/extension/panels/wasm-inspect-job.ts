/**
 * Jobs for the report's worker thread (wasm-inspect.worker.ts, bundled to dist/wasm-inspect.js):
 * inspecting a module and rendering one function as text. Both read and walk the whole file,
 * which takes seconds on a 50 MB module, so neither runs on the extension host's thread.
 */
import { Worker } from 'node:worker_threads';
import type { ReportView } from './wasm-report-view';

interface FileJob {
  readonly fileName: string;
  /** Read by the worker from disk… */
  readonly path: string;
  /** …unless the bytes are given (files that are not on the local disk). */
  readonly bytes?: Uint8Array;
}

export type WorkerJob =
  | (FileJob & { readonly kind: 'inspect' })
  /** `distDir` holds wabt.js, which the worker starts for the text. */
  | (FileJob & { readonly kind: 'functionText'; readonly index: number; readonly distDir: string });

export type InspectOutcome = { readonly ok: true; readonly view: ReportView } | { readonly ok: false; readonly message: string };
export type TextOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

export function inspectInWorker(workerScript: string, job: FileJob, signal?: AbortSignal): Promise<InspectOutcome> {
  return runWorker<InspectOutcome>(workerScript, { ...job, kind: 'inspect' }, signal);
}

export function functionTextInWorker(
  workerScript: string,
  job: FileJob & { index: number; distDir: string },
  signal?: AbortSignal,
): Promise<TextOutcome> {
  return runWorker<TextOutcome>(workerScript, { ...job, kind: 'functionText' }, signal);
}

/** Runs one job in a fresh worker; aborting terminates it. */
function runWorker<T extends { ok: boolean }>(
  workerScript: string,
  job: WorkerJob,
  signal?: AbortSignal,
): Promise<T | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(workerScript);
    let settled = false;
    const finish = (outcome: T | { ok: false; message: string }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      resolve(outcome);
    };
    const abort = () => finish({ ok: false, message: 'cancelled' });
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (outcome: T) => finish(outcome));
    worker.once('error', (error) => finish({ ok: false, message: `the report worker failed: ${error.message}` }));
    worker.once('exit', (code) => finish({ ok: false, message: `the report worker stopped (exit code ${code})` }));
    worker.postMessage(job);
  });
}
