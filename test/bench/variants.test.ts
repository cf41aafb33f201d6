import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { buildVariants, parseVariant, variantInvocation } from '../../src/bench/variants';
import type { BuildRequest } from '../../src/bench/types';
import { failureOf } from './failure';

const CARGO = '/usr/bin/cargo';
const RUSTC = '/usr/bin/rustc';
const KERNELS = 'test/wasm-src/kernels';

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wasm-perf-${prefix}-`));
}

async function simdInstructions(path: string): Promise<number> {
  const wabt = await wabtInit();
  const module = wabt.readWasm(readFileSync(path), { readDebugNames: false });
  try {
    return (module.toText({}).match(/\b(v128|[if]\d+x\d+)\./g) ?? []).length;
  } finally {
    module.destroy();
  }
}

test('variant text parses into settings, and bad settings say what is allowed', () => {
  assert.deepEqual(parseVariant('opt-level=3,+simd128'), { name: 'opt-level=3,+simd128', optLevel: '3', targetFeatures: ['simd128'] });
  assert.deepEqual(parseVariant(' lto , codegen-units=1, opt-level="s", -Ctarget-cpu=mvp'), {
    name: 'lto,codegen-units=1,opt-level="s",-Ctarget-cpu=mvp',
    optLevel: 's',
    lto: 'fat',
    codegenUnits: 1,
    rustflags: ['-Ctarget-cpu=mvp'],
  });
  assert.equal(parseVariant('lto=false').lto, 'off');
  assert.throws(() => parseVariant('opt-level=4'), /opt-level must be 0, 1, 2, 3, s or z/);
  assert.throws(() => parseVariant('fast=yes'), /Unknown variant setting "fast=yes"/);
  assert.throws(() => parseVariant(''), /Empty variant/);
});

/** A crate directory whose cargo config (and a private CARGO_HOME) we control. */
function crateWithConfig(config: string | undefined): { dir: string; env: Record<string, string> } {
  const root = temp('flags');
  const dir = join(root, 'crate');
  mkdirSync(join(dir, '.cargo'), { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, '.cargo', 'config.toml'), config);
  const home = join(root, 'home');
  mkdirSync(home);
  return { dir, env: { HOME: home, CARGO_HOME: join(home, '.cargo') } };
}

test('extra rustflags join the source cargo would use anyway (sources are exclusive)', async () => {
  const spec = parseVariant('+simd128');
  const request = (dir: string): BuildRequest => ({ crateDir: dir, variants: [] });
  const configArgs = (args: readonly string[]) => args.filter((_, i) => args[i - 1] === '--config');

  const build = crateWithConfig('[build]\nrustflags = ["-Cdebuginfo=0"]\n');
  const viaBuild = await variantInvocation(spec, request(build.dir), '/t', build.env);
  assert.deepEqual(configArgs(viaBuild.args), ['build.rustflags=["-Ctarget-feature=+simd128"]']);

  const target = crateWithConfig('[target.\'cfg(target_arch = "wasm32")\']\nrustflags = ["-Cdebuginfo=0"]\n');
  const viaTarget = await variantInvocation(spec, request(target.dir), '/t', target.env);
  assert.deepEqual(configArgs(viaTarget.args), ['target.wasm32-unknown-unknown.rustflags=["-Ctarget-feature=+simd128"]']);

  const plain = crateWithConfig(undefined);
  const viaEnv = await variantInvocation(spec, request(plain.dir), '/t', { ...plain.env, RUSTFLAGS: '-D warnings  -Cdebuginfo=0' });
  assert.deepEqual(configArgs(viaEnv.args), []);
  assert.equal(viaEnv.env.CARGO_ENCODED_RUSTFLAGS, ['-D', 'warnings', '-Cdebuginfo=0', '-Ctarget-feature=+simd128'].join('\x1f'));

  const none = await variantInvocation(parseVariant('opt-level=s,lto=thin,codegen-units=4'), request(plain.dir), '/t', plain.env);
  assert.deepEqual(configArgs(none.args), [
    'profile.release.opt-level="s"',
    'profile.release.lto="thin"',
    'profile.release.codegen-units=4',
  ]);
  assert.ok(none.args.includes('--target-dir') && none.args.includes('/t'));
});

test('the crate builds as configured and as a SIMD variant into separate target dirs, streaming cargo output', async () => {
  const targetRoot = temp('targets');
  const lines: string[] = [];
  const built = await buildVariants(
    { crateDir: KERNELS, variants: [parseVariant('opt-level=3,+simd128')], targetRoot },
    { cargo: CARGO, rustc: RUSTC, onOutput: (line, _stream, variant) => lines.push(`${variant}: ${line}`) },
  );
  assert.deepEqual(
    built.map((b) => b.name),
    ['as configured', 'opt-level=3,+simd128'],
  );
  assert.notEqual(built[0]!.targetDir, built[1]!.targetDir);
  assert.ok(built.every((b) => b.wasmPath.startsWith(b.targetDir) && b.wasmPath.endsWith('kernels.wasm')));
  assert.equal(await simdInstructions(built[0]!.wasmPath), 0);
  assert.ok((await simdInstructions(built[1]!.wasmPath)) > 10);
  assert.ok(lines.some((l) => l.startsWith('as configured: $ /usr/bin/cargo build --release')));
  assert.ok(lines.some((l) => /Compiling kernels/.test(l)));
});

test("a variant keeps the user's own build.rustflags", async () => {
  const root = temp('keep');
  cpSync(KERNELS, join(root, 'kernels'), { recursive: true, filter: (src) => !src.includes('/target') });
  mkdirSync(join(root, 'kernels', '.cargo'));
  writeFileSync(join(root, 'kernels', '.cargo', 'config.toml'), '[build]\nrustflags = ["-C", "target-feature=+simd128"]\n');
  const [variant] = await buildVariants(
    {
      crateDir: join(root, 'kernels'),
      variants: [parseVariant('opt-level=3,-Cdebuginfo=0')],
      includeConfigured: false,
      targetRoot: join(root, 'out'),
    },
    { cargo: CARGO, rustc: RUSTC },
  );
  assert.ok((await simdInstructions(variant!.wasmPath)) > 10, 'the +simd128 from the user config still applied');
});

test("a build that fails reports the compiler's error", async () => {
  const dir = temp('broken');
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'Cargo.toml'),
    '[package]\nname = "broken"\nversion = "0.1.0"\nedition = "2021"\n[lib]\ncrate-type = ["cdylib"]\n',
  );
  writeFileSync(join(dir, 'src', 'lib.rs'), '#[no_mangle]\npub extern "C" fn f() -> i32 { let x = ; x }\n');
  const failure = await failureOf(
    buildVariants({ crateDir: dir, variants: [], targetRoot: join(dir, 'out') }, { cargo: CARGO, rustc: RUSTC }),
  );
  assert.equal(failure.code, 'build-failed');
  assert.match(failure.message, /Building "as configured" failed: error: expected expression/);
  assert.match(failure.detail ?? '', /src\/lib\.rs:2/);
});

test('a missing target and a missing cargo are clear failures', async () => {
  const missingTarget = await failureOf(
    buildVariants(
      { crateDir: KERNELS, variants: [], target: 'wasm32-nonexistent-none', targetRoot: temp('nt') },
      { cargo: CARGO, rustc: RUSTC },
    ),
  );
  assert.equal(missingTarget.code, 'target-missing');
  assert.match(missingTarget.message, /standard library for wasm32-nonexistent-none is not installed/);
  assert.match(missingTarget.detail ?? '', /lib\/rustlib\/wasm32-nonexistent-none\/lib/);
  const noCargo = await failureOf(buildVariants({ crateDir: KERNELS, variants: [] }, { cargo: '/nonexistent/cargo', rustc: RUSTC }));
  assert.equal(noCargo.code, 'build-failed');
  assert.match(noCargo.message, /Cannot run cargo \(\/nonexistent\/cargo\)/);
});

test('a cancelled build stops cargo and rejects as cancelled', async () => {
  const root = temp('cancel');
  cpSync(KERNELS, join(root, 'kernels'), { recursive: true, filter: (src) => !src.includes('/target') });
  const controller = new AbortController();
  const started = Date.now();
  const pending = buildVariants(
    { crateDir: join(root, 'kernels'), variants: [parseVariant('opt-level=3')], targetRoot: join(root, 'out') },
    { cargo: CARGO, rustc: RUSTC, signal: controller.signal, onOutput: (line) => /Compiling/.test(line) && controller.abort() },
  );
  const failure = await failureOf(pending);
  assert.equal(failure.code, 'cancelled');
  assert.ok(Date.now() - started < 5000);
});
