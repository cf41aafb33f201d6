import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundledEngine } from '../../src/extension/engine-loader';
import { RULES } from '../../src/core/rules';

describe('the engine bundle', () => {
  const dist = join(process.cwd(), 'dist');

  it('loads dist/engine.js once, with the engine, the rule registry and the SARIF writer', async () => {
    const load = bundledEngine(dist);
    const engine = await load();
    assert.equal(await load(), engine);
    assert.equal(typeof engine.Analyzer, 'function');
    assert.equal(typeof engine.buildSarifLog, 'function');
    assert.deepEqual(engine.RULES.map((rule) => rule.meta.id), RULES.map((rule) => rule.meta.id));
    assert.equal(engine.ruleById(RULES[0]!.meta.id)?.meta.title, RULES[0]!.meta.title);
  });

  it('is not part of the activation bundle', () => {
    // The registry's rule docs are the engine's biggest texts: none of them may sit in extension.js.
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    for (const rule of RULES) assert.ok(!extension.includes(rule.meta.summary), `${rule.meta.id} is bundled into extension.js`);
  });
});
