/**
 * The instruction walker sees the file a window at a time (src/core/wasm/code-walk.ts):
 * these modules are large enough that bodies straddle windows, one body is larger than a
 * window, one call cannot record every body, and an element segment's expressions are
 * walked in one call. Counts and error offsets must come out as if the file were read in
 * one pass; the expected values follow from how each module is built.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { HEADER, moduleWithBodies, section, uleb } from './bytes';

/** `i32.const n; drop` repeated: two instructions per pair. */
function constDrops(pairs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs; i++) out.push(0x41, i & 0x3f, 0x1a);
  return out;
}

/** File offset of the first instruction of each body of a `moduleWithBodies` module. */
function instructionOffsets(bytes: Uint8Array): number[] {
  const report = inspectWasm(bytes);
  const { bodyOffsets } = report.module!.functions;
  return [...bodyOffsets].map((offset) => {
    let p = offset;
    while (bytes[p]! & 0x80) p++;
    return p + 2; // past the size LEB and the empty locals vector
  });
}

describe('wasm instruction walker windows', () => {
  it('counts every instruction when bodies straddle windows and one body exceeds a window', () => {
    const bodies = [...Array.from({ length: 3000 }, () => constDrops(400)), constDrops(1_200_000), constDrops(3)];
    const report = inspectWasm(moduleWithBodies(bodies));
    assert.equal(report.error, undefined, report.error?.message);
    const expected = bodies.reduce((sum, b) => sum + (b.length / 3) * 2 + 1, 0); // + the final `end`
    assert.equal(report.totals.instructions.total, expected);
    assert.equal(report.totals.functions, bodies.length);
    assert.equal(report.module!.functions.largest[0]!.index, 3000);
  });

  it('records every body of a section with more bodies than one call can record', () => {
    const bodies = Array.from({ length: 40_000 }, (_, i) => constDrops(i % 3));
    const bytes = moduleWithBodies(bodies);
    const report = inspectWasm(bytes);
    assert.equal(report.error, undefined, report.error?.message);
    const sizes = report.module!.functions.bodySizes;
    assert.equal(sizes.length, 40_000);
    for (let i = 0; i < bodies.length; i++) assert.equal(sizes[i], 2 + bodies[i]!.length, `body ${i}`);
    assert.equal(
      report.totals.instructions.total,
      bodies.reduce((sum, b) => sum + (b.length / 3) * 2 + 1, 0),
    );
  });

  it('reports a malformed instruction deep in a large module at its file offset, with the bodies before it counted', () => {
    const bodies = Array.from({ length: 20_000 }, () => constDrops(40));
    const bad = 17_123;
    bodies[bad] = [...constDrops(5), 0x27, ...constDrops(5)]; // 0x27 is no opcode
    const bytes = moduleWithBodies(bodies);
    const report = inspectWasm(bytes);
    const start = instructionOffsets(moduleWithBodies(bodies.map((b, i) => (i === bad ? constDrops(10) : b))))[bad]!;
    assert.deepEqual(report.error, { offset: start + 15, message: 'unknown opcode 0x27: expected an instruction' });
    assert.equal(report.totals.instructions.total, bad * 81, 'only the bodies before the malformed one count');
    assert.equal(report.module!.functions.bodySizes[bad + 1], 0, 'no body after the malformed one is reported');
  });

  it('walks many element expressions and reports the malformed one at its offset', () => {
    const count = 800_000; // 2.4 MB of expressions: more than one window
    const expressions: number[] = [];
    for (let i = 0; i < count; i++) expressions.push(0xd2, 0x00, 0x0b); // ref.func 0
    const build = (exprs: number[]): Uint8Array =>
      Uint8Array.from([
        ...HEADER,
        ...section(1, [1, 0x60, 0, 0]),
        ...section(3, [1, 0]),
        ...section(9, [1, 5, 0x70, ...uleb(count), ...exprs]), // passive, expressions
        ...section(10, [1, 2, 0, 0x0b]),
      ]);
    const good = inspectWasm(build(expressions));
    assert.equal(good.error, undefined, good.error?.message);
    assert.equal(good.totals.instructions.total, count * 2 + 1);
    assert.ok(good.totals.features.includes('reference-types'));

    const broken = [...expressions];
    broken[3 * (count - 2)] = 0x27;
    const bytes = build(broken);
    const elementPayload = good.module!.sections.find((s) => s.name === 'element')!.payloadOffset;
    const firstExpression = elementPayload + 1 + 1 + 1 + uleb(count).length;
    assert.deepEqual(inspectWasm(bytes).error, {
      offset: firstExpression + 3 * (count - 2),
      message: 'unknown opcode 0x27: expected an instruction',
    });
  });
});
