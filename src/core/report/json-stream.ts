/**
 * `JSON.stringify(value, null, 2)`, handed to `write` in pieces of about a megabyte. A module with
 * 75,000 exports (duckdb-wasm) makes 28 MB of JSON: as one string, plus its UTF-8 copy on the way
 * to stdout, it cost `inspect --json` 84 MB of peak memory beyond the report itself.
 *
 * Objects and short arrays that hold a long array are written a member at a time, and a long
 * array a slice of members at a time; everything is written by `JSON.stringify` itself and
 * indented to its depth, so the text is the same and the work stays native.
 */

/** Arrays longer than this are written a member at a time. */
const LONG_ARRAY = 256;
/** Members of a long array written by one JSON.stringify call. */
const SLICE = 1024;
/** Pieces are joined up to about this many characters before they are written. */
const PIECE_CHARS = 1 << 20;
/** Long arrays deeper than this are left to JSON.stringify: reports are never this deep. */
const MAX_DEPTH = 8;

export function writeJson(value: object, write: (text: string) => void): void {
  const out = new Pieces(write);
  emit(value, '', out, 0);
  out.flush();
}

/** Values JSON leaves out of objects (and writes as null in arrays). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function holdsLongArray(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.length > LONG_ARRAY || value.some((member) => holdsLongArray(member, depth + 1));
  // An object with its own JSON form (a Date…) is JSON.stringify's to write.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  return Object.values(value).some((member) => holdsLongArray(member, depth + 1));
}

function emit(value: unknown, indent: string, out: Pieces, depth: number): void {
  if (!holdsLongArray(value, depth)) {
    const text = JSON.stringify(value, null, 2);
    // JSON text has no raw line breaks inside strings, so each one starts an indented line.
    out.push(indent === '' ? text : text.replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > LONG_ARRAY) {
    // Members of a long array (exports, imports, findings) are small: JSON.stringify writes a
    // slice of them at a time, as the members of an array it would have written whole.
    out.push('[\n');
    for (let start = 0; start < value.length; start += SLICE) {
      const text = JSON.stringify(value.slice(start, start + SLICE), null, 2);
      if (start > 0) out.push(',\n');
      out.push(`${indent}${text.slice(2, -2).replace(/\n/g, `\n${indent}`)}`);
    }
    out.push(`\n${indent}]`);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[\n');
    value.forEach((member: unknown, i) => {
      out.push(inner);
      emit(isOmitted(member) ? null : member, inner, out, depth + 1);
      out.push(i < value.length - 1 ? ',\n' : '\n');
    });
    out.push(`${indent}]`);
    return;
  }
  const entries = Object.entries(value as object).filter(([, member]) => !isOmitted(member));
  out.push('{\n');
  entries.forEach(([key, member], i) => {
    out.push(`${inner}${JSON.stringify(key)}: `);
    emit(member, inner, out, depth + 1);
    out.push(i < entries.length - 1 ? ',\n' : '\n');
  });
  out.push(`${indent}}`);
}

class Pieces {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly write: (text: string) => void) {}

  push(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= PIECE_CHARS) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }
}
