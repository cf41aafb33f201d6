/**
 * Strict, bounds-checked reading of the binary format's primitives (LEB128 integers,
 * names, bytes) for everything except the instruction walk (walker/walk.c, driven by
 * code-walk.ts). Every failure is a `DecodeFailure` carrying the byte offset and
 * what the format expected there, in the words of the core spec's "malformed" cases.
 */

/** The first four bytes of every module and component (`\0asm`). */
export const MODULE_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;

export class DecodeFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeFailure';
  }
}

/** Throws; kept out of line so callers in hot paths stay small. */
export function fail(offset: number, message: string): never {
  throw new DecodeFailure(offset, message);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    /** Exclusive limit: the end of the enclosing section or body. */
    public end: number,
    /** What running past `end` means, for the message. */
    readonly region = 'section',
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  private truncated(): never {
    return fail(this.pos, `unexpected end of ${this.region}`);
  }

  u8(): number {
    if (this.pos >= this.end) this.truncated();
    return this.bytes[this.pos++]!;
  }

  /** Unsigned 32-bit LEB128: at most 5 bytes, and the 5th may only use its low 4 bits. */
  u32(): number {
    // Fast path for the encodings of up to four bytes (nearly every index and length), which
    // cannot be too large; a fifth byte or the end of the region takes the checked loop.
    const bytes = this.bytes;
    const start = this.pos;
    const limit = Math.min(this.end, start + 4);
    let value = 0;
    for (let p = start, shift = 0; p < limit; p++, shift += 7) {
      const byte = bytes[p]!;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p + 1;
        return value;
      }
    }
    return this.checkedU32();
  }

  private checkedU32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.truncated();
      const byte = this.bytes[this.pos++]!;
      if (i === 4 && (byte & 0x70) !== 0) fail(this.pos - 1, 'integer too large: expected an unsigned 32-bit LEB128');
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
    return fail(start, 'integer representation too long: expected at most 5 bytes for a 32-bit LEB128');
  }

  /**
   * Signed LEB128 of `bits` bits (32, 33 or 64), skipped for its length only; returns the
   * value when it fits a double exactly enough for a type index (s33 block types).
   */
  signed(bits: 32 | 33 | 64): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let shift = 0;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end) this.truncated();
      const byte = this.bytes[this.pos++]!;
      if (i === maxBytes - 1) {
        checkLastSignedByte(byte, bits, this.pos - 1);
      }
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - 2 ** shift : result;
    }
    return fail(start, `integer representation too long: expected at most ${maxBytes} bytes for a ${bits}-bit signed LEB128`);
  }

  /** Unsigned 64-bit LEB128, skipped (memarg offsets under memory64). */
  skipU64(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.truncated();
      const byte = this.bytes[this.pos++]!;
      if (i === 9 && (byte & 0x7e) !== 0) fail(this.pos - 1, 'integer too large: expected an unsigned 64-bit LEB128');
      if ((byte & 0x80) === 0) return;
    }
    fail(start, 'integer representation too long: expected at most 10 bytes for a 64-bit LEB128');
  }

  skip(count: number): void {
    if (count > this.end - this.pos) {
      this.pos = Math.min(this.end, this.bytes.length);
      this.truncated();
    }
    this.pos += count;
  }

  /** A `name`: u32 length plus strictly valid UTF-8. */
  name(): string {
    const length = this.u32();
    const start = this.pos;
    this.skip(length);
    return decodeName(this.bytes, start, start + length);
  }

  /** A vector count, checked against the bytes left (each element needs at least `minSize` bytes). */
  count(minSize = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minSize > this.end - this.pos)
      fail(at, `vector length ${n} is larger than the ${this.end - this.pos} bytes left in the ${this.region}`);
    return n;
  }
}

function checkLastSignedByte(byte: number, bits: number, offset: number): void {
  if (byte & 0x80) return; // the caller reports "too long"
  // The bits past `bits` in the last byte must all equal the sign bit.
  const used = bits - 7 * Math.floor((bits - 1) / 7);
  const rest = byte & (0x7f & ~((1 << (used - 1)) - 1));
  const signBitSet = (byte & (1 << (used - 1))) !== 0;
  if (rest !== (signBitSet ? 0x7f & ~((1 << (used - 1)) - 1) : 0)) {
    fail(offset, `integer too large: expected a signed ${bits}-bit LEB128`);
  }
}

/** Strings shorter than V8's ConsString::kMinLength (13) are flat when concatenated. */
const MAX_FLAT_CONCAT = 12;

export function decodeName(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // String.fromCharCode over short ASCII runs beats TextDecoder's call overhead. Only up to
    // V8's smallest rope length (13): a longer name built this way stays a rope of one node per
    // character while the report keeps it (duckdb-wasm's 75,000 exports: 29 MB of ropes and
    // 250 ms of garbage collection).
    if (end - start <= MAX_FLAT_CONCAT) {
      let text = '';
      for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
      return text;
    }
  }
  try {
    return strictUtf8.decode(bytes.subarray(start, end));
  } catch {
    return fail(start + firstBadUtf8(bytes, start, end), 'malformed UTF-8 encoding: expected a valid UTF-8 name');
  }
}

/** Offset (from `start`) of the first byte that is not strict UTF-8; `end - start` when all of it is. */
export function firstBadUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i - start;
    for (let k = 1; k <= need; k++) {
      const c = i + k < end ? bytes[i + k]! : -1;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i - start;
    }
    i += need + 1;
  }
  return end - start;
}
