/**
 * The engine on real binaries: every file in test/fixtures/wasm/ was built by rustc, clang, Go
 * or AssemblyScript's asc (scripts/build-wasm-fixtures.sh), and manifest.json says what wabt's
 * wasm-objdump reads back from it. These tests hold wasm-perf's own reader, and the binary
 * rules, to that record.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WASI } from 'node:wasi';
import { Analyzer, type AnalysisResult } from '../../src/core/engine';
import type { Finding } from '../../src/core/model';
import { ruleById } from '../../src/core/rules';
import { inspectWasm } from '../../src/core/wasm/inspect';
import type { ModuleReport } from '../../src/core/wasm/model';
import { toolchainOf } from '../../src/core/wasm/toolchain';
import { createNodeHost, toEnginePath } from '../../src/node/node-host';
import { testAssets } from '../helpers/hosts';

const FIXTURES = join(process.cwd(), 'test/fixtures/wasm');

interface ProducerValue {
  name: string;
  version: string;
}

/** The parts of a manifest.json entry these tests read (it also records the build flags). */
interface ManifestEntry {
  file: string;
  /** The source directory, and the files in it whose hash `sourceSha256` is. */
  source: string;
  sources: string[];
  sourceSha256: string;
  language: 'rust' | 'c' | 'go' | 'assemblyscript';
  size: number;
  sha256: string;
  /** Byte copies of the fixture that golden cases run on. */
  goldenCopies?: string[];
  expect: {
    simd: boolean;
    simdInstructions: number;
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

function fixtureBytes(file: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(FIXTURES, file)));
}

