import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crateWasmTarget } from '../../src/bench/rustflags-source';
import { installRemedy } from '../../src/bench/target-std';
import { buildVariants, parseVariant, variantInvocation } from '../../src/bench/variants';
import { failureOf } from './failure';

// Debian's rustc 1.63 ships the standard library for wasm32-unknown-unknown and wasm32-wasi only.
const CARGO = '/usr/bin/cargo';
const RUSTC = '/usr/bin/rustc';
const KERNELS = 'test/wasm-src/kernels';
const NO_ENV = { PATH: process.env.PATH, HOME: '/nonexistent-home' };

function crateCopy(prefix: string, config?: string, toolchain?: string): string {
  const root = mkdtempSync(join(tmpdir(), `wasm-perf-${prefix}-`));
  const dir = join(root, 'kernels');
  cpSync(KERNELS, dir, { recursive: true, filter: (src) => !src.includes('/target') });
  if (config !== undefined) {
    mkdirSync(join(dir, '.cargo'), { recursive: true });
    writeFileSync(join(dir, '.cargo', 'config.toml'), config);
  }
  if (toolchain !== undefined) writeFileSync(join(root, 'rust-toolchain.toml'), toolchain);
  return dir;
}

test("the crate's own wasm target: env, build.target, rust-toolchain.toml, a [target.…] table, else the default", async () => {
  const plain = crateCopy('plain');
  assert.equal((await crateWasmTarget(plain, NO_ENV)).triple, 'wasm32-unknown-unknown');
  assert.equal((await crateWasmTarget(plain, { ...NO_ENV, CARGO_BUILD_TARGET: 'wasm32-wasip2' })).triple, 'wasm32-wasip2');

  const configured = crateCopy('build-target', '[build]\ntarget = "wasm32-wasip1"\n');
  const fromConfig = await crateWasmTarget(configured, NO_ENV);
  assert.equal(fromConfig.triple, 'wasm32-wasip1');
  assert.match(fromConfig.reason, /build\.target in .*\.cargo\/config\.toml/);

  const toolchain = crateCopy(
    'toolchain',
    undefined,
    '[toolchain]\nchannel = "stable"\ntargets = ["x86_64-unknown-linux-gnu", "wasm32-wasip1"]\n',
  );
  assert.equal((await crateWasmTarget(toolchain, NO_ENV)).triple, 'wasm32-wasip1');

  const table = crateCopy('table', '[target.wasm32-wasi]\nrustflags = ["-C", "target-feature=+simd128"]\n');
  assert.equal((await crateWasmTarget(table, NO_ENV)).triple, 'wasm32-wasi');
});

test("a variant's extra flags join the crate's own [target.<triple>] rustflags instead of replacing them", async () => {
  const dir = crateCopy('target-flags', '[build]\ntarget = "wasm32-wasi"\n[target.wasm32-wasi]\nrustflags = ["-C", "debuginfo=0"]\n');
  const invocation = await variantInvocation(
    parseVariant('+simd128'),
    { crateDir: dir, variants: [], target: 'wasm32-wasi' },
    '/t',
    NO_ENV,
  );
  assert.deepEqual(invocation.args.slice(invocation.args.indexOf('--target'), invocation.args.indexOf('--target') + 2), [
    '--target',
    'wasm32-wasi',
  ]);
  // cargo concatenates a --config array with the config file's array, so the crate's flags stay.
  assert.ok(invocation.args.includes('target.wasm32-wasi.rustflags=["-Ctarget-feature=+simd128"]'));
  assert.ok(!invocation.args.some((arg) => arg.startsWith('build.rustflags')));
});

test('a crate whose config says build.target = "wasm32-wasi" is built for wasm32-wasi', async () => {
  const dir = crateCopy('wasi', '[build]\ntarget = "wasm32-wasi"\n');
  const [built] = await buildVariants(
    { crateDir: dir, variants: [parseVariant('opt-level=3')], includeConfigured: false, targetRoot: join(dir, '..', 'out') },
    { cargo: CARGO, rustc: RUSTC, env: NO_ENV },
  );
  assert.equal(built!.target, 'wasm32-wasi');
  assert.match(built!.wasmPath, /\/wasm32-wasi\/release\/kernels\.wasm$/);
});

test('a crate for wasm32-wasip1 on a rustc without its standard library fails before cargo runs, saying what to install', async () => {
  const dir = crateCopy('wasip1', '[build]\ntarget = "wasm32-wasip1"\n');
  const lines: string[] = [];
  const failure = await failureOf(
    buildVariants(
      { crateDir: dir, variants: [parseVariant('opt-level=3')], targetRoot: join(dir, '..', 'out') },
      { cargo: CARGO, rustc: RUSTC, env: NO_ENV, onOutput: (line) => lines.push(line) },
    ),
  );
  assert.equal(failure.code, 'target-missing');
  assert.equal(failure.target, 'wasm32-wasip1');
  assert.match(failure.message, /standard library for wasm32-wasip1 is not installed: Debian's rustc 1\.63\.0 has no package for it/);
  assert.match(failure.message, /wasm32-wasi is its name before Rust 1\.78/);
  assert.equal(failure.remedy, undefined, 'no Debian package installs it');
  assert.deepEqual(lines, [], 'cargo never started');
});

test('the install remedy follows where the toolchain came from', () => {
  const rustup = installRemedy('wasm32-wasip1', '/home/me/.rustup/toolchains/stable-x86_64-unknown-linux-gnu', 'rustc 1.95.0');
  assert.deepEqual(rustup.remedy, {
    kind: 'rustup',
    command: 'rustup target add wasm32-wasip1 --toolchain stable-x86_64-unknown-linux-gnu',
  });
  const debian = installRemedy('wasm32-unknown-unknown', '/usr', 'rustc 1.63.0');
  assert.equal(debian.remedy?.kind, 'debian');
  assert.equal(debian.remedy?.package, 'libstd-rust-dev-wasm32');
  const unknown = installRemedy('wasm32-wasip2', '/opt/rust', 'rustc 1.80.0');
  assert.equal(unknown.remedy, undefined);
  assert.match(unknown.advice, /toolchain at \/opt\/rust/);
});
