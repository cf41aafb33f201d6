import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { DRIVER_EXPORTS, instrumentModule } from '../../src/bench/driver';
import { calibrateBatch, timeBatch } from '../../src/bench/measure';
import { median } from '../../src/bench/stats';
import { parseModule, splitSections } from '../../src/bench/wasm-binary';
import { BenchError } from '../../src/bench/errors';
import { WORK_LOOP, wat } from './wat';

type Exports = Record<string, (...args: unknown[]) => unknown>;

async function instantiate(bytes: Uint8Array): Promise<Exports> {
  const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>);
  return instance.exports as unknown as Exports;
}

test('driver module validates and returns what the export returns, for every numeric type', async () => {
  const bytes = await wat(`(module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "wide") (param i64 f64) (result i64) (i64.add (local.get 0) (i64.trunc_f64_s (local.get 1))))
    (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
    (func (export "pair") (result f64 i32) (f64.const 2.5) (i32.const -3))
    (func (export "nothing")))`);
  const { bytes: driven, targets } = instrumentModule(bytes, ['add', 'wide', 'half', 'pair', 'nothing']);
  assert.ok(WebAssembly.validate(driven as Uint8Array<ArrayBuffer>));
  assert.deepEqual(
    targets.map((t) => t.export),
    ['add', 'wide', 'half', 'pair', 'nothing'],
  );
  const e = await instantiate(driven);
  const drive = (i: number) => e[DRIVER_EXPORTS.target(i)]!;
  // The driver adds every result (widened to i64 bits) into its accumulator.
  assert.equal(drive(0)(1, 40, 2), BigInt(e.add!(40, 2) as number));
  assert.equal(drive(0)(3, 40, 2), 3n * 42n);
  assert.equal(drive(1)(1, 10n, 2.9), e.wide!(10n, 2.9));
  const f32Bits = (value: number) => BigInt(new Uint32Array(new Float32Array([value]).buffer)[0]!);
  assert.equal(drive(2)(1, 3), f32Bits(e.half!(3) as number));
  const f64Bits = new BigUint64Array(new Float64Array([2.5]).buffer)[0]!;
  const i32Bits = BigInt(-3 >>> 0);
  assert.equal(drive(3)(1), BigInt.asIntN(64, f64Bits + i32Bits));
  assert.equal(drive(4)(5), 0n);
  assert.equal(drive(0)(0, 1, 2), 0n, 'n = 0 runs nothing');
  assert.equal(e[DRIVER_EXPORTS.loop]!(4), 4n + 3n + 2n + 1n);
  assert.equal(e[DRIVER_EXPORTS.emptyCall]!(4), 10n);
});

test('other sections are copied byte for byte and existing indices keep working', async () => {
  const bytes = await wat(`(module
    (import "env" "log" (func $log (param i32)))
    (memory 1)
    (global $g (mut i32) (i32.const 7))
    (func $helper (result i32) (global.get $g))
    (func $start (global.set $g (i32.const 11)))
    (start $start)
    (func (export "value") (result i32) (call $helper))
    (data (i32.const 16) "hello"))`);
  const driven = instrumentModule(bytes, ['value'], 4);
  const before = splitSections(bytes);
  const after = splitSections(driven.bytes);
  const changed = new Set([1, 3, 5, 7, 10]); // type, function, memory, export, code
  const slices = (b: Uint8Array, sections: typeof before) =>
    sections.filter((s) => !changed.has(s.id)).map((s) => Buffer.from(b.subarray(s.start, s.end)).toString('hex'));
  assert.deepEqual(slices(driven.bytes, after), slices(bytes, before));
  const { instance } = await WebAssembly.instantiate(driven.bytes as Uint8Array<ArrayBuffer>, { env: { log: () => {} } });
  const e = instance.exports as unknown as Exports;
  assert.equal(e[DRIVER_EXPORTS.target(0)]!(2), 22n, 'the start function ran and the driver calls the original function');
  assert.equal(driven.memoryExport, DRIVER_EXPORTS.memory);
  const memory = instance.exports[DRIVER_EXPORTS.memory] as WebAssembly.Memory;
  assert.equal(new TextDecoder().decode(new Uint8Array(memory.buffer, 16, 5)), 'hello');
  // The cap became the memory's maximum.
  assert.equal(parseModule(driven.bytes).memories[0]!.max, 4);
  assert.equal(memory.grow(3), 1);
  assert.throws(() => memory.grow(1), RangeError);
});

