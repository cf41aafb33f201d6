import { BenchError } from './errors';
import type { HarnessOptions, HarnessSettings } from './types';

export const DEFAULT_HARNESS: Omit<HarnessSettings, 'timeLimitMs'> = {
  budgetMs: 1000,
  warmupMs: 100,
  rounds: 5,
  minSamples: 30,
  minSampleMicros: 25,
  memoryLimitMb: 1024,
  seed: 1,
  equivalenceMargin: 0.03,
};

function checked(
  name: keyof HarnessOptions,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw BenchError.of(
      'bad-request',
      `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${String(value)})`,
    );
  }
  return value;
}

/** Fills in defaults and rejects out-of-range options. `subjects` is the number of modules timed together. */
export function resolveSettings(options: HarnessOptions = {}, subjects = 1): HarnessSettings {
  const budgetMs = checked('budgetMs', options.budgetMs, DEFAULT_HARNESS.budgetMs, 1, 3_600_000);
  const warmupMs = checked('warmupMs', options.warmupMs, DEFAULT_HARNESS.warmupMs, 0, 600_000);
  const rounds = checked('rounds', options.rounds, DEFAULT_HARNESS.rounds, 1, 1000, true);
  // Calibration, overhead figures and process start come on top of warm-up and budget; the idle
  // pauses between rounds (measure.ts) last twice as long as the rounds.
  const expectedMs = (warmupMs + 3 * budgetMs) * subjects + 1000 * subjects;
  return {
    budgetMs,
    warmupMs,
    rounds,
    minSamples: checked('minSamples', options.minSamples, DEFAULT_HARNESS.minSamples, 1, 1_000_000, true),
    minSampleMicros: checked('minSampleMicros', options.minSampleMicros, DEFAULT_HARNESS.minSampleMicros, 1, 1_000_000),
    timeLimitMs: checked('timeLimitMs', options.timeLimitMs, Math.max(10_000, 3 * expectedMs), 100, 24 * 3_600_000),
    memoryLimitMb: checked('memoryLimitMb', options.memoryLimitMb, DEFAULT_HARNESS.memoryLimitMb, 16, 65_536, true),
    seed: checked('seed', options.seed, DEFAULT_HARNESS.seed, 0, 2 ** 32 - 1, true),
    equivalenceMargin: checked('equivalenceMargin', options.equivalenceMargin, DEFAULT_HARNESS.equivalenceMargin, 0, 0.5),
  };
}
