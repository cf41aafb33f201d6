import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Analyzer } from '../../src/core/engine';
import { applyEdits } from '../../src/core/fix/apply';
import type { Finding } from '../../src/core/model';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';

const root = toEnginePath(mkdtempSync(join(tmpdir(), 'wasm-perf-host-rules-')));
after(() => rmSync(root, { recursive: true, force: true }));

/** Analyses in-memory files (paths relative to a fresh root) and returns the host-rule findings. */
async function analyze(
  files: Record<string, string>,
  platform: NodeJS.Platform = 'linux',
  settings: { includeTests?: boolean } = {},
): Promise<{ findings: Finding[]; texts: Map<string, string> }> {
  const overlays = new Map(Object.entries(files).map(([rel, text]) => [`${root}/${rel}`, text]));
  const result = await new Analyzer(overlayHost(overlays, { platform }), settings, testAssets()).analyze([root]);
  return { findings: result.findings.filter((f) => /^(wasmtime|wazero|wasmi)-/.test(f.ruleId)), texts: overlays };
}

describe('host rules', () => {
  it('wazero: rewrites InstantiateWithConfig(…, nil) with a fresh name and `=` for a discarded module', async () => {
    const main = [
      'package main',
      '',
      'import (',
      '\t"context"',
      '',
      '\twz "github.com/tetratelabs/wazero"',
      ')',
      '',
      'func run(ctx context.Context, bin []byte, compiled int) error {',
      '\tr := wz.NewRuntimeWithConfig(ctx, wz.NewRuntimeConfig().WithCompilationCache(wz.NewCompilationCache()))',
      '\t_, err := r.InstantiateWithConfig(ctx, bin, nil)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\treturn nil',
      '}',
      '',
    ].join('\n');
    const { findings, texts } = await analyze({ 'main.go': main });
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['wazero-implicit-compile'],
    );
    const fix = findings[0]!.fixes.find((f) => f.preferred)!;
    const fixed = applyEdits(texts.get(`${root}/main.go`)!, fix.changes[0]!.edits);
    assert.match(
      fixed,
      /\tcompiled2, err := r\.CompileModule\(ctx, bin\)\n\tif err != nil \{\n\t\treturn err\n\t\}\n\t_, err = r\.InstantiateModule\(ctx, compiled2, wz\.NewModuleConfig\(\)\)\n\tif err != nil/,
    );
  });

  it('wazero: hoists the compile out of a loop that instantiates the same bytes, and only then', async () => {
    const main = [
      'package main',
      '',
      'import (',
      '\t"context"',
      '\t"log"',
      '',
      '\t"github.com/tetratelabs/wazero"',
      ')',
      '',
      'func run(ctx context.Context, bin []byte, paths []string) {',
      '\tr := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(wazero.NewCompilationCache()))',
      '\tvar err error',
      '\tfor i := 0; i < 100; i++ {',
      '\t\tmod, err := r.Instantiate(ctx, bin)',
      '\t\tif err != nil {',
      '\t\t\tlog.Fatal(err)',
      '\t\t}',
      '\t\tmod.Close(ctx)',
      '\t}',
      '\t_ = err',
      '}',
      '',
    ].join('\n');
    const { findings, texts } = await analyze({ 'main.go': main });
    const fix = findings[0]!.fixes.find((f) => f.preferred)!;
    assert.equal(fix.title, 'Compile once before the loop with r.CompileModule, then r.InstantiateModule');
    assert.equal(fix.applicability, 'display-only');
    const fixed = applyEdits(texts.get(`${root}/main.go`)!, fix.changes[0]!.edits);
    assert.match(
      fixed,
      /\tvar err error\n\tcompiled, err := r\.CompileModule\(ctx, bin\)\n\tif err != nil \{\n\t\tlog\.Fatal\(err\)\n\t\}\n\tfor i := 0; i < 100; i\+\+ \{\n\t\tmod, err := r\.InstantiateModule\(ctx, compiled, wazero\.NewModuleConfig\(\)\)\n\t\tif err != nil \{/,
    );
    // Bytes read per iteration, or an error check that continues the loop, keep the compile in place.
    for (const variant of [
      main.replace('\t\tmod, err := r.Instantiate(ctx, bin)', '\t\tbin := load(paths[i])\n\t\tmod, err := r.Instantiate(ctx, bin)'),
      main.replace('\t\t\tlog.Fatal(err)', '\t\t\tcontinue'),
      main.replace('\tvar err error\n', '').replace('\t_ = err\n', ''),
    ]) {
      const again = await analyze({ 'main.go': variant });
      assert.equal(again.findings[0]!.fixes.find((f) => f.preferred)!.title, 'Compile once with r.CompileModule, then r.InstantiateModule');
    }
  });

  it('wasmtime: says macOS is the severe case; a host that loads one module, and test code, get nothing', async () => {
    const once = [
      'use wasmtime::{Config, Engine, Module};',
      'fn main() -> anyhow::Result<()> {',
      '    let mut config = Config::new();',
      '    config.parallel_compilation(false);',
      '    let engine = Engine::new(&config)?;',
      '    let _m = Module::from_file(&engine, "a.wasm")?;',
      '    Ok(())',
      '}',
    ].join('\n');
    const many = once.replace(
      'let _m = Module::from_file(&engine, "a.wasm")?;',
      'for p in std::env::args() { let _m = Module::from_file(&engine, p)?; }',
    );
    const test = many.replace('fn main()', 'fn loads_modules()');
    assert.deepEqual(
      (await analyze({ 'src/main.rs': once }, 'darwin')).findings,
      [],
      'one module loaded once never pays for the registrations',
    );
    const files = { 'src/main.rs': many, 'tests/load.rs': test };
    const { findings } = await analyze(files, 'darwin');
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity, f.location.file.slice(root.length + 1)]),
      [['wasmtime-native-unwind-info', 'warning', 'src/main.rs']],
    );
    assert.match(findings[0]!.message, /^native unwind info is left on while modules are loaded in a loop, which is severe on macOS$/);
    const withTests = await analyze(files, 'darwin', { includeTests: true });
    assert.deepEqual(
      withTests.findings.map((f) => f.location.file.slice(root.length + 1)),
      ['src/main.rs', 'tests/load.rs'],
      'includeTests judges tests/ too',
    );
  });

  const engineInLoop = (indent = '') =>
    [
      `${indent}fn compile_each(paths: &[&str]) -> anyhow::Result<()> {`,
      `${indent}    for p in paths {`,
      `${indent}        let engine = Engine::new(&Config::new())?;`,
      `${indent}        let _m = Module::from_file(&engine, p)?;`,
      `${indent}    }`,
      `${indent}    Ok(())`,
      `${indent}}`,
    ].join('\n');

  it('ignores #[cfg(test)] modules and #[test] functions in production files unless tests are judged', async () => {
    const manifest = '[package]\nname = "host"\nversion = "0.1.0"\n\n[dependencies]\nwasmtime = "30"\n';
    const lib = [
      'use wasmtime::{Config, Engine, Module};',
      'pub fn run() {}',
      '#[cfg(test)]',
      'mod tests {',
      '    use super::*;',
      engineInLoop('    '),
      '}',
      '#[test]',
      'fn per_case() { let _e = Engine::new(&Config::new()).unwrap(); for p in ["a"] { let _ = Engine::default(); } }',
      '#[cfg(not(test))]',
      engineInLoop(),
    ].join('\n');
    const { findings } = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': lib });
    const lines = (text: string, f: Finding) => text.slice(0, f.location.span.start).split('\n').length;
    // Lines 3-13: the cfg(test) module; 14-15: a #[test] function; 16-23: production code under cfg(not(test)).
    assert.ok(
      findings.length > 0 && findings.every((f) => lines(lib, f) >= 17),
      findings.map((f) => `${f.ruleId}:${lines(lib, f)}`).join(' '),
    );
    const withTests = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': lib }, 'linux', { includeTests: true });
    assert.ok(
      withTests.findings.some((f) => lines(lib, f) < 16),
      'includeTests judges the test code too',
    );
  });

  it("leaves the runtimes' own code alone: a wasmtime workspace, wazero's module, the wasmtime Python package", async () => {
    const own = [
      'use crate::{Config, Engine, Module};',
      'impl Default for Engine { fn default() -> Engine { Engine::new(&Config::new()).unwrap() } }',
      engineInLoop(),
    ].join('\n');
    const { findings } = await analyze({
      'Cargo.toml': '[package]\nname = "wasmtime-cli"\nversion = "1.0.0"\n\n[workspace]\nmembers = ["crates/*"]\n',
      'crates/wasmtime/Cargo.toml': '[package]\nname = "wasmtime"\nversion = "1.0.0"\n',
      'crates/wasmtime/src/engine.rs': own,
      'examples/compile.rs': `use wasmtime::*;\n${engineInLoop()}`,
      'go/go.mod': 'module github.com/tetratelabs/wazero\n\ngo 1.21\n',
      'go/cache.go':
        'package wazero\n\nfunc f(r Runtime, bin []byte) { c := NewCompilationCache(); _ = c; for { r.Instantiate(nil, bin) } }\n',
      'py/pyproject.toml': '[project]\nname = "wasmtime"\nversion = "1.0"\n',
      'py/wasmtime/_store.py': 'import wasmtime\nfor p in []:\n    e = wasmtime.Engine()\n    wasmtime.Module.from_file(e, p)\n',
    });
    assert.deepEqual(
      findings.map((f) => `${f.ruleId} ${f.location.file.slice(root.length + 1)}`),
      [],
    );
    const embedder = await analyze({
      'Cargo.toml': '[package]\nname = "host"\nversion = "0.1.0"\n\n[dependencies]\nwasmtime = "30"\n',
      'src/lib.rs': `use wasmtime::*;\n${engineInLoop()}`,
    });
    assert.ok(embedder.findings.length > 0, 'the same code in an embedder is judged');
  });

  it('takes an unqualified Engine in a crate that depends on wasmi, not wasmtime, for wasmi', async () => {
    const code = `// runs on wasmi, not wasmtime\nuse crate::rt::{Config, Engine, Module};\n${engineInLoop()}`;
    const wasmi = await analyze({
      'Cargo.toml': '[package]\nname = "vm"\nversion = "0.1.0"\n\n[dependencies]\nwasmi = "0.40"\n',
      'src/lib.rs': code,
    });
    assert.deepEqual(
      wasmi.findings.filter((f) => f.ruleId.startsWith('wasmtime-')).map((f) => f.ruleId),
      [],
    );
    const wasmtime = await analyze({
      'Cargo.toml': '[package]\nname = "vm"\nversion = "0.1.0"\n\n[dependencies]\nwasmtime = "30"\n',
      'src/lib.rs': code.replace('wasmi, not wasmtime', 'wasmtime'),
    });
    assert.ok(
      wasmtime.findings.some((f) => f.ruleId === 'wasmtime-engine-per-module'),
      'the same code in a wasmtime crate is judged',
    );
  });

  it("does not take String::new() or wasm_encoder's Module::new() for a call of a host's new or a module load", async () => {
    const lib = [
      'use wasmtime::{Config, Engine};',
      'use wasm_encoder::*;',
      'pub struct Host { engine: Engine }',
      'impl Host {',
      '    pub fn new() -> anyhow::Result<Host> { Ok(Host { engine: Engine::new(&Config::new())? }) }',
      '    pub fn describe(&self, names: &[&str]) -> Vec<String> { let mut out = vec![]; for _ in names { out.push(String::new()); let _m = Module::new(); } out }',
      '}',
    ].join('\n');
    const manifest = '[package]\nname = "host"\nversion = "0.1.0"\n\n[dependencies]\nwasmtime = "30"\nwasm-encoder = "0.200"\n';
    const { findings } = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': lib });
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [],
    );
    const looped = lib.replace(
      'for _ in names { out.push(String::new());',
      'for _ in names { out.push(String::new()); let _h = Host::new();',
    );
    const again = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': looped });
    assert.deepEqual(
      again.findings.map((f) => f.ruleId),
      ['wasmtime-engine-per-module'],
      'Host::new() in a loop creates engines in a loop',
    );
    // A type a host has many of: its constructor builds an engine per value, whatever it is called.
    const plugin = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': lib.replaceAll('Host', 'Plugin') });
    assert.deepEqual(
      plugin.findings.map((f) => [f.ruleId, f.message]),
      [['wasmtime-engine-per-module', 'Engine created once per `Plugin`; share one Engine instead']],
    );
  });

  it('ignores Go functions that take *testing.T and pytest code in production files unless tests are judged', async () => {
    const go = [
      'package host',
      '',
      'import (',
      '\t"testing"',
      '',
      '\t"github.com/bytecodealliance/wasmtime-go/v30"',
      ')',
      '',
      'func LoadEach(t *testing.T, paths []string) {',
      '\tfor _, p := range paths {',
      '\t\te := wasmtime.NewEngine()',
      '\t\twasmtime.NewModuleFromFile(e, p)',
      '\t}',
      '}',
      '',
    ].join('\n');
    const python = [
      'import pytest',
      'import wasmtime',
      '',
      '@pytest.fixture',
      'def modules(paths):',
      '    return [wasmtime.Module.from_file(wasmtime.Engine(), p) for p in paths]',
      '',
      'def test_load(paths):',
      '    for p in paths:',
      '        wasmtime.Module.from_file(wasmtime.Engine(), p)',
      '',
    ].join('\n');
    const files = { 'host/helpers.go': go, 'app/plugins.py': python };
    assert.deepEqual((await analyze(files)).findings, []);
    const withTests = await analyze(files, 'linux', { includeTests: true });
    assert.deepEqual([...new Set(withTests.findings.map((f) => f.location.file.slice(root.length + 1)))].sort(), [
      'app/plugins.py',
      'host/helpers.go',
    ]);
  });

  it('a probe engine that loads nothing gets no finding, and loads on another engine are not its evidence', async () => {
    const lib = [
      'use wasmtime::{Config, Engine, Memory, MemoryType, Module, Store};',
      '',
      'fn pooling_supported() -> bool {',
      '    let mut config = Config::new();',
      '    config.wasm_memory64(true);',
      '    match Engine::new(&config) {',
      '        Ok(engine) => Memory::new(&mut Store::new(&engine, ()), MemoryType::new64(0, None)).is_ok(),',
      '        Err(_) => false,',
      '    }',
      '}',
      '',
      'pub fn compile_all(paths: &[String]) -> anyhow::Result<Vec<Module>> {',
      '    let mut config = Config::new();',
      '    config.epoch_interruption(pooling_supported());',
      '    let engine = Engine::new(&config)?;',
      '    paths.iter().map(|p| Module::from_file(&engine, p)).collect()',
      '}',
    ].join('\n');
    const manifest = '[package]\nname = "host"\nversion = "0.1.0"\n\n[dependencies]\nwasmtime = "30"\n';
    const { findings } = await analyze({ 'Cargo.toml': manifest, 'src/lib.rs': lib });
    const line = (f: Finding) => lib.slice(0, f.location.span.start).split('\n').length;
    assert.deepEqual(
      findings.map((f) => [f.ruleId, line(f)]),
      [['wasmtime-native-unwind-info', 13]],
      'only the config whose engine compiles the modules',
    );
  });

  it('wazero: a package function called Instantiate (wasi_snapshot_preview1) is not Runtime.Instantiate', async () => {
    const main = [
      'package main',
      '',
      'import (',
      '\t"context"',
      '',
      '\t"github.com/tetratelabs/wazero"',
      '\t"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"',
      ')',
      '',
      'func run(ctx context.Context, bin []byte) error {',
      '\tcache := wazero.NewCompilationCache()',
      '\tr := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache))',
      '\twasi_snapshot_preview1.MustInstantiate(ctx, r)',
      '\tif _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {',
      '\t\treturn err',
      '\t}',
      '\tcompiled, err := r.CompileModule(ctx, bin)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\t_, err = r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig())',
      '\treturn err',
      '}',
      '',
    ].join('\n');
    assert.deepEqual((await analyze({ 'main.go': main })).findings, []);
  });

  it('skips Go files that no build includes (//go:build ignore)', async () => {
    const main =
      'package main\n\nimport "github.com/bytecodealliance/wasmtime-go/v30"\n\nfunc main() {\n\tfor _, p := range []string{"a"} {\n\t\te := wasmtime.NewEngine()\n\t\twasmtime.NewModuleFromFile(e, p)\n\t}\n}\n';
    assert.ok((await analyze({ 'gen/main.go': main })).findings.length > 0);
    assert.deepEqual((await analyze({ 'gen/main.go': `//go:build ignore\n\n${main}` })).findings, []);
  });

  it('wasmtime: nothing to report when the platform is Windows; on Linux loads in a loop make it a warning', async () => {
    const lib = [
      'use wasmtime::{Config, Engine, Module};',
      'pub fn load(paths: &[String]) -> anyhow::Result<Vec<Module>> {',
      '    let mut config = Config::new();',
      '    config.parallel_compilation(false);',
      '    let engine = Engine::new(&config)?;',
      '    paths.iter().map(|p| Module::from_file(&engine, p)).collect()',
      '}',
    ].join('\n');
    const { findings } = await analyze({ 'src/lib.rs': lib }, 'win32');
    assert.deepEqual(findings, [], 'nothing to report on Windows');
    const linux = await analyze({ 'src/lib.rs': lib });
    assert.deepEqual(
      linux.findings.map((f) => [f.ruleId, f.severity]),
      [['wasmtime-native-unwind-info', 'warning']],
    );
    assert.ok(linux.findings[0]!.evidence.some((e) => e.message.includes('in a loop')));
  });
});
