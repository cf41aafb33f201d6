import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsOf, textAt } from './parse';

const WASMTIME = [
  'package main',
  '',
  'import (',
  '\t"fmt"',
  '\twt "github.com/bytecodealliance/wasmtime-go/v28"',
  ')',
  '',
  'func build() *wt.Engine {',
  '\tcfg := wt.NewConfig()',
  '\tcfg.SetParallelCompilation(false)',
  '\treturn wt.NewEngineWithConfig(cfg)',
  '}',
  '',
  'func loadAll(e *wt.Engine, paths []string) {',
  '\tfor _, p := range paths {',
  '\t\tm, err := wt.NewModuleFromFile(e, p)',
  '\t\tfmt.Println(m, err)',
  '\t}',
  '}',
  '',
].join('\n');

describe('Go fact extractor', () => {
  it('follows an aliased wasmtime-go import to configs, setters, engines and module loads', async () => {
    const facts = await factsOf('/w/main.go', WASMTIME);
    assert.deepEqual(facts.runtimes, ['wasmtime']);
    const config = facts.configs[0]!;
    assert.equal(config.variable, 'cfg');
    assert.equal(config.constructorName, 'wt.NewConfig');
    assert.deepEqual(
      config.setters.map((s) => [s.setting, s.argumentText]),
      [['parallel_compilation', 'false']],
    );
    assert.equal(config.escapes, false);
    assert.equal(config.insertAfter?.indent, '\t');
    assert.equal(facts.engines[0]!.configIndex, 0);
    assert.equal(facts.moduleLoads[0]!.api, 'wt.NewModuleFromFile');
    assert.ok(facts.moduleLoads[0]!.context.loop);
    assert.deepEqual(facts.imports.imported, ['fmt', 'wt=github.com/bytecodealliance/wasmtime-go/v28']);
    assert.equal(facts.imports.importBlockIsGrouped, true);
    assert.equal(WASMTIME.slice(facts.imports.importInsertion!.offset).split('\n')[0], ')');
  });

  it('treats _windows.go files and `if runtime.GOOS == "windows"` blocks as Windows-only', async () => {
    assert.equal((await factsOf('/w/engine_windows.go', WASMTIME)).windowsOnly, true);
    const text =
      'package main\n\nimport (\n\t"runtime"\n\t"github.com/bytecodealliance/wasmtime-go/v40"\n)\n\nfunc f() {\n\tif runtime.GOOS == "windows" {\n\t\tc := wasmtime.NewConfig()\n\t\t_ = c\n\t}\n\tc := wasmtime.NewConfig()\n\t_ = c\n}\n';
    const facts = await factsOf('/w/engine.go', text);
    assert.deepEqual(
      facts.configs.map((c) => c.context.windowsOnly),
      [true, false],
    );
    assert.equal(facts.imports.takenNames, undefined, 'runtime is the imported package');
  });

  it('resolves the compilation cache behind a wazero runtime through variables and chains', async () => {
    const text = [
      'package main',
      'import "github.com/tetratelabs/wazero"',
      'var shared = wazero.NewCompilationCache()',
      'func a(ctx context.Context) { r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(shared)); _ = r }',
      'func b(ctx context.Context) { c, _ := wazero.NewCompilationCacheWithDir("d"); rc := wazero.NewRuntimeConfig(); rc = rc.WithCompilationCache(c); r := wazero.NewRuntimeWithConfig(ctx, rc); _ = r }',
      'func c(ctx context.Context) { r := wazero.NewRuntime(ctx); _ = r }',
      'func d(ctx context.Context, given wazero.CompilationCache) { r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(given)); _ = r }',
      'func e(ctx context.Context) { r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(nil)); _ = r }',
    ].join('\n');
    const facts = await factsOf('/w/main.go', text);
    assert.deepEqual(
      facts.wazeroRuntimes.map((r) => r.cache?.kind),
      ['memory', 'directory', undefined, 'unknown', undefined],
    );
    assert.deepEqual(
      facts.wazeroRuntimes.map((r) => r.variable),
      ['r', 'r', 'r', 'r', 'r'],
    );
    assert.equal(facts.imports.wazeroName, 'wazero');
  });

  it('describes an Instantiate statement it can rewrite, and says why it cannot rewrite others', async () => {
    const text = [
      'package main',
      'import "github.com/tetratelabs/wazero"',
      'func run(ctx context.Context, r wazero.Runtime, bin []byte, compiled int) error {',
      '\tmod, err := r.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName("x"))',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\t_ = mod',
      '\tr.Instantiate(ctx, bin)',
      '\tm2, err := r.Instantiate(ctx, bin)',
      '\t_ = m2',
      '\treturn nil',
      '}',
    ].join('\n');
    const facts = await factsOf('/w/main.go', text);
    const [first, bare, unchecked] = facts.instantiations;
    assert.equal(first!.method, 'InstantiateWithConfig');
    const rewrite = first!.rewrite!;
    assert.deepEqual(rewrite.targets, ['mod', 'err']);
    assert.equal(rewrite.defines, true);
    assert.equal(rewrite.configArgument, 'wazero.NewModuleConfig().WithName("x")');
    assert.equal(rewrite.errorCheckText, 'if err != nil {\n\t\treturn err\n\t}');
    assert.ok(rewrite.usedNames.includes('compiled'));
    assert.equal(textAt(text, rewrite.statement), 'mod, err := r.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName("x"))');
    assert.match(bare!.noRewriteReason!, /not a plain/);
    assert.match(unchecked!.noRewriteReason!, /if err != nil/);
  });
});
