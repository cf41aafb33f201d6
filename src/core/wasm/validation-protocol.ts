/** Messages between validation-worker.ts and its long-lived thread (dist/validation.js). */

/**
 * From this size on, V8 validates a module in the validation thread while the main thread walks
 * it; smaller ones are validated on the main thread. A thread costs 40–60 ms of CPU to boot, about
 * what V8 spends validating 8 MB (5–8 ms a megabyte here), and on two cores its boot competes
 * with the walk: below this size the thread only adds time. The Node host reads files of this
 * size into shared memory and the CLI starts the thread early for them, so all three agree.
 */
export const VALIDATE_ASIDE_FROM_BYTES = 8 * 1024 * 1024;
export interface ValidationRequest {
  readonly id: number;
  /**
   * `engine`: the running V8's yes/no (`WebAssembly.validate`); `engine-sections`: the same for a module
   * in memory shared with the caller, of which the thread copies out the non-custom sections first;
   * `wabt`: wabt's verdict with its message.
   */
  readonly op: 'engine' | 'engine-sections' | 'wabt';
  readonly bytes: Uint8Array;
}

export type ValidationResponse =
  | { readonly id: number; readonly ok: true; readonly valid: boolean; readonly message?: string }
  | { readonly id: number; readonly ok: false; readonly message: string };
