/**
 * The custom sections the report reads: `producers` (facts §10.2) and `target_features`
 * (facts §10.1); function names are in function-names.ts. Custom sections never make a module
 * malformed, so a broken one is reported as a problem next to the report instead.
 */
import { ByteReader, fail } from './bytes';
import type { ProducerEntry, Producers, TargetFeature } from './model';

export function sectionEndCheck(r: ByteReader, what: string): void {
  if (r.pos !== r.end) fail(r.pos, `${what} ends ${r.end - r.pos} bytes before the end of its section`);
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
