import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureLoad, runBenchmark } from '../../src/bench/api';
import type { BenchmarkRequest, ProgressEvent } from '../../src/bench/types';
import { base64, CHILD_SCRIPT, WORK_LOOP, wat } from './wat';
import { failureOf } from './failure';

const quick = { budgetMs: 60, warmupMs: 10, rounds: 3, minSamples: 6 } as const;
const run = { childScript: CHILD_SCRIPT };

async function request(text: string, exportName: string, extra: Partial<BenchmarkRequest> = {}): Promise<BenchmarkRequest> {
  return { module: { bytesBase64: base64(await wat(text)), label: 'test.wasm' }, export: exportName, options: quick, ...extra };
}

test('a run reports statistics, overhead, rounds, environment and progress', async () => {
  const events: ProgressEvent[] = [];
  const result = await runBenchmark(await request(`(module ${WORK_LOOP})`, 'work', { args: [50] }), {
    ...run,
    onProgress: (e) => events.push(e),
  });
  const m = result.measurement;
  assert.equal(result.kind, 'export');
  assert.equal(m.rounds.length, 3);
  assert.ok(m.stats.count >= 6 && m.stats.count === m.samplesNs.length);
  assert.ok(m.stats.min <= m.stats.p5 && m.stats.p5 <= m.stats.median && m.stats.median <= m.stats.p95 && m.stats.p95 <= m.stats.max);
  assert.ok(m.stats.medianCi.low <= m.stats.median && m.stats.median <= m.stats.medianCi.high);
  assert.ok(Math.abs(m.throughputPerSecond - 1e9 / m.stats.median) < 1e-6 * m.throughputPerSecond);
  assert.ok(m.overhead.loopNsPerCall > 0 && m.overhead.totalNsPerCall >= m.overhead.loopNsPerCall);
  assert.ok(m.batchSize >= 1);
  assert.equal(m.returned.length, 1);
  assert.ok(result.environment.cores >= 1 && result.environment.v8Version.length > 0);
  assert.ok(result.environment.execArgv.some((flag) => flag.startsWith('--max-old-space-size=')));
  assert.ok(result.environment.execArgv.includes('--no-liftoff'), 'export timings run in the optimising tier only');
  assert.equal(result.settings.rounds, 3);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(result)));
  assert.ok(
    events.some((e) => e.phase === 'measuring'),
    'progress streamed from the child',
  );
  assert.ok(events.some((e) => e.phase === 'warmup'));
});

test('an export that never returns is killed at the time limit while the caller keeps running', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const started = Date.now();
  const failure = await failureOf(
    runBenchmark(await request('(module (func (export "spin") (loop (br 0))))', 'spin', { options: { ...quick, timeLimitMs: 1500 } }), run),
  );
  clearInterval(timer);
  const elapsed = Date.now() - started;
  assert.equal(failure.code, 'timeout');
  assert.match(failure.message, /time limit of 1500 ms/);
  assert.ok(elapsed >= 1400 && elapsed < 6000, `stopped after ${elapsed} ms`);
  assert.ok(ticks >= 30, `the parent's timer ticked only ${ticks} times`);
});

test('a trap is reported with its message and the export that trapped', async () => {
  const failure = await failureOf(
    runBenchmark(
      await request('(module (func (export "divide") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))', 'divide', {
        args: [0],
      }),
      run,
    ),
  );
  assert.equal(failure.code, 'trap');
  assert.equal(failure.export, 'divide');
  assert.match(failure.message, /"divide" trapped: divide by zero/);
  assert.match(failure.detail ?? '', /wasm/);
});

test('a trap in the setup export names the setup export', async () => {
  const failure = await failureOf(
    runBenchmark(await request('(module (func (export "init") unreachable) (func (export "f")))', 'f', { setup: { export: 'init' } }), run),
  );
  assert.equal(failure.code, 'trap');
  assert.equal(failure.export, 'init');
  assert.match(failure.message, /unreachable/);
});

