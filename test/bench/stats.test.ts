import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bootstrapRatioCi,
  describeSamples,
  median,
  medianAbsoluteDeviation,
  medianConfidenceInterval,
  percentileOfSorted,
  relativeSpread,
  roundRatioInterval,
  runMedianInterval,
  seededRandom,
  sortedCopy,
} from '../../src/bench/stats';

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('percentiles interpolate between closest ranks', () => {
  const sorted = sortedCopy([10, 20, 30, 40, 50]);
  assert.equal(percentileOfSorted(sorted, 0), 10);
  assert.equal(percentileOfSorted(sorted, 100), 50);
  assert.equal(percentileOfSorted(sorted, 25), 20);
  assert.equal(percentileOfSorted(sorted, 5), 12);
  assert.equal(percentileOfSorted(sorted, 95), 48);
});

test('MAD ignores a single outlier', () => {
  // median 3; deviations 2,1,0,1,997 -> median 1
  assert.equal(medianAbsoluteDeviation([1, 2, 3, 4, 1000]), 1);
});

test('order-statistic CI of the median brackets the median and narrows with more samples', () => {
  const random = seededRandom(7);
  const small = sortedCopy(Array.from({ length: 50 }, () => 100 + random() * 10));
  const large = sortedCopy(Array.from({ length: 5000 }, () => 100 + random() * 10));
  for (const sample of [small, large]) {
    const ci = medianConfidenceInterval(sample);
    const mid = percentileOfSorted(sample, 50);
    assert.ok(ci.low <= mid && mid <= ci.high, `${ci.low} <= ${mid} <= ${ci.high}`);
  }
  const width = (s: Float64Array) => medianConfidenceInterval(s).high - medianConfidenceInterval(s).low;
  assert.ok(width(large) < width(small) / 3);
});

test('describeSamples reports every statistic', () => {
  const stats = describeSamples([3, 1, 2, 5, 4]);
  assert.deepEqual(
    { count: stats.count, median: stats.median, mean: stats.mean, min: stats.min, max: stats.max, mad: stats.mad },
    { count: 5, median: 3, mean: 3, min: 1, max: 5, mad: 1 },
  );
  assert.ok(Math.abs(stats.stddev - Math.sqrt(2.5)) < 1e-12);
});

test('relative spread of round medians', () => {
  assert.equal(relativeSpread([90, 100, 110]), 0.2);
  assert.equal(relativeSpread([100]), 0);
});

test('seeded PRNG is deterministic and seed-dependent', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const first = Array.from({ length: 5 }, a);
  assert.deepEqual(first, Array.from({ length: 5 }, b));
  assert.notDeepEqual(first, Array.from({ length: 5 }, c));
  assert.ok(first.every((x) => x >= 0 && x < 1));
});

function rounds(seed: number, center: number, count = 5, perRound = 60): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: perRound }, () => center * (1 + (random() - 0.5) * 0.1)));
}

test('bootstrap ratio CI is deterministic for a seed and brackets the true ratio', () => {
  const base = rounds(1, 100);
  const cand = rounds(2, 50);
  const first = bootstrapRatioCi(base, cand, 9);
  assert.deepEqual(bootstrapRatioCi(base, cand, 9), first);
  assert.notDeepEqual(bootstrapRatioCi(base, cand, 10), first);
  assert.ok(first.low < 0.5 + 0.02 && first.high > 0.5 - 0.02, JSON.stringify(first));
  assert.ok(first.high < 0.6);
});

test('bootstrap ratio CI widens when rounds disagree, even if each round is tight', () => {
  const tight = (centers: number[]) => centers.map((c) => Array.from({ length: 50 }, (_, i) => c + (i % 5) * 0.01));
  const steady = bootstrapRatioCi(tight([100, 100, 100, 100, 100]), tight([100, 100, 100, 100, 100]), 3);
  const drifting = bootstrapRatioCi(tight([100, 100, 100, 100, 100]), tight([80, 120, 95, 110, 90]), 3);
  assert.ok(steady.high - steady.low < 0.01, JSON.stringify(steady));
  assert.ok(drifting.high - drifting.low > 0.1, JSON.stringify(drifting));
  assert.ok(drifting.low < 1 && drifting.high > 1);
});

test('the ratio interval over round ratios is wide when the rounds disagree and narrow when they agree', () => {
  const tight = (centers: number[]) => centers.map((c) => Array.from({ length: 50 }, (_, i) => c + (i % 5) * 0.01));
  const steady = roundRatioInterval(tight([100, 101, 99, 100, 100]), tight([50, 50.5, 49.5, 50, 50]));
  const loaded = roundRatioInterval(tight([100, 101, 99, 100, 100]), tight([50, 65, 45, 70, 50]));
  assert.ok(steady && steady.low <= 0.5002 && steady.high >= 0.5 && steady.high - steady.low < 0.01, JSON.stringify(steady));
  assert.ok(loaded && loaded.high - loaded.low > 0.2, JSON.stringify(loaded));
  assert.equal(roundRatioInterval(tight([100]), tight([50])), undefined);
});

test('the run interval of the median is never narrower than the order-statistic one, and widens with drift', () => {
  const tight = (centers: number[]) => centers.map((c) => Array.from({ length: 200 }, (_, i) => c + (i % 7) * 0.1));
  const steady = runMedianInterval(tight([100, 100, 100, 100, 100]));
  const within = medianConfidenceInterval(sortedCopy(tight([100, 100, 100, 100, 100]).flat()));
  assert.ok(steady.low <= within.low && steady.high >= within.high);
  const drifting = runMedianInterval(tight([100, 110, 95, 105, 100]));
  assert.ok(drifting.high - drifting.low > 10, JSON.stringify(drifting));
  assert.equal(drifting.method, 'round-medians');
});
