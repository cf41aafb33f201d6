/**
 * The timing loop. Each subject runs its export n times per sample through an appended wasm
 * driver (one JS→wasm entry and one timer pair per batch); n is calibrated so a sample lasts
 * at least `minSampleMicros`. Several subjects are measured interleaved, sample by sample, in
 * alternating order, so drift of the machine hits all of them alike. The budget is split
 * into short rounds whose medians show how much the machine moved during the run.
 */
import type { HarnessSettings, ProgressEvent } from './types';
import { median } from './stats';

export interface TimedSubject {
  readonly label: string;
  /** Runs the timed export n times (n ≥ 1). May throw a trap. */
  readonly drive: (n: number) => unknown;
}

export interface SubjectSamples {
  readonly batchSize: number;
  /** Per-call nanoseconds, grouped by round. */
  readonly rounds: number[][];
}

/** Samples kept per subject and round at most, so a 1 ns export cannot fill the heap. */
const MAX_SAMPLES_PER_ROUND = 20_000;
const MAX_BATCH = 2 ** 30;

/** The last driver result, stored where no engine can prove it unused. */
const sink: { last: unknown } = { last: undefined };

/** Where time comes from: the process's monotonic clock, or a fake one in tests of the statistics. */
export interface Clock {
  /** Monotonic time in nanoseconds. */
  nowNs(): number;
  /** Lets `ms` milliseconds pass without using the CPU (a fake clock just moves on). */
  idle(ms: number): void;
}

// Relative to the start of the process's measuring, so nanoseconds stay exact in a double.
const origin = process.hrtime.bigint();
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const processClock: Clock = {
  nowNs: () => Number(process.hrtime.bigint() - origin),
  idle: (ms) => void Atomics.wait(sleeper, 0, 0, ms),
};

export function timeBatch(drive: (n: number) => unknown, n: number, clock: Clock = processClock): number {
  const start = clock.nowNs();
  sink.last = drive(n);
  return clock.nowNs() - start;
}

/** Smallest power-of-two-ish batch whose duration reaches the target. */
export function calibrateBatch(drive: (n: number) => unknown, targetNs: number, start = 1, clock: Clock = processClock): number {
  let n = Math.max(1, start);
  for (;;) {
    const elapsed = timeBatch(drive, n, clock);
    if (elapsed >= targetNs || n >= MAX_BATCH) return n;
    // Jump close to the target when the estimate is trustworthy, else double.
    const estimate = elapsed > 1000 ? Math.ceil((n * targetNs * 1.2) / elapsed) : n * 2;
    n = Math.min(MAX_BATCH, Math.max(n * 2, estimate));
  }
}

export interface MeasureHooks {
  readonly onProgress?: (event: ProgressEvent) => void;
  /** The process clock unless a test passes a fake one. */
  readonly clock?: Clock;
}