const IMPORTING = `(module
  (import "env" "now" (func $now (result f64)))
  (import "env" "seed" (func $seed (param i32) (result i64)))
  (import "env" "log" (func $log (param i32)))
  (func (export "f") (result i64) (call $log (i32.const 1)) (i64.add (i64.trunc_f64_s (call $now)) (call $seed (i32.const 3)))))`;

test('unresolved imports are listed', async () => {
  const failure = await failureOf(runBenchmark(await request(IMPORTING, 'f'), run));
  assert.equal(failure.code, 'unresolved-imports');
  assert.deepEqual(failure.imports, [
    'env.now (func (result f64))',
    'env.seed (func (param i32) (result i64))',
    'env.log (func (param i32))',
  ]);
  assert.match(failure.message, /env\.now.*env\.seed.*env\.log/);
  assert.match(failure.message, /stub/);
});

test('the stub option resolves imports with functions that return zero', async () => {
  const result = await runBenchmark(await request(IMPORTING, 'f', { options: { ...quick, stubImports: true } }), run);
  assert.deepEqual(result.measurement.returned, ['0']);
  assert.equal(result.measurement.module.imports, 'stubbed');
});

test('memory growth past the cap becomes a clear error', async () => {
  const grower = `(module (memory 1)
    (func (export "grow") (result i32)
      (loop $more (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
      unreachable))`;
  const failure = await failureOf(runBenchmark(await request(grower, 'grow', { options: { ...quick, memoryLimitMb: 32 } }), run));
  assert.equal(failure.code, 'memory-limit');
  assert.equal(failure.export, 'grow');
  assert.match(failure.message, /cap of 32 MiB/);
});

test('runaway table growth hits the JavaScript heap limit and becomes a memory-limit failure', async () => {
  const tables = Array.from({ length: 8 }, (_, i) => `(table $t${i} 0 externref)`).join(' ');
  const grows = Array.from({ length: 8 }, (_, i) => `(drop (table.grow $t${i} (ref.null extern) (i32.const 9000000)))`).join(' ');
  const failure = await failureOf(
    runBenchmark(
      await request(`(module ${tables} (func (export "grow") ${grows}))`, 'grow', { options: { ...quick, memoryLimitMb: 16 } }),
      run,
    ),
  );
  assert.equal(failure.code, 'memory-limit');
  assert.match(failure.message, /ran out of JavaScript heap \(limit 128 MiB/);
});

test('a file that is not wasm is refused with what it starts with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-bench-'));
  const path = join(dir, 'notes.wasm');
  writeFileSync(path, 'hello, not wasm');
  const failure = await failureOf(runBenchmark({ module: { path }, export: 'f', options: quick }, run));
  assert.equal(failure.code, 'not-wasm');
  assert.match(failure.message, /notes\.wasm is not a WebAssembly binary.*68 65 6c 6c/);
  const missing = await failureOf(runBenchmark({ module: { path: join(dir, 'gone.wasm') }, export: 'f', options: quick }, run));
  assert.equal(missing.code, 'bad-request');
  assert.match(missing.message, /ENOENT/);
});

test('arguments are checked against the export signature', async () => {
  const text = '(module (func (export "f") (param i32 i64) (result i64) (i64.extend_i32_s (local.get 0))))';
  const count = await failureOf(runBenchmark(await request(text, 'f', { args: [1] }), run));
  assert.equal(count.code, 'bad-arguments');
  assert.match(count.message, /takes 2 arguments \(i32, i64\), 1 given/);
  const kind = await failureOf(runBenchmark(await request(text, 'f', { args: [1.5, 2] }), run));
  assert.match(kind.message, /argument 1 of "f" \(i32\) must be an integer/);
  const ok = await runBenchmark(await request(text, 'f', { args: [-7, '9007199254740993'] }), run);
  assert.deepEqual(ok.measurement.returned, ['-7']);
});

