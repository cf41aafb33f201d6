/** Re-analysis after an edit: only the edited file is read again, and the result is fresh. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer } from '../../src/core/engine';
import type { Host } from '../../src/core/host';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { KERNEL_LIB_RS } from '../helpers/kernel-source';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'wasm-perf-incremental-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(
    join(root, 'Cargo.toml'),
    '[package]\nname = "filters"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nwasm-bindgen = "0.2"\n\n[profile.release]\nopt-level = "s"\n',
  );
  writeFileSync(join(root, 'src/lib.rs'), KERNEL_LIB_RS);
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other/Cargo.toml'), '[package]\nname = "other"\nversion = "0.1.0"\n');
  return toEnginePath(root);
}

/** Counts reads per path, over an overlay the test edits like an editor buffer. */
function countingHost(overlays: Map<string, string>): { host: Host; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const base = overlayHost(overlays);
  return {
    reads,
    host: {
      ...base,
      readFile(path) {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        return base.readFile(path);
      },
    },
  };
}

describe('incremental re-analysis', () => {
  it('reads only the changed file and reports the edited text', async () => {
    const root = workspace();
    const manifest = `${root}/Cargo.toml`;
    const overlays = new Map<string, string>();
    const { host, reads } = countingHost(overlays);
    const analyzer = new Analyzer(host, {}, testAssets());

    const first = await analyzer.analyze([root]);
    assert.ok(first.findings.some((f) => f.ruleId === 'opt-level-size' && f.location.file === manifest));
    assert.ok((reads.get(`${root}/other/Cargo.toml`) ?? 0) >= 1);

    reads.clear();
    const edited = first.sources.get(manifest)!.text.replace('opt-level = "s"', 'opt-level = 3');
    overlays.set(manifest, edited);
    const second = await analyzer.analyze([root], { changed: [manifest] });
    assert.equal(
      second.findings.some((f) => f.ruleId === 'opt-level-size'),
      false,
    );
    assert.equal(second.sources.get(manifest)!.text, edited);
    assert.deepEqual([...reads.keys()], [manifest], 'only the edited manifest is read again');
  });

  it('starts afresh without `changed`, and after settings change', async () => {
    const root = workspace();
    const { host, reads } = countingHost(new Map());
    const analyzer = new Analyzer(host, {}, testAssets());
    await analyzer.analyze([root]);
    reads.clear();
    await analyzer.analyze([root]);
    assert.ok((reads.get(`${root}/other/Cargo.toml`) ?? 0) >= 1, 'a full analysis reads every file');
    reads.clear();
    analyzer.updateSettings({ rules: { 'opt-level-size': 'off' } });
    const result = await analyzer.analyze([root], { changed: [] });
    assert.ok((reads.get(`${root}/other/Cargo.toml`) ?? 0) >= 1, 'new settings invalidate the previous analysis');
    assert.equal(
      result.findings.some((f) => f.ruleId === 'opt-level-size'),
      false,
    );
  });
});
