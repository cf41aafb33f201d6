/**
 * Runs one benchmark job in a child process and enforces its limits from the outside: a
 * wall-clock limit (the child is killed, so an export that never returns cannot hang the
 * caller), a resident-memory watchdog on top of `--max-old-space-size` and the wasm memory
 * cap applied inside the child, and cancellation through an AbortSignal.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BenchError } from './errors';
import type { ChildJob, ChildMessage, ChildResult, ParentMessage } from './protocol';
import type { ProgressEvent } from './types';

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Program that runs the child script; default `process.execPath` (in VS Code: Electron as Node). */
  readonly executable?: string;
  /** Environment of the child; default `process.env`. `ELECTRON_RUN_AS_NODE=1` is always added. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of dist/bench-child.js; found next to the running bundle by default. */
  readonly childScript?: string;
}

const CHILD_SCRIPT = 'bench-child.js';

/** dist/bench-child.js next to the bundle that is running, or in a dist/ above it (tests, benches). */
export function defaultChildScript(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    for (const candidate of [join(dir, CHILD_SCRIPT), join(dir, 'dist', CHILD_SCRIPT)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw BenchError.of('child-failed', `Cannot find ${CHILD_SCRIPT} near ${__dirname}; run the build first`);
}

/** Resident set size of a process in MiB (Linux /proc), or undefined where unavailable. */
function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The V8 heap of the child gets this much; wasm memory is capped separately. */
function oldSpaceMb(memoryLimitMb: number): number {
  return Math.max(128, Math.min(1024, memoryLimitMb));
}

/**
 * V8 flags of the child. Export timings skip V8's baseline tier (Liftoff): code then starts in
 * the optimising tier, as it ends up in any long-running program, instead of switching at a
 * moment that depends on a background compile thread (on a busy machine that came after any
 * sensible warm-up, and rounds measured two different compilers). Load-path timings keep
 * V8's defaults, because there the tiers are what is being measured.
 */
export function childFlags(job: ChildJob, heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, ...(job.kind === 'export' ? ['--no-liftoff'] : [])];
}

export function runChildJob(job: ChildJob, options: RunOptions = {}): Promise<ChildResult> {
  const { settings } = job;
  if (options.signal?.aborted) return Promise.reject(BenchError.of('cancelled', 'The benchmark was cancelled before it started'));
  const script = options.childScript ?? defaultChildScript();
  const heapMb = oldSpaceMb(settings.memoryLimitMb);
  // wasm memory cap + V8 heap + the runtime itself.
  const rssLimitMb = settings.memoryLimitMb + heapMb + 256;
  const env = { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' };

  return new Promise<ChildResult>((resolve, reject) => {
    const child = spawn(options.executable ?? process.execPath, [...childFlags(job, heapMb), script], {
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      windowsHide: true,
    });
    let stderr = '';
    let settled = false;
    let outcome: BenchError | undefined;
    let result: ChildResult | undefined;

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      options.signal?.removeEventListener('abort', onAbort);
      if (result) resolve(result);
      else reject(outcome ?? crashFailure());
    };
    const kill = (failure: BenchError) => {
      if (outcome || result) return;
      outcome = failure;
      child.kill('SIGKILL');
    };
    const crashFailure = () => {
      const tail = stderr.trim().split('\n').slice(-20).join('\n');
      if (/heap out of memory|Reached heap limit|allocation failed/i.test(stderr)) {
        return BenchError.of(
          'memory-limit',
          `The benchmark ran out of JavaScript heap (limit ${heapMb} MiB, from the memory limit): wasm tables and host objects live there`,
          { detail: tail },
        );
      }
      return BenchError.of(
        'child-failed',
        `The benchmark process ended without a result (exit code ${child.exitCode ?? 'none'}, signal ${child.signalCode ?? 'none'})`,
        {
          ...(tail ? { detail: tail } : {}),
        },
      );
    };

    const timer = setTimeout(() => {
      kill(
        BenchError.of(
          'timeout',
          `The benchmark did not finish within the time limit of ${settings.timeLimitMs} ms and was stopped (an export that never returns, or a budget too large for the limit)`,
        ),
      );
    }, settings.timeLimitMs);
    const watchdog = setInterval(() => {
      const rss = child.pid === undefined ? undefined : residentMb(child.pid);
      if (rss !== undefined && rss > rssLimitMb) {
        kill(
          BenchError.of(
            'memory-limit',
            `The benchmark process used ${rss.toFixed(0)} MiB of memory, over the limit of ${rssLimitMb.toFixed(0)} MiB, and was stopped`,
          ),
        );
      }
    }, 100);
    const onAbort = () => kill(BenchError.of('cancelled', 'The benchmark was cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-64 * 1024);
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.event);
      else if (message.type === 'result') result = message.result;
      else if (message.type === 'failure') outcome = new BenchError(message.failure);
    });
    child.on('error', (error) => {
      outcome ??= BenchError.of(
        'child-failed',
        `Cannot start the benchmark process (${options.executable ?? process.execPath}): ${error.message}`,
      );
      finish();
    });
    child.on('close', finish);
    const message: ParentMessage = { type: 'run', job };
    child.send(message);
  });
}
