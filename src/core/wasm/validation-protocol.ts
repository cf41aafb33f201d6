/** Messages between validation-worker.ts and its long-lived thread (dist/validation.js). */
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
