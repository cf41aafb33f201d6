/**
 * Renders modules as text with wabt in a worker thread that is ended after each job and on a
 * time limit, so wabt's memory (≈375 MB on a 10 MB module, never returned) goes away with the
 * worker. Hosts call `functionText`. wabt's validation of a module V8 rejects runs in the
 * analysis's validation thread (validation-worker.ts), which shares the message parsing and limits below.
 */
import { Worker } from 'node:worker_threads';
import type { Assets } from '../host';
import { buildSingleFunctionModule, extractFunctionText } from './reduce';
import type { WabtRequest, WabtResponse } from './wabt-protocol';

export const WABT_TIME_LIMIT_MS = 20_000;

export interface DetailedValidation {
  readonly valid: boolean;
  /** wabt's first error, without its "validate failed:" banner. */
  readonly message?: string;
  /** Byte offset wabt gave for the error, when it gave one. */
  readonly offset?: number;
}

export class WabtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WabtError';
  }
}

function runWorker(assets: Assets, request: WabtRequest, timeLimitMs: number): Promise<WabtResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(`${assets.dir}/wabt.js`, { workerData: request });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new WabtError(`wabt took longer than ${timeLimitMs} ms and was stopped`))),
      timeLimitMs,
    );
    worker.once('message', (response: WabtResponse) => finish(() => resolve(response)));
    worker.once('error', (error) => finish(() => reject(new WabtError(`wabt worker failed: ${error.message}`))));
    worker.once('exit', (code) => finish(() => reject(new WabtError(`wabt worker exited (code ${code}) without an answer`))));
  });
}

/** wabt messages look like `validate failed:\n000001f: error: type mismatch …`. */
export function parseWabtMessage(raw: string): { message: string; offset?: number } {
  const lines = raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^(validate|readWasm) failed:$/.test(line));
  const first = lines[0] ?? raw.trim();
  const located = /^(?:<binary>:)?([0-9a-f]{6,}): error: (.*)$/.exec(first);
  if (located) return { message: located[2]!, offset: parseInt(located[1]!, 16) };
  const textual = /^[^:]*:\d+:\d+: error: (.*)$/.exec(first);
  return { message: textual ? textual[1]! : first };
}

/**
 * One function as WebAssembly text. wabt renders a reduced module (types, imports and
 * names kept, every other body replaced by `unreachable`, data emptied), so the cost
 * follows the one function, not the whole module.
 */
export async function functionText(
  bytes: Uint8Array,
  funcIndex: number,
  assets: Assets,
  timeLimitMs = WABT_TIME_LIMIT_MS,
): Promise<string> {
  const reduced = buildSingleFunctionModule(bytes, funcIndex);
  const response = await runWorker(assets, { op: 'text', bytes: reduced.bytes }, timeLimitMs);
  if (!response.ok) throw new WabtError(response.message);
  if (!('text' in response)) throw new WabtError('unexpected answer from the wabt worker');
  return extractFunctionText(response.text, reduced.definedIndex);
}

/** The whole module as text (for small modules; large ones cost wabt's full memory). */
export async function moduleText(bytes: Uint8Array, assets: Assets, timeLimitMs = WABT_TIME_LIMIT_MS): Promise<string> {
  const response = await runWorker(assets, { op: 'text', bytes }, timeLimitMs);
  if (!response.ok) throw new WabtError(response.message);
  if (!('text' in response)) throw new WabtError('unexpected answer from the wabt worker');
  return response.text;
}
