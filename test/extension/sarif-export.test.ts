import { resetStub, stub } from '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { exportSarif, sarifFor } from '../../src/extension/sarif-export';
import { loadEngine, optLevelSizeFinding, ROOT, offsetOf, snapshot, source } from './fixtures';

const TEXT = '[profile.release]\nopt-level = "s"\n';
const VALUE = offsetOf(TEXT, '"s"');
const finding = optLevelSizeFinding(`${ROOT}/Cargo.toml`, TEXT, [
  {
    title: 'Use opt-level = 3',
    preferred: true,
    applicability: 'safe',
    changes: [{ file: `${ROOT}/Cargo.toml`, edits: [{ start: VALUE, end: VALUE + 3, newText: '3' }] }],
  },
]);

describe('SARIF export', () => {
  beforeEach(resetStub);

  it('builds one run per folder with the findings at 1-based lines', async () => {
    const log = sarifFor(
      [snapshot([finding], [source(`${ROOT}/Cargo.toml`, TEXT)], [], { manifests: [`${ROOT}/Cargo.toml`] })],
      '1.2.3',
      await loadEngine(),
    );
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.version, '1.2.3');
    assert.equal(run.results?.length, 1);
    const result = run.results[0]!;
    assert.equal(result.ruleId, 'opt-level-size');
    assert.equal(result.level, 'warning');
    assert.equal(result.locations?.[0]?.physicalLocation?.region?.startLine, 2);
    assert.equal(result.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'Cargo.toml');
  });

  it('writes the file the user picked and offers to open it; says so when nothing was analysed', async () => {
    stub.workspaceFolders = [{ uri: vscode.Uri.file(ROOT), name: 'ws', index: 0 }];
    stub.nextSaveUri = vscode.Uri.file(`${ROOT}/out.sarif`);
    await exportSarif([snapshot([finding], [source(`${ROOT}/Cargo.toml`, TEXT)])], '1.2.3', loadEngine);
    const written = JSON.parse(new TextDecoder().decode(stub.writtenFiles.get(vscode.Uri.file(`${ROOT}/out.sarif`).toString())));
    assert.equal(written.runs[0].results.length, 1);
    assert.match(stub.messages.at(-1)!.message, /Exported 1 findings to out\.sarif/);
    await exportSarif([], '1.2.3', loadEngine);
    assert.match(stub.messages.at(-1)!.message, /has not analysed/);
  });
});
