import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortLabels, speedInterval, speedText } from '../../src/protocol/benchmark-verdict';
import { formatNsIn, timeUnitFor } from '../../src/protocol/format';

test('labels lose the prefix and suffix they share, cut at a separator', () => {
  assert.deepEqual(shortLabels(['bench/kernels-s.wasm', 'bench/kernels-3-simd.wasm']), ['s', '3-simd']);
  assert.deepEqual(shortLabels(['out/kernels-opt-s.wasm', 'out/kernels-opt3-simd.wasm']), ['opt-s', 'opt3-simd']);
  // Settings are cut between words only, never inside "key=value".
  assert.deepEqual(shortLabels(['opt-level=s', 'opt-level=3']), ['opt-level=s', 'opt-level=3']);
  assert.deepEqual(shortLabels(['current build opt-level=s', 'current build opt-level=3']), ['opt-level=s', 'opt-level=3']);
  assert.deepEqual(shortLabels(['release profile', 'opt-level=3 +simd128']), ['release profile', 'opt-level=3 +simd128']);
});

test('a label that would become empty keeps the labels whole; one label keeps its file name', () => {
  assert.deepEqual(shortLabels(['opt-level=3', 'opt-level=3 +simd128']), ['opt-level=3', 'opt-level=3 +simd128']);
  assert.deepEqual(shortLabels(['a', 'a']), ['a', 'a']);
  assert.deepEqual(shortLabels(['target/wasm32-unknown-unknown/release/kernels.wasm']), ['kernels.wasm']);
  assert.deepEqual(shortLabels([]), []);
});

test('speed-ups read as N× faster or slower, never as a ratio below 1 called faster', () => {
  assert.equal(speedText(0.16), '6.3× faster');
  assert.equal(speedText(1.4), '1.40× slower');
  assert.equal(speedText(0.8), '1.25× faster');
  assert.equal(speedInterval({ label: 'b', ratio: 0.16, ciLow: 0.156, ciHigh: 0.162, significant: true }), '6.2–6.4×');
  assert.equal(speedInterval({ label: 'b', ratio: 1.01, ciLow: 0.98, ciHigh: 1.04, significant: false }), '1.02× faster to 1.04× slower');
});

test('one unit for a run: the slower time picks it, the faster reads as a fraction of it', () => {
  const unit = timeUnitFor(3960);
  assert.equal(formatNsIn(3960, unit), '3.96 µs');
  assert.equal(formatNsIn(640, unit), '0.640 µs');
  assert.equal(formatNsIn(313_400, timeUnitFor(473_000)), '313 µs');
});
