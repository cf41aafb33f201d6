import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cppAsC } from '../../src/core/hostcode/extract-c';
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
    assert.equal(facts.configs.length, 1, 'an unimported `Config` is not wasmtime\'s');
    const config = facts.configs[0]!;
    assert.equal(config.variable, 'config');
    assert.deepEqual(config.setters.map((s) => [s.setting, s.argumentText]), [['parallel_compilation', 'False']]);
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
    assert.deepEqual(facts.engines.map((e) => e.context.windowsOnly), [false, true, false]);
    assert.deepEqual(facts.engines.map((e) => e.usesDefaultConfig), [true, true, true]);
  });
});

describe('C and C++ fact extractor', () => {
  it('reads the C API: config binding, `wasmtime_config_*_set` setters, engine, loads in loops', async () => {
    const text = [
      '#include <wasmtime.h>',
      'void f(const char **paths, int n) {',
      '  wasm_config_t *config = wasm_config_new();',
      '  wasmtime_config_parallel_compilation_set(config, false);',
      '  wasm_engine_t *engine = wasm_engine_new_with_config(config);',
      '  for (int i = 0; i < n; i++) {',
      '    wasmtime_module_t *m; wasmtime_module_deserialize_file(engine, paths[i], &m);',
      '  }',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.c', text);
    const config = facts.configs[0]!;
    assert.equal(config.constructorName, 'wasm_config_new');
    assert.equal(config.variable, 'config');
    assert.deepEqual(config.setters.map((s) => [s.setting, s.argumentText]), [['parallel_compilation', 'false']]);
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.moduleLoads[0]!.api, 'wasmtime_module_deserialize_file');
    assert.ok(facts.moduleLoads[0]!.context.loop);
    assert.equal(facts.moduleLoads[0]!.context.functionName, 'f');
  });

  it('honours #ifdef _WIN32 / #else / #ifndef branches', async () => {
    const text = [
      'void f(void) {',
      '#ifdef _WIN32',
      '  wasm_config_t *a = wasm_config_new();',
      '#else',
      '  wasm_config_t *b = wasm_config_new();',
      '#endif',
      '#ifndef _WIN32',
      '  wasm_config_t *c = wasm_config_new();',
      '#else',
      '  wasm_config_t *d = wasm_config_new();',
      '#endif',
      '#if defined(_WIN32)',
      '  wasm_config_t *e = wasm_config_new();',
      '#endif',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.c', text);
    assert.deepEqual(facts.configs.map((c) => [c.variable, c.context.windowsOnly]), [['a', true], ['b', false], ['c', false], ['d', true], ['e', true]]);
  });

  it('keeps every offset when rewriting C++ for the C grammar', () => {
    const source = 'std::vector<std::vector<uint8_t>> f(const auto& x) { for (const auto &b : bs) { wasmtime::Module::compile(e, b); } }';
    const rewritten = cppAsC(source);
    assert.equal(rewritten.length, source.length);
    assert.equal(rewritten.indexOf('wasmtime__Module__compile'), source.indexOf('wasmtime::Module::compile'));
    assert.match(rewritten, /for \(const int  \*b;; bs\)/);
    assert.doesNotMatch(rewritten, /[<>&]/);
  });

  it('reads the C++ API: `wasmtime::Config` objects, method setters, `Engine(std::move(config))`, loads in a range-for', async () => {
    const text = [
      '#include <wasmtime.hh>',
      'std::vector<Module> load(const std::vector<std::vector<uint8_t>> &blobs) {',
      '  wasmtime::Config config;',
      '  config.native_unwind_info(false);',
      '  Engine engine(std::move(config));',
      '  std::vector<Module> out;',
      '  for (const auto &blob : blobs) {',
      '    out.push_back(wasmtime::Module::compile(engine, blob).unwrap());',
      '  }',
      '  return out;',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.cpp', text);
    const config = facts.configs[0]!;
    assert.equal(config.constructorName, 'wasmtime::Config');
    assert.equal(textAt(text, config.span), 'wasmtime::Config config;');
    assert.deepEqual(config.setters.map((s) => [s.setting, s.argumentText]), [['native_unwind_info', 'false']]);
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.moduleLoads[0]!.api, 'Module::compile');
    assert.ok(facts.moduleLoads[0]!.context.loop, 'the range-for is seen as a loop');
    assert.equal(facts.moduleLoads[0]!.context.functionName, 'load');
  });
});
