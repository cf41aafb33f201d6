import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchFile } from '../../src/bench/bench-file';
import { toFileEntry, toPanelDefinition, variantText, withEntry } from '../../src/extension/panels/bench-file-format';
import type { BenchmarkDefinition } from '../../src/protocol/benchmark';

const relative = (path: string) => path.replace(/^\/ws\/?/, '');
const label = (path: string) => relative(path);

function roundTrip(definition: BenchmarkDefinition): BenchmarkDefinition | string {
  const entry = toFileEntry(definition, relative);
  assert.equal(typeof entry, 'object', String(entry));
  const parsed = parseBenchFile(withEntry(undefined, entry as Exclude<typeof entry, string>), '/ws/wasm-perf.bench.json');
  return toPanelDefinition(parsed.benchmarks[0]!, label);
}

describe('wasm-perf.bench.json format', () => {
  it('round-trips a module comparison through the engine reader', () => {
    const definition: BenchmarkDefinition = {
      name: 'blur',
      variants: [
        { kind: 'module', label: 'dist/a.wasm', modulePath: '/ws/dist/a.wasm' },
        { kind: 'module', label: 'dist/b.wasm', modulePath: '/ws/dist/b.wasm' },
      ],
      exportName: 'blur3x3',
      args: ['1', '-2.5'],
      setupExport: 'init',
    };
    assert.deepEqual(toFileEntry(definition, relative), {
      name: 'blur',
      module: 'dist/a.wasm',
      compare: ['dist/b.wasm'],
      export: 'blur3x3',
      args: [1, '-2.5'],
      setup: 'init',
    });
    assert.deepEqual(roundTrip(definition), definition);
  });

  it('round-trips crate builds, the configured build being the engine baseline', () => {
    const manifestPath = '/ws/crates/k/Cargo.toml';
    const definition: BenchmarkDefinition = {
      name: 'what if',
      variants: [
        { kind: 'build', label: 'release profile', manifestPath, flags: { optLevel3: false, simd128: false, lto: false } },
        { kind: 'build', label: 'opt-level=3 +simd128 LTO', manifestPath, flags: { optLevel3: true, simd128: true, lto: true } },
      ],
      exportName: 'sum',
      args: [],
    };
    assert.deepEqual(toFileEntry(definition, relative), {
      name: 'what if',
      crate: 'crates/k',
      variants: ['opt-level=3,lto=fat,+simd128'],
      export: 'sum',
      args: [],
    });
    assert.deepEqual(roundTrip(definition), definition);
    assert.equal(variantText({ optLevel3: false, simd128: true, lto: false }), '+simd128');
  });

  it('says which entries and definitions the other side cannot hold', () => {
    const parsed = parseBenchFile(
      JSON.stringify({
        benchmarks: [
          { name: 'z', crate: 'k', export: 'f', variants: ['opt-level=z'] },
          { name: 'buf', module: 'a.wasm', export: 'f', args: [{ buffer: 'input' }], setup: { buffers: [{ name: 'input', length: 64 }] } },
          { name: 'load', module: 'a.wasm', load: true },
        ],
      }),
      '/ws/wasm-perf.bench.json',
    );
    assert.deepEqual(
      parsed.benchmarks.map((entry) => toPanelDefinition(entry, label)),
      [
        '"z" has build settings beyond opt-level=3, lto and +simd128, which the panel cannot edit',
        '"buf" passes memory buffers, which the panel cannot edit',
        '"load" measures loading, which the panel does not show',
      ],
    );
    const twoCrates: BenchmarkDefinition = {
      name: 'x',
      variants: [
        { kind: 'build', label: 'a', manifestPath: '/ws/a/Cargo.toml', flags: { optLevel3: false, simd128: false, lto: false } },
        { kind: 'build', label: 'b', manifestPath: '/ws/b/Cargo.toml', flags: { optLevel3: true, simd128: false, lto: false } },
      ],
      exportName: 'f',
      args: [],
    };
    assert.equal(toFileEntry(twoCrates, relative), 'the file compares builds of one crate at a time');
  });

  it('replaces an entry by name and keeps the rest of the file', () => {
    const before = JSON.stringify({
      $schema: './schema.json',
      benchmarks: [
        { name: 'a', module: 'x.wasm', export: 'f', options: { seed: 3 } },
        { name: 'b', module: 'y.wasm', export: 'g' },
      ],
    });
    const after = JSON.parse(withEntry(before, { name: 'a', module: 'z.wasm', export: 'h', args: [] }));
    assert.deepEqual(after, {
      $schema: './schema.json',
      benchmarks: [
        { name: 'a', module: 'z.wasm', export: 'h', args: [], options: { seed: 3 } },
        { name: 'b', module: 'y.wasm', export: 'g' },
      ],
    });
    assert.throws(() => withEntry('[1]', { name: 'a' }), /does not hold a JSON object/);
  });
});
