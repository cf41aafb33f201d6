/**
 * The binary rules beyond what the golden cases pin down: messages, byte spans, the
 * evidence that links a binary to its crate's Cargo.toml, and the release-path test.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer, type AnalysisResult } from '../../src/core/engine';
import { inspectWasm } from '../../src/core/wasm/inspect';
import type { BinaryFile } from '../../src/core/wasm/model';
import { isReleaseOutput } from '../../src/core/wasm/rule-support';
import { wasmNoSimd } from '../../src/core/rules/wasm-no-simd';
import type { RawFinding } from '../../src/core/model';
import type { WorkspaceModel } from '../../src/core/workspace/model';
import { emptyCargoModel } from '../../src/core/cargo/model';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { custom, moduleWithBodies, name } from './bytes';

const GOLDEN = join(process.cwd(), 'test/fixtures/golden');

async function analyzeCase(caseName: string): Promise<{ root: string; result: AnalysisResult }> {
  const root = toEnginePath(join(GOLDEN, caseName, 'workspace'));
  const result = await new Analyzer(overlayHost(new Map()), {}, testAssets()).analyze([root]);
  return { root, result };
}

function runNoSimd(files: BinaryFile[]): Omit<RawFinding, 'ruleId'>[] {
  const found: Omit<RawFinding, 'ruleId'>[] = [];
  const workspace = {
    roots: ['/w'],
    binaries: { files },
    files: { binaries: files.map((f) => f.path) },
    cargo: emptyCargoModel(),
  } as unknown as WorkspaceModel;
  wasmNoSimd.check({ workspace, report: (f) => found.push(f) });
  return found;
}

describe('binary rules', () => {
  it('wasm-no-simd links the binary to the crate that builds it and says whether target_features was stripped', async () => {
    const { root, result } = await analyzeCase('wasm-no-simd');
    const findings = result.findings.filter((f) => f.ruleId === 'wasm-no-simd');
    assert.equal(findings.length, 2);
    const [pkg, release] = findings;
    assert.match(pkg!.message, /^no SIMD instructions in \d+ instructions, and no target_features section$/);
    assert.match(release!.message, /^no SIMD instructions in \d+ instructions, and simd128 is not enabled$/);
    for (const finding of findings) {
      const manifest = finding.evidence.find((e) => e.location?.file === `${root}/Cargo.toml`);
      assert.ok(manifest, 'located evidence points at the crate manifest');
      const text = result.sources.get(`${root}/Cargo.toml`)?.text ?? '';
      assert.equal(text.slice(manifest.location!.span.start, manifest.location!.span.end), '"image-kernels"');
      assert.equal(finding.location.binary, true);
      const report = result.model.binaries.files.find((f) => f.path === finding.location.file)!.report!;
      const code = report.module!.sections.find((s) => s.name === 'code')!;
      assert.deepEqual(
        finding.location.span,
        { start: code.offset, end: code.payloadOffset + code.size },
        'the span covers the code section',
      );
    }
    assert.match(release!.detail ?? '', /-C target-feature=\+simd128/, 'the producers section says rustc built it');
  });

  it("wasm-no-simd speaks the producer's language and leaves a SIMD twin's fallback alone", () => {
    const producers = (language: string) => custom('producers', [1, ...name('language'), 1, ...name(language), ...name('')]);
    const file = (path: string, bytes: Uint8Array): BinaryFile => ({ path, size: bytes.length, report: inspectWasm(bytes) });
    const c = runNoSimd([file('/w/target/release/c.wasm', moduleWithBodies([[0x01]], { after: [producers('C')] }))]);
    assert.match(c[0]!.detail ?? '', /-msimd128/);
    const unknown = runNoSimd([file('/w/target/release/u.wasm', moduleWithBodies([[0x01]]))]);
    assert.match(unknown[0]!.detail ?? '', /toolchain's SIMD option/);
    const simd = moduleWithBodies([[0x01]], { after: [custom('target_features', [1, 0x2b, ...name('simd128')])] });
    for (const twin of ['/w/target/release/codec-simd.wasm', '/w/target/release/codec_simd.wasm', '/w/target/release/codec.simd.wasm']) {
      assert.deepEqual(runNoSimd([file('/w/target/release/codec.wasm', moduleWithBodies([[0x01]])), file(twin, simd)]), [], twin);
    }
    assert.equal(
      runNoSimd([file('/w/target/release/codec.wasm', moduleWithBodies([[0x01]])), file('/w/target/release/other-simd.wasm', simd)]).length,
      1,
    );
  });

  it('wasm-no-simd stays quiet when target_features enables simd128 even without SIMD opcodes, and on code-less modules', () => {
    const withFeature = moduleWithBodies([[0x01]], { after: [custom('target_features', [1, 0x2b, ...name('simd128')])] });
    const file = (bytes: Uint8Array): BinaryFile => ({ path: '/w/target/release/a.wasm', size: bytes.length, report: inspectWasm(bytes) });
    assert.deepEqual(runNoSimd([file(withFeature)]), []);
    assert.deepEqual(runNoSimd([file(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))]), []);
    assert.equal(runNoSimd([file(moduleWithBodies([[0x01]]))]).length, 1);
  });

  it('wasm-debug-info gives the bytes and share of the file, with each section as evidence', async () => {
    const { result } = await analyzeCase('wasm-debug-info');
    const findings = result.findings.filter((f) => f.ruleId === 'wasm-debug-info');
    assert.equal(findings.length, 2);
    const report = result.model.binaries.files.find((f) => f.path === findings[0]!.location.file)!.report!;
    const share = ((report.totals.debugBytes / report.fileSize) * 100).toFixed(1);
    assert.equal(findings[0]!.message, `release build carries 3 DWARF sections: 4.9 KiB, ${share}% of the file`);
    assert.deepEqual(
      findings[0]!.evidence.map((e) => e.message.split(':')[0]),
      ['.debug_info', '.debug_line', '.debug_str'],
    );
    const first = report.module!.debugSections[0]!;
    assert.equal(findings[0]!.location.span.start, first.offset);
  });

  it('recognises release output paths, judged below the analysed root', () => {
    const release = (path: string, roots = ['/p']) => isReleaseOutput(roots, path);
    assert.equal(release('/p/target/wasm32-unknown-unknown/release/a.wasm'), true);
    assert.equal(release('/p/target/release/a.wasm'), true);
    assert.equal(release('/p/target/wasm32-wasip2/bench/a.wasm'), true);
    assert.equal(release('/p/dist/release/a.wasm'), true);
    assert.equal(release('/p/build/Release/a.wasm'), true, "CMake's multi-config layout");
    assert.equal(release('/p/build/release.wasm'), true, "AssemblyScript's default outFile");
    assert.equal(release('/p/target/wasm32-unknown-unknown/debug/a.wasm'), false);
    assert.equal(release('/p/target/debug/a.wasm'), false);
    assert.equal(release('/p/www/a.wasm'), false);
    assert.equal(release('/p/build/debug.wasm'), false);
    // A workspace that lives under a directory called release or target is not all release output.
    assert.equal(release('/home/release/app/www/a.wasm', ['/home/release/app']), false);
    assert.equal(release('/srv/target/app/www/a.wasm', ['/srv/target/app']), false);
  });

  it('wasm-malformed and wasm-invalid point at the byte where the problem is', async () => {
    const malformed = (await analyzeCase('wasm-malformed')).result.findings;
    const truncated = malformed.find((f) => f.location.file.endsWith('truncated.wasm'))!;
    assert.match(
      truncated.message,
      /^malformed at byte (\d+) \(0x[0-9a-f]+\): section size mismatch: the code section declares \d+ bytes but only \d+ are left$/,
    );
    const byte = Number(/byte (\d+)/.exec(truncated.message)![1]);
    assert.deepEqual(truncated.location.span, { start: byte, end: byte + 1 });
    const invalid = (await analyzeCase('wasm-invalid')).result.findings;
    assert.equal(invalid.length, 1);
    assert.match(invalid[0]!.message, /^module does not validate: type mismatch/);
  });

  it('wasm-malformed leaves placeholders alone: an empty file and a Git LFS pointer get a notice each', async () => {
    const { root, result } = await analyzeCase('wasm-malformed');
    const reported = result.findings.map((f) => f.location.file.slice(root.length + 1)).sort();
    assert.deepEqual(reported, ['not-wasm.wasm', 'truncated.wasm']);
    const notices = new Map(result.notices.map((n) => [n.file.slice(root.length + 1), n.message]));
    assert.match(notices.get('empty.wasm') ?? '', /^empty file/);
    assert.match(notices.get('lfs-pointer.wasm') ?? '', /Git LFS pointer.*git lfs pull/);
  });
});