test('a module without an export section gets one, placed in section order', async () => {
  const bytes = await wat('(module (func (result i32) (i32.const 1)) (start 1) (func))');
  const driven = instrumentModule(bytes, []);
  assert.ok(WebAssembly.validate(driven.bytes as Uint8Array<ArrayBuffer>));
  const e = await instantiate(driven.bytes);
  assert.equal(e[DRIVER_EXPORTS.loop]!(3), 6n);
});

test('the real kernel binaries accept a driver, which matches calling the export from JS', async () => {
  for (const file of ['kernels-s.wasm', 'kernels-3-simd.wasm', 'c-kernels-O3-simd.wasm']) {
    const bytes = new Uint8Array(readFileSync(`test/fixtures/wasm/${file}`));
    const driven = instrumentModule(bytes, ['fnv1a', 'add'], 1024);
    assert.ok(WebAssembly.validate(driven.bytes as Uint8Array<ArrayBuffer>), file);
    const e = await instantiate(driven.bytes);
    e._initialize?.();
    e.init!();
    assert.equal(e[DRIVER_EXPORTS.target(0)]!(1, 2), BigInt((e.fnv1a!(2) as number) >>> 0), file);
    assert.equal(e[DRIVER_EXPORTS.target(1)]!(1, 2, 3), 5n, file);
  }
});

test('a rejected export says why', async () => {
  const bytes = await wat('(module (global (export "g") i32 (i32.const 0)) (func (export "v") (param v128)))');
  const failure = (name: string) => {
    try {
      instrumentModule(bytes, [name]);
    } catch (error) {
      return error instanceof BenchError ? error.failure : undefined;
    }
    return undefined;
  };
  assert.equal(failure('missing')?.code, 'no-such-export');
  assert.match(failure('missing')!.message, /exported functions: v/);
  assert.equal(failure('g')?.code, 'not-benchmarkable');
  assert.equal(failure('v')?.code, 'not-benchmarkable');
  assert.match(failure('v')!.message, /v128/);
});

test('a module whose initial memory exceeds the cap is refused', async () => {
  const bytes = await wat('(module (memory 100) (func (export "f")))');
  assert.throws(
    () => instrumentModule(bytes, ['f'], 10),
    (error: unknown) => error instanceof BenchError && error.code === 'memory-limit',
  );
});

test('time through the driver scales with the work of a known kernel', async () => {
  const bytes = await wat(`(module ${WORK_LOOP})`);
  const e = await instantiate(instrumentModule(bytes, ['work']).bytes);
  const driver = e[DRIVER_EXPORTS.target(0)]!;
  const perCall = (work: number) => {
    const drive = (n: number) => driver(n, work);
    const n = calibrateBatch(drive, 200_000);
    for (let i = 0; i < 20; i++) timeBatch(drive, n);
    return median(Array.from({ length: 31 }, () => timeBatch(drive, n) / n));
  };
  perCall(1000); // warm up both tiers
  const small = perCall(1000);
  const large = perCall(8000);
  const ratio = large / small;
  // 8x the loop trips: far from 1 (work skipped) and near 8 (allowing for noise and call cost).
  assert.ok(ratio > 4 && ratio < 12, `per-call ${small.toFixed(1)} ns vs ${large.toFixed(1)} ns, ratio ${ratio.toFixed(2)}`);
});

test('the export list says which exports can be timed and what the module imports', async () => {
  const { listBenchmarkableExports } = await import('../../src/bench/exports');
  const bytes = await wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "env" "tick" (func))
    (func (export "_initialize"))
    (func (export "mix") (param i64 f32) (result f64) (f64.const 0))
    (func (export "vec") (result v128) (v128.const i32x4 0 0 0 0))
    (memory (export "memory") 1))`);
  const overview = listBenchmarkableExports(bytes);
  assert.deepEqual(
    overview.exports.map((e) => [e.name, e.params, e.results, e.benchmarkable]),
    [
      ['_initialize', [], [], true],
      ['mix', ['i64', 'f32'], ['f64'], true],
      ['vec', [], ['v128'], false],
    ],
  );
  assert.deepEqual(overview.imports, ['wasi_snapshot_preview1.fd_write (func (param i32 i32 i32 i32) (result i32))', 'env.tick (func)']);
  assert.equal(overview.wasi, true);
  assert.equal(overview.needsStubs, true);
  assert.equal(overview.reactor, true);
  assert.throws(
    () => listBenchmarkableExports(new TextEncoder().encode('not wasm at all')),
    (error: unknown) => error instanceof BenchError && error.code === 'not-wasm',
  );
  assert.throws(
    () => listBenchmarkableExports(bytes.subarray(0, bytes.length - 3)),
    (error: unknown) => error instanceof BenchError && error.code === 'invalid-module',
  );
});
