/**
 * `jsonPieces` must write exactly what `JSON.stringify(value, null, 2)` does, in pieces when the
 * value holds long arrays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/bench/stats';
import { jsonPieces } from '../../src/core/report/json-stream';

const MB = 1 << 20;

function written(value: object): { text: string; largest: number; pieces: number } {
  const pieces = [...jsonPieces(value)];
  return { text: pieces.join(''), largest: Math.max(...pieces.map((piece) => piece.length)), pieces: pieces.length };
}

/** Values of every JSON kind, and the ones JSON leaves out or turns into null. */
function randomValue(next: () => number, depth: number): unknown {
  const leaves: unknown[] = [
    0,
    -0,
    1.5e300,
    NaN,
    -Infinity,
    '',
    'line\nbreak "quoted" \u2028 \ud83d\ude00',
    true,
    false,
    null,
    undefined,
    () => 1,
    new Date(0),
  ];
  const kind = next();
  if (depth > 4 || kind < 0.4) return leaves[Math.floor(next() * leaves.length)];
  // Now and then an array long enough to be written a member at a time; its members stay small.
  const long = depth < 4 && next() < 0.15;
  const length = long ? 257 + Math.floor(next() * 300) : Math.floor(next() * 4);
  const member = () => randomValue(next, long ? 4 : depth + 1);
  if (kind < 0.7) return Array.from({ length }, member);
  return Object.fromEntries(Array.from({ length }, (_, i) => [`key ${i}\t"${Math.floor(next() * 10)}"`, member()]));
}

describe('JSON written in pieces', () => {
  it('writes what JSON.stringify writes, for 500 random values', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = seededRandom(seed);
      const value = { root: randomValue(next, 0), list: [randomValue(next, 1), randomValue(next, 1)] };
      assert.equal(written(value).text, JSON.stringify(value, null, 2), `seed ${seed}`);
    }
  });

  it("writes a report with 75,000 exports in pieces below V8's large-object size", () => {
    const exports = Array.from({ length: 75_000 }, (_, index) => ({
      name: `orig$_ZN6duckdb15OuterJoinMarker10InitializeEy${index}`,
      kind: 'func',
      index,
      signature: { params: ['i32', 'i64'], results: [] },
    }));
    const report = { schemaVersion: 1, wasm: { modules: [{ sections: [], exports, imports: [] }] }, findings: [] };
    const { text, largest, pieces } = written(report);
    assert.equal(text, JSON.stringify(report, null, 2));
    assert.ok(text.length > 10 * MB);
    assert.ok(largest < 128 * 1024, `the largest of ${pieces} pieces has ${largest} characters`);
  });
});
