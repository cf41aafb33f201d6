/**
 * Statistics for benchmark samples. Everything is deterministic: bootstrap resampling draws
 * from a seeded PRNG so the same samples and seed give the same interval.
 */
import type { ConfidenceInterval, MillisecondStats, SampleStats } from './types';

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Percentile of sorted values with linear interpolation between closest ranks (p in 0..100). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0]!;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const weight = rank - lower;
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

export function median(values: readonly number[]): number {
  return percentileOfSorted(sortedCopy(values), 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const center = median(values);
  return median(values.map((value) => Math.abs(value - center)));
}

export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * Distribution-free 95% CI of the median from order statistics: the ranks n/2 ± 1.96·√n/2
 * (normal approximation of the binomial), clamped to the sample.
 */
export function medianConfidenceInterval(sorted: ArrayLike<number>): ConfidenceInterval {
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, level: 0.95, method: 'order-statistic' };
  const half = (1.959964 * Math.sqrt(n)) / 2;
  // 1-based ranks floor(n/2 - h) and ceil(1 + n/2 + h), as 0-based indices.
  const lowRank = Math.max(0, Math.floor(n / 2 - half) - 1);
  const highRank = Math.min(n - 1, Math.ceil(n / 2 + half));
  return { low: sorted[lowRank]!, high: sorted[highRank]!, level: 0.95, method: 'order-statistic' };
}

export function describeSamples(values: readonly number[]): SampleStats {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  return {
    count: n,
    median: percentileOfSorted(sorted, 50),
    mean: mean(values),
    min: n > 0 ? sorted[0]! : Number.NaN,
    max: n > 0 ? sorted[n - 1]! : Number.NaN,
    p5: percentileOfSorted(sorted, 5),
    p95: percentileOfSorted(sorted, 95),
    mad: medianAbsoluteDeviation(values),
    stddev: standardDeviation(values),
    medianCi: medianConfidenceInterval(sorted),
  };
}

export function describeMilliseconds(values: readonly number[]): MillisecondStats {
  const { count, median: mid, mean: average, min, max, p5, p95 } = describeSamples(values);
  return { count, median: mid, mean: average, min, max, p5, p95 };
}

/** (max - min) / median of the values: how far apart repeated rounds landed. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mid = median(values);
  return mid > 0 ? (Math.max(...values) - Math.min(...values)) / mid : 0;
}

/** Samples of one module grouped by the round they were taken in. */
export type RoundedSamples = readonly (readonly number[])[];

/** Median of a resample of the given rounds (each drawn round resampled with replacement). */
function medianOfRoundResample(rounds: RoundedSamples, random: () => number, scratch: Float64Array): number {
  let size = 0;
  for (const round of rounds) {
    for (let i = 0; i < round.length; i++) scratch[size++] = round[Math.floor(random() * round.length)]!;
  }
  return percentileOfSorted(scratch.subarray(0, size).sort(), 50);
}

/**
 * 95% CI of median(candidate) / median(baseline) by a two-level percentile bootstrap: draw
 * whole rounds with replacement (captures drift between rounds, which within-run error misses),
 * then samples within each drawn round. The modules were measured interleaved, so round r of
 * one pairs with round r of the other: both sides use the same drawn round indices.
 */
export function bootstrapRatioCi(
  baselineRounds: RoundedSamples,
  candidateRounds: RoundedSamples,
  seed: number,
  iterations = 1000,
  maxPerRound = 250,
): ConfidenceInterval {
  // Every k-th sample keeps a round's spread and drift while bounding the sorting work.
  const thin = (round: readonly number[]) => {
    const step = Math.ceil(round.length / maxPerRound);
    return step <= 1 ? round : round.filter((_, i) => i % step === 0);
  };
  const baseline = baselineRounds.map(thin);
  const candidate = candidateRounds.map(thin);
  const roundCount = Math.min(baseline.length, candidate.length);
  const longest = (rounds: RoundedSamples) => rounds.reduce((max, round) => Math.max(max, round.length), 0);
  const scratchBase = new Float64Array(longest(baseline) * roundCount);
  const scratchCand = new Float64Array(longest(candidate) * roundCount);
  const random = seededRandom(seed);
  const ratios = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const picks = Array.from({ length: roundCount }, () => Math.floor(random() * roundCount));
    const base = medianOfRoundResample(
      picks.map((p) => baseline[p]!),
      random,
      scratchBase,
    );
    const cand = medianOfRoundResample(
      picks.map((p) => candidate[p]!),
      random,
      scratchCand,
    );
    ratios[i] = cand / base;
  }
  ratios.sort();
  return {
    low: percentileOfSorted(ratios, 2.5),
    high: percentileOfSorted(ratios, 97.5),
    level: 0.95,
    method: 'bootstrap',
  };
}
