/** Messages between wabt-client.ts and the wabt worker (dist/wabt.js). */
export type WabtRequest = { readonly op: 'validate'; readonly bytes: Uint8Array } | { readonly op: 'text'; readonly bytes: Uint8Array };

export type WabtResponse =
  | { readonly ok: true; readonly valid: boolean; readonly message?: string }
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };
