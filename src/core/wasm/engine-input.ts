/**
 * What `WebAssembly.validate` needs of a module, as a fresh buffer that can move to the
 * validation thread without a copy: the preamble and every non-custom section. Custom sections
 * (names, DWARF: 20 MB of a real 45 MB module) never decide validity once the reader has checked
 * their headers, and leaving them out spares the thread a copy of them.
 *
 * Imports only the byte reader: the validation thread bundles this file, and starts faster small.
 */
import { ByteReader, DecodeFailure, MODULE_MAGIC } from './bytes';

/** The byte ranges `[start, end)` of the preamble and each non-custom section, and their total size. */
interface EngineSections {
  readonly ranges: readonly (readonly [number, number])[];
  readonly size: number;
}

/**
 * Undefined when `bytes` is not a core module whose section headers add up (the reader then
 * reports why). Reads only the section headers.
 */
export function engineSections(bytes: Uint8Array): EngineSections | undefined {
  if (
    bytes.length < 8 ||
    MODULE_MAGIC.some((b, i) => bytes[i] !== b) ||
    bytes[4] !== 1 ||
    bytes[5] !== 0 ||
    bytes[6] !== 0 ||
    bytes[7] !== 0
  )
    return undefined;
  const ranges: [number, number][] = [[0, 8]];
  let size = 8;
  try {
    const r = new ByteReader(bytes, 8, bytes.length, 'file');
    while (!r.atEnd) {
      const start = r.pos;
      const id = r.u8();
      const payload = r.u32();
      r.skip(payload);
      if (id !== 0) {
        ranges.push([start, r.pos]);
        size += r.pos - start;
      }
    }
  } catch (error) {
    if (error instanceof DecodeFailure) return undefined;
    throw error;
  }
  return { ranges, size };
}

/**
 * The copy V8 validates, or undefined where `engineSections` is, or when what V8 needs is more
 * than `maxBytes`: a copy that large would cost more memory than validating on the main thread
 * after decoding (in place, no copy) costs time.
 */
export function engineInput(bytes: Uint8Array, maxBytes = Infinity): Uint8Array | undefined {
  const sections = engineSections(bytes);
  if (!sections || sections.size > maxBytes) return undefined;
  const out = new Uint8Array(sections.size);
  let at = 0;
  for (const [start, end] of sections.ranges) {
    out.set(bytes.subarray(start, end), at);
    at += end - start;
  }
  return out;
}
