/**
 * Wasm 3.0 lets a constant expression `global.get` any immutable global, not only an imported
 * one (https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions).
 * V8 11.3 and wabt 1.0.39 still apply the older rule, so before trusting their "no" the data
 * segment offsets that read a defined immutable global are replaced by a `const` of the same
 * type and length: the copy validates under the old rule exactly when the original does under
 * the new one.
 */
import { ByteReader, DecodeFailure } from './bytes';
import { walkConstantExpressions, WalkStats } from './code-walk';
import type { ModuleLayout } from './module';

const GLOBAL_GET = 0x23;
const END = 0x0b;
const CONST_OPCODE: Record<string, number> = { i32: 0x41, i64: 0x42 };

/**
 * A copy with such offsets rewritten, or undefined when the module has none. `dataSection` is
 * the data section's payload range; `importedGlobals` the count of imported globals.
 */
export function withDefinedGlobalOffsetsInlined(
  bytes: Uint8Array,
  dataSection: { readonly start: number; readonly end: number },
  layout: ModuleLayout,
  importedGlobals: number,
): Uint8Array | undefined {
  const patches: { at: number; length: number; opcode: number }[] = [];
  try {
    const r = new ByteReader(bytes, dataSection.start, dataSection.end, 'data section');
    for (let i = 0, n = r.count(); i < n; i++) {
      const flags = r.u32();
      if (flags === 2) r.u32();
      if (flags !== 1) {
        const at = r.pos;
        if (bytes[at] === GLOBAL_GET) {
          r.pos++;
          const index = r.u32();
          const global = layout.globals[index];
          const opcode = global && !global.mutable && index >= importedGlobals ? CONST_OPCODE[global.type] : undefined;
          if (opcode !== undefined && bytes[r.pos] === END) patches.push({ at, length: r.pos - at, opcode });
        }
        r.pos = walkConstantExpressions(bytes, at, r.end, 1, new WalkStats());
      }
      r.skip(r.u32());
    }
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    return undefined; // the decoder already read this section; a failure here means nothing to patch
  }
  if (patches.length === 0) return undefined;
  const copy = bytes.slice();
  for (const { at, length, opcode } of patches) {
    // `t.const 0` with its LEB padded to the length `global.get k` took: 0x80… then 0x00.
    copy[at] = opcode;
    for (let k = 1; k < length; k++) copy[at + k] = k === length - 1 ? 0x00 : 0x80;
  }
  return copy;
}
