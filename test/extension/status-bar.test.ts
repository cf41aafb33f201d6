import { resetStub, stub } from '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../src/core/model';
import { DiagnosticStore } from '../../src/extension/diagnostic-store';
import { FindingsStatusBar } from '../../src/extension/status-bar';
import { ROOT, snapshot, source } from './fixtures';

function finding(severity: Severity, start: number): Finding {
  return {
    ruleId: 'r',
    severity,
    message: `m${start}`,
    location: { file: `${ROOT}/Cargo.toml`, span: { start, end: start + 1 } },
    evidence: [],
    fixes: [],
  };
}

describe('status bar', () => {
  beforeEach(resetStub);

  it('shows the finding count, a spinner while analysing, and opens the Problems view', () => {
    const store = new DiagnosticStore(vscode.languages.createDiagnosticCollection('wasm-perf'));
    const bar = new FindingsStatusBar(store);
    const item = stub.statusBarItems[0]!;
    assert.equal(item.visible, true);
    assert.equal(item.command, 'workbench.actions.view.problems');
    assert.equal(item.text, '$(check) wasm-perf: 0');
    store.publish(snapshot([finding('warning', 0), finding('info', 2), finding('info', 4)], [source(`${ROOT}/Cargo.toml`, 'abcdef\n')]));
    assert.equal(item.text, '$(warning) wasm-perf: 3');
    assert.match(String(item.tooltip), /: 0 errors, 1 warning, 2 info\n/);
    bar.setBusy(true);
    assert.equal(item.text, '$(sync~spin) wasm-perf: 3');
    bar.setBusy(false);
    store.publish(snapshot([finding('error', 0)], [source(`${ROOT}/Cargo.toml`, 'abcdef\n')]));
    assert.equal(item.text, '$(error) wasm-perf: 1');
    assert.match(String(item.tooltip), /: 1 error, 0 warnings, 0 info\n/);
  });

  it("speaks the user's language", () => {
    stub.l10nBundle = { 'wasm-perf: {0}': 'wasm-perf：{0}' };
    new FindingsStatusBar(new DiagnosticStore(vscode.languages.createDiagnosticCollection('wasm-perf')));
    assert.equal(stub.statusBarItems[0]!.text, '$(check) wasm-perf：0');
  });
});
