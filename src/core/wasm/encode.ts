/** Writing the binary format's primitives, for the small modules the engine builds (feature probes, reduced modules). */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function section(id: number, payload: readonly number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

/** Bytes written piece by piece, joined once at the end (no quadratic copying). */
export class ByteChunks {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array | readonly number[]): void {
    const bytes = chunk instanceof Uint8Array ? chunk : Uint8Array.from(chunk);
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
