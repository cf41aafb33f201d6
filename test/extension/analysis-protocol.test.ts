/** What crosses from the analysis thread to the extension host after each analysis. */
import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisResult } from '../../src/core/engine';
import { fromWire, toWire } from '../../src/extension/analysis-protocol';
import { files, optLevelSizeFinding, result, ROOT, source } from './fixtures';

const MANIFEST = `${ROOT}/Cargo.toml`;
const CONFIG = `${ROOT}/.cargo/config.toml`;
const LOCKFILE = `${ROOT}/Cargo.lock`;
const HOST = `${ROOT}/host/src/main.rs`;
const TEXT = '[profile.release]\nopt-level = "s"\n';

function engineResult(finding = optLevelSizeFinding(MANIFEST, TEXT)): AnalysisResult {
  const published = result(
    [finding],
    [source(MANIFEST, TEXT), source(CONFIG, '[build]\n'), source(LOCKFILE, '# lock\n'), source(HOST, 'fn main() {}\n')],
  );
  return {
    ...published,
    model: { files: files(), binaries: { files: [], unread: 0 }, cargo: { crates: [] } },
  } as unknown as AnalysisResult;
}

describe('the analysis thread’s answer', () => {
  it('carries the text of the files findings point at, not of every file the engine read', () => {
    const wire = toWire(engineResult());
    assert.deepEqual([...wire.texts.keys()], [MANIFEST]);
    const back = fromWire(structuredClone(wire));
    assert.equal(back.sources.get(MANIFEST)?.text, TEXT);
    assert.deepEqual(back.sources.get(MANIFEST)?.lines.positionAt(TEXT.indexOf('"s"')), { line: 1, character: 12 });
  });

  it('includes the files of a finding’s evidence and of its fixes’ changes', () => {
    const finding = {
      ...optLevelSizeFinding(MANIFEST, TEXT, [
        { title: 'set it in the config', applicability: 'safe', changes: [{ file: CONFIG, edits: [{ start: 0, end: 0, newText: '#' }] }] },
      ]),
      evidence: [{ message: 'host loads it here', location: { file: HOST, span: { start: 0, end: 2 } } }],
    };
    assert.deepEqual(new Set(toWire(engineResult(finding)).texts.keys()), new Set([MANIFEST, CONFIG, HOST]));
  });
});
