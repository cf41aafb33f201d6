import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { Rule } from '../../src/core/rules/rule';
import { AnalysisController, isRelevantPath } from '../../src/extension/analysis-controller';
import { DiagnosticStore } from '../../src/extension/diagnostic-store';
import {
  editDocument,
  FakeTextDocument,
  fireConfigurationChange,
  fireWorkspaceFoldersChange,
  openDocument,
  resetStub,
  stub,
  type FakeDiagnosticCollection,
  type FakeLogOutputChannel,
} from '../helpers/vscode-stub';
import { testAssets } from '../helpers/hosts';
import { until } from '../helpers/until';
import { loadEngine } from './fixtures';

/** A rule over script files (the engine hands their text to rules): every `SLOW` is a finding. */
const slowRule: Rule = {
  meta: {
    id: 'test-slow',
    title: 'Slow word',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'Finds SLOW.',
    docs: 'Test rule.',
    sources: [],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    for (const script of context.workspace.scripts) {
      for (const match of script.text.matchAll(/SLOW/g)) {
        const start = match.index;
        context.report({
          message: 'SLOW is slow',
          location: { file: script.path, span: { start, end: start + 4 } },
          fixes: [
            {
              title: 'Use FAST',
              preferred: true,
              applicability: 'safe',
              changes: [{ file: script.path, edits: [{ start, end: start + 4, newText: 'FAST' }] }],
            },
          ],
        });
      }
    }
  },
};

const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-controller-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('analysis controller', () => {
  let controller: AnalysisController;
  let collection: FakeDiagnosticCollection;
  const build = vscode.Uri.file(join(dir, 'build.sh'));
  const other = vscode.Uri.file(join(dir, 'other.sh'));
  const setsOf = (uri: vscode.Uri) => collection.calls.filter((c) => c.uri === uri.toString()).length;

  beforeEach(async () => {
    resetStub();
    writeFileSync(join(dir, 'build.sh'), 'echo SLOW\n');
    writeFileSync(join(dir, 'other.sh'), 'echo ok\n');
    stub.workspaceFolders = [{ uri: vscode.Uri.file(dir), name: 'ws', index: 0 }];
    const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('wasm-perf'));
    collection = stub.collections[0]!;
    controller = new AnalysisController({
      store,
      log: vscode.window.createOutputChannel('t', { log: true }),
      assets: testAssets(),
      loadEngine,
      rules: [slowRule],
      onDidChangeBusy: () => {},
    });
    controller.start();
    await controller.analyzeAll();
  });
  afterEach(() => controller.dispose());

  it('publishes findings of files that are not open', () => {
    const diagnostics = collection.get(build)!;
    assert.equal(diagnostics.length, 1);
    assert.deepEqual([diagnostics[0]!.range.start.character, diagnostics[0]!.range.end.character], [5, 9]);
    assert.equal(collection.get(other), undefined);
  });

  it('re-analyses unsaved text after typing stops, touching only the file that changed', async () => {
    const document = new FakeTextDocument(build, 'echo SLOW\n');
    openDocument(document);
    const before = setsOf(build);
    editDocument(document, 'echo SLOW\n');
    editDocument(document, 'echo SLOW SLOW\n');
    await until(() => collection.get(build)?.length === 2, 'the unsaved second SLOW');
    assert.equal(setsOf(build), before + 1, 'one publish after the debounce, not one per keystroke');
    assert.equal(setsOf(other), 0, 'a file whose findings did not change is never re-published');
  });

  it('follows files created, changed and deleted on disk (file watcher)', async () => {
    const watcher = stub.watchers[0]!;
    writeFileSync(join(dir, 'other.sh'), 'SLOW\n');
    watcher.changed.fire(other);
    await until(() => collection.get(other)?.length === 1, 'the changed file');
    const buildSets = setsOf(build);
    unlinkSync(join(dir, 'other.sh'));
    watcher.deleted.fire(other);
    await until(() => collection.get(other) === undefined, 'the deleted file');
    assert.equal(setsOf(build), buildSets);
  });

  it('re-analyses when a rule is switched off, and logs bad settings', async () => {
    stub.configuration.set('wasm-perf.rules', { 'test-slow': 'off', nonsense: 'loud' });
    fireConfigurationChange(['wasm-perf.rules']);
    await until(() => collection.entries.size === 0, 'the rule to be off');
    const log = stub.channels[0] as FakeLogOutputChannel;
    assert.ok(log.lines.some((line) => line.includes('nonsense')));
  });

  it("analyses each folder of a multi-root workspace, and drops a removed folder's findings", async () => {
    const second = mkdtempSync(join(tmpdir(), 'wasm-perf-controller-2-'));
    try {
      writeFileSync(join(second, 'ci.sh'), 'SLOW SLOW\n');
      const folder = { uri: vscode.Uri.file(second), name: 'second', index: 1 };
      stub.workspaceFolders = [...stub.workspaceFolders!, folder];
      fireWorkspaceFoldersChange([folder], []);
      const ci = vscode.Uri.file(join(second, 'ci.sh'));
      await until(() => collection.get(ci)?.length === 2, "the second folder's findings");
      assert.equal(collection.get(build)?.length, 1, 'the first folder keeps its findings');
      fireWorkspaceFoldersChange([], [folder]);
      assert.equal(collection.get(ci), undefined);
      assert.equal(collection.get(build)?.length, 1);
    } finally {
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('ignores paths no rule reads', () => {
    assert.equal(isRelevantPath('/ws/Cargo.toml', '/ws'), true);
    assert.equal(isRelevantPath('/ws/target/wasm32-unknown-unknown/release/app.wasm', '/ws'), true);
    assert.equal(isRelevantPath('/ws/target/release/build/x/out/gen.rs', '/ws'), false);
    assert.equal(isRelevantPath('/ws/node_modules/a/Cargo.toml', '/ws'), false);
    assert.equal(isRelevantPath('/ws/docs/guide.md', '/ws'), false);
    // A README's code blocks say how crates are built.
    assert.equal(isRelevantPath('/ws/README.md', '/ws'), true);
  });
});
