/** The export job of the benchmark child: time one export in one or more modules, interleaved. */
import { availableParallelism, loadavg } from 'node:os';
import { environmentInfo } from './environment';
import { BenchError } from './errors';
import { entryCost, measureSubjects, quickPerCall } from './measure';
import type { ChildJob } from './protocol';
import {
  bootstrapRatioCi,
  describeSamples,
  median,
  NOISE_LIMITS,
  noiseReasons,
  relativeSpread,
  roundRatioInterval,
  runMedianInterval,
} from './stats';
import { prepareSubject, readModule, uniqueLabels, type PreparedSubject } from './subject';
import type { BenchmarkResult, ComparisonResult, ExportMeasurement, ProgressEvent, RatioComparison } from './types';

function noiseWarnings(label: string, measurement: ExportMeasurement): string[] {
  const { stats } = measurement;
  const warnings = (measurement.noise ?? []).map((reason) => `${label}: noisy: ${reason}`);
  const ciWidth = (stats.medianCi.high - stats.medianCi.low) / stats.median;
  if (ciWidth > 0.05) warnings.push(`${label}: the 95% interval of the median is ${(ciWidth * 100).toFixed(0)}% wide`);
  if (stats.median < 4 * measurement.overhead.totalNsPerCall) {
    warnings.push(
      `${label}: one call (${stats.median.toFixed(2)} ns) is close to the harness overhead (${measurement.overhead.totalNsPerCall.toFixed(2)} ns per call)`,
    );
  }
  return warnings;
}

function verdictOf(ratio: number, low: number, high: number, margin: number): RatioComparison['verdict'] {
  if (high < 1 && ratio < 1 - margin) return 'faster';
  if (low > 1 && ratio > 1 + margin) return 'slower';
  return 'no-difference';
}

export function compareRatio(
  label: string,
  baselineLabel: string,
  baseline: readonly (readonly number[])[],
  candidate: readonly (readonly number[])[],
  seed: number,
  margin: number,
): RatioComparison {
  const ratio = median(candidate.flat()) / median(baseline.flat());
  const bootstrap = bootstrapRatioCi(baseline, candidate, seed);
  // A percentile bootstrap over five rounds is too narrow (it cannot know how far a sixth round
  // could land); the t-interval over the round ratios can. Their union, widened to include the
  // full-data estimate (timer-quantised samples can miss it by a hair), only ever makes a verdict
  // more cautious.
  const rounds = roundRatioInterval(baseline, candidate);
  const widened = rounds !== undefined && (rounds.low < bootstrap.low || rounds.high > bootstrap.high);
  const ci = {
    ...(widened ? rounds : bootstrap),
    low: Math.min(bootstrap.low, rounds?.low ?? bootstrap.low, ratio),
    high: Math.max(bootstrap.high, rounds?.high ?? bootstrap.high, ratio),
  };
  const verdict = verdictOf(ratio, ci.low, ci.high, margin);
  const noise = roundRatioNoise(baseline, candidate);
  const range = `ratio ${ratio.toFixed(3)}, 95% CI ${ci.low.toFixed(3)}–${ci.high.toFixed(3)}`;
  let summary: string;
  // The same words as the panel's verdict: a speed-up or a slow-down factor, never a ratio below 1 called faster.
  if (verdict === 'faster') summary = `${label} is ${(1 / ratio).toFixed(2)}× faster than ${baselineLabel} (${range})`;
  else if (verdict === 'slower') summary = `${label} is ${ratio.toFixed(2)}× slower than ${baselineLabel} (${range})`;
  else if (ci.high < 1 || ci.low > 1)
    summary = `${label} and ${baselineLabel} differ by less than the ${(margin * 100).toFixed(0)}% margin (${range}): no difference that matters`;
  else summary = `No difference between ${label} and ${baselineLabel} that the data can show (${range})`;
  return { label, baselineLabel, ratio, ci, verdict, summary, ...(noise ? { noise } : {}) };
}

