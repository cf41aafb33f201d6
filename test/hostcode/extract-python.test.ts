import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsOf, textAt } from './parse';

describe('Python fact extractor', () => {
  it('follows `from wasmtime import` and `import wasmtime as` names to configs, setters and engines', async () => {
    const text = [
      'import wasmtime as wt',
      'from wasmtime import Config as Cfg, Module',
      '',
      'def build():',
      '    config = Cfg()',
      '    config.parallel_compilation = False',
      '    engine = wt.Engine(config)',
      '    return [Module.from_file(engine, p) for p in paths]',
      '',
      'other = Config()',
    ].join('\n');
    const facts = await factsOf('/w/host.py', text);
    assert.equal(facts.configs.length, 1, "an unimported `Config` is not wasmtime's");
    const config = facts.configs[0]!;
    assert.equal(config.variable, 'config');
    assert.deepEqual(
      config.setters.map((s) => [s.setting, s.argumentText]),
      [['parallel_compilation', 'False']],
    );
    assert.equal(textAt(text, config.setters[0]!.argumentSpan), 'False');
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.moduleLoads[0]!.api, 'Module.from_file');
    assert.ok(facts.moduleLoads[0]!.context.loop, 'a comprehension is a loop');
    assert.deepEqual(facts.imports.imported, ['wt']);
    assert.equal(text.slice(facts.imports.importInsertion!.offset).split('\n')[1], 'def build():');
  });

  it('recognises route handlers and Windows-only branches', async () => {
    const text = [
      'import sys',
      'from wasmtime import Engine',
      '@app.get("/x")',
      'def endpoint():',
      '    return Engine()',
      'if sys.platform == "win32":',
      '    e = Engine()',
      'else:',
      '    e = Engine()',
    ].join('\n');
    const facts = await factsOf('/w/app.py', text);
    assert.match(facts.engines[0]!.context.perRequest ?? '', /@app\.get/);
    assert.deepEqual(
      facts.engines.map((e) => e.context.windowsOnly),
      [false, true, false],
    );
    assert.deepEqual(
      facts.engines.map((e) => e.usesDefaultConfig),
      [true, true, true],
    );
  });
});
