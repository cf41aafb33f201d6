import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { Finding } from '../../src/core/model';
import { FIX_ALL_KIND, MEASURE_DIFFERENCE, WasmPerfCodeActions, type MeasureDifferenceArgs } from '../../src/extension/code-actions';
import { DiagnosticStore, type Snapshot } from '../../src/extension/diagnostic-store';
import { FakeTextDocument, resetStub, stub, type WorkspaceEdit } from '../helpers/vscode-stub';
import { ROOT, offsetOf, snapshot, source } from './fixtures';

const MANIFEST = `${ROOT}/Cargo.toml`;
const CONFIG = `${ROOT}/.cargo/config.toml`;
const TEXT = '[package]\nname = "app"\n\n[profile.release]\nopt-level = "s"\n';
const VALUE = offsetOf(TEXT, '"s"');

function optLevelFinding(): Finding {
  return {
    ruleId: 'opt-level-size',
    severity: 'warning',
    message: 'the release profile optimises for size',
    location: { file: MANIFEST, span: { start: VALUE, end: VALUE + 3 } },
    evidence: [],
    fixes: [
      {
        title: 'Use opt-level = 3',
        preferred: true,
        applicability: 'safe',
        changes: [{ file: MANIFEST, edits: [{ start: VALUE, end: VALUE + 3, newText: '3' }] }],
      },
      {
        title: 'Use opt-level = 2',
        applicability: 'safe',
        changes: [{ file: MANIFEST, edits: [{ start: VALUE, end: VALUE + 3, newText: '2' }] }],
      },
    ],
  };
}

function simdFinding(): Finding {
  return {
    ruleId: 'missing-simd128',
    severity: 'info',
    message: 'the wasm target is built without simd128',
    location: { file: MANIFEST, span: { start: 0, end: 9 } },
    evidence: [],
    fixes: [
      {
        title: 'Enable simd128 in .cargo/config.toml',
        preferred: true,
        applicability: 'safe',
        changes: [
          {
            file: CONFIG,
            create: true,
            edits: [{ start: 0, end: 0, newText: '[build]\nrustflags = ["-C", "target-feature=+simd128"]\n' }],
          },
        ],
      },
    ],
  };
}

let trusted = true;
function setup(snap: Snapshot, openDocuments: FakeTextDocument[] = []) {
  const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('wasm-perf'));
  store.publish(snap);
  const provider = new WasmPerfCodeActions({
    store,
    isTrusted: () => trusted,
    openDocument: (uri) => openDocuments.find((d) => d.uri.toString() === uri.toString()) as unknown as vscode.TextDocument | undefined,
    log: vscode.window.createOutputChannel('test', { log: true }),
  });
  const diagnostics = store.findingsFor(vscode.Uri.file(MANIFEST)).flatMap(({ file }) => file.entries.map((e) => e.diagnostic));
  return { store, provider, diagnostics };
}

function ask(
  provider: WasmPerfCodeActions,
  document: FakeTextDocument,
  range: vscode.Range,
  diagnostics: vscode.Diagnostic[],
  only?: vscode.CodeActionKind,
) {
  const context = { diagnostics, triggerKind: 1, only } as unknown as vscode.CodeActionContext;
  return provider.provideCodeActions(document as unknown as vscode.TextDocument, range, context);
}

function edits(edit: vscode.WorkspaceEdit | undefined) {
  return (edit as unknown as WorkspaceEdit).operations.map((op) =>
    op.kind === 'edit'
      ? `${op.uri.path} ${op.edit.range.start.line}:${op.edit.range.start.character}-${op.edit.range.end.line}:${op.edit.range.end.character} ${JSON.stringify(op.edit.newText)}`
      : `${op.kind} ${op.uri.path}`,
  );
}