export function measureSubjects(subjects: readonly TimedSubject[], settings: HarnessSettings, hooks: MeasureHooks = {}): SubjectSamples[] {
  const targetNs = settings.minSampleMicros * 1000;
  const report = hooks.onProgress ?? (() => {});
  const clock = hooks.clock ?? processClock;
  const now = () => clock.nowNs() / 1e6;

  report({ phase: 'calibrating', message: 'Calibrating batch sizes', fraction: 0 });
  const batches = subjects.map((subject) => calibrateBatch(subject.drive, targetNs, 1, clock));

  report({ phase: 'warmup', message: `Warming up for ${settings.warmupMs} ms or until the timings settle`, fraction: 0.02 });
  warmUp(subjects, batches, settings.warmupMs, clock);
  // Tier-up during warm-up makes calls faster; grow the batch back to the target length.
  subjects.forEach((subject, i) => {
    batches[i] = calibrateBatch(subject.drive, targetNs, batches[i], clock);
  });

  const rounds = settings.rounds;
  const roundMs = (settings.budgetMs * subjects.length) / rounds;
  // Rounds are spread over about three times the measuring time, with idle pauses (twice a round)
  // between them: what slows a shared machine (other programs' bursts, frequency changes) lasts
  // longer than a round, so back-to-back rounds see the same state and agree while a re-run sees
  // another. Spread out, the rounds see more of those states, and their spread, which the
  // reported intervals are built from, says how far a re-run moves.
  const gapMs = rounds > 1 ? 2 * roundMs : 0;
  const minPerRound = Math.max(3, Math.ceil(settings.minSamples / rounds));
  const samples: SubjectSamples[] = subjects.map((_, i) => ({ batchSize: batches[i]!, rounds: [] }));
  for (let round = 0; round < rounds; round++) {
    if (round > 0) clock.idle(gapMs);
    const current = subjects.map(() => [] as number[]);
    const roundEnd = now() + roundMs;
    let lastReport = now();
    let iteration = 0;
    while ((now() < roundEnd || current[0]!.length < minPerRound) && current[0]!.length < MAX_SAMPLES_PER_ROUND) {
      // Alternate the order (A B, B A, …) so neither subject always runs right after the other.
      for (let k = 0; k < subjects.length; k++) {
        const i = iteration % 2 === 0 ? k : subjects.length - 1 - k;
        current[i]!.push(timeBatch(subjects[i]!.drive, batches[i]!, clock) / batches[i]!);
      }
      iteration++;
      if (now() - lastReport > 100) {
        lastReport = now();
        const sample = current[0]![current[0]!.length - 1];
        report({
          phase: 'measuring',
          message: `Round ${round + 1} of ${rounds}`,
          round: round + 1,
          rounds,
          fraction: 0.05 + (0.9 * (round + Math.min(1, 1 - (roundEnd - now()) / roundMs))) / rounds,
          ...(sample !== undefined ? { sampleNs: sample } : {}),
        });
      }
    }
    current.forEach((values, i) => samples[i]!.rounds.push(values));
    report({
      phase: 'measuring',
      message: `Round ${round + 1} of ${rounds}: ${subjects.map((s, i) => `${s.label} ${median(current[i]!).toFixed(2)} ns`).join(', ')}`,
      round: round + 1,
      rounds,
      fraction: 0.05 + (0.9 * (round + 1)) / rounds,
    });
  }
  return samples;
}

/** Median per-call time of a driver over a few short samples (after warm-up), for overhead figures. */
export function quickPerCall(drive: (n: number) => unknown, targetNs: number, samples = 15, warmupMs = 20): number {
  // The first call compiles the driver (lazily, in the baseline tier): calibrate after tier-up.
  const subject = { label: 'overhead', drive };
  const batches = [calibrateBatch(drive, targetNs)];
  warmUp([subject], batches, warmupMs);
  const n = calibrateBatch(drive, targetNs, batches[0]);
  const values: number[] = [];
  for (let i = 0; i < samples; i++) values.push(timeBatch(drive, n) / n);
  return median(values);
}

/**
 * Runs the subjects (interleaved) for at least `warmupMs` and then until their per-call times
 * stop improving: V8 compiles hot wasm functions again in its optimising tier on a background
 * thread, and on a busy machine that can take longer than any fixed warm-up. Bounded by
 * max(1 s, 10 × warmupMs).
 */
export function warmUp(subjects: readonly TimedSubject[], batches: readonly number[], warmupMs: number, clock: Clock = processClock): void {
  const now = () => clock.nowNs() / 1e6;
  const start = now();
  const limit = start + Math.max(1000, 10 * warmupMs);
  const quiet = Math.max(50, warmupMs / 2);
  const best = subjects.map(() => Number.POSITIVE_INFINITY);
  let lastImprovement = start;
  const recent: number[][] = subjects.map(() => []);
  while (now() < limit) {
    subjects.forEach((subject, i) => {
      const window = recent[i]!;
      window.push(timeBatch(subject.drive, batches[i]!, clock) / batches[i]!);
      if (window.length > 5) window.shift();
      const current = median(window);
      if (window.length === 5 && current < best[i]! * 0.97) {
        best[i] = current;
        lastImprovement = now();
      }
    });
    const elapsed = now() - start;
    if (elapsed >= warmupMs && now() - lastImprovement >= quiet) return;
  }
}

/** Median cost of one timed batch of zero calls: timer pair plus the JS→wasm entry. */
export function entryCost(drive: (n: number) => unknown, samples = 200): number {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) values.push(timeBatch(drive, 0));
  return median(values);
}
