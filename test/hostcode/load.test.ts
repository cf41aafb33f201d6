import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { languageOf, loadHostCode, sourceLanguage } from '../../src/core/hostcode/load';
import { emptyCargoModel } from '../../src/core/cargo/model';
import type { Notice } from '../../src/core/model';
import { withDefaults } from '../../src/core/settings';
import { DerivedCache } from '../../src/core/workspace/cache';
import type { DiscoveredFiles } from '../../src/core/workspace/discover';
import type { LoadContext } from '../../src/core/workspace/load-context';
import { FileReader } from '../../src/core/workspace/reader';
import { toEnginePath } from '../../src/node/node-host';
import { overlayHost, testAssets } from '../helpers/hosts';
import { parse } from './parse';

function files(hostSources: string[], extra: Partial<DiscoveredFiles> = {}): DiscoveredFiles {
  return {
    roots: ['/w'],
    manifests: [],
    cargoConfigs: [],
    lockfiles: [],
    toolchains: [],
    spinManifests: [],
    goModules: [],
    pythonManifests: [],
    hostSources,
    binaries: [],
    scripts: [],
    readmes: [],
    ...extra,
  };
}

function contextFor(
  overlays: Map<string, string>,
  discovered: DiscoveredFiles,
  cache: DerivedCache,
  assetsDir = testAssets().dir,
): { context: LoadContext; notices: Notice[] } {
  const host = overlayHost(overlays);
  const notices: Notice[] = [];
  const settings = withDefaults(undefined);
  return {
    context: {
      host,
      files: discovered,
      reader: new FileReader(host, settings.maxTextBytes),
      settings,
      assets: { dir: assetsDir },
      cache,
      notice: (notice) => notices.push(notice),
    },
    notices,
  };
}

describe('loadHostCode', () => {
  it('skips files that name no runtime, caches facts by file text, and reads go.mod pins', async () => {
    const cache = new DerivedCache();
    const rust = 'fn f() { let c = wasmtime::Config::new(); let _e = wasmtime::Engine::new(&c); }\n';
    const overlays = new Map([
      ['/w/a.rs', rust],
      ['/w/plain.rs', 'fn main() { println!("hello"); }\n'],
      ['/w/go.mod', 'module x\n\nrequire github.com/tetratelabs/wazero v1.8.0\n'],
    ]);
    const discovered = files(['/w/a.rs', '/w/plain.rs'], { goModules: ['/w/go.mod'] });
    const first = await loadHostCode(contextFor(overlays, discovered, cache).context, emptyCargoModel());
    assert.deepEqual(
      first.files.map((f) => f.path),
      ['/w/a.rs'],
    );
    assert.deepEqual(
      first.pins.map((p) => [p.name, p.version]),
      [['github.com/tetratelabs/wazero', 'v1.8.0']],
    );

    const second = await loadHostCode(contextFor(overlays, discovered, cache).context, emptyCargoModel());
    assert.equal(second.files[0], first.files[0], 'unchanged text reuses the cached facts');

    overlays.set('/w/a.rs', `// edited\n${rust}`);
    const third = await loadHostCode(contextFor(overlays, discovered, cache).context, emptyCargoModel());
    assert.notEqual(third.files[0], first.files[0]);
    assert.equal(third.files[0]!.configs[0]!.span.start, first.files[0]!.configs[0]!.span.start + '// edited\n'.length);
  });

  it('turns missing grammar assets into one notice instead of a crash', async () => {
    const overlays = new Map([
      ['/w/a.rs', 'fn f() { wasmtime::Config::new(); }\n'],
      ['/w/b.go', 'package x // wazero\n'],
    ]);
    const { context, notices } = contextFor(overlays, files(['/w/a.rs', '/w/b.go']), new DerivedCache(), '/nonexistent-assets');
    const model = await loadHostCode(context, emptyCargoModel());
    assert.deepEqual(model.files, []);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.message, /host-code analysis unavailable/);
  });

  it('gives a notice for a non-UTF-8 file only when it names a runtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-hostcode-'));
    try {
      const latin1 = (text: string) => Buffer.from(text, 'latin1');
      writeFileSync(join(dir, 'engine.c'), latin1('/* caf\xe9 */ wasm_config_t *c = wasm_config_new(); /* wasmtime */\n'));
      writeFileSync(join(dir, 'other.c'), latin1('/* caf\xe9 */ int main(void) { return 0; }\n'));
      const paths = [toEnginePath(join(dir, 'engine.c')), toEnginePath(join(dir, 'other.c'))];
      const { context, notices } = contextFor(new Map(), files(paths), new DerivedCache());
      const model = await loadHostCode(context, emptyCargoModel());
      assert.deepEqual(model.files, []);
      assert.deepEqual(
        notices.map((n) => [n.file, n.kind]),
        [[paths[0], 'skipped']],
      );
      assert.match(notices[0]!.message, /UTF-8/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps extensions to languages (C++ headers included)', () => {
    assert.deepEqual(['a.rs', 'a.go', 'a.py', 'a.c', 'a.h', 'a.cc', 'a.cpp', 'a.cxx', 'a.hpp', 'a.hh', 'a.js'].map(languageOf), [
      'rust',
      'go',
      'python',
      'c',
      'c',
      'cpp',
      'cpp',
      'cpp',
      'cpp',
      'cpp',
      undefined,
    ]);
  });

  it('parses a `.h` header as C++ only when its code uses C++', () => {
    const cpp = [
      'namespace host { int x; }',
      'class Runner : public Base {};',
      'template <typename T> T id(T v);',
      'wasmtime::Config make_config();',
      'using namespace wasmtime;',
      'using Bytes = int;',
      '#include "runner.hpp"',
      '  #include <vector>',
    ];
    for (const text of cpp) assert.equal(sourceLanguage('/w/a.h', text), 'cpp', text);
    const c = [
      '#ifdef __cplusplus\nextern "C" {\n#endif\nwasm_engine_t *make_engine(void);\n#ifdef __cplusplus\n}\n#endif',
      'struct runner { int x; };\ntypedef struct runner runner_t;',
      '// this class uses wasmtime::Config in C++\nwasm_config_t *make_config(void);',
      '/* namespace x { } */ const char *s = "std::vector<int> in a string"; char c = \'"\';',
      '#include "wasmtime.h"\n#include <stdio.h>',
    ];
    for (const text of c) assert.equal(sourceLanguage('/w/a.h', text), 'c', text);
    assert.equal(sourceLanguage('/w/a.c', 'namespace x {}'), 'c', 'only headers are judged by content');
    assert.equal(sourceLanguage('/w/a.cc', 'int main(void) { return 0; }'), 'cpp');
  });

  it('every fixed file of the host golden cases parses without syntax errors', async () => {
    const golden = join(process.cwd(), 'test/fixtures/golden');
    const fixedFiles: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else fixedFiles.push(path);
      }
    };
    for (const name of readdirSync(golden).filter((n) => n.startsWith('host-'))) {
      if (existsSync(join(golden, name, 'fixed'))) walk(join(golden, name, 'fixed'));
    }
    const checked = fixedFiles.filter((path) => languageOf(path) !== undefined);
    assert.ok(checked.length >= 8, `expected fixed host files, found ${checked.length}`);
    assert.ok(
      checked.some((path) => languageOf(path) === 'cpp'),
      'C++ fixes are checked with the C++ grammar',
    );
    for (const path of checked) {
      const text = readFileSync(path, 'utf8');
      const parsed = await parse(sourceLanguage(path, text)!, text);
      assert.equal(parsed.hasErrors, false, `${path} has syntax errors after the fix`);
    }
  });
});
