/**
 * What `WebAssembly.validate` needs of a module, as a fresh buffer that can move to the
 * validation thread without a copy: the preamble and every non-custom section. Custom sections
 * (names, DWARF: 20 MB of a real 45 MB module) never decide validity once the reader has checked
 * their headers, and leaving them out spares the thread a copy of them.
 */
import { ByteReader, DecodeFailure } from './bytes';
import { MODULE_MAGIC } from './module';

/**
 * Undefined when `bytes` is not a core module whose section headers add up (the reader then
 * reports why), or when what V8 needs is more than `maxBytes`: a copy that large would cost
 * more memory than validating on the main thread after decoding (in place, no copy) costs time.
 */
export function engineInput(bytes: Uint8Array, maxBytes = Infinity): Uint8Array | undefined {
  if (
    bytes.length < 8 ||
    MODULE_MAGIC.some((b, i) => bytes[i] !== b) ||
    bytes[4] !== 1 ||
    bytes[5] !== 0 ||
    bytes[6] !== 0 ||
    bytes[7] !== 0
  )
    return undefined;
  const kept: [number, number][] = [[0, 8]];
  let size = 8;
  try {
    const r = new ByteReader(bytes, 8, bytes.length, 'file');
    while (!r.atEnd) {
      const start = r.pos;
      const id = r.u8();
      const payload = r.u32();
      r.skip(payload);
      if (id !== 0) {
        kept.push([start, r.pos]);
        size += r.pos - start;
      }
    }
  } catch (error) {
    if (error instanceof DecodeFailure) return undefined;
    throw error;
  }
  if (size > maxBytes) return undefined;
  const out = new Uint8Array(size);
  let at = 0;
  for (const [start, end] of kept) {
    out.set(bytes.subarray(start, end), at);
    at += end - start;
  }
  return out;
}
