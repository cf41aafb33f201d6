/**
 * How much the benchmark harness adds to each measured call, beside the usual alternatives,
 * all on the same `empty()` export of a real kernel binary in the same run:
 *
 *   wasm-perf harness   the product path: a child process, a driver loop appended to the module
 *   driver loop only    the appended driver without the call (the harness's own cost per call)
 *   wasm driver module  a second module that imports the export and calls it in a loop
 *   JS loop             a timed JS for-loop calling the export directly
 *   mitata              mitata's measure() (batches automatically)
 *   tinybench           tinybench with its defaults (a timer pair around every call)
 *
 * Each is run 5 times; the table shows the median of the 5 medians and their spread
 * ((max - min) / median), which is what moves between runs on a noisy machine.
 *
 *   npm run bench -- harness      (or: node out/bench/harness.bench.js after a build)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// mitata's main entry imports bun:jsc for Bun; its lib has measure() without it.
import { measure as mitataMeasure } from 'mitata/src/lib.mjs';
import { Bench } from 'tinybench';
import wabtInit from 'wabt';
import { runBenchmark } from '../src/bench/api';
import { calibrateBatch, timeBatch } from '../src/bench/measure';
import { formatNs, table } from '../src/bench/report';
import { median, relativeSpread } from '../src/bench/stats';

const MODULE = join(process.cwd(), 'test/fixtures/wasm/kernels-3.wasm');
const RUNS = 5;
const BUDGET_MS = 300;
const SAMPLE_NS = 25_000;

type Harness = { readonly name: string; readonly note: string; readonly run: () => Promise<number> };

async function instantiateKernels(): Promise<{ empty: () => void }> {
  const { instance } = await WebAssembly.instantiate(readFileSync(MODULE));
  return instance.exports as unknown as { empty: () => void };
}

/** A separate module importing `empty` and calling it n times (what a hand-made wasm driver does). */
async function separateDriver(empty: () => void): Promise<(n: number) => void> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(
    'driver.wat',
    `(module (import "k" "empty" (func $empty))
      (func (export "drive") (param $n i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (call $empty)
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))))`,
  );
  const bytes = new Uint8Array(module.toBinary({}).buffer);
  module.destroy();
  const { instance } = await WebAssembly.instantiate(bytes, { k: { empty } });
  return instance.exports.drive as (n: number) => void;
}

/** Median per-call time of a batched loop over the time budget. */
function batchedMedian(drive: (n: number) => unknown): number {
  let n = calibrateBatch(drive, SAMPLE_NS);
  const warmupEnd = performance.now() + 50;
  while (performance.now() < warmupEnd) timeBatch(drive, n);
  n = calibrateBatch(drive, SAMPLE_NS, n);
  const values: number[] = [];
  const end = performance.now() + BUDGET_MS;
  while (performance.now() < end) values.push(timeBatch(drive, n) / n);
  return median(values);
}

async function main(): Promise<void> {
  const { empty } = await instantiateKernels();
  const drive = await separateDriver(empty);
  const loopOnly: number[] = [];
  const harnesses: Harness[] = [
    {
      name: 'wasm-perf harness',
      note: 'child process, driver appended to the module',
      run: async () => {
        const result = await runBenchmark({
          module: { path: MODULE },
          export: 'empty',
          options: { budgetMs: BUDGET_MS, warmupMs: 50, rounds: 3 },
        });
        loopOnly.push(result.measurement.overhead.totalNsPerCall);
        return result.measurement.stats.median;
      },
    },
    {
      name: 'wasm driver module',
      note: 'separate module importing the export',
      run: async () => batchedMedian(drive),
    },
    {
      name: 'JS loop',
      note: 'timed for-loop calling the export',
      run: async () =>
        batchedMedian((n) => {
          for (let i = 0; i < n; i++) empty();
        }),
    },
    {
      name: 'mitata',
      note: 'measure(), automatic batching',
      run: async () => (await mitataMeasure(() => empty(), { min_cpu_time: BUDGET_MS * 1e6 })).p50,
    },
    {
      name: 'tinybench',
      note: 'defaults: a timer pair around each call',
      run: async () => {
        const bench = new Bench({ time: BUDGET_MS, warmupTime: 50 });
        bench.add('empty', () => empty());
        await bench.run();
        const result = bench.tasks[0]?.result;
        if (!result || !('latency' in result)) throw new Error(`tinybench did not complete (${result?.state ?? 'no result'})`);
        return result.latency.p50 * 1e6;
      },
    },
  ];

  const medians = new Map<string, number[]>(harnesses.map((h) => [h.name, []]));
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`run ${run} of ${RUNS}: `);
    for (const harness of harnesses) {
      medians.get(harness.name)!.push(await harness.run());
      process.stderr.write('.');
    }
    process.stderr.write('\n');
  }

  const runs = (values: readonly number[]) => values.map((v) => v.toFixed(v < 10 ? 2 : 0)).join(' ');
  const summary = (values: readonly number[]) => ({ median: median(values), spread: relativeSpread(values) });
  const ours = summary(medians.get('wasm-perf harness')!).median;
  const overhead = summary(loopOnly);
  const rows = [
    ['harness', 'empty() per call', 'vs wasm-perf', `spread over ${RUNS} runs`, 'each run', 'how'],
    [
      'wasm-perf: its own overhead',
      formatNs(overhead.median),
      '',
      `${(overhead.spread * 100).toFixed(0)}%`,
      runs(loopOnly),
      'driver loop + timer, per call (reported with every result)',
    ],
    ...harnesses.map((h) => {
      const values = medians.get(h.name)!;
      const s = summary(values);
      return [h.name, formatNs(s.median), `${(s.median / ours).toFixed(2)}×`, `${(s.spread * 100).toFixed(0)}%`, runs(values), h.note];
    }),
  ];
  process.stdout.write(`Harness overhead on ${MODULE.split('/').pop()} empty(), ${process.versions.node} / V8 ${process.versions.v8}\n\n`);
  process.stdout.write(`${table(rows, [0, 5])}\n\n`);
  process.stdout.write(
    'The wasm-perf row includes one wasm→wasm call to empty(); the "own overhead" row is what the harness adds on top.\n' +
      'Spread is (max - min) / median of the per-run medians (listed in ns): differences smaller than it are noise.\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`harness bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
