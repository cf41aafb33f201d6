/**
 * Does the interval a run reports hold up when the run is repeated? The timing loop runs on a
 * fake clock driven by a seeded noise model of a shared machine: calls jitter, a few are
 * interrupted, and the machine's load changes every ~400 ms, longer than a round, so rounds
 * measured back to back share a load and agree while a re-run meets another one (what the real
 * kernels showed: `npm run bench -- interval-coverage`). A re-run's interval should then cover
 * the previous run's median, as a person re-running a benchmark expects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureSubjects, type Clock } from '../../src/bench/measure';
import { DEFAULT_HARNESS } from '../../src/bench/settings';
import {
  describeSamples,
  median,
  medianConfidenceInterval,
  noiseReasons,
  runMedianInterval,
  seededRandom,
  sortedCopy,
} from '../../src/bench/stats';
import type { ConfidenceInterval, HarnessSettings } from '../../src/bench/types';

// The defaults: 5 rounds of 200 ms, with pauses of 400 ms between them.
const SETTINGS: HarnessSettings = { ...DEFAULT_HARNESS, timeLimitMs: 60_000 };

interface NoiseModel {
  /** Median cost of one call on an idle machine. */
  readonly callNs: number;
  /** Standard deviation of the log of one call's jitter. */
  readonly jitter: number;
  /** Standard deviation of the log of the load factor, redrawn every `loadPeriodNs` on average. */
  readonly load: number;
  readonly loadPeriodNs: number;
  /** Share of calls that an interrupt makes 2–6 times slower. */
  readonly interrupted: number;
}

const SHARED_MACHINE: NoiseModel = { callNs: 40_000, jitter: 0.03, load: 0.04, loadPeriodNs: 400e6, interrupted: 0.01 };

function normal(random: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A clock that only moves when the subject runs, by what the noise model says the calls took. */
/** With `pausesPass` false the pauses between rounds take no time: the rounds run back to back, as they did before. */
function fakeMachine(model: NoiseModel, seed: number, pausesPass = true): { clock: Clock; drive: (n: number) => number } {
  const random = seededRandom(seed);
  let now = 0;
  let loadFactor = 1;
  let nextLoadChange = 0;
  const drive = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (now >= nextLoadChange) {
        loadFactor = Math.exp(model.load * normal(random));
        nextLoadChange = now + model.loadPeriodNs * (0.5 + random());
      }
      const interrupt = random() < model.interrupted ? 2 + 4 * random() : 1;
      now += model.callNs * loadFactor * Math.exp(model.jitter * normal(random)) * interrupt;
    }
    return n;
  };
  // Idle pauses let time pass: the machine's load goes on changing while nothing runs.
  return { clock: { nowNs: () => now, idle: (ms) => void (now += pausesPass ? ms * 1e6 : 0) }, drive };
}

interface FakeRun {
  readonly median: number;
  readonly reported: ConfidenceInterval;
  readonly withinRun: ConfidenceInterval;
  readonly noise: string[];
}

function fakeRun(model: NoiseModel, seed: number, pausesPass = true): FakeRun {
  const { clock, drive } = fakeMachine(model, seed, pausesPass);
  const [samples] = measureSubjects([{ label: 'kernel', drive }], SETTINGS, { clock });
  const rounds = samples!.rounds;
  const stats = describeSamples(rounds.flat());
  return {
    median: stats.median,
    reported: runMedianInterval(rounds),
    withinRun: medianConfidenceInterval(sortedCopy(rounds.flat())),
    noise: noiseReasons(
      stats,
      rounds.map((round) => median(round)),
    ),
  };
}

function covered(interval: ConfidenceInterval, value: number): boolean {
  return interval.low <= value && value <= interval.high;
}

test("a re-run's interval covers the previous run's median in at least 9 of 10 re-runs", () => {
  const runs = Array.from({ length: 11 }, (_, i) => fakeRun(SHARED_MACHINE, 100 + i));
  const reruns = runs.slice(1);
  const coveredByReported = reruns.filter((run, i) => covered(run.reported, runs[i]!.median)).length;
  const coveredWithinRun = reruns.filter((run, i) => covered(run.withinRun, runs[i]!.median)).length;
  const describe = runs
    .map((run) => `${run.median.toFixed(0)} [${run.reported.low.toFixed(0)}, ${run.reported.high.toFixed(0)}]`)
    .join(', ');
  assert.ok(coveredByReported >= 9, `covered ${coveredByReported} of 10: ${describe}`);
  // The interval of the pooled samples knows nothing of the load changes between rounds: it is
  // narrow and misses most previous medians. This is what the reported interval replaced.
  assert.ok(coveredWithinRun <= 5, `the within-run interval covered ${coveredWithinRun} of 10`);
  for (const run of runs) assert.equal(run.reported.method, 'round-medians');
});

test('rounds measured back to back, without the pauses, see too few loads and cover less', () => {
  const coverage = (pausesPass: boolean) => {
    const runs = Array.from({ length: 11 }, (_, i) => fakeRun(SHARED_MACHINE, 100 + i, pausesPass));
    return runs.slice(1).filter((run, i) => covered(run.reported, runs[i]!.median)).length;
  };
  const spread = coverage(true);
  const backToBack = coverage(false);
  assert.ok(backToBack < spread, `back to back ${backToBack} of 10, spread ${spread} of 10`);
});

test('an idle machine gives a narrow interval and no noise', () => {
  const idle = fakeRun({ ...SHARED_MACHINE, load: 0, interrupted: 0, jitter: 0.01 }, 7);
  assert.deepEqual(idle.noise, []);
  assert.ok((idle.reported.high - idle.reported.low) / idle.median < 0.01, JSON.stringify(idle.reported));
});

test('a run on a machine busier than its CPUs is called noisy: a re-run can meet another load than the rounds did', () => {
  const quiet = { median: 100, mean: 101, p95: 110 };
  const steady = [100, 100, 101, 100, 100];
  assert.deepEqual(noiseReasons(quiet, steady, { average: 1.5, cpus: 2 }), []);
  assert.deepEqual(noiseReasons(quiet, steady, { average: 7.04, cpus: 2 }), [
    'the machine was busy (load average 7.0 on 2 CPUs): other programs can move a re-run beyond this interval',
  ]);
});

test('a run is called noisy, with the reason in words, when rounds disagree or the tail is long', () => {
  const loaded = fakeRun({ ...SHARED_MACHINE, load: 0.15 }, 3);
  assert.match(loaded.noise.join('\n'), /rounds disagree: their medians spread by \d+%/);
  const interrupted = fakeRun({ ...SHARED_MACHINE, load: 0, interrupted: 0.12 }, 3);
  assert.match(interrupted.noise.join('\n'), /the mean is \d+% above the median/);
  assert.match(interrupted.noise.join('\n'), /slowest 5% of calls took \d\.\d× the median/);
});
