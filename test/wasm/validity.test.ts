/**
 * Validation beyond decoding: V8's yes/no with feature probes, wabt's detailed message
 * from the worker (dist/wabt.js, built before the tests), one function as text, and the
 * binaries loader that puts it all in the model.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { loadBinaries } from '../../src/core/wasm/load';
import type { WasmFeature } from '../../src/core/wasm/model';
import { buildSingleFunctionModule } from '../../src/core/wasm/reduce';
import { functionText, moduleText, parseWabtMessage, WabtError } from '../../src/core/wasm/wabt-client';
import { checkValidity, featureProbes, hostSupports } from '../../src/core/wasm/validity';
import { ValidationWorker } from '../../src/core/wasm/validation-worker';
import { Analyzer } from '../../src/core/engine';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { DerivedCache } from '../../src/core/workspace/cache';
import type { LoadContext } from '../../src/core/workspace/load-context';
import { FileReader } from '../../src/core/workspace/reader';
import type { Notice } from '../../src/core/model';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { COMPONENT_HEADER, custom, moduleWithBodies, paddedTo, section, wasm } from './bytes';
import { wat } from './wat';

async function invalidModule(): Promise<Uint8Array> {
  // wabt refuses to assemble invalid text, so patch a valid module: i32.const 1 -> i64.const 1.
  const valid = await wat('(module (func (export "f") (result i32) i32.const 1))');
  const patched = Uint8Array.from(valid);
  const at = patched.lastIndexOf(0x41);
  patched[at] = 0x42;
  return patched;
}

describe('wasm validity', () => {
  const validator = new ValidationWorker(testAssets());
  after(() => validator.close());

  it('every feature probe is a valid module (wabt agrees) and uses the feature it probes', async () => {
    for (const [feature, bytes] of Object.entries(featureProbes()) as [WasmFeature, Uint8Array][]) {
      const report = inspectWasm(bytes);
      assert.equal(report.error, undefined, `${feature} probe decodes`);
      assert.ok(report.totals.features.includes(feature), `${feature} probe uses ${feature} (found ${report.totals.features.join(', ')})`);
      // Newer than wabt 1.0.39, or (typed references in locals) beyond what it reads.
      if (feature === 'custom-page-sizes' || feature === 'exception-handling' || feature === 'function-references') continue;
      const detailed = await validator.wabtValidate(bytes);
      assert.equal(detailed.valid, true, `${feature} probe is valid for wabt: ${detailed.message}`);
    }
  });

  it('knows what Node 20 lacks and what it has', () => {
    assert.equal(hostSupports('simd128'), true);
    assert.equal(hostSupports('bulk-memory'), true);
    assert.equal(hostSupports('multivalue'), true);
    if (process.versions.node.startsWith('20.')) {
      assert.equal(hostSupports('memory64'), false);
      assert.equal(hostSupports('multimemory'), false);
    }
  });

  it("validates a good module, and gives wabt's message and offset for a type error", async () => {
    const good = await wat('(module (func (export "f") (result i32) i32.const 1))');
    assert.deepEqual(await checkValidity(good, inspectWasm(good), validator), { status: 'valid' });
    const bad = await invalidModule();
    assert.equal(inspectWasm(bad).error, undefined, 'the invalid module still decodes');
    const validity = await checkValidity(bad, inspectWasm(bad), validator);
    assert.equal(validity.status, 'invalid');
    assert.ok(validity.status === 'invalid');
    assert.match(validity.message, /type mismatch/);
    assert.ok(validity.offset !== undefined && validity.offset > 8 && validity.offset < bad.length, `offset ${validity.offset}`);
  });

  it('says which feature the host lacks instead of calling the module invalid', async () => {
    if (hostSupports('memory64')) return; // a newer Node knows memory64; nothing to show there
    const bytes = wasm(section(5, [1, 0x04, 1]));
    const validity = await checkValidity(bytes, inspectWasm(bytes), validator);
    assert.equal(validity.status, 'unknown');
    assert.ok(validity.status === 'unknown');
    assert.deepEqual(validity.missingFeatures, ['memory64']);
    assert.match(validity.message, /lacks memory64/);
  });

  it('parses wabt messages with and without offsets', () => {
    assert.deepEqual(parseWabtMessage('validate failed:\n000001f: error: type mismatch in i32.add\n'), {
      message: 'type mismatch in i32.add',
      offset: 0x1f,
    });
    assert.deepEqual(parseWabtMessage('validate failed:\n<binary>:0000018: error: memories may not be shared\n'), {
      message: 'memories may not be shared',
      offset: 0x18,
    });
    assert.deepEqual(parseWabtMessage('validate failed:\ntest.wat:1:28: error: bad thing\n  ^^^\n'), { message: 'bad thing' });
  });

  it('rejects a worker that cannot start with a WabtError instead of hanging', async () => {
    await assert.rejects(moduleText(wasm(), { dir: '/nonexistent-wasm-perf-assets' }), WabtError);
    const missing = new ValidationWorker({ dir: '/nonexistent-wasm-perf-assets' });
    await assert.rejects(missing.wabtValidate(Uint8Array.of(0)), WabtError);
    await missing.close();
  });

  it('falls back to V8 when the validation thread cannot start, and still says why a module is invalid', async () => {
    const missing = new ValidationWorker({ dir: '/nonexistent-wasm-perf-assets' });
    const bad = await invalidModule();
    const validity = await checkValidity(bad, inspectWasm(bad), missing);
    assert.equal(validity.status, 'invalid');
    assert.ok(validity.status === 'invalid');
    assert.match(validity.message, /type mismatch|Compiling function/);
    await missing.close();
  });

  it('one validation thread serves many modules, in any order', async () => {
    const startsBefore = ValidationWorker.threadsStarted;
    const worker = new ValidationWorker(testAssets());
    const good = await wat('(module (func (export "f") (result i32) i32.const 1))');
    const bad = await invalidModule();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => worker.wabtValidate(i % 2 === 0 ? good : bad)));
    for (const [i, answer] of answers.entries()) {
      if (i % 2 === 1) assert.match(answer.valid ? '' : (answer.message ?? ''), /type mismatch/);
      else assert.deepEqual(answer, { valid: true });
    }
    assert.equal(ValidationWorker.threadsStarted - startsBefore, 1);
    await worker.close();
  });

  it('stops a job past the time limit, and the next job gets a fresh thread', async () => {
    const startsBefore = ValidationWorker.threadsStarted;
    const worker = new ValidationWorker(testAssets(), 1);
    const bad = await invalidModule();
    await assert.rejects(worker.wabtValidate(bad), /longer than 1 ms/);
    await assert.rejects(worker.wabtValidate(bad), /longer than 1 ms/, 'still 1 ms: wabt cannot load that fast');
    assert.equal(ValidationWorker.threadsStarted - startsBefore, 2);
    await worker.close();
  });
  it('validates a core module inside a component with its own bytes, not with what follows it', async () => {
    const bad = await invalidModule();
    const alone = await checkValidity(bad, inspectWasm(bad), validator);
    assert.ok(alone.status === 'invalid' && alone.offset !== undefined);
    // A custom section after the module: wabt must not read it as part of the module.
    const component = Uint8Array.from([...COMPONENT_HEADER, ...section(1, [...bad]), ...custom('trailer', [1, 2, 3])]);
    const report = inspectWasm(component);
    assert.equal(report.error, undefined);
    const moduleOffset = report.modules[0]!.offset;
    const validity = await checkValidity(component, report, validator);
    assert.ok(validity.status === 'invalid', JSON.stringify(validity));
    assert.equal(validity.message, alone.message);
    assert.equal(validity.offset, moduleOffset + alone.offset);
  });
  it('calls a memory index past the declared memories invalid, whatever the engine knows of multimemory', async () => {
    const loadFromSecondMemory = [0x41, 0, 0x28, 0x42, 1, 0, 0x1a]; // i32.load with memory index 1
    const dataInSecondMemory = section(11, [1, 2, 1, 0x41, 0, 0x0b, 1, 0x61]); // active segment for memory 1
    for (const bytes of [
      moduleWithBodies([loadFromSecondMemory], { memory: [1, 0, 1] }),
      moduleWithBodies([[]], { memory: [1, 0, 1], after: [dataInSecondMemory] }),
    ]) {
      const report = inspectWasm(bytes);
      assert.equal(report.error, undefined);
      const validity = await checkValidity(bytes, report, validator);
      assert.equal(validity.status, 'invalid', JSON.stringify(validity));
      assert.ok(validity.status === 'invalid');
      assert.match(validity.message, /memory/);
    }
  });
  it('accepts data offsets that read a defined immutable global (Wasm 3.0), and still refuses a mutable one', async () => {
    // (memory 1) (global i32 (i32.const 8)) (data (global.get 0) "hi"): V8 11.3 and wabt 1.0.39 say no.
    const withGlobal = (mutable: number) =>
      wasm(section(5, [1, 0, 1]), section(6, [1, 0x7f, mutable, 0x41, 8, 0x0b]), section(11, [1, 0, 0x23, 0, 0x0b, 2, 0x68, 0x69]));
    const immutable = withGlobal(0);
    assert.equal(inspectWasm(immutable).error, undefined);
    assert.deepEqual(await checkValidity(immutable, inspectWasm(immutable), validator), { status: 'valid' });
    const mutable = withGlobal(1);
    const validity = await checkValidity(mutable, inspectWasm(mutable), validator);
    assert.equal(validity.status, 'invalid', JSON.stringify(validity));
  });
});

describe('wasm function text', () => {
  it('renders one function of a module, by function index, with its name', async () => {
    const bytes = await wat(
      `(module (import "env" "log" (func $log (param i32))) (memory 1) (data (i32.const 0) "payload")
        (func $first (param i32) (result i32) local.get 0 i32.const 1 i32.add)
        (func $second (param f64) (result f64) local.get 0 f64.sqrt)
        (func $third (call $log (i32.const 3))))`,
      { names: true },
    );
    const text = await functionText(bytes, 2, testAssets());
    assert.match(text, /^\(func \$second \(type \$?\w+\) \(param (\$\w+ )?f64\) \(result f64\)/);
    assert.match(text, /f64\.sqrt/);
    assert.doesNotMatch(text, /i32\.add|payload|call \$log/);
    const first = await functionText(bytes, 1, testAssets());
    assert.match(first, /i32\.add/);
    await assert.rejects(functionText(bytes, 0, testAssets()), /not a defined function/);
  });

  it('keeps the kept body byte for byte and trivialises the others', async () => {
    const bytes = moduleWithBodies([
      [0x41, 1, 0x1a],
      [0x41, 2, 0x1a, 0x41, 3, 0x1a],
    ]);
    const reduced = buildSingleFunctionModule(bytes, 1);
    const report = inspectWasm(reduced.bytes);
    assert.equal(report.error, undefined);
    assert.deepEqual([...report.module!.functions.bodySizes], [3, 8]);
    assert.equal(reduced.definedIndex, 1);
  });
});

describe('wasm binaries loader', () => {
  it('inspects, validates, caches by content, turns unreadable input into failures and placeholders into notices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-load-'));
    try {
      const good = join(dir, 'good.wasm');
      const bad = join(dir, 'bad.wasm');
      const empty = join(dir, 'empty.wasm');
      const big = join(dir, 'big.wasm');
      writeFileSync(good, await wat('(module (func (export "f") (result i32) i32.const 1))'));
      writeFileSync(bad, await invalidModule());
      writeFileSync(empty, new Uint8Array(0));
      writeFileSync(big, new Uint8Array(256));
      const notices: Notice[] = [];
      const host = overlayHost(new Map());
      const cache = new DerivedCache();
      const paths = [good, bad, empty, big, join(dir, 'missing.wasm')].map(toEnginePath);
      const context = {
        host,
        files: { roots: [toEnginePath(dir)], binaries: paths },
        reader: new FileReader(host, 1 << 20),
        settings: { ...DEFAULT_SETTINGS, maxBinaryBytes: 200 },
        assets: testAssets(),
        cache,
        notice: (n: Notice) => notices.push(n),
      } as unknown as LoadContext;
      // 200-byte limit: the 256-byte file is skipped.
      const small = await loadBinaries(context);
      // The empty placeholder is left out of the model, with a notice.
      assert.deepEqual(
        small.files.map((f) => f.failure?.kind ?? 'ok'),
        ['ok', 'ok', 'too-large', 'missing'],
      );
      assert.equal(small.files[0]!.validity?.status, 'valid');
      assert.equal(small.files[1]!.validity?.status, 'invalid');
      assert.deepEqual(
        notices.map((n) => [n.kind, n.file === toEnginePath(empty) ? n.message : '']),
        [
          ['skipped', 'empty file, not a wasm binary: skipped'],
          ['skipped', ''],
          ['unreadable', ''],
        ],
      );
      const report = small.files[0]!.report;
      const ruleOff = await loadBinaries({
        ...context,
        settings: { ...context.settings, rules: { 'wasm-invalid': 'off' } },
        notice: () => undefined,
      });
      assert.equal(ruleOff.files[1]!.validity, undefined, 'no validation when wasm-invalid is off');
      const again = await loadBinaries({ ...context, notice: () => undefined });
      assert.equal(again.files[0]!.report, report, 'an unchanged file reuses the cached report');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates a whole folder with one thread, large modules too, with the same verdicts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-many-'));
    try {
      const bad = await invalidModule();
      const good = await wat('(module (func (export "f") (result i32) i32.const 1))');
      const padding = (bytes: Uint8Array) => paddedTo(bytes, 8 * 1024 * 1024);
      const alone = new ValidationWorker(testAssets());
      const expected = await checkValidity(bad, inspectWasm(bad), alone);
      await alone.close();
      const files: [string, Uint8Array][] = [
        ...Array.from({ length: 12 }, (_, i): [string, Uint8Array] => [`bad-${i}.wasm`, bad]),
        ['good.wasm', good],
        ['large-good.wasm', padding(good)],
        ['large-bad.wasm', padding(bad)],
      ];
      for (const [file, bytes] of files) writeFileSync(join(dir, file), bytes);
      const host = overlayHost(new Map());
      const phases: string[] = [];
      const context = {
        host,
        files: { roots: [toEnginePath(dir)], binaries: files.map(([file]) => toEnginePath(join(dir, file))) },
        reader: new FileReader(host, 1 << 20),
        settings: DEFAULT_SETTINGS,
        assets: testAssets(),
        cache: new DerivedCache(),
        notice: () => undefined,
        progress: (phase: string) => phases.push(phase),
      } as unknown as LoadContext;
      const startsBefore = ValidationWorker.threadsStarted;
      const model = await loadBinaries(context);
      // V8 validates on this thread; one thread serves wabt's messages for every invalid module,
      // the large one last (its job then ends the thread, to give the memory back).
      assert.equal(ValidationWorker.threadsStarted - startsBefore, 1, 'one thread for the whole folder');
      const afterFirst = ValidationWorker.threadsStarted;
      const firstPhases = [...phases];
      const again = await loadBinaries(context);
      assert.equal(ValidationWorker.threadsStarted, afterFirst, 'a re-analysis of unchanged files starts no thread');
      assert.deepEqual(
        again.files.map((file) => file.validity),
        model.files.map((file) => file.validity),
      );
      const verdicts = model.files.map((file) => file.validity);
      assert.deepEqual(verdicts.slice(0, 12), new Array(12).fill(expected));
      assert.deepEqual(verdicts.slice(12), [{ status: 'valid' }, { status: 'valid' }, expected]);
      assert.equal(firstPhases[0], 'inspecting binaries (1/15)');
      const counts = firstPhases.map((phase) => Number(/^inspecting binaries \((\d+)\/15\)$/.exec(phase)?.[1]));
      assert.ok(
        counts.every((n, i) => n > (counts[i - 1] ?? 0)),
        `progress counts up: ${firstPhases.join(', ')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('feeds the engine: binary findings use byte spans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-engine-'));
    try {
      writeFileSync(join(dir, 'truncated.wasm'), Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01));
      const result = await new Analyzer(overlayHost(new Map()), {}, testAssets()).analyze([toEnginePath(dir)]);
      const malformed = result.findings.filter((f) => f.ruleId === 'wasm-malformed');
      assert.equal(malformed.length, 1);
      assert.deepEqual(malformed[0]!.location.span, { start: 9, end: 10 });
      assert.equal(malformed[0]!.location.binary, true);
      assert.match(malformed[0]!.message, /^malformed at byte 9 \(0x9\): section size mismatch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when a component has sections beyond its core modules that were not checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-component-'));
    try {
      const core = await wat('(module (func (export "f") (result i32) i32.const 1))');
      const onlyCore = join(dir, 'only-core.wasm');
      const withCanon = join(dir, 'with-canon.wasm');
      writeFileSync(onlyCore, Uint8Array.from([...COMPONENT_HEADER, ...section(1, [...core])]));
      // A canon section whose payload is not even a valid canonical function: the reader frames it, no more.
      writeFileSync(withCanon, Uint8Array.from([...COMPONENT_HEADER, ...section(1, [...core]), ...section(8, [0xff, 0xff])]));
      const notices: Notice[] = [];
      const host = overlayHost(new Map());
      const paths = [onlyCore, withCanon].map(toEnginePath);
      const loaded = await loadBinaries({
        host,
        files: { roots: [toEnginePath(dir)], binaries: paths },
        reader: new FileReader(host, 1 << 20),
        settings: DEFAULT_SETTINGS,
        assets: testAssets(),
        cache: new DerivedCache(),
        notice: (n: Notice) => notices.push(n),
      } as unknown as LoadContext);
      assert.deepEqual(
        loaded.files.map((f) => f.validity?.status),
        ['valid', 'valid'],
      );
      assert.deepEqual(
        notices.map((n) => [n.file, n.message]),
        [[paths[1], 'component-level canon section was not checked: only the embedded core modules were decoded and validated']],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
