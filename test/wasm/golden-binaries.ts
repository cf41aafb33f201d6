/**
 * Writes the .wasm files of the golden cases test/fixtures/golden/wasm-*. Run it after
 * changing a case (then review expected.json by eye):
 *
 *   npx esbuild --bundle --platform=node test/wasm/golden-binaries.ts --outfile=out/golden-binaries.js
 *   node out/golden-binaries.js
 *
 * Modules come from wabt's text assembler; custom sections (producers, target_features,
 * DWARF stand-ins), components and the broken files are assembled by hand. Cases that run on
 * binaries real toolchains built (C, Go, AssemblyScript, the SIMD twin, the test paths) get
 * byte copies from scripts/build-wasm-fixtures.sh instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPONENT_HEADER, custom, name, section } from './bytes';
import { wat } from './wat';

const GOLDEN = join(process.cwd(), 'test/fixtures/golden');

function write(path: string, bytes: Uint8Array | number[]): void {
  const target = join(GOLDEN, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, Uint8Array.from(bytes));
}

function producers(rustc: string): number[] {
  return custom('producers', [
    2,
    ...name('language'),
    1,
    ...name('Rust'),
    ...name(''),
    ...name('processed-by'),
    1,
    ...name('rustc'),
    ...name(rustc),
  ]);
}

function targetFeatures(...features: string[]): number[] {
  return custom('target_features', [features.length, ...features.flatMap((f) => [0x2b, ...name(f)])]);
}

const SCALAR_KERNELS = `(module (memory (export "memory") 1)
  (func $sum (export "sum") (param $ptr i32) (param $len i32) (result f32) (local $acc f32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $len)))
      (local.set $acc (f32.add (local.get $acc) (f32.load (local.get $ptr))))
      (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
      (local.set $len (i32.sub (local.get $len) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "scale") (param $ptr i32) (param $k f32)
    (f32.store (local.get $ptr) (f32.mul (f32.load (local.get $ptr)) (local.get $k)))))`;

const SIMD_KERNELS = `(module (memory (export "memory") 1)
  (func (export "sum4") (param $ptr i32) (result f32) (local $v v128)
    (local.set $v (f32x4.add (v128.load (local.get $ptr)) (v128.load offset=16 (local.get $ptr))))
    (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))`;

function debugSections(): number[] {
  // Stand-ins for DWARF: custom sections with the names and sizes rustc -g produces at small scale.
  return [
    ...custom('.debug_info', new Array<number>(3000).fill(0x11)),
    ...custom('.debug_line', new Array<number>(1200).fill(0x22)),
    ...custom('.debug_str', new Array<number>(800).fill(0x61)),
  ];
}

async function main(): Promise<void> {
  const scalar = [...(await wat(SCALAR_KERNELS))];
  const simd = [...(await wat(SIMD_KERNELS))];

  // wasm-no-simd: the crate's release artifact (target_features kept) and its wasm-pack output (stripped).
  write('wasm-no-simd/workspace/target/wasm32-unknown-unknown/release/image_kernels.wasm', [
    ...scalar,
    ...producers('1.87.0 (17067e9ac 2025-05-09)'),
    ...targetFeatures('bulk-memory', 'multivalue', 'mutable-globals', 'sign-ext'),
  ]);
  write('wasm-no-simd/workspace/pkg/image_kernels_bg.wasm', scalar);
  // Built with SIMD: no finding.
  write('wasm-no-simd/workspace/target/wasm32-unknown-unknown/release/simd_kernels.wasm', [...simd, ...targetFeatures('simd128')]);

  // wasm-debug-info: DWARF in release outputs (a `release` dir and a custom profile dir), not in a dev copy.
  const withDebug = [...simd, ...debugSections(), ...producers('1.87.0 (17067e9ac 2025-05-09)'), ...targetFeatures('simd128')];
  write('wasm-debug-info/workspace/target/wasm32-unknown-unknown/release/app.wasm', withDebug);
  write('wasm-debug-info/workspace/target/wasm32-wasip1/profiling/app.wasm', withDebug);
  write('wasm-debug-info/workspace/www/dev/app.wasm', withDebug);

  // wasm-malformed: a cut-off download and a text file with a .wasm name are reported; an empty
  // placeholder and a Git LFS pointer whose object was never fetched only get a notice.
  write('wasm-malformed/workspace/truncated.wasm', simd.slice(0, simd.length - 9));
  write('wasm-malformed/workspace/empty.wasm', []);
  write('wasm-malformed/workspace/not-wasm.wasm', [...new TextEncoder().encode('<html>404 Not Found</html>\n')]);
  write(
    'wasm-malformed/workspace/lfs-pointer.wasm',
    new TextEncoder().encode(
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n',
    ),
  );

  // wasm-invalid: decodes, but the result type is wrong (i64 where i32 is declared).
  const valid = await wat('(module (func (export "answer") (result i32) (drop (i32x4.splat (i32.const 0))) (i32.const 42)))');
  const invalid = Uint8Array.from(valid);
  invalid[invalid.lastIndexOf(0x41)] = 0x42;
  write('wasm-invalid/workspace/invalid.wasm', invalid);

  // wasm-component: components wrapping a scalar and a SIMD core module; only the scalar one is reported.
  write('wasm-component/workspace/target/wasm32-wasip1/release/scalar-component.wasm', [
    ...COMPONENT_HEADER,
    ...custom('component-name', []),
    ...section(1, scalar),
  ]);
  write('wasm-component/workspace/target/wasm32-wasip1/release/simd-component.wasm', [
    ...COMPONENT_HEADER,
    ...section(1, simd),
    ...section(4, [...COMPONENT_HEADER, ...section(1, scalar)]),
  ]);
}

void main();
