import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cfgMatches } from '../../src/core/cargo/cfg';
import type { ConfigLayer } from '../../src/core/cargo/config-chain';
import { enablesSimd128, resolveRustflags } from '../../src/core/cargo/rustflags';
import { appendSimdFlags } from '../../src/core/cargo/rustflags-edit';
import { parseTomlDocument, type TomlDocument } from '../../src/core/cargo/toml-document';
import { applyEdits } from '../../src/core/fix/apply';

function doc(text: string): TomlDocument {
  const result = parseTomlDocument(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}
const layer = (path: string, text: string): ConfigLayer => ({ path, document: doc(text) });

describe('rustflags resolution', () => {
  const deep = layer(
    '/w/app/.cargo/config.toml',
    '[build]\nrustflags = ["-C", "b-deep"]\n[target.wasm32-unknown-unknown]\nrustflags = "-C t-deep"\n',
  );
  const outer = layer(
    '/w/.cargo/config.toml',
    '[build]\nrustflags = ["-C", "b-outer"]\n[target.\'cfg(target_family = "wasm")\']\nrustflags = ["-C", "t-cfg"]\n[target.\'cfg(unix)\']\nrustflags = ["-C", "unix-only"]\n',
  );

  it('joins every matching target table, outer files first', () => {
    const flags = resolveRustflags('wasm32-unknown-unknown', [deep, outer], {});
    assert.equal(flags.winner, 'target');
    assert.deepEqual(flags.flags, ['-C', 't-cfg', '-C', 't-deep']);
    assert.deepEqual(flags.configFlags, ['-C', 't-cfg', '-C', 't-deep', '-C', 'b-outer', '-C', 'b-deep']);
  });

  it('falls back to [build] rustflags, concatenated across files, plus CARGO_BUILD_RUSTFLAGS', () => {
    const flags = resolveRustflags(
      'wasm32-wasip1',
      [
        layer('/w/app/.cargo/config.toml', '[build]\nrustflags = ["-C", "b-deep"]\n'),
        layer('/w/.cargo/config.toml', '[build]\nrustflags = "-C b-outer"\n'),
      ],
      { CARGO_BUILD_RUSTFLAGS: '-C from-env' },
    );
    assert.equal(flags.winner, 'build');
    assert.deepEqual(flags.flags, ['-C', 'b-outer', '-C', 'b-deep', '-C', 'from-env']);
  });

  it('lets RUSTFLAGS and CARGO_ENCODED_RUSTFLAGS replace config flags entirely', () => {
    assert.deepEqual(resolveRustflags('wasm32-unknown-unknown', [deep, outer], { RUSTFLAGS: ' -D  warnings ' }).flags, ['-D', 'warnings']);
    const encoded = resolveRustflags('wasm32-unknown-unknown', [deep], {
      RUSTFLAGS: '-D warnings',
      CARGO_ENCODED_RUSTFLAGS: '-C\x1ftarget-feature=+simd128',
    });
    assert.equal(encoded.winner, 'CARGO_ENCODED_RUSTFLAGS');
    assert.deepEqual(encoded.flags, ['-C', 'target-feature=+simd128']);
    assert.deepEqual(resolveRustflags('wasm32-unknown-unknown', [deep], { RUSTFLAGS: '' }).flags, []);
  });

  it('reads CARGO_TARGET_<TRIPLE>_RUSTFLAGS as a target source', () => {
    const flags = resolveRustflags('wasm32-wasip1', [], { CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS: '-C target-feature=+simd128' });
    assert.equal(flags.winner, 'target');
    assert.equal(enablesSimd128(flags.flags), true);
  });

  it('has no source when nothing is set', () => {
    assert.equal(resolveRustflags('wasm32-unknown-unknown', [], {}).winner, 'none');
  });
});

describe('cfg matching for wasm targets', () => {
  const cases: [string, string, boolean | undefined][] = [
    ['cfg(target_arch = "wasm32")', 'wasm32-unknown-unknown', true],
    ['cfg(target_arch = "wasm64")', 'wasm32-unknown-unknown', false],
    ['cfg(target_family = "wasm")', 'wasm32-wasip2', true],
    ['cfg(target_os = "wasi")', 'wasm32-wasip1', true],
    ['cfg(target_os = "wasi")', 'wasm32-unknown-unknown', false],
    ['cfg(all(target_arch = "wasm32", not(target_os = "wasi")))', 'wasm32-unknown-unknown', true],
    ['cfg(all(target_arch = "wasm32", not(target_os = "wasi")))', 'wasm32-wasip1', false],
    ['cfg(any(unix, target_env = "p2"))', 'wasm32-wasip2', true],
    ['cfg(unix)', 'wasm32-wasip1', false],
    ['cfg(target_feature = "simd128")', 'wasm32-unknown-unknown', false],
    ['cfg(target_feature = "bulk-memory")', 'wasm32-unknown-unknown', true],
    ['cfg(all(target_arch = "wasm32")', 'wasm32-unknown-unknown', false],
    ['wasm32-unknown-unknown', 'wasm32-unknown-unknown', undefined],
  ];
  for (const [key, triple, expected] of cases) it(`${key} on ${triple}`, () => assert.equal(cfgMatches(key, triple), expected));
});

describe('simd128 detection in flags', () => {
  const cases: [string[], boolean][] = [
    [['-C', 'target-feature=+simd128'], true],
    [['-Ctarget-feature=+simd128'], true],
    [['-Ctarget-feature=+bulk-memory,+simd128'], true],
    [['--codegen', 'target-feature=+relaxed-simd'], true],
    [['-C', 'target-cpu=bleeding-edge'], true],
    [['-C', 'target-feature=+simd128', '-C', 'target-feature=-simd128'], false],
    [['-C', 'target-feature=+bulk-memory'], false],
    [['-D', 'warnings', '+simd128'], false],
    [[], false],
  ];
  for (const [flags, expected] of cases) it(flags.join(' ') || '(none)', () => assert.equal(enablesSimd128(flags), expected));
});

describe('appending +simd128 to a rustflags value', () => {
  const append = (text: string) => {
    const document = doc(text);
    const entry = document.get(['build', 'rustflags'])!;
    return applyEdits(text, [appendSimdFlags(entry)!]);
  };
  it('extends arrays in their quoting style', () => {
    assert.equal(
      append("[build]\nrustflags = ['-D', 'warnings']\n"),
      "[build]\nrustflags = ['-D', 'warnings', '-C', 'target-feature=+simd128']\n",
    );
    assert.equal(append('[build]\nrustflags = []\n'), '[build]\nrustflags = ["-C", "target-feature=+simd128"]\n');
  });
  it('extends strings inside their quotes', () => {
    assert.equal(
      append('[build]\nrustflags = "-D warnings" # ci\n'),
      '[build]\nrustflags = "-D warnings -C target-feature=+simd128" # ci\n',
    );
    assert.equal(append("[build]\nrustflags = ''\n"), "[build]\nrustflags = '-C target-feature=+simd128'\n");
    assert.equal(append('[build]\nrustflags = """-D warnings"""\n'), '[build]\nrustflags = """-D warnings -C target-feature=+simd128"""\n');
  });
});

describe('rustflags-overridden flag units', () => {
  it('keeps each flag with its value, so a lost value is never appended alone', async () => {
    const { flagUnits } = await import('../../src/core/rules/rustflags-overridden');
    assert.deepEqual(flagUnits(['-C', 'target-feature=+simd128', '-Copt-level=3', '--cfg', 'web_sys_unstable_apis', '-Dwarnings']), [
      '-C target-feature=+simd128',
      '-C opt-level=3',
      '--cfg web_sys_unstable_apis',
      '-Dwarnings',
    ]);
    assert.deepEqual(flagUnits(['-C', 'target-cpu=native', '-C', 'target-cpu=native']), ['-C target-cpu=native']);
  });
});
