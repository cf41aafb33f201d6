/**
 * The engine on real binaries: every file in test/fixtures/wasm/ was built by rustc or clang
 * (scripts/build-wasm-fixtures.sh), and manifest.json says what wabt's wasm-objdump reads back
 * from it. These tests hold wasm-perf's own reader, and the binary rules, to that record.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import type { ModuleReport } from '../../src/core/wasm/model';

const FIXTURES = join(process.cwd(), 'test/fixtures/wasm');

interface ProducerValue {
  name: string;
  version: string;
}

interface ManifestEntry {
  file: string;
  language: 'rust' | 'c';
  profile?: Record<string, string | number | boolean>;
  rustflags?: string[];
  cflags?: string[];
  size: number;
  expect: {
    simd: boolean;
    simdInstructions: number;
    simdFunctions: string[];
    /** `+name` entries; null when the section is absent. */
    targetFeatures: string[] | null;
    producers: Record<string, ProducerValue[]> | null;
    customSections: string[];
    debugSections: string[];
    nameSection: boolean;
    exports: { name: string; kind: string }[];
    imports: { module: string; name: string; kind: string }[];
  };
}

interface Manifest {
  toolchains: Record<string, string>;
  files: ManifestEntry[];
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Manifest;

function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, file)));
}

function moduleOf(file: string): ModuleReport {
  const report = inspectWasm(fixtureBytes(file));
  assert.equal(report.error, undefined, `${file} must decode: ${report.error?.message}`);
  assert.equal(report.kind, 'module');
  assert.ok(report.module, `${file} has a module report`);
  return report.module;
}

/** The version rustc/clang print, e.g. `1.63.0` from `rustc 1.63.0`, `14.0.6` from `Debian clang version 14.0.6`. */
function toolVersion(tool: 'rustc' | 'clang'): string {
  const match = /(\d+\.\d+\.\d+)/.exec(manifest.toolchains[tool] ?? '');
  assert.ok(match, `manifest records the ${tool} version`);
  return match[1]!;
}

describe('real binaries: the fixture set itself', () => {
  it('covers both toolchains, SIMD and non-SIMD builds, a debug build and stripped builds', () => {
    const expects = manifest.files.map((f) => f.expect);
    assert.ok(manifest.files.some((f) => f.language === 'rust') && manifest.files.some((f) => f.language === 'c'));
    assert.ok(expects.some((e) => e.simd) && expects.some((e) => !e.simd));
    assert.ok(expects.some((e) => e.debugSections.length > 0));
    assert.ok(expects.some((e) => e.simd && e.targetFeatures === null), 'a SIMD build whose target_features was stripped');
    assert.ok(expects.some((e) => !e.simd && e.targetFeatures !== null), 'a non-SIMD build that still has target_features');
    assert.ok(expects.some((e) => e.imports.length > 0), 'a build that imports WASI');
  });

  it('matches the recorded sizes (the binaries were not rebuilt without updating the manifest)', () => {
    for (const entry of manifest.files) assert.equal(fixtureBytes(entry.file).length, entry.size, entry.file);
  });
});

describe('real binaries: inspectWasm against wasm-objdump', () => {
  for (const entry of manifest.files) {
    const { file, expect } = entry;
    describe(file, () => {
      it('counts exactly the SIMD instructions wasm-objdump disassembles', () => {
        const module = moduleOf(file);
        assert.equal(module.instructions.simd, expect.simdInstructions);
        assert.equal(module.instructions.relaxedSimd, 0, 'neither toolchain emits relaxed SIMD');
        assert.equal(module.features.includes('simd128'), expect.simd, `features: ${module.features.join(', ')}`);
        assert.ok(module.instructions.total > module.instructions.simd);
      });

      it('reads target_features exactly, and reports it absent when stripped', () => {
        const features = moduleOf(file).targetFeatures;
        if (expect.targetFeatures === null) {
          assert.equal(features, undefined);
        } else {
          assert.ok(features);
          assert.deepEqual(features.map((f) => `${f.prefix}${f.name}`).sort(), [...expect.targetFeatures].sort());
          assert.equal(features.some((f) => f.prefix === '+' && f.name === 'simd128'), expect.simd);
        }
      });

      it('reads the producers section and the toolchain version in it', () => {
        const producers = moduleOf(file).producers;
        if (expect.producers === null) {
          assert.equal(producers, undefined);
          return;
        }
        assert.ok(producers);
        assert.deepEqual(producers.language, expect.producers['language'] ?? []);
        assert.deepEqual(producers.processedBy, expect.producers['processed-by'] ?? []);
        assert.deepEqual(producers.sdk, expect.producers['sdk'] ?? []);
        const tool = entry.language === 'rust' ? 'rustc' : 'clang';
        const processor = producers.processedBy.find((p) => p.name === tool || p.name.endsWith(` ${tool}`));
        assert.ok(processor, `processed-by lists ${tool}: ${JSON.stringify(producers.processedBy)}`);
        assert.equal(processor.version.split(' ')[0], toolVersion(tool));
      });

      it('lists the custom sections, and debug sections only where DWARF was kept', () => {
        const module = moduleOf(file);
        assert.deepEqual(module.customSections.map((s) => s.name), expect.customSections);
        assert.deepEqual(module.debugSections.map((s) => s.name), expect.debugSections);
        assert.equal(module.debugBytes > 0, expect.debugSections.length > 0);
        assert.equal(module.functions.names.size > 0, expect.nameSection);
        for (const section of module.customSections) {
          assert.ok(section.offset > 8 && section.offset + section.size <= entry.size, `${section.name} lies inside the file`);
        }
      });

      it('lists the exports and imports', () => {
        const module = moduleOf(file);
        assert.deepEqual(module.exports.map((e) => ({ name: e.name, kind: e.kind })), expect.exports);
        assert.deepEqual(module.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })), expect.imports);
      });
    });
  }

  it('sees the kernels with the signatures a benchmark calls them with', () => {
    const module = moduleOf('kernels-3-simd.wasm');
    const signature = (name: string) => {
      const found = module.exports.find((e) => e.name === name);
      assert.ok(found?.signature, `${name} is an exported function with a signature`);
      return found.signature;
    };
    assert.deepEqual(signature('blur3x3'), { params: ['i32'], results: ['i32'] });
    assert.deepEqual(signature('dot'), { params: ['i32'], results: ['f32'] });
    assert.deepEqual(signature('add'), { params: ['i32', 'i32'], results: ['i32'] });
    assert.deepEqual(signature('empty'), { params: [], results: [] });
  });
});
