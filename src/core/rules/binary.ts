/**
 * The rules that read .wasm binaries alone, in documentation order: the rules `wasm-perf inspect`
 * runs. The registry (index.ts) lists them among the others.
 */
import type { Rule } from './rule';
import { wasmDebugInfo } from './wasm-debug-info';
import { wasmInvalid } from './wasm-invalid';
import { wasmMalformed } from './wasm-malformed';
import { wasmNoSimd } from './wasm-no-simd';

export const BINARY_RULES: readonly Rule[] = [wasmNoSimd, wasmDebugInfo, wasmMalformed, wasmInvalid];
