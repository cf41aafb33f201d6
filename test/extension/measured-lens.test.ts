/**
 * A measured finding keeps its result in wasm-perf.bench.json and shows it on the finding's
 * line, again after a reload (a new provider reading the same file).
 */
import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { MeasuredLensProvider, measuredVerdict } from '../../src/extension/codelens/measured-lens';
import { DiagnosticStore } from '../../src/extension/diagnostic-store';
import { measureDifferencePreset } from '../../src/extension/panels/benchmark-presets';
import { BenchFile } from '../../src/extension/panels/benchmark-store';
import { summarizeBuildOutput } from '../../src/extension/panels/build-summary';
import type { BenchmarkRun } from '../../src/protocol/benchmark';
import { FakeLogOutputChannel, FakeTextDocument, resetStub, stub } from '../helpers/vscode-stub';
import { loadEngine, optLevelSizeFinding, ROOT, snapshot, source } from './fixtures';

const MANIFEST = `${ROOT}/Cargo.toml`;
const TEXT = '[package]\nname = "app"\n\n[profile.release]\nopt-level = "s"\n';
const finding = optLevelSizeFinding(MANIFEST, TEXT);

function measuredRun(ratio: number, significant = true, manifest = MANIFEST): BenchmarkRun {
  const preset = measureDifferencePreset(manifest, 'opt-level-size')!;
  const stats = {
    medianNs: 1,
    meanNs: 1,
    p5Ns: 1,
    p95Ns: 1,
    madNs: 0,
    ciLowNs: 1,
    ciHighNs: 1,
    callsPerSecond: 1,
    sampleCount: 30,
    harnessOverheadNs: 0,
  };
  return {
    id: 'r1',
    finishedAt: '2026-12-05T15:00:00.000Z',
    definition: { ...preset, exportName: 'box_blur', args: ['1'] },
    results: [
      { label: 'current build', samplesNs: [], stats },
      { label: 'fixed (opt-level=3)', samplesNs: [], stats },
    ],
    ratios: [{ label: 'fixed (opt-level=3)', ratio, ciLow: ratio * 0.95, ciHigh: ratio * 1.05, significant }],
    environment: 'Test CPU (2 cores), linux x64, Node 20',
    warnings: [],
  };
}

function lensesAfterReload(): Promise<vscode.CodeLens[]> {
  const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('t'));
  store.publish(snapshot([finding], [source(MANIFEST, TEXT)], [], { manifests: [MANIFEST] }));
  const file = new BenchFile(vscode.Uri.file(ROOT), loadEngine);
  const provider = new MeasuredLensProvider(store, () => file.measurements(), new FakeLogOutputChannel('t'));
  const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
  return provider.provideCodeLenses(document as unknown as vscode.TextDocument);
}

describe('the measured hint', () => {
  beforeEach(() => resetStub());

  it('is kept in wasm-perf.bench.json and shown on the opt-level line after a reload', async () => {
    await new BenchFile(vscode.Uri.file(ROOT), loadEngine).saveMeasurement(measuredRun(0.16));
    const saved = JSON.parse(new TextDecoder().decode(stub.writtenFiles.get(vscode.Uri.file(`${ROOT}/wasm-perf.bench.json`).toString())));
    assert.deepEqual(saved.benchmarks[0], {
      name: 'opt-level-size: current vs fixed',
      crate: '.',
      variants: ['opt-level=3'],
      export: 'box_blur',
      args: [1],
      finding: 'opt-level-size',
      measured: {
        at: '2026-12-05T15:00:00.000Z',
        baseline: 'current build',
        candidate: 'fixed (opt-level=3)',
        ratio: 0.16,
        ciLow: 0.152,
        ciHigh: 0.168,
        significant: true,
        environment: 'Test CPU (2 cores), linux x64, Node 20',
      },
    });
    const [lens, ...rest] = await lensesAfterReload();
    assert.equal(rest.length, 0);
    assert.equal(lens?.command?.title, 'measured: 6.3× slower than opt-level=3 on box_blur, 2026-12-05');
    assert.equal(lens?.range.start.line, 4, 'on the opt-level line');
  });

  it('a newer measurement replaces the older one', async () => {
    const file = new BenchFile(vscode.Uri.file(ROOT), loadEngine);
    await file.saveMeasurement(measuredRun(0.16));
    await file.saveMeasurement(measuredRun(1.01, false));
    const [lens] = await lensesAfterReload();
    assert.equal(lens?.command?.title, 'measured: no clear difference from opt-level=3 on box_blur, 2026-12-05');
    const measurements = await file.measurements();
    assert.equal(measurements.length, 1);
    assert.equal(measurements[0]?.manifestPath, MANIFEST);
  });

  it("another crate's measurement is not shown on this crate's finding", async () => {
    await new BenchFile(vscode.Uri.file(ROOT), loadEngine).saveMeasurement(measuredRun(0.16, true, `${ROOT}/other/Cargo.toml`));
    assert.deepEqual(await lensesAfterReload(), []);
  });

  it('says slower, faster or no clear difference from the ratio and its interval', () => {
    const base = { at: '2026-12-05T00:00:00Z', baseline: 'a', candidate: 'b', ciLow: 0.1, ciHigh: 0.2 };
    assert.deepEqual(measuredVerdict({ ...base, ratio: 0.5, significant: true }), { kind: 'slower', factor: '2.0' });
    assert.deepEqual(measuredVerdict({ ...base, ratio: 0.05, significant: true }), { kind: 'slower', factor: '20' });
    assert.deepEqual(measuredVerdict({ ...base, ratio: 1.25, significant: true }), { kind: 'faster', factor: '1.3' });
    assert.equal(measuredVerdict({ ...base, ratio: 0.5, significant: false }).kind, 'same');
  });
});

describe('build failure summary', () => {
  it('keeps the first errors with their locations, relative to the workspace, and counts the rest', () => {
    const output = [
      '$ /usr/bin/cargo build --release --target wasm32-wasip1 --target-dir /home/me/.vscode/storage/builds/k',
      '   Compiling kernels v0.1.0 (/home/me/ws/crates/kernels)',
      'error[E0425]: cannot find value `x` in this scope',
      ' --> /home/me/ws/crates/kernels/src/lib.rs:3:5',
      '  |',
      'error: expected expression, found `;`',
      ' --> src/lib.rs:9:13',
      'error[E0308]: mismatched types',
      ' --> src/lib.rs:12:1',
      'error[E0308]: mismatched types',
      'error: could not compile `kernels` (lib) due to 4 previous errors',
    ].join('\n');
    assert.deepEqual(summarizeBuildOutput(output, ['/home/me/ws']), [
      'error[E0425]: cannot find value `x` in this scope (crates/kernels/src/lib.rs:3:5)',
      'error: expected expression, found `;` (src/lib.rs:9:13)',
      'error[E0308]: mismatched types (src/lib.rs:12:1)',
      '… and 1 more error',
    ]);
  });

  it('without compiler errors, gives cargo’s own last words', () => {
    const output = 'error: failed to parse manifest at `/home/me/ws/Cargo.toml`\n\nCaused by:\n  missing field `name`';
    assert.deepEqual(summarizeBuildOutput(output, ['/home/me/ws']), ['error: failed to parse manifest at `Cargo.toml`']);
  });
});