test('a WASI module gets node:wasi with its output captured, and a reactor is initialised', async () => {
  const result = await runBenchmark(
    { module: { path: 'test/fixtures/wasm/c-wasi-report.wasm' }, export: 'report', args: [16], options: quick },
    run,
  );
  const m = result.measurement;
  assert.equal(m.module.imports, 'wasi');
  assert.equal(m.module.initialized, true);
  const value = (Number(m.returned[0]) >>> 0).toString(16).padStart(8, '0');
  assert.match(m.wasi?.stdout ?? '', new RegExp(`^wasm-perf fixture: fnv1a over 16 bytes = ${value}\\n`));
});

test('a cancelled run stops the child and rejects', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const started = Date.now();
  const failure = await failureOf(
    runBenchmark(await request('(module (func (export "spin") (loop (br 0))))', 'spin', { options: { ...quick, timeLimitMs: 20_000 } }), {
      ...run,
      signal: controller.signal,
    }),
  );
  assert.equal(failure.code, 'cancelled');
  assert.ok(Date.now() - started < 5000);
});

test('an executable that cannot start is a clear failure', async () => {
  const failure = await failureOf(
    runBenchmark(await request(`(module ${WORK_LOOP})`, 'work', { args: [1] }), { ...run, executable: '/nonexistent/node' }),
  );
  assert.equal(failure.code, 'child-failed');
  assert.match(failure.message, /Cannot start the benchmark process \(\/nonexistent\/node\)/);
});

test('the load path reports compile, instantiate and a sequence of live modules', async () => {
  const result = await measureLoad({ module: { path: 'test/fixtures/wasm/kernels-3-simd.wasm' }, repetitions: 4, sequenceCount: 8 }, run);
  assert.equal(result.kind, 'load');
  assert.equal(result.compileMs.count, 4);
  assert.equal(result.instantiateMs.count, 4);
  assert.equal(result.compileAndInstantiateMs.count, 4);
  assert.equal(result.sequence.perModuleMs.length, 8);
  assert.ok(result.compileMs.median > 0 && Number.isFinite(result.sequence.slopeMsPerModule));
  assert.ok(result.sequence.growthRatio > 0);
  assert.ok(!result.environment.execArgv.includes('--no-liftoff'), 'the load path keeps V8 defaults');
});

test('buffers are written through the exported allocator and passed as pointers', async () => {
  const text = `(module (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "alloc") (param $size i32) (result i32)
      (global.get $next) (global.set $next (i32.add (global.get $next) (local.get $size))))
    (func (export "sum") (param $ptr i32) (param $len i32) (result i32) (local $acc i32)
      (block $done (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
      (local.get $acc)))`;
  const result = await runBenchmark(
    await request(text, 'sum', { args: [{ buffer: 'input' }, 256], setup: { buffers: [{ name: 'input', length: 256, fill: 'ramp' }] } }),
    run,
  );
  assert.deepEqual(result.measurement.returned, [String((255 * 256) / 2)]);
  const explicit = await runBenchmark(
    await request(text, 'sum', {
      args: [{ buffer: 'input' }, 3],
      setup: { buffers: [{ name: 'input', length: 3, base64: Buffer.from([5, 6, 7]).toString('base64') }] },
    }),
    run,
  );
  assert.deepEqual(explicit.measurement.returned, ['18']);
  const missing = await failureOf(
    runBenchmark(await request(text, 'sum', { args: [{ buffer: 'other' }, 3], setup: { buffers: [{ name: 'input', length: 3 }] } }), run),
  );
  assert.equal(missing.code, 'bad-arguments');
  assert.match(missing.message, /buffer "other", which the setup does not define/);
});

test('a reactor without WASI imports still gets _initialize once', async () => {
  const result = await runBenchmark(
    { module: { path: 'test/fixtures/wasm/c-kernels-Os.wasm' }, export: 'add', args: [2, 40], options: quick },
    run,
  );
  assert.equal(result.measurement.module.initialized, true);
  assert.equal(result.measurement.module.imports, 'none');
  assert.deepEqual(result.measurement.returned, ['42']);
});
