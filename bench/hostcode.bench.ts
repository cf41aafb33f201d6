/**
 * `npm run bench -- hostcode` (or `node out/bench/hostcode.bench.js` after a build): the
 * host-code loader on generated host programs of about 2,000 lines per language, in one
 * process:
 *
 *   cold      first file: web-tree-sitter init, grammar load, parse, copy, fact extraction
 *   warm      the same work on a new text (parser ready), median of 7
 *   cached    re-analysis with the text unchanged (the DerivedCache hit), median of 7
 *
 * Targets: warm under 100 ms per 2,000-line file, cached under 1 ms. The bench prints the
 * numbers either way and says whether it met them.
 */
import { join } from 'node:path';
import { loadHostCode } from '../src/core/hostcode/load';
import { emptyCargoModel } from '../src/core/cargo/model';
import type { HostLanguage } from '../src/core/hostcode/model';
import { withDefaults } from '../src/core/settings';
import { DerivedCache } from '../src/core/workspace/cache';
import type { LoadContext } from '../src/core/workspace/load-context';
import { FileReader } from '../src/core/workspace/reader';
import { overlayHost } from '../test/helpers/hosts';

const FUNCTIONS = 250;

function rustHost(seed: number): string {
  const out = ['use wasmtime::{Config, Engine, Module};'];
  for (let i = 0; i < FUNCTIONS; i++) {
    out.push(
      `fn load_${i}_${seed}(paths: &[String]) -> anyhow::Result<Vec<Module>> {`,
      '    let mut config = Config::new();',
      '    config.wasm_simd(true).parallel_compilation(false);',
      '    let engine = Engine::new(&config)?;',
      '    paths.iter().map(|p| Module::from_file(&engine, p)).collect()',
      '}',
      '',
    );
  }
  return out.join('\n');
}

function goHost(seed: number): string {
  const out = ['package main', '', 'import (', '\t"context"', '\t"github.com/tetratelabs/wazero"', ')', ''];
  for (let i = 0; i < FUNCTIONS; i++) {
    out.push(
      `func run${i}_${seed}(ctx context.Context, r wazero.Runtime, bin []byte) error {`,
      '\tmod, err := r.Instantiate(ctx, bin)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\treturn mod.Close(ctx)',
      '}',
      '',
    );
  }
  return out.join('\n');
}

function contextFor(path: string, text: string, cache: DerivedCache): LoadContext {
  const host = overlayHost(new Map([[path, text]]));
  const settings = withDefaults(undefined);
  return {
    host,
    files: {
      roots: ['/bench'],
      manifests: [],
      cargoConfigs: [],
      lockfiles: [],
      toolchains: [],
      spinManifests: [],
      goModules: [],
      pythonManifests: [],
      hostSources: [path],
      binaries: [],
      scripts: [],
      readmes: [],
    },
    reader: new FileReader(host, settings.maxTextBytes),
    settings,
    assets: { dir: join(process.cwd(), 'dist') },
    cache,
    notice: (notice) => console.error(`notice: ${notice.message}`),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const cases: [HostLanguage, string, (seed: number) => string][] = [
    ['rust', '/bench/host.rs', rustHost],
    ['go', '/bench/host.go', goHost],
  ];
  let met = true;
  for (const [language, path, generate] of cases) {
    const cache = new DerivedCache();
    const lines = generate(0).split('\n').length;
    const cold = await timed(() => loadHostCode(contextFor(path, generate(0), cache), emptyCargoModel()));
    const warm: number[] = [];
    const cached: number[] = [];
    for (let seed = 1; seed <= 7; seed++) {
      const text = generate(seed);
      warm.push(await timed(() => loadHostCode(contextFor(path, text, cache), emptyCargoModel())));
      cached.push(await timed(() => loadHostCode(contextFor(path, text, cache), emptyCargoModel())));
    }
    const warmMs = median(warm);
    const cachedMs = median(cached);
    met &&= warmMs < 100 && cachedMs < 1;
    console.log(
      `${language.padEnd(5)} ${lines} lines: cold ${cold.toFixed(1)} ms, warm ${warmMs.toFixed(1)} ms, cached ${cachedMs.toFixed(2)} ms`,
    );
  }
  console.log(met ? 'targets met (warm < 100 ms, cached < 1 ms)' : 'targets NOT met (warm < 100 ms, cached < 1 ms)');
}

void main();
