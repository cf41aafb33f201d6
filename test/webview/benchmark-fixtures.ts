/** Messages the benchmark panel's tests inject, shaped as the extension sends them. */
import type { BenchmarkRun, InitMessage, VariantResult } from '../../src/protocol/benchmark';

export const MODULE_PATH = '/ws/target/wasm32-unknown-unknown/release/kernels.wasm';
export const CRATE_PATH = '/ws/Cargo.toml';

export function initMessage(overrides: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    trust: { trusted: true },
    modules: [
      { kind: 'wasm', path: MODULE_PATH, label: 'target/wasm32-unknown-unknown/release/kernels.wasm' },
      { kind: 'crate', path: CRATE_PATH, label: 'Cargo.toml (kernels)' },
    ],
    history: [],
    savedDefinitions: [],
    ...overrides,
  };
}

export const EXPORTS_MESSAGE = {
  type: 'exports',
  path: MODULE_PATH,
  exports: [
    { name: 'add', params: ['i32', 'i32'], results: ['i32'] },
    { name: 'sum', params: ['i32'], results: ['i64'] },
    { name: 'init', params: [], results: [] },
    { name: 'dot4', params: ['v128'], results: ['f32'], unsupported: 'v128 values cannot cross into JavaScript' },
  ],
} as const;

function variant(label: string, centre: number, warning?: string): VariantResult {
  // A deterministic spread around the centre, so the violin has a shape.
  const samplesNs = Array.from({ length: 200 }, (_, i) => centre * (1 + 0.1 * Math.sin(i * 1.7) + 0.002 * (i % 13)));
  return {
    label,
    samplesNs,
    stats: {
      medianNs: centre,
      meanNs: centre * 1.01,
      p5Ns: centre * 0.91,
      p95Ns: centre * 1.09,
      madNs: centre * 0.04,
      ciLowNs: centre * 0.98,
      ciHighNs: centre * 1.02,
      callsPerSecond: 1e9 / centre,
      sampleCount: samplesNs.length,
      harnessOverheadNs: 1.5,
      ...(warning ? { warning } : {}),
    },
  };
}

/** Two built modules compared: `ratio` is the second's time over the first's. */
export function comparisonRun(
  id: string,
  ratio: { ratio: number; ciLow: number; ciHigh: number; significant: boolean },
  labels: readonly [string, string] = ['bench/kernels-s.wasm', 'bench/kernels-3-simd.wasm'],
): BenchmarkRun {
  const [baseline, candidate] = labels;
  return {
    id,
    finishedAt: '2026-11-21T20:00:00.000Z',
    definition: {
      name: 'dot',
      variants: labels.map((label) => ({ kind: 'module' as const, label, modulePath: `/ws/${label}` })),
      exportName: 'dot',
      args: ['1'],
    },
    results: [variant(baseline, 4000), variant(candidate, 4000 * ratio.ratio)],
    ratios: [{ label: candidate, ...ratio }],
    environment: 'node 20.20.2, linux x64',
    warnings: [],
  };
}

export function sampleRun(id = 'run-1'): BenchmarkRun {
  return {
    id,
    finishedAt: '2026-11-21T20:00:00.000Z',
    definition: {
      name: 'sum: opt-level s vs 3',
      variants: [
        { kind: 'build', label: 'release profile', manifestPath: CRATE_PATH, flags: { optLevel3: false, simd128: false, lto: false } },
        { kind: 'build', label: 'opt-level=3', manifestPath: CRATE_PATH, flags: { optLevel3: true, simd128: false, lto: false } },
      ],
      exportName: 'sum',
      args: ['1000'],
    },
    results: [variant('release profile', 812), variant('opt-level=3', 604, 'spread 12% of the median')],
    ratios: [{ label: 'opt-level=3', ratio: 0.744, ciLow: 0.71, ciHigh: 0.78, significant: true }],
    environment: 'node 20.20.2, linux x64',
    warnings: [],
  };
}
