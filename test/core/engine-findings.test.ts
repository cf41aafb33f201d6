/** What the engine does to every rule's raw findings before hosts see them. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer } from '../../src/core/engine';
import type { Rule } from '../../src/core/rules/rule';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';

const META = {
  title: 't',
  category: 'build',
  defaultSeverity: 'warning',
  summary: 's',
  docs: 'd',
  sources: [],
  fix: 'none',
  measurable: false,
} as const;

describe('engine findings', () => {
  it("drops evidence that points at the finding's own span, keeps the rest, and lists the rules that ran", async () => {
    const root = toEnginePath(mkdtempSync(join(tmpdir(), 'wasm-perf-engine-')));
    writeFileSync(join(root, 'Cargo.toml'), '[package]\nname = "a"\n');
    const file = `${root}/Cargo.toml`;
    const rule: Rule = {
      meta: { ...META, id: 'probe' },
      check(context) {
        context.report({
          message: 'probe',
          location: { file, span: { start: 10, end: 14 } },
          evidence: [
            { message: 'same span again', location: { file, span: { start: 10, end: 14 } } },
            { message: 'overlapping but different', location: { file, span: { start: 10, end: 20 } } },
            { message: 'no location' },
          ],
        });
      },
    };
    const result = await new Analyzer(overlayHost(new Map()), {}, testAssets(), [rule]).analyze([root]);
    assert.deepEqual(
      result.findings[0]!.evidence.map((e) => e.message),
      ['overlapping but different', 'no location'],
    );
    assert.deepEqual(
      result.rules.map((meta) => meta.id),
      ['probe'],
    );
  });
});
