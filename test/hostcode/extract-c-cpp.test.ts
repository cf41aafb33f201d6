import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsOf, textAt } from './parse';

describe('C fact extractor', () => {
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
    assert.equal(facts.language, 'c');
    const config = facts.configs[0]!;
    assert.equal(config.constructorName, 'wasm_config_new');
    assert.equal(config.variable, 'config');
    assert.deepEqual(
      config.setters.map((s) => [s.setting, s.argumentText]),
      [['parallel_compilation', 'false']],
    );
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
    for (const path of ['/w/host.c', '/w/host.cc']) {
      const facts = await factsOf(path, text);
      assert.deepEqual(
        facts.configs.map((c) => [c.variable, c.context.windowsOnly]),
        [
          ['a', true],
          ['b', false],
          ['c', false],
          ['d', true],
          ['e', true],
        ],
        path,
      );
    }
  });

  it('does not read C++ API forms in a C file', async () => {
    const facts = await factsOf('/w/host.c', '#include <wasmtime.h>\ntypedef struct { int x; } Config;\nvoid f(void) { Config config; }\n');
    assert.deepEqual(facts.configs, []);
  });
});

describe('C++ fact extractor', () => {
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
    assert.equal(facts.hasSyntaxErrors, false, 'templates, references and range-for are C++ the parser knows');
    const config = facts.configs[0]!;
    assert.equal(config.constructorName, 'wasmtime::Config');
    assert.equal(textAt(text, config.span), 'wasmtime::Config config;');
    assert.deepEqual(
      config.setters.map((s) => [s.setting, s.argumentText]),
      [['native_unwind_info', 'false']],
    );
    assert.equal(textAt(text, config.setters[0]!.argumentSpan), 'false');
    assert.equal(config.escapes, false, '`std::move` into an Engine keeps the config in sight');
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.engines[0]!.usesDefaultConfig, false);
    assert.equal(facts.moduleLoads.length, 1);
    assert.equal(facts.moduleLoads[0]!.api, 'Module::compile');
    assert.equal(textAt(text, facts.moduleLoads[0]!.span), 'wasmtime::Module::compile');
    assert.ok(facts.moduleLoads[0]!.context.loop, 'the range-for is seen as a loop');
    assert.equal(facts.moduleLoads[0]!.context.functionName, 'load');
  });

  it('recognises every way to build a config and an engine', async () => {
    const text = [
      'void f(Bytes b) {',
      '  Config a = Config();',
      '  auto c = wasmtime::Config();',
      '  wasmtime::Config d{}, e;',
      '  Engine e1(std::move(a));',
      '  Engine e2{std::move(c)};',
      '  Engine e3(d);',
      '  auto e4 = wasmtime::Engine(std::move(e));',
      '  Engine e5;',
      '  auto e6 = Engine{};',
      '  Engine e7 = Engine();',
      '}',
      'Engine make(Config);',
    ].join('\n');
    const facts = await factsOf('/w/host.cc', text);
    assert.equal(facts.hasSyntaxErrors, false);
    assert.deepEqual(
      facts.configs.map((c) => [c.variable, c.constructorName, textAt(text, c.span)]),
      [
        ['a', 'Config', 'Config()'],
        ['c', 'wasmtime::Config', 'wasmtime::Config()'],
        ['d', 'wasmtime::Config', 'wasmtime::Config d{}, e;'],
        ['e', 'wasmtime::Config', 'wasmtime::Config d{}, e;'],
      ],
    );
    for (const config of facts.configs) assert.equal(config.escapes, false, config.variable);
    assert.deepEqual(
      facts.configs.map((c) => text.slice(c.insertAfter!.offset).split('\n')[0]),
      ['  auto c = wasmtime::Config();', '  wasmtime::Config d{}, e;', '  Engine e1(std::move(a));', '  Engine e1(std::move(a));'],
      'a fix goes on the line after the declaration',
    );
    assert.deepEqual(
      facts.engines.map((e) => [textAt(text, e.span), e.configIndex, e.usesDefaultConfig]),
      [
        ['Engine e1(std::move(a));', 0, false],
        ['Engine e2{std::move(c)};', 1, false],
        ['Engine e3(d);', 2, false],
        ['wasmtime::Engine(std::move(e))', 3, false],
        ['Engine e5;', undefined, true],
        ['Engine{}', undefined, true],
        ['Engine()', undefined, true],
      ],
      'a function declaration at namespace scope is no engine',
    );
  });

  it('reads the C API in C++ files too', async () => {
    const text = [
      '#include <wasmtime.h>',
      'namespace host {',
      'void run(const std::vector<std::string> &paths) {',
      '  wasm_config_t *config = wasm_config_new();',
      '  wasmtime_config_native_unwind_info_set(config, false);',
      '  wasm_engine_t *engine = ::wasm_engine_new_with_config(config);',
      '  for (const auto &path : paths) {',
      '    wasmtime_module_t *module = nullptr;',
      '    wasmtime_module_new(engine, bytes(path).data(), bytes(path).size(), &module);',
      '  }',
      '}',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.cc', text);
    assert.equal(facts.language, 'cpp');
    assert.deepEqual(
      facts.configs.map((c) => [c.constructorName, c.setters.map((s) => s.setting)]),
      [['wasm_config_new', ['native_unwind_info']]],
    );
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.moduleLoads[0]!.api, 'wasmtime_module_new');
    assert.ok(facts.moduleLoads[0]!.context.loop);
    assert.equal(facts.moduleLoads[0]!.context.functionName, 'run');
  });

  it('sees lambdas registered as handlers, member functions, while loops and iterating algorithms', async () => {
    const text = [
      'void serve_all(httplib::Server &svr) {',
      '  svr.Post("/run", [&](const Request &req, Response &res) {',
      '    Engine engine;',
      '  });',
      '}',
      'class Host {',
      ' public:',
      '  void handle_request(const Request &req) override { Engine engine; }',
      '  Module load_one(const Engine &engine, Bytes b) const { return Module::deserialize(engine, b).unwrap(); }',
      '};',
      'void Host::drain(Queue &q) {',
      '  while (!q.empty()) { Module::deserialize_file(engine_, q.pop()).unwrap(); }',
      '  std::for_each(paths.begin(), paths.end(), [&](const std::string &p) { Module::compile(engine_, read(p)).unwrap(); });',
      '}',
      'void reload(Host &host) { for (auto &b : blobs) host.load_one(engine, b); }',
    ].join('\n');
    const facts = await factsOf('/w/host.cc', text);
    assert.equal(facts.hasSyntaxErrors, false);
    const [lambda, member] = facts.engines;
    assert.match(lambda!.context.perRequest ?? '', /callback passed to `Post`/);
    assert.equal(lambda!.context.functionName, 'serve_all');
    assert.equal(member!.context.functionName, 'handle_request');
    assert.match(member!.context.perRequest ?? '', /looks like a request handler/);
    assert.deepEqual(
      facts.moduleLoads.map((l) => [l.api, l.context.functionName, l.context.loop !== undefined, l.context.calledFromLoop !== undefined]),
      [
        ['Module::deserialize', 'load_one', false, true],
        ['Module::deserialize_file', 'drain', true, false],
        ['Module::compile', 'drain', true, false],
      ],
    );
  });

  it('sees Windows-only member functions and lambdas', async () => {
    const text = [
      'class Host {',
      '#ifdef _WIN32',
      '  void start() { wasmtime::Config a; }',
      '#else',
      '  void start() { wasmtime::Config b; }',
      '#endif',
      '};',
      'void f() {',
      '#if defined(_WIN32) && !defined(__MINGW32__)',
      '  auto c = wasmtime::Config();',
      '#elif defined(_WIN64)',
      '  auto d = wasmtime::Config();',
      '#endif',
      '  run([&] {',
      '#ifndef _WIN32',
      '    wasmtime::Config e;',
      '#endif',
      '  });',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.cc', text);
    assert.deepEqual(
      facts.configs.map((c) => [c.variable, c.context.functionName, c.context.windowsOnly]),
      [
        ['a', 'start', true],
        ['b', 'start', false],
        ['c', 'f', false],
        ['d', 'f', true],
        ['e', 'f', false],
      ],
      'a compound condition is not judged',
    );
  });

  it('counts a config passed by pointer or reference to unknown code as out of sight', async () => {
    const text = [
      'void f() {',
      '  wasmtime::Config a;',
      '  configure(&a);',
      '  wasmtime::Config b;',
      '  tune(b);',
      '  wasmtime::Config c;',
      '  Engine engine(c);',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/host.cc', text);
    assert.deepEqual(
      facts.configs.map((c) => [c.variable, c.escapes]),
      [
        ['a', true],
        ['b', true],
        ['c', false],
      ],
    );
  });

  it('parses a C++ header named `.h` with the C++ grammar', async () => {
    const text = [
      '#pragma once',
      '#include <wasmtime.hh>',
      'namespace host {',
      'inline wasmtime::Engine make_engine() {',
      '  auto config = wasmtime::Config();',
      '  return wasmtime::Engine(std::move(config));',
      '}',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/engine.h', text);
    assert.equal(facts.language, 'cpp');
    assert.equal(facts.hasSyntaxErrors, false);
    assert.equal(facts.configs[0]!.variable, 'config');
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.engines[0]!.context.functionName, 'make_engine');
  });
});
