import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { Finding } from '../../src/core/model';
import { diagnosticKey, rangeOf, toDiagnostic } from '../../src/extension/diagnostics';
import { pathMapperFor } from '../../src/extension/paths';
import { ROOT, offsetOf, source } from './fixtures';

const mapper = pathMapperFor(vscode.Uri.file(ROOT));

describe('findings → diagnostics', () => {
  it('converts offsets with the analysed text: CRLF line breaks and UTF-16 code units', () => {
    const text = '[package]\r\nname = "😀x"\r\n[profile.release]\r\nopt-level = "s"\r\n';
    const manifest = source(`${ROOT}/Cargo.toml`, text);
    const start = offsetOf(text, '"s"');
    const range = rangeOf({ file: manifest.path, span: { start, end: start + 3 } }, new Map([[manifest.path, manifest]]));
    assert.deepEqual([range.start.line, range.start.character, range.end.line, range.end.character], [3, 12, 3, 15]);
    const emoji = offsetOf(text, 'x"');
    const afterEmoji = rangeOf({ file: manifest.path, span: { start: emoji, end: emoji + 1 } }, new Map([[manifest.path, manifest]]));
    // 😀 is two UTF-16 code units, as in VS Code's columns.
    assert.deepEqual([afterEmoji.start.line, afterEmoji.start.character], [1, 10]);
  });

  it('puts binary findings at 0:0 of the .wasm and names the byte offset', () => {
    const finding: Finding = {
      ruleId: 'missing-simd128',
      severity: 'warning',
      message: 'no SIMD instructions in a hot loop',
      location: { file: `${ROOT}/target/wasm32-unknown-unknown/release/app.wasm`, span: { start: 0x1a2b, end: 0x1a40 }, binary: true },
      evidence: [],
      fixes: [],
    };
    const diagnostic = toDiagnostic(finding, new Map(), mapper);
    assert.ok(diagnostic.range.isEqual(new vscode.Range(0, 0, 0, 0)));
    assert.match(diagnostic.message, /byte offset 0x1a2b/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('carries source, a rule-docs command link, detail, and located evidence as related information', () => {
    const manifestText = '[profile.release]\nopt-level = "s"\n';
    const manifest = source(`${ROOT}/Cargo.toml`, manifestText);
    const valueStart = offsetOf(manifestText, '"s"');
    const finding: Finding = {
      ruleId: 'opt-level-size',
      severity: 'error',
      message: 'the release profile optimises for size',
      detail: 'opt-level "s" trades speed for size',
      location: { file: `${ROOT}/app.wasm`, span: { start: 8, end: 9 }, binary: true },
      evidence: [
        { message: 'set here', location: { file: manifest.path, span: { start: valueStart, end: valueStart + 3 } } },
        { message: 'no profile override in .cargo/config.toml' },
      ],
      fixes: [],
    };
    const diagnostic = toDiagnostic(finding, new Map([[manifest.path, manifest]]), mapper);
    assert.equal(diagnostic.source, 'wasm-perf');
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'opt-level-size');
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'wasm-perf.showRuleDocs');
    assert.deepEqual(JSON.parse(code.target.query), ['opt-level-size']);
    assert.match(
      diagnostic.message,
      /^the release profile optimises for size[^\n]*\.\n/,
      'the first line ends as a sentence when more follows',
    );
    assert.match(diagnostic.message, /trades speed for size/);
    assert.match(diagnostic.message, /• no profile override/);
    assert.equal(diagnostic.relatedInformation?.length, 1);
    const related = diagnostic.relatedInformation[0]!;
    assert.equal(related.location.uri.toString(), vscode.Uri.file(`${ROOT}/Cargo.toml`).toString());
    assert.deepEqual([related.location.range.start.line, related.location.range.start.character], [1, 12]);
    assert.equal(related.message, 'set here');
  });

  it('keys diagnostics by code, range and message (object identity is lost across processes)', () => {
    const a = new vscode.Diagnostic(new vscode.Range(1, 2, 1, 5), 'm');
    a.code = { value: 'x', target: vscode.Uri.parse('command:y') };
    const b = new vscode.Diagnostic(new vscode.Range(1, 2, 1, 5), 'm');
    b.code = 'x';
    assert.equal(diagnosticKey(a), diagnosticKey(b));
    b.range = new vscode.Range(1, 2, 1, 6);
    assert.notEqual(diagnosticKey(a), diagnosticKey(b));
  });
});
