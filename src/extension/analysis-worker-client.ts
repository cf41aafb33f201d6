/**
 * The extension host's side of the analysis thread (analysis.worker.ts, dist/analysis.js):
 * a thin client that posts requests and matches answers. The thread starts with the first
 * analysis (activation stays light) and lives until dispose. If it dies, every waiting
 * analysis fails with a clear error and the next request starts a fresh thread.
 */
import { Worker } from 'node:worker_threads';
import type { FilePath } from '../core/model';
import {
  fromWire,
  type AnalysisWorkerData,
  type AnalysisWorkerRequest,
  type AnalysisWorkerResponse,
  type AnalyzeRequest,
  type PublishedAnalysis,
} from './analysis-protocol';

export interface AnalysisRun {
  readonly analysis: PublishedAnalysis;
  readonly readVersions: Map<FilePath, number>;
  /** The thread that analysed. */
  readonly threadId: number;
}

interface Waiting {
  readonly settle: (run: AnalysisRun | undefined) => void;
  readonly fail: (error: Error) => void;
}

export interface WorkerLog {
  error(message: string): void;
  info(message: string): void;
}

export class AnalysisWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private disposed = false;
  private stopped: Promise<void> | undefined;

  /** `script`: dist/analysis.js; `assetsDir`: where its grammars and validation thread live. */
  constructor(
    private readonly script: string,
    private readonly assetsDir: string,
    private readonly log: WorkerLog,
  ) {}

  /** The running thread's id, or undefined before the first analysis and after a crash. */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /**
   * Analyses one folder in the thread. Resolves undefined when `signal` aborts (at once: the
   * thread drops the work at its next await) or a newer request for the folder superseded it.
   */
  analyze(request: Omit<AnalyzeRequest, 'kind' | 'id'>, signal: AbortSignal): Promise<AnalysisRun | undefined> {
    if (this.disposed || signal.aborted) return Promise.resolve(undefined);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancel = () => {
        this.waiting.delete(id);
        this.post(worker, { kind: 'cancel', id });
        resolve(undefined);
      };
      signal.addEventListener('abort', cancel, { once: true });
      this.waiting.set(id, {
        settle: (run) => {
          signal.removeEventListener('abort', cancel);
          resolve(run);
        },
        fail: (error) => {
          signal.removeEventListener('abort', cancel);
          reject(error);
        },
      });
      this.post(worker, { kind: 'analyze', id, ...request });
    });
  }

  /** A folder left the workspace: the thread drops its caches. */
  close(root: FilePath): void {
    if (this.worker) this.post(this.worker, { kind: 'close', root });
  }

  private post(worker: Worker, request: AnalysisWorkerRequest): void {
    worker.postMessage(request);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const workerData: AnalysisWorkerData = { assetsDir: this.assetsDir };
    const worker = new Worker(this.script, { workerData });
    this.worker = worker;
    worker.on('message', (response: AnalysisWorkerResponse) => this.receive(response));
    worker.on('error', (error) => this.lost(worker, `it crashed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.lost(worker, `it exited with code ${code}`));
    return worker;
  }

  private receive(response: AnalysisWorkerResponse): void {
    const waiting = this.waiting.get(response.id);
    if (!waiting) return; // cancelled here already
    this.waiting.delete(response.id);
    if (response.kind === 'cancelled') waiting.settle(undefined);
    else if (response.kind === 'failed') waiting.fail(new Error(response.message));
    else
      waiting.settle({ analysis: fromWire(response.analysis), readVersions: new Map(response.readVersions), threadId: response.threadId });
  }

  /** The thread died ('error' then 'exit', or 'exit' alone): fail what waits, start afresh next time. */
  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker || this.disposed) return;
    this.worker = undefined;
    this.log.error(`the analysis thread stopped: ${why}; the next analysis starts a new one`);
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { fail } of waiting) fail(new Error('the analysis thread stopped before answering'));
  }

  /**
   * Stops the thread; waiting analyses resolve undefined (nothing is published after dispose).
   * Resolves once the thread has exited; calling it again returns the same promise.
   */
  dispose(): Promise<void> {
    if (!this.stopped) {
      this.disposed = true;
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const { settle } of waiting) settle(undefined);
      this.stopped = this.worker?.terminate().then(() => undefined) ?? Promise.resolve();
      this.worker = undefined;
    }
    return this.stopped;
  }
}
