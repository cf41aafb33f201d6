/**
 * Function names of a `name` section, read on demand. A large project's name section holds
 * hundreds of thousands of names (12 MB on a real 45 MB module) while a report shows ten, so
 * the section is checked byte by byte (structure and strict UTF-8, exactly the errors a full
 * decode would raise) and indexed in typed arrays; a name becomes a string only when asked for.
 *
 * The names are read from a view of the file's bytes; `detach` copies their subsection out
 * (a fifth of a large module, not the whole file) once the caller is done with the file, so a
 * cached report never keeps a binary alive.
 */
import { ByteReader, decodeName, fail, firstBadUtf8 } from './bytes';
import { indexPlainNames } from './code-walk';
import { sectionEndCheck } from './custom-sections';

export interface FunctionNames extends Iterable<[number, string]> {
  /** How many functions have a name. */
  readonly size: number;
  get(index: number): string | undefined;
  /** Does any name start with `prefix` (ASCII)? Compares bytes; decodes nothing. */
  someStartsWith(prefix: string): boolean;
  /** Stops reading from the file's bytes (copies what the names need); call before dropping the file. */
  detach(): void;
}

const NO_INDICES = new Uint32Array(0);

let namesDecoded = 0;

/** How many names this process has turned into strings (tests check that a report decodes only what it shows). */
export function decodedNameCount(): number {
  return namesDecoded;
}

/** Names at strictly increasing function indices (what every tool writes): binary search over typed arrays. */
class IndexedNames implements FunctionNames {
  constructor(
    /** The function names subsection (after its size): a view of the file until `detach`. */
    private bytes: Uint8Array,
    /** Function index of each entry, increasing. */
    private readonly indices: Uint32Array,
    /** Where each entry's name (its length LEB) starts in `bytes`. */
    private readonly nameOffsets: Uint32Array,
  ) {}

  get size(): number {
    return this.indices.length;
  }

  get(index: number): string | undefined {
    let lo = 0;
    let hi = this.indices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.indices[mid]!;
      if (at === index) return this.nameAt(mid);
      if (at < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  someStartsWith(prefix: string): boolean {
    for (let entry = 0; entry < this.indices.length; entry++) {
      const r = new ByteReader(this.bytes, this.nameOffsets[entry]!, this.bytes.length);
      const length = r.u32();
      if (length < prefix.length) continue;
      let same = true;
      for (let k = 0; k < prefix.length && same; k++) same = this.bytes[r.pos + k] === prefix.charCodeAt(k);
      if (same) return true;
    }
    return false;
  }

  detach(): void {
    if (this.bytes.byteLength !== this.bytes.buffer.byteLength) this.bytes = this.bytes.slice();
  }

  *[Symbol.iterator](): Iterator<[number, string]> {
    for (let entry = 0; entry < this.indices.length; entry++) yield [this.indices[entry]!, this.nameAt(entry)];
  }

  private nameAt(entry: number): string {
    namesDecoded++;
    const r = new ByteReader(this.bytes, this.nameOffsets[entry]!, this.bytes.length);
    const length = r.u32();
    return decodeName(this.bytes, r.pos, r.pos + length);
  }
}

/** Out-of-order or repeated indices (the last name wins, as in a full decode): decoded into a map once. */
class MappedNames implements FunctionNames {
  constructor(private readonly names: ReadonlyMap<number, string>) {}

  get size(): number {
    return this.names.size;
  }

  get(index: number): string | undefined {
    return this.names.get(index);
  }

  someStartsWith(prefix: string): boolean {
    for (const name of this.names.values()) if (name.startsWith(prefix)) return true;
    return false;
  }

  detach(): void {
    // Strings already: nothing refers to the file.
  }

  [Symbol.iterator](): Iterator<[number, string]> {
    return this.names[Symbol.iterator]();
  }
}

export const NO_FUNCTION_NAMES: FunctionNames = new IndexedNames(new Uint8Array(0), NO_INDICES, NO_INDICES);

/**
 * The function names (subsection 1) of a `name` section payload `bytes[start, end)`. Throws a
 * `DecodeFailure` where a full decode would; other subsections are skipped by their size.
 */
export function functionNames(bytes: Uint8Array, start: number, end: number): FunctionNames {
  const r = new ByteReader(bytes, start, end, 'name section');
  let names = NO_FUNCTION_NAMES;
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.u32();
    const subEnd = r.pos + size;
    if (subEnd > end) fail(r.pos, `name subsection ${id} declares ${size} bytes but only ${end - r.pos} are left`);
    if (id === 1) names = indexFunctionNames(bytes, r.pos, subEnd);
    r.pos = subEnd;
  }
  return names;
}

function indexFunctionNames(bytes: Uint8Array, start: number, end: number): FunctionNames {
  const sub = new ByteReader(bytes, start, end, 'function names subsection');
  const n = sub.count(2);
  const { indices, nameOffsets } = indexPlainNames(bytes, sub.pos, end, n, start) ?? indexExactly(sub, n, start);
  let increasing = true;
  for (let i = 1; i < n && increasing; i++) increasing = indices[i]! > indices[i - 1]!;
  const view = bytes.subarray(start, end);
  if (increasing) return new IndexedNames(view, indices, nameOffsets);
  const map = new Map<number, string>();
  for (const [index, name] of new IndexedNames(view, indices, nameOffsets)) map.set(index, name);
  return new MappedNames(map);
}

/** The subsection's entries by the byte reader, which fails exactly where a full decode would. */
function indexExactly(sub: ByteReader, n: number, start: number): { indices: Uint32Array; nameOffsets: Uint32Array } {
  const indices = new Uint32Array(n);
  const nameOffsets = new Uint32Array(n);
  const ascii = new AsciiCheck(sub.bytes);
  for (let i = 0; i < n; i++) {
    indices[i] = sub.u32();
    nameOffsets[i] = sub.pos - start;
    checkName(sub, ascii);
  }
  sectionEndCheck(sub, 'the function names subsection');
  return { indices, nameOffsets };
}

/**
 * Skips a `name`, failing exactly where decoding it would: past the end, or at its first bad
 * UTF-8 byte. Names are nearly always ASCII, which `ascii` checks four bytes at a time.
 */
function checkName(r: ByteReader, ascii: AsciiCheck): void {
  const length = r.u32();
  const at = r.pos;
  r.skip(length);
  if (ascii.test(at, at + length)) return;
  const bad = firstBadUtf8(r.bytes, at, at + length);
  if (bad < length) fail(at + bad, 'malformed UTF-8 encoding: expected a valid UTF-8 name');
}

/** Is `bytes[start, end)` all ASCII? Tests aligned 32-bit words where it can (a tenth of the cost of a byte loop). */
class AsciiCheck {
  private readonly words: Uint32Array;
  private readonly base: number;

  constructor(private readonly bytes: Uint8Array) {
    this.base = bytes.byteOffset;
    this.words = new Uint32Array(bytes.buffer, 0, Math.floor(bytes.buffer.byteLength / 4));
  }

  test(start: number, end: number): boolean {
    const bytes = this.bytes;
    let i = start;
    let any = 0;
    while (i < end && ((this.base + i) & 3) !== 0) any |= bytes[i++]!;
    const wordEnd = i + ((end - i) & ~3);
    for (let w = (this.base + i) >>> 2, last = (this.base + wordEnd) >>> 2; w < last; w++) any |= this.words[w]!;
    for (i = wordEnd; i < end; i++) any |= bytes[i]!;
    return (any & 0x80808080) === 0;
  }
}
