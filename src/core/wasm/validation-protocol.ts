/** Messages between validation-worker.ts and its long-lived thread (dist/validation.js). */
export interface ValidationRequest {
  readonly id: number;
  /** `engine`: the running V8's yes/no (`WebAssembly.validate`); `wabt`: wabt's verdict with its message. */
  readonly op: 'engine' | 'wabt';
  readonly bytes: Uint8Array;
}

export type ValidationResponse =
  | { readonly id: number; readonly ok: true; readonly valid: boolean; readonly message?: string }
  | { readonly id: number; readonly ok: false; readonly message: string };
