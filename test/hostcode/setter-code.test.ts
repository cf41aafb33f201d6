import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../src/core/fix/apply';
import { settingEdits, type SettingChange } from '../../src/core/hostcode/setter-code';
import { factsOf } from './parse';

/** Applies `change` to the first config in `text` and returns the new text (asserting an edit exists). */
async function apply(path: string, text: string, change: SettingChange): Promise<string> {
  const facts = await factsOf(path, text);
  const edits = settingEdits(facts, facts.configs[0]!, change);
  assert.ok(edits, `no edit for ${change} in ${path}`);
  return applyEdits(text, edits.edits);
}

describe('setting edits', () => {
  it('Rust: a guarded statement after the binding, adding `mut`, and the setter is then seen', async () => {
    const text = 'fn f() {\n\tlet config = wasmtime::Config::new(); // base\n\tlet e = wasmtime::Engine::new(&config);\n}\n';
    const fixed = await apply('/w/lib.rs', text, 'native-unwind-info-off');
    assert.equal(
      fixed,
      'fn f() {\n\tlet mut config = wasmtime::Config::new(); // base\n\t#[cfg(not(windows))]\n\tconfig.native_unwind_info(false);\n\tlet e = wasmtime::Engine::new(&config);\n}\n',
    );
    const again = await factsOf('/w/lib.rs', fixed);
    assert.deepEqual(
      again.configs[0]!.setters.map((s) => s.setting),
      ['native_unwind_info'],
    );
    assert.equal(again.configs[0]!.needsMutAt, undefined);
  });

  it('Rust: splices into a builder chain, and refuses the unsafe workaround there', async () => {
    const text = 'fn f() { let e = wasmtime::Engine::new(wasmtime::Config::new().wasm_simd(true)); }';
    assert.equal(
      await apply('/w/lib.rs', text, 'native-unwind-info-off'),
      'fn f() { let e = wasmtime::Engine::new(wasmtime::Config::new().native_unwind_info(cfg!(windows)).wasm_simd(true)); }',
    );
    const facts = await factsOf('/w/lib.rs', text);
    assert.equal(settingEdits(facts, facts.configs[0]!, 'cranelift-unwind-info-off'), undefined);
  });

  it('Go: imports runtime into a grouped block, or falls back to `false` when the name is taken', async () => {
    const text =
      'package main\n\nimport (\n\t"fmt"\n\twasmtime "github.com/bytecodealliance/wasmtime-go/v40"\n)\n\nfunc f() {\n\tcfg := wasmtime.NewConfig()\n\tfmt.Println(cfg)\n}\n';
    assert.equal(
      await apply('/w/main.go', text, 'native-unwind-info-off'),
      'package main\n\nimport (\n\t"fmt"\n\twasmtime "github.com/bytecodealliance/wasmtime-go/v40"\n\t"runtime"\n)\n\nfunc f() {\n\tcfg := wasmtime.NewConfig()\n\tcfg.SetNativeUnwindInfo(runtime.GOOS == "windows")\n\tfmt.Println(cfg)\n}\n',
    );
    const shadowed = text.replace('fmt.Println(cfg)', 'runtime := 1\n\tfmt.Println(cfg, runtime)');
    const facts = await factsOf('/w/main.go', shadowed);
    const edits = settingEdits(facts, facts.configs[0]!, 'native-unwind-info-off')!;
    assert.equal(edits.windowsSafe, false);
    assert.match(applyEdits(shadowed, edits.edits), /\tcfg\.SetNativeUnwindInfo\(false\)\n/);
  });

  it('Python: adds `import sys` after the last import; C and C++: guards with #ifndef _WIN32', async () => {
    const py = 'from wasmtime import Config, Engine\n\ndef f():\n    config = Config()\n    return Engine(config)\n';
    assert.equal(
      await apply('/w/host.py', py, 'native-unwind-info-off'),
      'from wasmtime import Config, Engine\nimport sys\n\ndef f():\n    config = Config()\n    config.native_unwind_info = sys.platform == "win32"\n    return Engine(config)\n',
    );
    const c = 'void f(void) {\n    wasm_config_t *cfg = wasm_config_new();\n    wasm_engine_new_with_config(cfg);\n}\n';
    assert.equal(
      await apply('/w/host.c', c, 'parallel-compilation-off'),
      'void f(void) {\n    wasm_config_t *cfg = wasm_config_new();\n    wasmtime_config_parallel_compilation_set(cfg, false);\n    wasm_engine_new_with_config(cfg);\n}\n',
    );
    const cpp = 'void f() {\n  wasmtime::Config config;\n  Engine engine(std::move(config));\n}\n';
    assert.equal(
      await apply('/w/host.cc', cpp, 'native-unwind-info-off'),
      'void f() {\n  wasmtime::Config config;\n  #ifndef _WIN32\n  config.native_unwind_info(false);\n  #endif\n  Engine engine(std::move(config));\n}\n',
    );
  });

  it('offers no statement where the config shares its line with other code', async () => {
    const facts = await factsOf('/w/host.py', 'from wasmtime import Config\nif fast: config = Config()\n');
    assert.equal(settingEdits(facts, facts.configs[0]!, 'parallel-compilation-off'), undefined);
  });

  it('keeps CRLF line endings and handles a statement at the end of the file', async () => {
    const text = 'from wasmtime import Config\r\nimport sys\r\nconfig = Config()';
    assert.equal(
      await apply('/w/host.py', text, 'parallel-compilation-off'),
      'from wasmtime import Config\r\nimport sys\r\nconfig = Config()\r\nconfig.parallel_compilation = False',
    );
  });
});