/** When the round-by-round ratios spread by more than the noise limit, says how far. */
function roundRatioNoise(baseline: readonly (readonly number[])[], candidate: readonly (readonly number[])[]): string | undefined {
  const ratios = baseline.map((round, r) => median(candidate[r] ?? []) / median(round)).filter(Number.isFinite);
  if (ratios.length < 2 || relativeSpread(ratios) <= NOISE_LIMITS.roundSpread) return undefined;
  return `the ratio moved between ${Math.min(...ratios).toFixed(2)} and ${Math.max(...ratios).toFixed(2)} from round to round`;
}

export function runExportJob(
  job: Extract<ChildJob, { kind: 'export' }>,
  report: (event: ProgressEvent) => void,
): BenchmarkResult | ComparisonResult {
  const { settings, target } = job;
  if (job.modules.length === 0) throw BenchError.of('bad-request', 'No module to benchmark');
  report({ phase: 'loading', message: `Loading ${job.modules.length} module${job.modules.length === 1 ? '' : 's'}`, fraction: 0 });
  const refs = uniqueLabels(job.modules);
  const prepared: PreparedSubject[] = [];
  try {
    for (const ref of refs) prepared.push(prepareSubject(readModule(ref), target, settings, job.stubImports));
    const samples = measureSubjects(
      prepared.map((p) => p.subject),
      settings,
      { onProgress: report },
    );

    report({ phase: 'analysing', message: 'Measuring harness overhead', fraction: 0.96 });
    const targetNs = settings.minSampleMicros * 1000;
    // Over the last minute, which the measuring just filled: this process counts as one.
    const load = { average: loadavg()[0] ?? 0, cpus: availableParallelism() };
    const measurements: ExportMeasurement[] = prepared.map((p, i) => {
      const { rounds, batchSize } = samples[i]!;
      const all = rounds.flat();
      const roundMedians = rounds.map((values) => median(values));
      const described = describeSamples(all);
      const stats = { ...described, medianCi: runMedianInterval(rounds) };
      const noise = noiseReasons(stats, roundMedians, load);
      const loopNsPerCall = quickPerCall(p.loop, targetNs);
      const timerNsPerCall = entryCost(p.subject.drive) / batchSize;
      const wasi = p.loaded.wasiOutput();
      return {
        module: p.loaded.summary,
        stats,
        rounds: rounds.map((values, round) => ({ round: round + 1, samples: values.length, medianNs: roundMedians[round]! })),
        roundSpread: relativeSpread(roundMedians),
        batchSize,
        throughputPerSecond: 1e9 / stats.median,
        overhead: {
          loopNsPerCall,
          emptyCallNsPerCall: quickPerCall(p.emptyCall, targetNs),
          timerNsPerCall,
          totalNsPerCall: loopNsPerCall + timerNsPerCall,
        },
        returned: p.returned,
        ...(noise.length > 0 ? { noise } : {}),
        ...(wasi ? { wasi } : {}),
        samplesNs: all,
      };
    });
    const warnings = measurements.flatMap((m) => noiseWarnings(m.module.label, m));
    const noisy = measurements.some((m) => (m.noise?.length ?? 0) > 0);
    const base = { export: target.export, args: target.args ?? [], noisy, environment: environmentInfo(), settings };
    if (prepared.length === 1) {
      return { kind: 'export', ...base, measurement: measurements[0]!, warnings };
    }
    const baseline = measurements[0]!;
    const comparisons = measurements
      .slice(1)
      .map((m, i) =>
        compareRatio(
          m.module.label,
          baseline.module.label,
          samples[0]!.rounds,
          samples[i + 1]!.rounds,
          settings.seed + i,
          settings.equivalenceMargin,
        ),
      );
    const returnedDiffers = measurements.filter((m) => m.returned.join() !== baseline.returned.join());
    for (const m of returnedDiffers) {
      warnings.push(
        `${m.module.label} returned ${m.returned.join(', ')} where ${baseline.module.label} returned ${baseline.returned.join(', ')}: the builds may not compute the same thing`,
      );
    }
    const comparisonsNoisy = comparisons.some((c) => c.noise !== undefined);
    return { kind: 'compare', ...base, noisy: noisy || comparisonsNoisy, measurements, comparisons, warnings };
  } finally {
    for (const p of prepared) p.loaded.dispose();
  }
}
