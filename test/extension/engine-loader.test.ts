import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BENCH_FILE_NAME } from '../../src/bench/bench-file';
import { bundledEngine } from '../../src/extension/engine-loader';
import { BENCH_FILE } from '../../src/extension/panels/benchmark-store';
import { RULES } from '../../src/core/rules';

/** A string only each heavy dependency's code contains, which must be in engine.js and not in extension.js. */
const HEAVY_CODE = {
  'web-tree-sitter': 'Incompatible language version',
  'toml-eslint-parser': 'Unterminated inline table',
  'the benchmark engine (src/bench/api.ts)': 'A comparison needs at least two modules',
};

describe('the engine bundle', () => {
  const dist = join(process.cwd(), 'dist');

  it('loads dist/engine.js once, with the engine, the rule registry and the SARIF writer', async () => {
    const load = bundledEngine(dist);
    const engine = await load();
    assert.equal(await load(), engine);
    assert.equal(typeof engine.Analyzer, 'function');
    assert.equal(typeof engine.buildSarifLog, 'function');
    assert.deepEqual(
      engine.RULES.map((rule) => rule.meta.id),
      RULES.map((rule) => rule.meta.id),
    );
    assert.equal(engine.ruleById(RULES[0]!.meta.id)?.meta.title, RULES[0]!.meta.title);
  });

  it('carries the parsers and the benchmark engine the panels and CodeLens load from it', async () => {
    const engine = await bundledEngine(dist)();
    for (const name of [
      'parserFor',
      'parseToPlainTree',
      'findRustExports',
      'findCrateArtifact',
      'runBenchmark',
      'compareModules',
      'buildVariants',
      'listBenchmarkableExports',
      'parseBenchFile',
      'toFailure',
    ] as const) {
      assert.equal(typeof engine[name], 'function', name);
    }
  });

  it('is not part of the activation bundle', () => {
    // The registry's rule docs are the engine's biggest texts: none of them may sit in extension.js.
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    for (const rule of RULES) assert.ok(!extension.includes(rule.meta.summary), `${rule.meta.id} is bundled into extension.js`);
  });

  it('holds the parsers and the benchmark engine, which extension.js does not', () => {
    const engine = readFileSync(join(dist, 'engine.js'), 'utf8');
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    for (const [dependency, marker] of Object.entries(HEAVY_CODE)) {
      assert.ok(engine.includes(marker), `engine.js lacks ${dependency} ("${marker}")`);
      assert.ok(!extension.includes(marker), `${dependency} is bundled into extension.js`);
    }
  });

  it('names the bench file as the engine does (the extension spells the name out to stay light)', () => {
    assert.equal(BENCH_FILE, BENCH_FILE_NAME);
  });
});
