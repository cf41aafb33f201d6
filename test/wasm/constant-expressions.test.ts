/**
 * Constant expressions of the usual shapes are read without the walker
 * (`simpleConstantEnd` in src/core/wasm/code-walk.ts). Whatever the bytes, the result must be
 * the walker's: the same end position and counts, or the same failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/bench/stats';
import { DecodeFailure } from '../../src/core/wasm/bytes';
import { simpleConstantEnd, walkConstantExpressions, walkConstantExpressionsInWalker, WalkStats } from '../../src/core/wasm/code-walk';

type Outcome = { readonly end: number; readonly stats: WalkStats } | { readonly failure: string; readonly offset: number };

function outcome(walk: typeof walkConstantExpressions, bytes: Uint8Array, end: number, count: number): Outcome {
  const stats = new WalkStats();
  try {
    return { end: walk(bytes, 0, end, count, stats), stats };
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    return { failure: error.message, offset: error.offset };
  }
}

/** An expression near the fast path's edges: LEBs of 1–11 bytes, with or without a final byte, `end` or not. */
function expression(next: () => number): number[] {
  const opcodes = [0x41, 0x42, 0x23, 0xd2, 0x41, 0x42, 0x23];
  const op = opcodes[Math.floor(next() * opcodes.length)]!;
  const length = 1 + Math.floor(next() * 11);
  const leb = Array.from({ length }, (_, i) => Math.floor(next() * 128) | (i < length - 1 ? 0x80 : 0));
  if (next() < 0.1) leb[length - 1]! |= 0x80; // never finishes
  const tail = next() < 0.9 ? [0x0b] : [Math.floor(next() * 256)];
  return [op, ...leb, ...tail];
}

describe('constant expressions without the walker', () => {
  it('reads i32.const, i64.const and global.get then end', () => {
    assert.equal(simpleConstantEnd(Uint8Array.from([0x41, 0x80, 0x80, 0x01, 0x0b]), 0, 5), 5);
    assert.equal(simpleConstantEnd(Uint8Array.from([0x42, 0x7f, 0x0b]), 0, 3), 3);
    assert.equal(simpleConstantEnd(Uint8Array.from([0x23, 0x00, 0x0b]), 0, 3), 3);
  });

  it('leaves LEBs that could be out of range, other opcodes and a missing end to the walker', () => {
    assert.equal(simpleConstantEnd(Uint8Array.from([0x41, 0x80, 0x80, 0x80, 0x80, 0x01, 0x0b]), 0, 7), undefined);
    assert.equal(simpleConstantEnd(Uint8Array.from([0xd2, 0x00, 0x0b]), 0, 3), undefined);
    assert.equal(simpleConstantEnd(Uint8Array.from([0x41, 0x00, 0x1a]), 0, 3), undefined);
    // The `end` lies past the region's end.
    assert.equal(simpleConstantEnd(Uint8Array.from([0x41, 0x00, 0x0b]), 0, 2), undefined);
  });

  it('agrees with the walker on 3,000 random sequences of expressions', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = seededRandom(seed);
      const count = 1 + Math.floor(next() * 4);
      const bytes = Uint8Array.from(Array.from({ length: count }, () => expression(next)).flat());
      // Sometimes the region ends before the bytes do, as a section's end would.
      const end = next() < 0.2 ? Math.floor(next() * bytes.length) : bytes.length;
      assert.deepEqual(
        outcome(walkConstantExpressions, bytes, end, count),
        outcome(walkConstantExpressionsInWalker, bytes, end, count),
        `seed ${seed}: ${Buffer.from(bytes).toString('hex')} (end ${end}, ${count} expressions)`,
      );
    }
  });
});
