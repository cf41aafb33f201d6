/**
 * The client of one analysis's validation thread (validation.worker.ts), which asks wabt why V8
 * rejected a module. Starting a thread and loading wabt costs 0.1–3 s, which a folder of thousands
 * of binaries paid once per file; one thread now serves the whole analysis. A job that runs past
 * the time limit ends the thread (the next job starts a fresh one), and so does a job on a large
 * module: wabt's heap never shrinks, the module's copy lives until the thread's next collection,
 * and a thread that ends takes both along.
 *
 * V8's own yes/no runs on the caller's thread, after the walk: `WebAssembly.validate` already
 * keeps both cores busy (its CPU time is twice its wall time here), so validating in this thread
 * beside the walk saved no time, and cost a copy of the module and a thread's boot.
 */
import { Worker } from 'node:worker_threads';
import type { Assets } from '../host';
import { parseWabtMessage, WABT_TIME_LIMIT_MS, WabtError, type DetailedValidation } from './wabt-client';
import type { ValidationRequest, ValidationResponse } from './validation-protocol';

/** After a job on a module this large, the thread is ended to give its memory back. */
const RECYCLE_AFTER_BYTES = 4 * 1024 * 1024;

interface Pending {
  readonly resolve: (response: ValidationResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ValidationWorker {
  /** Threads started in this process: one per analysis, plus one after a timed-out job or a job on a large module. */
  static threadsStarted = 0;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly assets: Assets,
    private readonly timeLimitMs = WABT_TIME_LIMIT_MS,
  ) {}

  /** wabt's verdict and first message, every proposal wabt knows enabled. */
  async wabtValidate(bytes: Uint8Array): Promise<DetailedValidation> {
    const response = await this.send(bytes);
    if (bytes.length > RECYCLE_AFTER_BYTES) this.endWhenIdle();
    if (!response.ok) throw new WabtError(response.message);
    if (response.valid) return { valid: true };
    return { valid: false, ...parseWabtMessage(response.message ?? 'invalid') };
  }

  /** Ends the thread; jobs still pending fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new WabtError('the validation thread was closed'));
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`${this.assets.dir}/validation.js`);
    ValidationWorker.threadsStarted++;
    this.worker = worker;
    worker.unref();
    worker.on('message', (response: ValidationResponse) => this.settle(response));
    worker.on('error', (error) => this.lost(worker, new WabtError(`validation thread failed: ${error.message}`)));
    worker.on('exit', (code) => this.lost(worker, new WabtError(`validation thread exited (code ${code}) without an answer`)));
    return worker;
  }

  private send(bytes: Uint8Array): Promise<ValidationResponse> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      let worker: Worker;
      try {
        worker = this.thread();
      } catch (error) {
        reject(new WabtError(`validation thread did not start: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
      const timer = setTimeout(
        () => void this.end(worker, new WabtError(`validation took longer than ${this.timeLimitMs} ms and was stopped`)),
        this.timeLimitMs,
      );
      this.pending.set(id, { resolve, reject, timer });
      // A thread with jobs keeps the process alive; an idle one does not (see settle).
      worker.ref();
      const request: ValidationRequest = { id, bytes };
      worker.postMessage(request);
    });
  }

  private settle(response: ValidationResponse): void {
    const job = this.pending.get(response.id);
    if (!job) return;
    this.pending.delete(response.id);
    clearTimeout(job.timer);
    if (this.pending.size === 0) this.worker?.unref();
    job.resolve(response);
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    for (const job of this.pending.values()) {
      clearTimeout(job.timer);
      job.reject(error);
    }
    this.pending.clear();
  }

  /** Ends `worker` if it is still the current thread, failing its pending jobs with `error`. */
  private async end(worker: Worker, error: Error): Promise<void> {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
    await worker.terminate();
  }

  private endWhenIdle(): void {
    if (this.pending.size === 0 && this.worker) void this.end(this.worker, new WabtError('the validation thread was recycled'));
  }
}
