/**
 * How honest the reported intervals are on this machine: the same benchmark of the real kernels
 * is run again and again, and each re-run's 95% interval is checked against the previous run's
 * estimate. The peer in the same run is the interval the harness reported before, from the
 * pooled samples of one run (order statistics), which cannot see drift between runs.
 *
 *   the median of one build    dot(1) of kernels-3-simd.wasm: does a re-run's interval of the
 *                              median cover the previous median?
 *   the A/B ratio              dot(1) of kernels-s.wasm vs kernels-3-simd.wasm: does a re-run's
 *                              ratio interval cover the previous ratio?
 *
 * A 95% interval that holds up covers about 9 of 10 (the previous value is itself uncertain).
 * Other programs on the machine move the numbers between runs more than anything else, so the
 * load average is printed with the results: compare coverage only between runs on similar load.
 *
 *   npm run bench -- interval-coverage      (or: node out/bench/interval-coverage.bench.js after a build)
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { compareModules, runBenchmark } from '../src/bench/api';
import { formatNs, table } from '../src/bench/report';
import { DEFAULT_HARNESS } from '../src/bench/settings';
import { medianConfidenceInterval, sortedCopy } from '../src/bench/stats';
import type { HarnessOptions } from '../src/bench/types';

const FIXTURES = join(process.cwd(), 'test/fixtures/wasm');
const SIZE = join(FIXTURES, 'kernels-s.wasm');
const SIMD = join(FIXTURES, 'kernels-3-simd.wasm');
const RUNS = 11;
// The panel's defaults: 1 s per module in 5 rounds (spread over about 3 s, see measure.ts).
const OPTIONS: HarnessOptions = { budgetMs: DEFAULT_HARNESS.budgetMs, warmupMs: DEFAULT_HARNESS.warmupMs, rounds: DEFAULT_HARNESS.rounds };
const TARGET = { export: 'dot', args: [1], setup: { export: 'init' }, options: OPTIONS };

interface Estimate {
  readonly value: number;
  /** Intervals by method, each [low, high]. */
  readonly intervals: Readonly<Record<string, readonly [number, number]>>;
}

/** How many re-runs' interval (per method) covered the previous run's value. */
function coverage(estimates: readonly Estimate[], method: string): number {
  let covered = 0;
  for (let i = 1; i < estimates.length; i++) {
    const [low, high] = estimates[i]!.intervals[method]!;
    const previous = estimates[i - 1]!.value;
    if (low <= previous && previous <= high) covered++;
  }
  return covered;
}

async function medianRun(): Promise<Estimate> {
  const result = await runBenchmark({ module: { path: SIMD }, ...TARGET });
  const m = result.measurement;
  const pooled = medianConfidenceInterval(sortedCopy(m.samplesNs));
  return {
    value: m.stats.median,
    intervals: { reported: [m.stats.medianCi.low, m.stats.medianCi.high], 'pooled samples': [pooled.low, pooled.high] },
  };
}

async function ratioRun(): Promise<Estimate> {
  const result = await compareModules({
    modules: [
      { path: SIZE, label: 'opt-level=s' },
      { path: SIMD, label: 'opt-level=3 +simd128' },
    ],
    ...TARGET,
  });
  const [base, cand] = result.measurements;
  const comparison = result.comparisons[0]!;
  // The ratio of the two pooled order-statistic intervals' ends: the interval the panel showed before.
  const pooledBase = medianConfidenceInterval(sortedCopy(base!.samplesNs));
  const pooledCand = medianConfidenceInterval(sortedCopy(cand!.samplesNs));
  return {
    value: comparison.ratio,
    intervals: {
      reported: [comparison.ci.low, comparison.ci.high],
      'pooled samples': [pooledCand.low / pooledBase.high, pooledCand.high / pooledBase.low],
    },
  };
}

/** The 1-minute load average seen at the end of each run. */
const loads: number[] = [];

async function repeat(name: string, run: () => Promise<Estimate>): Promise<Estimate[]> {
  const estimates: Estimate[] = [];
  process.stderr.write(`${name}: `);
  for (let i = 0; i < RUNS; i++) {
    estimates.push(await run());
    loads.push(loadavg()[0]!);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return estimates;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const medians = await repeat('median of dot(1), kernels-3-simd', medianRun);
  const ratios = await repeat('ratio of dot(1), kernels-3-simd / kernels-s', ratioRun);
  const reruns = RUNS - 1;
  const width = (estimates: readonly Estimate[], method: string) => {
    const widths = estimates.map((e) => (e.intervals[method]![1] - e.intervals[method]![0]) / e.value).sort((a, b) => a - b);
    return `${((widths[Math.floor(widths.length / 2)] ?? Number.NaN) * 100).toFixed(1)}%`;
  };
  const rows = [
    ['estimate', 'interval', `re-runs covering the previous value (of ${reruns})`, 'median width', 'values over the runs'],
    ...(['reported', 'pooled samples'] as const).flatMap((method) => [
      [
        'median',
        method,
        String(coverage(medians, method)),
        width(medians, method),
        `${formatNs(Math.min(...medians.map((e) => e.value)))} – ${formatNs(Math.max(...medians.map((e) => e.value)))}`,
      ],
      [
        'ratio',
        method,
        String(coverage(ratios, method)),
        width(ratios, method),
        `${Math.min(...ratios.map((e) => e.value)).toFixed(3)} – ${Math.max(...ratios.map((e) => e.value)).toFixed(3)}`,
      ],
    ]),
  ];
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' / ');
  process.stdout.write(`Interval coverage over ${RUNS} runs of dot(1), ${process.versions.node} / V8 ${process.versions.v8}\n`);
  process.stdout.write(
    `Load average (1 / 5 / 15 min) on ${cpus().length} CPUs: ${load(loadBefore)} before, ${load(loadavg())} after; ` +
      `1-min load at the end of each run ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}\n\n`,
  );
  process.stdout.write(`${table(rows, [0, 1, 4])}\n\n`);
  process.stdout.write(
    '"reported" is what the panel and the CLI show (round medians; bootstrap and t-interval of the round ratios);\n' +
      '"pooled samples" is the order-statistic interval of all samples of one run, the peer it replaced.\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`interval-coverage bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
