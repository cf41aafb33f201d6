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

  it('survives a file that does not parse', async () => {
    const text =
      'use wasmtime::{Config, Engine};\nfn broken( {\n    let mut config = Config::new(\n    let engine = Engine::new(&config)?;\n}}}\n';
    const facts = await factsOf('/w/lib.rs', text);
    assert.equal(facts.hasSyntaxErrors, true);
    for (const config of facts.configs) assert.ok(config.span.end <= text.length);
  });
});
