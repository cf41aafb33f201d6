/** The distribution chart's log axis: labels on 1, 2 and 5 times a power of ten, and ends on them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRoundTick, roundTickAtOrAbove, roundTickAtOrBelow } from '../../src/webview/benchmark/round-ticks';

describe('log axis ticks', () => {
  it('labels 1, 2 and 5 times a power of ten, below 1 too', () => {
    assert.deepEqual(
      [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 2, 4, 5, 10, 20, 500, 900, 2000].filter(isRoundTick),
      [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 500, 2000],
    );
  });

  it('ends the axis on the nearest such value outside the samples', () => {
    // 0.63–4.1 µs once made an axis of 0.504–5.1 with no label below 1.
    assert.equal(roundTickAtOrBelow(0.63 / 1.1), 0.5);
    assert.equal(roundTickAtOrAbove(4.1 * 1.1), 5);
    assert.equal(roundTickAtOrBelow(0.3), 0.2);
    assert.equal(roundTickAtOrBelow(2), 2);
    assert.equal(roundTickAtOrAbove(2), 2);
    assert.equal(roundTickAtOrAbove(5.5), 10);
    assert.equal(roundTickAtOrAbove(9.99), 10);
    assert.equal(roundTickAtOrBelow(4.9e-7), 2e-7);
    assert.equal(roundTickAtOrAbove(4.9e-7), 5e-7);
    assert.ok(isRoundTick(roundTickAtOrAbove(1234)), 'an end is always labelled');
  });
});
