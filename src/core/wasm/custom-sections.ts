/**
 * The custom sections the report reads: `name` (function names), `producers` (facts
 * §10.2) and `target_features` (facts §10.1). Custom sections never make a module
 * malformed, so a broken one is reported as a problem next to the report instead.
 */
import { ByteReader, fail } from './bytes';
import type { ProducerEntry, Producers, TargetFeature } from './model';

function sectionEndCheck(r: ByteReader, what: string): void {
  if (r.pos !== r.end) fail(r.pos, `${what} ends ${r.end - r.pos} bytes before the end of its section`);
}

/** Function names (subsection 1) of a `name` section payload. */
export function functionNames(bytes: Uint8Array, start: number, end: number): Map<number, string> {
  const r = new ByteReader(bytes, start, end, 'name section');
  const names = new Map<number, string>();
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.u32();
    const subEnd = r.pos + size;
    if (subEnd > end) fail(r.pos, `name subsection ${id} declares ${size} bytes but only ${end - r.pos} are left`);
    if (id === 1) {
      const sub = new ByteReader(bytes, r.pos, subEnd, 'function names subsection');
      for (let i = 0, n = sub.count(2); i < n; i++) {
        const index = sub.u32();
        names.set(index, sub.name());
      }
      sectionEndCheck(sub, 'the function names subsection');
    }
    r.pos = subEnd;
  }
  return names;
}

export function producers(bytes: Uint8Array, start: number, end: number): Producers {
  const r = new ByteReader(bytes, start, end, 'producers section');
  const fields: Record<string, ProducerEntry[]> = { language: [], 'processed-by': [], sdk: [] };
  for (let i = 0, n = r.count(); i < n; i++) {
    const field = r.name();
    const values: ProducerEntry[] = [];
    for (let k = 0, m = r.count(2); k < m; k++) values.push({ name: r.name(), version: r.name() });
    const known = fields[field];
    if (known) known.push(...values);
  }
  sectionEndCheck(r, 'the producers section');
  return { language: fields.language!, processedBy: fields['processed-by']!, sdk: fields.sdk! };
}

export function targetFeatures(bytes: Uint8Array, start: number, end: number): TargetFeature[] {
  const r = new ByteReader(bytes, start, end, 'target_features section');
  const features: TargetFeature[] = [];
  for (let i = 0, n = r.count(2); i < n; i++) {
    const at = r.pos;
    const prefix = r.u8();
    const name = r.name();
    // '=' ("required") was removed from tool-conventions in 2024 and meant "used" (facts §10.1).
    if (prefix === 0x2b || prefix === 0x3d) features.push({ prefix: '+', name });
    else if (prefix === 0x2d) features.push({ prefix: '-', name });
    else fail(at, `unknown target feature prefix 0x${prefix.toString(16)}: expected '+', '-' or '='`);
  }
  sectionEndCheck(r, 'the target_features section');
  return features;
}
