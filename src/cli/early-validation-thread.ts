/**
 * `inspect` on a large module asks the validation thread (src/core/wasm/validation-worker.ts) for
 * V8's verdict while the main thread walks the module. Started here, before the command's bundle is
 * loaded, the thread boots while that bundle loads instead of after it. Only for a file of
 * VALIDATE_ASIDE_FROM_BYTES or more: smaller modules are validated on the main thread (src/core/wasm/load.ts).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Assets } from '../core/host';
import { VALIDATE_ASIDE_FROM_BYTES } from '../core/wasm/validation-protocol';

export function startValidationThread(args: readonly string[]): Assets['takeValidationThread'] {
  if (!args.some(isLargeFile)) return undefined;
  let thread: Worker | undefined;
  try {
    thread = new Worker(join(__dirname, 'validation.js'));
  } catch {
    return undefined;
  }
  // Idle until taken: it must not keep the process alive, and a thread that failed is not handed out.
  thread.unref();
  const failed = () => (thread = undefined);
  thread.on('error', failed);
  thread.on('exit', failed);
  return () => {
    const taken = thread;
    taken?.off('error', failed).off('exit', failed);
    thread = undefined;
    return taken;
  };
}

function isLargeFile(arg: string): boolean {
  if (arg.startsWith('-')) return false;
  try {
    const info = statSync(arg);
    return info.isFile() && info.size >= VALIDATE_ASIDE_FROM_BYTES;
  } catch {
    return false;
  }
}