function moduleOf(file: string): ModuleReport {
  const report = inspectWasm(fixtureBytes(file));
  assert.equal(report.error, undefined, `${file} must decode: ${report.error?.message}`);
  assert.equal(report.kind, 'module');
  assert.ok(report.module, `${file} has a module report`);
  return report.module;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const STALE = 'run `npm run fixtures` (scripts/build-wasm-fixtures.sh) and commit what it writes';

/** The version rustc/clang/go print, e.g. `1.63.0` from `rustc 1.63.0`, `14.0.6` from `Debian clang version 14.0.6`. */
function toolVersion(tool: 'rustc' | 'clang' | 'go'): string {
  const match = /(\d+\.\d+\.\d+)/.exec(manifest.toolchains[tool] ?? '');
  assert.ok(match, `manifest records the ${tool} version`);
  return match[1]!;
}

describe('real binaries: the fixture set itself', () => {
  it('covers four toolchains, SIMD and non-SIMD builds, a debug build and stripped builds', () => {
    const expects = manifest.files.map((f) => f.expect);
    for (const language of ['rust', 'c', 'go', 'assemblyscript'] as const)
      assert.ok(
        manifest.files.some((f) => f.language === language),
        language,
      );
    assert.ok(expects.some((e) => e.simd) && expects.some((e) => !e.simd));
    assert.ok(expects.some((e) => e.debugSections.length > 0));
    assert.ok(
      expects.some((e) => e.simd && e.targetFeatures === null),
      'a SIMD build whose target_features was stripped',
    );
    assert.ok(
      expects.some((e) => !e.simd && e.targetFeatures !== null),
      'a non-SIMD build that still has target_features',
    );
    assert.ok(
      expects.some((e) => e.imports.length > 0),
      'a build that imports WASI',
    );
  });

  it('matches the recorded sizes and hashes (the binaries were not rebuilt without updating the manifest)', () => {
    for (const entry of manifest.files) {
      assert.equal(fixtureBytes(entry.file).length, entry.size, entry.file);
      assert.equal(sha256(fixtureBytes(entry.file)), entry.sha256, `${entry.file} is not the binary the build recorded: ${STALE}`);
    }
  });

  it('was built from the sources as they are now', () => {
    for (const entry of manifest.files) {
      const digest = sha256(entry.sources.map((f) => `${f}\0${sha256(readFileSync(join(process.cwd(), entry.source, f)))}\n`).join(''));
      assert.equal(digest, entry.sourceSha256, `${entry.source} changed since ${entry.file} was built: ${STALE}`);
    }
  });

  it('the golden cases run on byte copies of the fixtures', () => {
    const copies = manifest.files.flatMap((entry) => (entry.goldenCopies ?? []).map((copy) => ({ copy, entry })));
    assert.ok(copies.length > 0);
    for (const { copy, entry } of copies)
      assert.equal(sha256(readFileSync(join(process.cwd(), copy))), entry.sha256, `${copy} is not ${entry.file}: ${STALE}`);
  });

  it('knows which toolchain built each binary', () => {
    for (const entry of manifest.files) {
      // A stripped build keeps no producers section: nothing says what built it.
      const expected = entry.expect.producers === null && entry.language !== 'assemblyscript' ? 'unknown' : entry.language;
      assert.equal(toolchainOf(moduleOf(entry.file)), expected, entry.file);
    }
  });
});

describe('real binaries: inspectWasm against wasm-objdump', () => {
  for (const entry of manifest.files) {
    const { file, expect } = entry;
    describe(file, () => {
      it('counts exactly the SIMD instructions wasm-objdump disassembles', () => {
        const module = moduleOf(file);
        assert.equal(module.instructions.simd, expect.simdInstructions);
        assert.equal(module.instructions.relaxedSimd, 0, 'no toolchain here emits relaxed SIMD');
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
          assert.equal(
            features.some((f) => f.prefix === '+' && f.name === 'simd128'),
            expect.simd,
          );
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
        const tool = entry.language === 'rust' ? 'rustc' : entry.language === 'go' ? 'go' : 'clang';
        const name = tool === 'go' ? 'Go cmd/compile' : tool;
        const processor = producers.processedBy.find((p) => p.name === name || p.name.endsWith(` ${name}`));
        assert.ok(processor, `processed-by lists ${name}: ${JSON.stringify(producers.processedBy)}`);
        assert.equal(processor.version.split(' ')[0], tool === 'go' ? `go${toolVersion('go')}` : toolVersion(tool));
      });

      it('lists the custom sections, and debug sections only where DWARF was kept', () => {
        const module = moduleOf(file);
        assert.deepEqual(
          module.customSections.map((s) => s.name),
          expect.customSections,
        );
        assert.deepEqual(
          module.debugSections.map((s) => s.name),
          expect.debugSections,
        );
        assert.equal(module.debugBytes > 0, expect.debugSections.length > 0);
        assert.equal(module.functions.names.size > 0, expect.nameSection);
        for (const section of module.customSections) {
          assert.ok(section.offset >= 8 && section.offset + section.size <= entry.size, `${section.name} lies inside the file`);
        }
      });

      it('lists the exports and imports', () => {
        const module = moduleOf(file);
        assert.deepEqual(
          module.exports.map((e) => ({ name: e.name, kind: e.kind })),
          expect.exports,
        );
        assert.deepEqual(
          module.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })),
          expect.imports,
        );
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

describe('real binaries: the kernels run and agree', () => {
  const KERNELS = ['blur3x3', 'find_byte', 'dot', 'fnv1a'] as const;
  type Kernels = Record<(typeof KERNELS)[number] | 'add', (...args: number[]) => number> & {
    init(): void;
    empty(): void;
    _initialize?: () => void;
  };

  async function instantiate(file: string): Promise<Kernels> {
    const { instance } = await WebAssembly.instantiate(fixtureBytes(file), {});
    const exports = instance.exports as unknown as Kernels;
    exports._initialize?.();
    exports.init();
    return exports;
  }

  it('every kernel build computes the same results, whatever the compiler, opt-level or SIMD', async () => {
    const results = new Map<string, string>();
    for (const { file } of manifest.files.filter((f) => f.expect.exports.some((e) => e.name === 'blur3x3'))) {
      const kernels = await instantiate(file);
      // Two iterations each: enough to depend on the iteration number, cheap at every opt-level.
      results.set(file, JSON.stringify(KERNELS.map((name) => kernels[name](2))));
      assert.equal(kernels.add(40, 2), 42);
      assert.equal(kernels.empty(), undefined);
    }
    assert.ok(results.size >= 10);
    const distinct = new Set(results.values());
    assert.equal(distinct.size, 1, `results differ: ${JSON.stringify(Object.fromEntries(results))}`);
  });

  it('the WASI build prints through fd_write and returns the FNV-1a hash of the bytes 0..n-1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-wasi-'));
    try {
      const output = join(dir, 'stdout');
      const stdout = openSync(output, 'w');
      let returned: number;
      try {
        const wasi = new WASI({ version: 'preview1', stdout, returnOnExit: true });
        const { instance } = await WebAssembly.instantiate(
          fixtureBytes('c-wasi-report.wasm'),
          wasi.getImportObject() as WebAssembly.Imports,
        );
        wasi.initialize(instance);
        returned = (instance.exports['report'] as (iterations: number) => number)(300) >>> 0;
      } finally {
        closeSync(stdout);
      }
      let hash = 0x811c9dc5;
      for (let i = 0; i < 300; i++) hash = Math.imul(hash ^ (i & 0xff), 0x01000193) >>> 0;
      assert.equal(returned, hash);
      assert.equal(readFileSync(output, 'utf8'), `wasm-perf fixture: fnv1a over 300 bytes = ${hash.toString(16).padStart(8, '0')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * One workspace holding every fixture in a cargo release directory, the debug build once more
 * outside any release path, and kernels-s.wasm under the lib name of the crate that builds it.
 */
describe('real binaries: the binary rules', () => {
  const RELEASE = 'target/wasm32-unknown-unknown/release';
  const DEBUG_COPY = 'scratch/kernels-3-simd-debug.wasm';
  const LINKED = `${RELEASE}/kernels.wasm`;
  let root: string;
  let result: AnalysisResult;

  before(async () => {
    root = toEnginePath(mkdtempSync(join(tmpdir(), 'wasm-perf-real-binaries-')));
    mkdirSync(join(root, RELEASE), { recursive: true });
    mkdirSync(join(root, 'scratch'));
    for (const { file } of manifest.files) copyFileSync(join(FIXTURES, file), join(root, RELEASE, file));
    copyFileSync(join(FIXTURES, 'kernels-3-simd-debug.wasm'), join(root, DEBUG_COPY));
    copyFileSync(join(FIXTURES, 'kernels-s.wasm'), join(root, LINKED));
    copyFileSync(join(process.cwd(), 'test/wasm-src/kernels/Cargo.toml'), join(root, 'Cargo.toml'));
    result = await new Analyzer(createNodeHost({ env: {} }), undefined, testAssets()).analyze([root]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  const findingsFor = (relativePath: string, ruleId?: string): Finding[] =>
    result.findings.filter((f) => f.location.file === join(root, relativePath) && (ruleId === undefined || f.ruleId === ruleId));

  it('loads every binary, decoded and valid, without internal errors', () => {
    assert.deepEqual(
      result.notices.filter((n) => n.kind === 'internal'),
      [],
    );
    assert.equal(result.model.binaries.files.length, manifest.files.length + 2);
    for (const file of result.model.binaries.files) {
      assert.equal(file.failure, undefined, file.path);
      assert.equal(file.report?.error, undefined, file.path);
      assert.deepEqual(file.validity, { status: 'valid' }, file.path);
    }
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === 'wasm-malformed' || f.ruleId === 'wasm-invalid'),
      [],
    );
  });

  for (const { file, expect, language } of manifest.files) {
    // kernels-s.wasm beside kernels-s-simd.wasm is a deliberate fallback build, like foo.wasm beside foo_simd.wasm.
    const twin = manifest.files.some((other) => other.file === file.replace(/\.wasm$/, '-simd.wasm'));
    // Go cannot be asked for SIMD: its compiler has no option for it.
    const silent = expect.simd || twin || language === 'go';
    it(`${file}: wasm-no-simd ${silent ? 'stays silent' : 'reports it'}`, () => {
      const findings = findingsFor(`${RELEASE}/${file}`, 'wasm-no-simd');
      if (silent) {
        assert.deepEqual(findings, []);
        return;
      }
      assert.equal(findings.length, 1);
      const finding = findings[0]!;
      assert.equal(finding.location.binary, true);
      assert.ok(finding.location.span.start < finding.location.span.end && finding.location.span.end <= fixtureBytes(file).length);
      // Only LLVM-based toolchains write target_features, so only their builds can have lost it.
      assert.equal(
        finding.message.includes('no target_features section'),
        expect.targetFeatures === null && expect.producers !== null,
        finding.message,
      );
      // The advice is in the words of the toolchain that built it.
      const advice = { rust: /-C target-feature=\+simd128/, c: /-msimd128/, assemblyscript: /--enable simd/, go: /^$/ }[language];
      assert.match(finding.detail ?? '', expect.producers === null && language !== 'assemblyscript' ? /toolchain's SIMD option/ : advice);
    });

    it(`${file}: wasm-debug-info ${expect.debugSections.length > 0 ? 'reports the DWARF sections' : 'stays silent'}`, () => {
      const findings = findingsFor(`${RELEASE}/${file}`, 'wasm-debug-info');
      if (expect.debugSections.length === 0) {
        assert.deepEqual(findings, []);
        return;
      }
      assert.equal(findings.length, 1);
      const located = findings[0]!.evidence.filter((e) => e.location?.binary);
      assert.equal(located.length, expect.debugSections.length);
      assert.deepEqual(
        located.map((e) => e.message.split(':')[0]),
        expect.debugSections,
      );
    });
  }

  it('does not call a debug build outside a release path a release build', () => {
    assert.deepEqual(findingsFor(DEBUG_COPY, 'wasm-debug-info'), []);
  });

  it("links a binary named after a crate's lib to that crate's Cargo.toml", () => {
    const [finding] = findingsFor(LINKED, 'wasm-no-simd');
    assert.ok(finding, 'kernels.wasm (an opt-level "s" build without simd128) is reported');
    assert.ok(
      finding.evidence.some((e) => e.location?.file === join(root, 'Cargo.toml')),
      'evidence points at the crate manifest',
    );
  });
});

/** `npm run demo` checks examples/demo-workspace: each pitfall its README promises must show. */
describe('real binaries: the demo workspace', () => {
  const root = toEnginePath(join(process.cwd(), 'examples/demo-workspace'));
  let result: AnalysisResult;

  before(async () => {
    result = await new Analyzer(createNodeHost({ env: {} }), undefined, testAssets()).analyze([root]);
  });

  const where = (f: Finding) => `${f.ruleId} ${relative(root, f.location.file)}`;

  it('reads everything without internal errors', () => {
    assert.deepEqual(
      result.notices.filter((n) => n.kind === 'internal'),
      [],
    );
    assert.deepEqual(result.findings.filter((f) => ruleById(f.ruleId)?.meta.category === 'input').map(where), []);
  });

  it('shows findings from the build settings, the host code and the binary', () => {
    const categories = new Set(result.findings.map((f) => ruleById(f.ruleId)?.meta.category));
    for (const category of ['build', 'host', 'binary'] as const) assert.ok(categories.has(category), `no ${category} finding`);
  });

  it('shows the pitfall of each part its README describes', () => {
    const found = new Set(result.findings.map(where));
    for (const expected of [
      'opt-level-size image-filters/Cargo.toml',
      'strip-drops-features image-filters/Cargo.toml',
      'missing-simd128 image-filters/.cargo/config.toml',
      'rustflags-overridden .github/workflows/build.yml',
      'wasm-no-simd image-filters/target/wasm32-wasip1/release/image_filters.wasm',
      'wasmtime-native-unwind-info host/src/main.rs',
      'wasmtime-engine-per-module host/src/main.rs',
      'wazero-implicit-compile go-host/main.go',
    ]) {
      assert.ok(found.has(expected), `missing: ${expected} (found: ${[...found].join('; ')})`);
    }
  });

  it('links the built binary to the crate that builds it', () => {
    const finding = result.findings.find((f) => f.ruleId === 'wasm-no-simd');
    assert.ok(finding?.evidence.some((e) => e.location?.file === join(root, 'image-filters/Cargo.toml')));
  });
});
