/**
 * One-shot worker thread around the `wabt` npm package (built to dist/wabt.js), for text
 * rendering on demand. wabt's Emscripten heap grows to hundreds of MB on big modules and never
 * shrinks, so each job runs in a fresh worker that the caller ends afterwards (see
 * wabt-client.ts): the request comes in `workerData`, the answer goes back as one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runWabt } from './wabt-run';
import type { WabtRequest, WabtResponse } from './wabt-protocol';

runWabt(workerData as WabtRequest).then(
  (response) => parentPort?.postMessage(response),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WabtResponse),
);
