import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchError } from '../../src/bench/errors';
import type { BuildRequest, CompareRequest } from '../../src/bench/types';
import { engineVariant, RunFailure, runDefinition, STORED_SAMPLES } from '../../src/extension/panels/benchmark-runner';
import { measureDifferencePreset, exportPreset } from '../../src/extension/panels/benchmark-presets';
import type { BenchmarkDefinition } from '../../src/protocol/benchmark';
import { markdownTable } from '../../src/protocol/benchmark-table';
import { fakeEngine } from './panels-bench-fakes';

const options = () => ({ signal: new AbortController().signal, onProgress: () => undefined });
const NOW = () => new Date('2026-11-21T20:00:00Z');

describe('benchmark runner', () => {
  it('times one module with runBenchmark and maps the statistics', async () => {
    const engine = fakeEngine();
    const definition: BenchmarkDefinition = {
      name: 'add',
      variants: [{ kind: 'module', label: 'a.wasm', modulePath: '/ws/a.wasm' }],
      exportName: 'add',
      args: ['1', '2'],
      setupExport: 'init',
    };
    const run = await runDefinition('r1', definition, engine, options(), NOW);
    assert.deepEqual(engine.calls, [
      {
        kind: 'run',
        request: { export: 'add', args: ['1', '2'], setup: { export: 'init' }, module: { path: '/ws/a.wasm', label: 'a.wasm' } },
      },
    ]);
    assert.equal(run.id, 'r1');
    assert.equal(run.finishedAt, '2026-11-21T20:00:00.000Z');
    assert.deepEqual(run.results[0]?.stats, {
      medianNs: 100,
      meanNs: 100.5,
      p5Ns: 98,
      p95Ns: 102,
      madNs: 1,
      ciLowNs: 99,
      ciHighNs: 101,
      callsPerSecond: 1e7,
      sampleCount: 50,
      harnessOverheadNs: 0.5,
    });
    assert.deepEqual(run.ratios, []);
    assert.match(run.environment, /Test CPU \(2 cores\), linux x64, Node 20\.20\.2/);
  });

  it('builds crate variants once per crate, then compares them, splitting warnings by variant', async () => {
    const engine = fakeEngine();
    const definition = measureDifferencePreset('/ws/crate/Cargo.toml', 'missing-simd128');
    assert.ok(definition);
    const run = await runDefinition('r2', { ...definition, exportName: 'sum', args: ['10'] }, engine, options(), NOW);
    const build = engine.calls[0]?.request as BuildRequest;
    assert.equal(engine.calls[0]?.kind, 'build');
    assert.equal(build.crateDir, '/ws/crate');
    assert.equal(build.includeConfigured, false);
    assert.deepEqual(build.variants, [{ name: 'current build' }, { name: 'fixed (+simd128)', targetFeatures: ['simd128'] }]);
    const compare = engine.calls[1]?.request as CompareRequest;
    assert.deepEqual(compare.modules, [
      { path: '/ws/crate/target/wasm-perf/v0/crate.wasm', label: 'current build' },
      { path: '/ws/crate/target/wasm-perf/v1/crate.wasm', label: 'fixed (+simd128)' },
    ]);
    assert.deepEqual(run.ratios, [{ label: 'fixed (+simd128)', ratio: 0.8, ciLow: 0.78, ciHigh: 0.82, significant: true }]);
    assert.equal(run.results[0]?.stats.warning, undefined);
    assert.equal(run.results[1]?.stats.warning, 'the 95% CI of the median is 7% wide');
    assert.deepEqual(run.warnings, ['b returned 1 where a returned 2: the builds may not compute the same thing']);
  });

  it('keeps at most the stored number of samples, spread over the distribution', async () => {
    const engine = fakeEngine();
    const original = engine.runBenchmark.bind(engine);
    engine.runBenchmark = async (request, runOptions) => {
      const result = await original(request, runOptions);
      return { ...result, measurement: { ...result.measurement, samplesNs: Array.from({ length: 10_000 }, (_, i) => 10_000 - i) } };
    };
    const run = await runDefinition('r3', exportPreset('/ws/a.wasm', 'f', 'a.wasm'), engine, options(), NOW);
    const samples = run.results[0]?.samplesNs ?? [];
    assert.equal(samples.length, STORED_SAMPLES);
    assert.equal(samples[0], 1);
    assert.equal(samples[samples.length - 1], 10_000);
  });

  it('turns engine failures into run failures with their code', async () => {
    const engine = fakeEngine();
    engine.failure = BenchError.of('trap', 'add trapped: unreachable', { detail: 'wasm stack' });
    await assert.rejects(runDefinition('r4', exportPreset('/ws/a.wasm', 'add', 'a'), engine, options()), (error: unknown) => {
      assert.ok(error instanceof RunFailure);
      assert.equal(error.code, 'trap');
      assert.equal(error.message, 'add trapped: unreachable\nwasm stack');
      return true;
    });
    await assert.rejects(runDefinition('r5', { name: 'x', variants: [], exportName: 'f', args: [] }, engine, options()), /Add a module/);
  });

  it('maps the panel switches onto the engine variant settings', () => {
    assert.deepEqual(engineVariant('all', { optLevel3: true, simd128: true, lto: true }), {
      name: 'all',
      optLevel: '3',
      lto: 'fat',
      targetFeatures: ['simd128'],
    });
    assert.deepEqual(engineVariant('none', { optLevel3: false, simd128: false, lto: false }), { name: 'none' });
    assert.equal(measureDifferencePreset('/ws/Cargo.toml', 'wasmtime-unwind-info'), undefined);
    assert.deepEqual(measureDifferencePreset('/ws/Cargo.toml', 'opt-level-size')?.variants[1], {
      kind: 'build',
      label: 'fixed (opt-level=3)',
      manifestPath: '/ws/Cargo.toml',
      flags: { optLevel3: true, simd128: false, lto: false },
    });
  });

  it('renders a run as a Markdown table', async () => {
    const definition = measureDifferencePreset('/ws/crate/Cargo.toml', 'opt-level-size');
    assert.ok(definition);
    const run = await runDefinition('r6', { ...definition, exportName: 'sum', args: ['10'] }, fakeEngine(), options(), NOW);
    const lines = markdownTable(run).trimEnd().split('\n');
    assert.equal(
      lines[0],
      '**opt-level-size: current vs fixed**: `sum(10)`, 2026-11-21T20:00:00.000Z, Test CPU (2 cores), linux x64, Node 20.20.2, V8 11.3',
    );
    assert.equal(lines[2], '**fixed (opt-level=3) is 1.25× faster** than current build (95% CI 1.22–1.28×)');
    assert.match(lines[4] ?? '', /^\| Variant \| Median \| 95% interval \| vs baseline \| Noise \| Mean \|/);
    assert.match(lines[5] ?? '', /^\| --- \| ---: \| ---: \| --- \| --- \| ---: \|/);
    assert.match(lines[6] ?? '', /^\| current build \| 100 ns \| 99\.0–101 ns \| baseline \| – \|/);
    assert.match(
      lines[7] ?? '',
      /^\| fixed \(opt-level=3\) \| 80\.0 ns \| .* \| 1\.25× faster \(1\.22–1\.28×\) \| – \| .* \| the 95% CI of the median is 7% wide \|$/,
    );
    assert.equal(lines[9], '- b returned 1 where a returned 2: the builds may not compute the same thing');
  });
});