describe('code actions', () => {
  beforeEach(() => {
    resetStub();
    trusted = true;
  });

  it('offers the fixes (canonical one preferred), silence, measure and docs, in that order', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(
      snapshot([optLevelFinding()], [source(MANIFEST, TEXT)], [[MANIFEST, document.version]], { manifests: [MANIFEST] }),
    );
    const actions = ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Use opt-level = 3',
        'Use opt-level = 2',
        'Silence opt-level-size on this line',
        'Measure the difference (build and benchmark both variants)',
        'Open documentation for opt-level-size',
      ],
    );
    assert.deepEqual(
      actions.map((a) => a.isPreferred === true),
      [true, false, false, false, false],
    );
    assert.ok(actions.every((a) => a.kind?.value === 'quickfix' && a.diagnostics?.length === 1));
    assert.deepEqual(edits(actions[0]!.edit), [`${MANIFEST} 4:12-4:15 "3"`]);
    assert.deepEqual(edits(actions[2]!.edit), [`${MANIFEST} 4:0-4:0 "# wasm-perf: allow(opt-level-size)\\n"`]);
    const measure = actions[3]!;
    assert.equal(measure.command?.command, MEASURE_DIFFERENCE);
    const args = measure.command?.arguments?.[0] as MeasureDifferenceArgs;
    assert.equal(args.manifestPath, MANIFEST);
    assert.equal(args.ruleId, 'opt-level-size');
    assert.equal(args.fixes.length, 2);
    assert.deepEqual(actions[4]!.command?.arguments, ['opt-level-size']);
  });

  it('labels an unsafe fix and never prefers it or puts it in fix-all; a suggestion is shown disabled', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const base = optLevelFinding();
    const finding: Finding = {
      ...base,
      fixes: [
        { ...base.fixes[0]!, applicability: 'unsafe' },
        {
          title: 'Rebuild the profile by hand',
          applicability: 'display-only',
          changes: [{ file: MANIFEST, edits: [{ start: 0, end: 0, newText: 'x' }] }],
        },
      ],
    };
    const { provider, diagnostics } = setup(
      snapshot([finding], [source(MANIFEST, TEXT)], [[MANIFEST, document.version]], { manifests: [MANIFEST] }),
    );
    const actions = ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics);
    assert.deepEqual(
      actions.slice(0, 2).map((a) => a.title),
      ['Use opt-level = 3 (changes behaviour)', 'Suggestion: Rebuild the profile by hand'],
    );
    assert.ok(actions[0]!.edit, 'an unsafe fix can still be applied one at a time');
    assert.notEqual(actions[0]!.isPreferred, true);
    assert.equal(actions[1]!.edit, undefined);
    assert.match(actions[1]!.disabled?.reason ?? '', /apply it by hand/);
    assert.equal(
      ask(provider, document, new vscode.Range(0, 0, 5, 0), diagnostics, FIX_ALL_KIND).length,
      0,
      'fix-all applies safe fixes only',
    );
  });

  it('refuses fixes computed for another version of the document, with a reason', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(
      snapshot([optLevelFinding()], [source(MANIFEST, TEXT)], [[MANIFEST, document.version]], { manifests: [MANIFEST] }),
    );
    document.setText(`# a comment that moves every offset\n${TEXT}`);
    const actions = ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics);
    const fixes = actions.filter((a) => a.title.startsWith('Use opt-level') || a.title.startsWith('Silence'));
    assert.equal(fixes.length, 3);
    for (const fix of fixes) {
      assert.equal(fix.edit, undefined);
      assert.match(fix.disabled?.reason ?? '', /changed since wasm-perf analysed it/);
      assert.notEqual(fix.isPreferred, true);
    }
    // Documentation does not depend on offsets and stays available.
    assert.ok(actions.some((a) => a.title === 'Open documentation for opt-level-size' && !a.disabled));
    assert.equal(ask(provider, document, new vscode.Range(0, 0, 5, 0), diagnostics, FIX_ALL_KIND).length, 0);
  });

  it('accepts a document opened after a disk read while its text is identical, then tracks its version', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(snapshot([optLevelFinding()], [source(MANIFEST, TEXT)], [], { manifests: [MANIFEST] }));
    assert.ok(ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics)[0]!.edit);
    document.setText(TEXT.replace('"s"', '"z"'));
    assert.equal(ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics)[0]!.edit, undefined);
  });

  it('refuses a fix whose other file is open with unanalysed changes', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const configText = '[build]\n';
    const config = new FakeTextDocument(vscode.Uri.file(CONFIG), configText);
    const finding: Finding = {
      ...optLevelFinding(),
      fixes: [
        {
          title: 'Set it in config',
          preferred: true,
          applicability: 'safe',
          changes: [{ file: CONFIG, edits: [{ start: 8, end: 8, newText: 'x = 1\n' }] }],
        },
      ],
    };
    const snap = snapshot(
      [finding],
      [source(MANIFEST, TEXT), source(CONFIG, configText)],
      [
        [MANIFEST, 1],
        [CONFIG, 1],
      ],
      { manifests: [MANIFEST] },
    );
    const { provider, diagnostics } = setup(snap, [document, config]);
    assert.deepEqual(edits(ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics)[0]!.edit), [
      `${CONFIG} 1:0-1:0 "x = 1\\n"`,
    ]);
    config.setText('[build]\ntarget = "wasm32-wasip1"\n');
    assert.ok(ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics)[0]!.disabled);
  });

  it('creates files a fix creates, and disables measuring in Restricted Mode', () => {
    trusted = false;
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(
      snapshot([simdFinding()], [source(MANIFEST, TEXT)], [[MANIFEST, 1]], { manifests: [MANIFEST] }),
    );
    const actions = ask(provider, document, new vscode.Range(0, 3, 0, 3), diagnostics);
    assert.deepEqual(edits(actions[0]!.edit), [
      `create ${CONFIG}`,
      `${CONFIG} 0:0-0:0 "[build]\\nrustflags = [\\"-C\\", \\"target-feature=+simd128\\"]\\n"`,
    ]);
    const measure = actions.find((a) => a.command?.command === MEASURE_DIFFERENCE);
    assert.match(measure?.disabled?.reason ?? '', /Restricted Mode/);
  });

  it('answers only for requested wasm-perf diagnostics under the cursor', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(
      snapshot([optLevelFinding(), simdFinding()], [source(MANIFEST, TEXT)], [[MANIFEST, 1]], { manifests: [MANIFEST] }),
    );
    const other = new vscode.Diagnostic(new vscode.Range(4, 0, 4, 15), 'from another linter');
    other.source = 'taplo';
    const onOptLevel = ask(provider, document, new vscode.Range(4, 13, 4, 13), [
      other,
      ...diagnostics.filter((d) => d.range.start.line === 4),
    ]);
    assert.ok(onOptLevel.every((a) => a.diagnostics?.[0]?.message === 'the release profile optimises for size'));
    assert.equal(ask(provider, document, new vscode.Range(4, 13, 4, 13), [other]).length, 0);
    // Quick fixes are not what a source action request asks for.
    assert.ok(
      ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics, vscode.CodeActionKind.Source).every(
        (a) => a.kind?.value !== 'quickfix',
      ),
    );
  });

  it('fixes all: the preferred fix of every finding in the file, as one edit', () => {
    const document = new FakeTextDocument(vscode.Uri.file(MANIFEST), TEXT);
    const { provider, diagnostics } = setup(
      snapshot([optLevelFinding(), simdFinding()], [source(MANIFEST, TEXT)], [[MANIFEST, 1]], { manifests: [MANIFEST] }),
    );
    const actions = ask(provider, document, new vscode.Range(0, 0, 0, 0), diagnostics, FIX_ALL_KIND);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind?.value, 'source.fixAll.wasm-perf');
    assert.equal(actions[0]!.title, 'Fix all wasm-perf problems in this file');
    assert.deepEqual(
      edits(actions[0]!.edit).sort(),
      [
        `${MANIFEST} 4:12-4:15 "3"`,
        `create ${CONFIG}`,
        `${CONFIG} 0:0-0:0 "[build]\\nrustflags = [\\"-C\\", \\"target-feature=+simd128\\"]\\n"`,
      ].sort(),
    );
    assert.equal(ask(provider, document, new vscode.Range(0, 0, 0, 0), diagnostics, vscode.CodeActionKind.SourceFixAll).length, 1);
    // With two fixable findings, the quick-fix menu offers the same edit after the finding's own actions.
    const quickFixes = ask(provider, document, new vscode.Range(4, 13, 4, 13), diagnostics);
    assert.equal(quickFixes.at(-1)!.title, 'Fix all wasm-perf problems in this file');
    assert.equal(quickFixes.at(-1)!.kind?.value, 'quickfix');
    assert.deepEqual(edits(quickFixes.at(-1)!.edit), edits(actions[0]!.edit));
    assert.equal(stub.appliedEdits.length, 0, 'providing actions never applies or saves anything');
  });
});
