import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { affectsAnalysis, readAnalyzerSettings, toAnalyzerSettings } from '../../src/extension/settings';
import { resetStub, stub } from '../helpers/vscode-stub';

describe('settings mapping', () => {
  beforeEach(resetStub);

  it('maps wasm-perf.* onto the engine settings (megabytes to bytes)', () => {
    const { settings, problems } = toAnalyzerSettings({
      rules: { 'opt-level-size': 'error', 'missing-simd128': 'off' },
      exclude: ['examples/**', ' fixtures/* '],
      analyzeBinaries: false,
      maxBinarySize: 1.5,
      includeTests: true,
    });
    assert.deepEqual(settings, {
      rules: { 'opt-level-size': 'error', 'missing-simd128': 'off' },
      exclude: ['examples/**', 'fixtures/*'],
      analyzeBinaries: false,
      maxBinaryBytes: 1.5 * 1024 * 1024,
      includeTests: true,
    });
    assert.deepEqual(problems, []);
  });

  it('drops invalid hand-edited values and says why', () => {
    const { settings, problems } = toAnalyzerSettings({
      rules: { a: 'loud', b: 'info' },
      exclude: ['ok/**', 3, ''],
      analyzeBinaries: 'yes',
      maxBinarySize: -1,
      includeTests: 'no',
    });
    assert.deepEqual(settings, { rules: { b: 'info' }, exclude: ['ok/**'] });
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /wasm-perf\.rules\.a: "loud"/);
    assert.deepEqual(
      toAnalyzerSettings({ rules: ['x'], exclude: 'x', analyzeBinaries: undefined, maxBinarySize: undefined, includeTests: undefined })
        .settings,
      {},
    );
  });

  it('reads the folder-scoped configuration over the global one', () => {
    const folder = vscode.Uri.file('/ws');
    stub.configuration.set('wasm-perf.analyzeBinaries', false);
    stub.configuration.set('wasm-perf.exclude', ['a/**']);
    stub.folderConfiguration.set(folder.toString(), new Map([['wasm-perf.exclude', ['b/**']]]));
    assert.deepEqual(readAnalyzerSettings(folder).settings, { exclude: ['b/**'], analyzeBinaries: false });
    assert.deepEqual(readAnalyzerSettings(undefined).settings, { exclude: ['a/**'], analyzeBinaries: false });
  });

  it('re-analyses for analysis settings, not for benchmark settings', () => {
    const event = (keys: string[]) => ({
      affectsConfiguration: (section: string) => keys.some((k) => k === section || k.startsWith(`${section}.`)),
    });
    assert.equal(affectsAnalysis(event(['wasm-perf.rules'])), true);
    assert.equal(affectsAnalysis(event(['wasm-perf.maxBinarySize'])), true);
    assert.equal(affectsAnalysis(event(['wasm-perf.benchmark.budgetMs'])), false);
    assert.equal(affectsAnalysis(event(['editor.fontSize'])), false);
  });
});
