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
async function analyze(files: Record<string, string>, platform: NodeJS.Platform = 'linux'): Promise<{ findings: Finding[]; texts: Map<string, string> }> {
  const overlays = new Map(Object.entries(files).map(([rel, text]) => [`${root}/${rel}`, text]));
  const result = await new Analyzer(overlayHost(overlays, { platform }), undefined, testAssets()).analyze([root]);
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
    assert.deepEqual(findings.map((f) => f.ruleId), ['wazero-implicit-compile']);
    const fix = findings[0]!.fixes.find((f) => f.preferred)!;
    const fixed = applyEdits(texts.get(`${root}/main.go`)!, fix.changes[0]!.edits);
    assert.match(fixed, /\tcompiled2, err := r\.CompileModule\(ctx, bin\)\n\tif err != nil \{\n\t\treturn err\n\t\}\n\t_, err = r\.InstantiateModule\(ctx, compiled2, wz\.NewModuleConfig\(\)\)\n\tif err != nil/);
  });

  it('wasmtime: says macOS is the severe case, and creates no engine-per-module noise in main or tests', async () => {
    const lib = [
      'use wasmtime::{Config, Engine, Module};',
      'fn main() -> anyhow::Result<()> {',
      '    let mut config = Config::new();',
      '    config.parallel_compilation(false);',
      '    let engine = Engine::new(&config)?;',
      '    let _m = Module::from_file(&engine, "a.wasm")?;',
      '    Ok(())',
      '}',
    ].join('\n');
    const test = lib.replace('fn main()', 'fn loads_one_module()');
    const { findings } = await analyze({ 'src/main.rs': lib, 'tests/load.rs': test }, 'darwin');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity, f.location.file.slice(root.length + 1)]), [
      ['wasmtime-native-unwind-info', 'info', 'src/main.rs'],
      ['wasmtime-native-unwind-info', 'info', 'tests/load.rs'],
    ]);
    assert.match(findings[0]!.message, /severe on macOS$/);
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
    assert.deepEqual(linux.findings.map((f) => [f.ruleId, f.severity]), [['wasmtime-native-unwind-info', 'warning']]);
    assert.ok(linux.findings[0]!.evidence.some((e) => e.message.includes('in a loop')));
  });
});
