/** Messages between validation-worker.ts and its long-lived thread (dist/validation.js): wabt's verdict on a module. */
export interface ValidationRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
}

export type ValidationResponse =
  | { readonly id: number; readonly ok: true; readonly valid: boolean; readonly message?: string }
  | { readonly id: number; readonly ok: false; readonly message: string };
