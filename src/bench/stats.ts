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

/** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond that, the normal one. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function studentT975(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Number.POSITIVE_INFINITY;
  return T_975[Math.min(degreesOfFreedom, T_975.length) - 1] ?? 1.96;
}

/**
 * The 95% interval of a run's median that a re-run's median falls in: a t prediction interval
 * over the round medians (centre ± t·s·√(2/k), the variance of this run's estimate plus the
 * next one's), never narrower than the order-statistic interval of all samples. The rounds,
 * not the samples, carry what moves between runs (load, frequency scaling, other programs):
 * thousands of samples make the within-run interval a few nanoseconds wide however much the
 * machine drifts.
 */
export function runMedianInterval(rounds: RoundedSamples): ConfidenceInterval {
  const all = sortedCopy(rounds.flat());
  const withinRun = medianConfidenceInterval(all);
  const medians = rounds.filter((round) => round.length > 0).map((round) => median(round));
  if (medians.length < 2) return withinRun;
  const centre = percentileOfSorted(all, 50);
  const half = studentT975(medians.length - 1) * standardDeviation(medians) * Math.sqrt(2 / medians.length);
  return {
    low: Math.min(withinRun.low, centre - half),
    high: Math.max(withinRun.high, centre + half),
    level: 0.95,
    method: 'round-medians',
  };
}

/**
 * 95% t-interval of median(candidate) / median(baseline) over the per-round ratios (in logs, so
 * 2× faster and 2× slower are symmetric). Rounds are measured interleaved, so round r of one pairs
 * with round r of the other; how much the round ratios disagree is the comparison's noise.
 */
export function roundRatioInterval(baselineRounds: RoundedSamples, candidateRounds: RoundedSamples): ConfidenceInterval | undefined {
  const count = Math.min(baselineRounds.length, candidateRounds.length);
  const logs: number[] = [];
  for (let r = 0; r < count; r++) {
    const base = median(baselineRounds[r]!);
    const cand = median(candidateRounds[r]!);
    if (base > 0 && cand > 0) logs.push(Math.log(cand / base));
  }
  if (logs.length < 2) return undefined;
  const half = (studentT975(logs.length - 1) * standardDeviation(logs)) / Math.sqrt(logs.length);
  const centre = mean(logs);
  return { low: Math.exp(centre - half), high: Math.exp(centre + half), level: 0.95, method: 'round-medians' };
}

/** The limits past which a variant's numbers are called noisy. */
export const NOISE_LIMITS = { roundSpread: 0.1, meanOverMedian: 1.1, p95OverMedian: 1.5 } as const;

/** How busy the machine was while measuring: the 1-minute load average and the CPUs it is shared by. */
export interface MachineLoad {
  readonly average: number;
  readonly cpus: number;
}

/** Why the samples of one variant are noisy, in words; empty when they are not. */
export function noiseReasons(
  stats: Pick<SampleStats, 'median' | 'mean' | 'p95'>,
  roundMedians: readonly number[],
  load?: MachineLoad,
): string[] {
  const reasons: string[] = [];
  // Other programs slow a shared machine for seconds at a time, longer than a run: a run that met
  // only one such state has rounds that agree, and a re-run in another state lands outside its
  // interval. No spread inside the run shows that, so a busy machine is said in words.
  if (load && load.average > load.cpus) {
    reasons.push(
      `the machine was busy (load average ${load.average.toFixed(1)} on ${load.cpus} CPUs): other programs can move a re-run beyond this interval`,
    );
  }
  const spread = relativeSpread(roundMedians);
  if (roundMedians.length > 1 && spread > NOISE_LIMITS.roundSpread) {
    reasons.push(
      `the ${roundMedians.length} rounds disagree: their medians spread by ${(spread * 100).toFixed(0)}%, so the machine's load changed during the run`,
    );
  }
  if (stats.median > 0) {
    const skew = stats.mean / stats.median;
    if (skew > NOISE_LIMITS.meanOverMedian) {
      reasons.push(
        `the mean is ${((skew - 1) * 100).toFixed(0)}% above the median: some calls were much slower (interrupts, other programs)`,
      );
    }
    const tail = stats.p95 / stats.median;
    if (tail > NOISE_LIMITS.p95OverMedian) reasons.push(`the slowest 5% of calls took ${tail.toFixed(1)}× the median or longer`);
  }
  return reasons;
}

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
