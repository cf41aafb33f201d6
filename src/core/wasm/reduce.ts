/**
 * Builds the small module wabt renders when a host asks for one function's text: every
 * section is kept except that other function bodies become `unreachable` (valid for any
 * signature), data segments lose their bytes, and custom sections other than `name` go.
 */
import { ByteReader } from './bytes';
import { walkConstantExpressions, WalkStats } from './code-walk';
import { ByteChunks, uleb } from './encode';
import { decodeModule } from './module';

const TRIVIAL_BODY = [0x03, 0x00, 0x00, 0x0b]; // size 3: no locals, unreachable, end

function emptiedDataSection(bytes: Uint8Array, start: number, end: number): ByteChunks {
  const r = new ByteReader(bytes, start, end, 'data section');
  const out = new ByteChunks();
  const count = r.count();
  out.push(Uint8Array.from(uleb(count)));
  for (let i = 0; i < count; i++) {
    const segmentStart = r.pos;
    const flags = r.u32();
    if (flags === 2) r.u32();
    if (flags !== 1) r.pos = walkConstantExpressions(bytes, r.pos, end, 1, new WalkStats());
    out.push(bytes.subarray(segmentStart, r.pos));
    out.push(Uint8Array.of(0));
    r.skip(r.u32());
  }
  return out;
}

export interface ReducedModule {
  readonly bytes: Uint8Array;
  /** Position of the kept function among the defined functions. */
  readonly definedIndex: number;
}

export function buildSingleFunctionModule(bytes: Uint8Array, funcIndex: number): ReducedModule {
  const { report, error } = decodeModule(bytes);
  if (error) throw new Error(`the module is malformed at offset ${error.offset}: ${error.message}`);
  const { imported, bodyOffsets, bodySizes } = report.functions;
  const definedIndex = funcIndex - imported;
  if (!Number.isInteger(funcIndex) || definedIndex < 0 || definedIndex >= bodySizes.length) {
    throw new RangeError(
      `function ${funcIndex} is not a defined function (imports 0–${imported - 1}, defined ${imported}–${imported + bodySizes.length - 1})`,
    );
  }
  const out = new ByteChunks();
  out.push(bytes.subarray(0, 8));
  for (const section of report.sections) {
    const payloadEnd = section.payloadOffset + section.size;
    if (section.id === 0 && section.name !== 'custom:name') continue;
    let payload: ByteChunks;
    if (section.id === 10) {
      payload = new ByteChunks();
      payload.push(Uint8Array.from(uleb(bodySizes.length)));
      const trivial = Uint8Array.from(TRIVIAL_BODY);
      for (let i = 0; i < bodySizes.length; i++) {
        if (i !== definedIndex) {
          payload.push(trivial);
          continue;
        }
        const start = bodyOffsets[i]!;
        const end = i + 1 < bodyOffsets.length ? bodyOffsets[i + 1]! : payloadEnd;
        payload.push(bytes.subarray(start, end));
      }
    } else if (section.id === 11) {
      payload = emptiedDataSection(bytes, section.payloadOffset, payloadEnd);
    } else {
      payload = new ByteChunks();
      payload.push(bytes.subarray(section.payloadOffset, payloadEnd));
    }
    out.push(Uint8Array.from([section.id, ...uleb(payload.length)]));
    out.push(payload.bytes());
  }
  return { bytes: out.bytes(), definedIndex };
}

/** Picks the `definedIndex`-th top-level `(func …)` out of wabt's module text. */
export function extractFunctionText(moduleText: string, definedIndex: number): string {
  const marker = '\n  (func';
  let at = -1;
  for (let i = 0; i <= definedIndex; i++) {
    at = moduleText.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`wabt's text has no function number ${definedIndex}`);
  }
  const next = moduleText.indexOf('\n  (', at + 1);
  const end = next >= 0 ? next : moduleText.lastIndexOf('\n)');
  return moduleText
    .slice(at + 1, end > at ? end : undefined)
    .split('\n')
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n');
}
