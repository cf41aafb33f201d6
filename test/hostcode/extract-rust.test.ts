import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsOf, textAt } from './parse';

describe('Rust fact extractor', () => {
  it('links a config variable, its setters (chained and separate) and the engine built from it', async () => {
    const text = [
      'use wasmtime::{Config, Engine, Module};',
      'fn setup() -> anyhow::Result<Engine> {',
      '    let mut config = Config::new();',
      '    config.wasm_simd(true).parallel_compilation(false);',
      '    unsafe { config.cranelift_flag_set("unwind_info", "false"); }',
      '    let engine = Engine::new(&config)?;',
      '    Ok(engine)',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/src/lib.rs', text);
    assert.deepEqual(facts.runtimes, ['wasmtime']);
    assert.equal(facts.configs.length, 1);
    const config = facts.configs[0]!;
    assert.equal(config.variable, 'config');
    assert.equal(textAt(text, config.span), 'Config::new()');
    assert.deepEqual(
      config.setters.map((s) => [s.setting, s.argumentText]),
      [
        ['wasm_simd', 'true'],
        ['parallel_compilation', 'false'],
        ['cranelift_flag_set', '"unwind_info", "false"'],
      ],
    );
    assert.equal(textAt(text, config.setters[1]!.argumentSpan), 'false');
    assert.equal(config.needsMutAt, undefined);
    assert.equal(config.escapes, false);
    assert.equal(config.insertAfter?.indent, '    ');
    assert.equal(text.slice(config.insertAfter.offset).split('\n')[0], '    config.wasm_simd(true).parallel_compilation(false);');
    assert.equal(facts.engines.length, 1);
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.engines[0]!.usesDefaultConfig, false);
  });

  it('offers `mut` for an immutable binding and a splice point for an inline builder chain', async () => {
    const text = [
      'fn a() { let config = wasmtime::Config::default(); let _e = wasmtime::Engine::new(&config); }',
      'fn b() { let _e = wasmtime::Engine::new(wasmtime::Config::new().wasm_simd(true)); }',
      'fn c() { let _e = wasmtime::Engine::new(&wasmtime::Config::new()); }',
    ].join('\n');
    const facts = await factsOf('/w/lib.rs', text);
    const [a, b, c] = facts.configs;
    assert.equal(textAt(text, { start: a!.needsMutAt!, end: a!.needsMutAt! + 6 }), 'config');
    assert.equal(a!.insertAfter, undefined, 'code follows on the same line, so no line insertion');
    assert.equal(b!.variable, undefined);
    assert.equal(text.slice(b!.chainInsertOffset, b!.chainInsertOffset! + 15), '.wasm_simd(true');
    assert.equal(c!.chainInsertOffset, undefined, 'splicing into `&Config::new()` would change its type');
    assert.deepEqual(
      facts.engines.map((e) => e.configIndex),
      [0, 1, 2],
    );
  });

  it('finds loops, iterator closures, handlers and functions called from loops', async () => {
    const text = [
      'use wasmtime::*;',
      'fn load(engine: &Engine, p: &str) -> Module { Module::from_file(engine, p).unwrap() }',
      'fn all(engine: &Engine, ps: &[&str]) {',
      '    for p in ps { load(engine, p); }',
      '    let _m: Vec<_> = ps.iter().map(|p| Module::new(engine, p).unwrap()).collect();',
      '}',
      'async fn handle_request(req: Request<Body>) { let _e = Engine::default(); }',
      'fn once() { let _ = Module::deserialize_file; let _e = Engine::default(); }',
    ].join('\n');
    const facts = await factsOf('/w/lib.rs', text);
    const [fromFile, viaMap] = facts.moduleLoads;
    assert.equal(fromFile!.api, 'Module::from_file');
    assert.equal(fromFile!.context.functionName, 'load');
    assert.equal(fromFile!.context.loop, undefined);
    assert.equal(textAt(text, fromFile!.context.calledFromLoop!), 'load(engine, p)');
    assert.equal(viaMap!.api, 'Module::new');
    assert.ok(viaMap!.context.loop, 'a closure passed to `map` runs per item');
    const [handler, once] = facts.engines;
    assert.equal(handler!.usesDefaultConfig, true);
    assert.match(handler!.context.perRequest ?? '', /handle_request/);
    assert.equal(once!.context.perRequest, undefined);
    assert.equal(once!.context.loop, undefined);
  });

  it('takes serve_http or handle_* for a handler, but not a bare serve that starts the server', async () => {
    const text = [
      'use wasmtime::*;',
      'impl ServeCommand { async fn serve(self) { let _e = Engine::default(); } }',
      'async fn serve_http(req: Parts) { let _e = Engine::default(); }',
    ].join('\n');
    const facts = await factsOf('/w/src/lib.rs', text);
    assert.deepEqual(
      facts.engines.map((e) => e.context.perRequest),
      [undefined, '`serve_http` looks like a request handler'],
    );
  });

  it('recognises Windows-only code: cfg attributes, cfg! blocks and #![cfg(windows)]', async () => {
    const text = [
      'use wasmtime::Config;',
      '#[cfg(windows)]',
      'fn w() { let _c = Config::new(); }',
      '#[cfg(not(windows))]',
      'fn u() { let _c = Config::new(); }',
      'fn m() { if cfg!(windows) { let _c = Config::new(); } else { let _c = Config::new(); } }',
      '#[cfg(target_os = "windows")]',
      'mod win { fn x() { let _c = wasmtime::Config::new(); } }',
    ].join('\n');
    const facts = await factsOf('/w/lib.rs', text);
    assert.deepEqual(
      facts.configs.map((c) => c.context.windowsOnly),
      [true, false, true, false, true],
    );
    const whole = await factsOf('/w/win.rs', '#![cfg(windows)]\nfn f() { let _c = wasmtime::Config::new(); }\n');
    assert.equal(whole.windowsOnly, true);
    assert.equal(whole.configs[0]!.context.windowsOnly, true);
  });

  it('marks a config that escapes to unseen code or is returned, and tells wasmi from wasmtime', async () => {
    const text = [
      'use wasmi::{CompilationMode, Config, Engine};',
      'fn a() { let mut config = Config::default(); tune(&mut config); let _e = Engine::new(&config); }',
      'fn b() -> Config { let mut config = Config::default(); config.consume_fuel(true); config }',
      'fn c() { let mut config = Config::default(); config.consume_fuel(true).compilation_mode(CompilationMode::Lazy); }',
    ].join('\n');
    const facts = await factsOf('/w/lib.rs', text);
    assert.deepEqual(facts.runtimes, ['wasmi']);
    assert.deepEqual(
      facts.configs.map((c) => [c.runtime, c.escapes, c.returned]),
      [
        ['wasmi', true, false],
        ['wasmi', false, true],
        ['wasmi', false, false],
      ],
    );
    assert.deepEqual(facts.settingsSet, ['consume_fuel', 'compilation_mode']);
    const mode = facts.configs[2]!.setters.find((s) => s.setting === 'compilation_mode')!;
    assert.equal(textAt(text, mode.argumentSpan), 'CompilationMode::Lazy');
  });

  it('ignores types of the same name imported from other crates', async () => {
    const text = [
      'use tokio_postgres::{Config, NoTls};',
      'use wasmtime::{Engine, Module};',
      'fn f() { let db = Config::new(); let e = Engine::default(); let _m = Module::new(&e, b"");',
      '    thread::spawn(move || { let _e2 = Engine::default(); }); }',
    ].join('\n');
    const facts = await factsOf('/w/lib.rs', text);
    assert.deepEqual(facts.configs, []);
    assert.deepEqual(
      facts.engines.map((e) => e.runtime),
      ['wasmtime', 'wasmtime'],
    );
    assert.equal(facts.engines[1]!.context.perRequest, undefined, 'a thread spawned once runs once');
    assert.equal(facts.moduleLoads.length, 1);
  });

  it('follows a function called from a loop through up to two callers, preferring production callers to tests', async () => {
    const text = [
      'use wasmtime::*;',
      'impl Host {',
      '    fn compile(&self, b: &[u8]) -> Component { Component::new(&self.engine, b).unwrap() }',
      '    fn prepare(&self, b: &[u8]) -> Component { self.compile(b) }',
      '    pub fn start(&self, all: &[Vec<u8>]) { for b in all { self.prepare(b); } }',
      '}',
      '#[cfg(test)]',
      'mod tests { fn t(h: &Host) { for b in [] { h.compile(b); } } }',
      'fn a() { b() }',
      'fn b() { c() }',
      'fn c() { d() }',
      'fn d() { let _m = Module::new(&ENGINE, b""); }',
      'fn e() { for _ in 0..2 { a(); } }',
    ].join('\n');
    const facts = await factsOf('/w/src/lib.rs', text);
    const [compile, deep] = facts.moduleLoads;
    assert.equal(compile!.engine, 'engine');
    assert.equal(textAt(text, compile!.context.calledFromLoop!), 'self.prepare(b)');
    assert.equal(compile!.context.calledFromLoopThrough, 'prepare');
    assert.equal(deep!.context.calledFromLoop, undefined, 'four calls away from the loop is too far');
  });

  it('knows which engines stay in their function, and the engine each load runs on', async () => {
    const text = [
      'use wasmtime::*;',
      'fn probe(config: &Config) -> bool {',
      '    match Engine::new(config) { Ok(engine) => Memory::new(&mut Store::new(&engine, ()), MemoryType::new(0, None)).is_ok(), Err(_) => false }',
      '}',
      'fn probe2() -> bool { if let Ok(e) = Engine::new(&Config::new()) { e.increment_epoch(); true } else { false } }',
      'fn kept() -> anyhow::Result<Host> { let inner = Engine::new(&Config::new())?; Ok(Host { inner }) }',
      'fn cloned() -> Engine { let engine = Engine::default(); let m = Module::new(&engine, b"").unwrap(); engine.clone() }',
      'fn used() { let engine = Engine::default(); let _m = Module::new(&engine, b"").unwrap(); }',
      'fn passed() { let engine = Engine::default(); register(&engine); }',
      'fn linker() -> Linker<()> { let engine = Engine::default(); Linker::new(&engine) }',
    ].join('\n');
    const facts = await factsOf('/w/src/lib.rs', text);
    assert.deepEqual(
      facts.engines.map((e) => [e.context.functionName, e.variable, e.local]),
      [
        ['probe', 'engine', true],
        ['probe2', 'e', true],
        ['kept', 'inner', false],
        ['cloned', 'engine', false],
        ['used', 'engine', true],
        ['passed', 'engine', false],
        ['linker', 'engine', false],
      ],
    );
    assert.deepEqual(
      facts.moduleLoads.map((l) => l.engine),
      ['engine', 'engine'],
    );
  });

  it("takes a config from an Option or the default as the engine's config, and sees which helpers it is handed to", async () => {
    const text = [
      'use wasmtime::*;',
      'impl Builder {',
      '    pub fn build(mut self) -> anyhow::Result<Engine> {',
      '        let mut config = self.config.take().unwrap_or_default();',
      '        config.consume_fuel(true);',
      '        for p in &self.proposals { p.apply(&mut config); }',
      '        Engine::new(&config)',
      '    }',
      '}',
      'impl Proposal { fn apply(&self, c: &mut Config) { c.wasm_gc(true); } }',
      'fn other(o: Option<Config>) { let c = o.unwrap_or_else(Config::new); let _e = Engine::new(&c); }',
      'fn not_a_config(o: Option<Settings>) { let c = o.unwrap_or_default(); let _e = Engine::new(&c.engine_config()); }',
    ].join('\n');
    const facts = await factsOf('/w/src/lib.rs', text);
    assert.deepEqual(
      facts.configs.map((c) => [textAt(text, c.span), c.variable, c.escapes, c.escapesTo]),
      [
        ['self.config.take().unwrap_or_default()', 'config', true, ['apply']],
        ['o.unwrap_or_else(Config::new)', 'c', false, undefined],
      ],
    );
    assert.deepEqual(
      facts.configs[0]!.setters.map((s) => s.setting),
      ['consume_fuel'],
    );
    assert.deepEqual(
      facts.engines.map((e) => e.configIndex),
      [0, 1, undefined],
    );
    assert.ok(facts.definedFunctions?.includes('apply'));
  });

  it('survives a file that does not parse', async () => {
    const text =
      'use wasmtime::{Config, Engine};\nfn broken( {\n    let mut config = Config::new(\n    let engine = Engine::new(&config)?;\n}}}\n';
    const facts = await factsOf('/w/lib.rs', text);
    assert.equal(facts.hasSyntaxErrors, true);
    for (const config of facts.configs) assert.ok(config.span.end <= text.length);
  });
});
