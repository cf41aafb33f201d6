import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareModules } from '../../src/bench/api';
import { compareRatio } from '../../src/bench/export-job';
import type { ComparisonResult, HarnessOptions } from '../../src/bench/types';
import { base64, CHILD_SCRIPT, WORK_LOOP, wat } from './wat';

// Short, interleaved rounds; the verdict needs its CI to exclude 1 by more than the margin.
const options: HarnessOptions = { budgetMs: 150, warmupMs: 60, rounds: 6, minSamples: 24 };
const run = { childScript: CHILD_SCRIPT };
const SIZE = 'test/fixtures/wasm/kernels-s.wasm';
const SIMD = 'test/fixtures/wasm/kernels-3-simd.wasm';

function kernels(exportName: string): Promise<ComparisonResult> {
  return compareModules(
    {
      modules: [
        { path: SIZE, label: 'opt-level=s' },
        { path: SIMD, label: 'opt-level=3 +simd128' },
      ],
      export: exportName,
      args: [1],
      setup: { export: 'init' },
      options,
    },
    run,
  );
}

for (const kernel of ['blur3x3', 'find_byte', 'dot']) {
  test(`the SIMD build is faster on the vectorisable ${kernel}, with a CI that excludes 1`, async () => {
    const result = await kernels(kernel);
    const [comparison] = result.comparisons;
    assert.equal(result.measurements.length, 2);
    assert.equal(comparison?.verdict, 'faster', comparison?.summary);
    assert.ok(comparison.ci.high < 1 && comparison.ratio < 0.8, comparison.summary);
    assert.ok(['bootstrap', 'round-medians'].includes(comparison.ci.method), comparison.ci.method);
    assert.ok(comparison.ci.low <= comparison.ratio && comparison.ratio <= comparison.ci.high, comparison.summary);
    assert.deepEqual(result.measurements[0]!.returned, result.measurements[1]!.returned, 'both builds compute the same value');
    // Interleaved: both modules got the same number of samples in every round.
    assert.deepEqual(
      result.measurements[0]!.rounds.map((r) => r.samples),
      result.measurements[1]!.rounds.map((r) => r.samples),
    );
  });
}

test('the serial fnv1a control shows no difference between the builds', async () => {
  const result = await kernels('fnv1a');
  const [comparison] = result.comparisons;
  assert.equal(comparison?.verdict, 'no-difference', comparison?.summary);
  assert.ok(comparison.ratio > 0.9 && comparison.ratio < 1.1, comparison.summary);
});

test('identical modules show no difference; double the work shows as slower', async () => {
  const once = base64(await wat(`(module ${WORK_LOOP})`));
  const twice = base64(
    await wat(`(module ${WORK_LOOP.replace('$work (export "work")', '$work')}
      (func (export "work") (param i32) (result i32) (i32.add (call $work (local.get 0)) (call $work (local.get 0)))))`),
  );
  const same = await compareModules(
    {
      modules: [
        { bytesBase64: once, label: 'a' },
        { bytesBase64: once, label: 'a' },
      ],
      export: 'work',
      args: [2000],
      options,
    },
    run,
  );
  assert.equal(same.comparisons[0]?.verdict, 'no-difference', same.comparisons[0]?.summary);
  assert.deepEqual(
    same.measurements.map((m) => m.module.label),
    ['a', 'a #2'],
  );

  const doubled = await compareModules(
    {
      modules: [
        { bytesBase64: once, label: 'once' },
        { bytesBase64: twice, label: 'twice' },
      ],
      export: 'work',
      args: [2000],
      options,
    },
    run,
  );
  const [comparison] = doubled.comparisons;
  assert.equal(comparison?.verdict, 'slower', comparison?.summary);
  assert.ok(comparison.ratio > 1.6 && comparison.ratio < 2.5, comparison.summary);
  assert.match(doubled.warnings.join('\n'), /twice returned .* where once returned/);
});

test('the ratio CI always contains the ratio, even for timer-quantised samples', () => {
  // Integer nanoseconds from batches of one call: medians tie while resampled medians do not.
  const rounds = (values: number[]) => Array.from({ length: 3 }, (_, r) => values.map((v, i) => v + ((i + r) % 3 === 0 ? 1 : 0)));
  const comparison = compareRatio('b', 'a', rounds([100, 100, 101, 100, 102, 100]), rounds([100, 101, 100, 100, 100, 103]), 1, 0.03);
  assert.ok(comparison.ci.low <= comparison.ratio && comparison.ratio <= comparison.ci.high, JSON.stringify(comparison));
  assert.equal(comparison.verdict, 'no-difference');
});
