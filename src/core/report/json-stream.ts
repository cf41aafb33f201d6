/**
 * `JSON.stringify(value, null, 2)` in pieces of about 64 KiB, for a writer that waits for each to
 * drain. A module with 75,000 exports (duckdb-wasm) makes 28 MB of JSON: as one string, plus its
 * UTF-8 copy on the way to stdout, it cost `inspect --json` 84 MB of peak memory beyond the report
 * itself. Pieces and slices stay below V8's large-object size (128 KiB), so each dies young in a
 * scavenge instead of piling up until a full collection.
 *
 * Objects and short arrays that hold a long array are written a member at a time, and a long
 * array a slice of members at a time; everything is written by `JSON.stringify` itself and
 * indented to its depth, so the text is the same and the work stays native.
 */

/** Arrays longer than this are written a slice of members at a time. */
const LONG_ARRAY = 256;
/** Members of a long array written by one JSON.stringify call (an export is about 400 characters). */
const SLICE = 128;
/** Parts are joined up to about this many characters into one piece. */
const PIECE_CHARS = 1 << 16;
/** Long arrays deeper than this are left to JSON.stringify: reports are never this deep. */
const MAX_DEPTH = 8;

export function* jsonPieces(value: object): Generator<string> {
  const out = new Pieces();
  for (const part of emit(value, '', 0)) {
    const piece = out.add(part);
    if (piece !== undefined) yield piece;
  }
  const last = out.take();
  if (last !== undefined) yield last;
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

function* emit(value: unknown, indent: string, depth: number): Generator<string> {
  if (!holdsLongArray(value, depth)) {
    const text = JSON.stringify(value, null, 2);
    // JSON text has no raw line breaks inside strings, so each one starts an indented line.
    yield indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > LONG_ARRAY) {
    // Members of a long array (exports, imports, findings) are small: JSON.stringify writes a
    // slice of them at a time, as the members of an array it would have written whole.
    // Nested in as many arrays as `indent` has levels, the slice comes out indented to its depth:
    // cutting the wrappers off is cheaper than indenting every line of it again.
    const levels = indent.length / 2;
    const prefix = Array.from({ length: levels + 1 }, (_, i) => `${'  '.repeat(i)}[\n`).join('');
    const suffix = Array.from({ length: levels + 1 }, (_, i) => `\n${'  '.repeat(levels - i)}]`).join('');
    yield '[\n';
    for (let start = 0; start < value.length; start += SLICE) {
      let wrapped: unknown = value.slice(start, start + SLICE);
      for (let i = 0; i < levels; i++) wrapped = [wrapped];
      const text = JSON.stringify(wrapped, null, 2);
      if (start > 0) yield ',\n';
      yield text.slice(prefix.length, text.length - suffix.length);
    }
    yield `\n${indent}]`;
    return;
  }
  if (Array.isArray(value)) {
    yield '[\n';
    for (const [i, member] of value.entries()) {
      yield inner;
      yield* emit(isOmitted(member) ? null : member, inner, depth + 1);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const entries = Object.entries(value as object).filter(([, member]) => !isOmitted(member));
  yield '{\n';
  for (const [i, [key, member]] of entries.entries()) {
    yield `${inner}${JSON.stringify(key)}: `;
    yield* emit(member, inner, depth + 1);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** Joins parts into pieces of about PIECE_CHARS characters. */
class Pieces {
  private parts: string[] = [];
  private chars = 0;

  /** The piece this part completes, if it does. */
  add(part: string): string | undefined {
    this.parts.push(part);
    this.chars += part.length;
    return this.chars >= PIECE_CHARS ? this.take() : undefined;
  }

  take(): string | undefined {
    if (this.parts.length === 0) return undefined;
    const piece = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    return piece;
  }
}
