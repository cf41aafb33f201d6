/**
 * Which toolchain built a module, on the `producers` sections real toolchains write. The strings
 * are copied from binaries in the corpus repositories (extism/go-sdk's plugins, spin's test
 * apps and docs, extism's and wasmi's guests); the fixtures of test/fixtures/wasm cover rustc,
 * Debian's clang, Go 1.19 and asc in test/wasm/real-binaries.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWasm } from '../../src/core/wasm/inspect';
import { toolchainOf, type Toolchain } from '../../src/core/wasm/toolchain';
import { custom, HEADER, moduleWithBodies, name, section, uleb } from './bytes';

type Fields = Partial<Record<'language' | 'processed-by' | 'sdk', [string, string][]>>;

function producers(fields: Fields): number[] {
  const entries = Object.entries(fields);
  return custom('producers', [
    ...uleb(entries.length),
    ...entries.flatMap(([field, values]) => [
      ...name(field),
      ...uleb(values.length),
      ...values.flatMap(([n, v]) => [...name(n), ...name(v)]),
    ]),
  ]);
}

function toolchain(...after: number[][]): Toolchain {
  const report = inspectWasm(moduleWithBodies([[0x01]], { after }));
  assert.equal(report.error, undefined);
  return toolchainOf(report.module!);
}

describe('toolchainOf', () => {
  it('reads rustc, also when C was linked in', () => {
    assert.equal(toolchain(producers({ language: [['Rust', '']], 'processed-by': [['rustc', '1.71.1 (eb26296b5 2023-08-03)']] })), 'rust');
    assert.equal(
      toolchain(
        producers({
          language: [['Rust', '']],
          'processed-by': [
            ['clang', '14.0.4 (https://github.com/llvm/llvm-project 29f1039a7285a5c3a9c353d054140bf2556d4c4d)'],
            ['rustc', '1.67.1 (d5a82bbd2 2023-02-07)'],
          ],
        }),
      ),
      'rust',
    );
  });

  it('reads clang builds with or without a language, and Emscripten', () => {
    assert.equal(
      toolchain(
        producers({
          language: [
            ['C11', ''],
            ['C_plus_plus_14', ''],
          ],
          'processed-by': [['clang', '18.1.2-wasi-sdk (https://github.com/llvm/llvm-project 26a1d6601d727a96f4301d0d8647b5a42760ae0c)']],
        }),
      ),
      'c',
    );
    assert.equal(toolchain(producers({ 'processed-by': [['Ubuntu clang', '15.0.7']] })), 'c');
    assert.equal(toolchain(producers({ language: [['C99', '']], 'processed-by': [['Debian clang', '14.0.6']] })), 'c');
    assert.equal(toolchain(producers({ 'processed-by': [['clang', '20.0.0git']], sdk: [['Emscripten', '4.0.1']] })), 'c');
  });

  it('tells TinyGo from C although its debug info says C99', () => {
    assert.equal(
      toolchain(
        producers({
          language: [
            ['C11', ''],
            ['C99', ''],
          ],
          'processed-by': [
            ['clang', '18.1.2 (https://github.com/tinygo-org/llvm-project 4d1843515570bbc987db3980297163c07e6ac0e5)'],
            ['TinyGo', '0.34.0'],
          ],
        }),
      ),
      'tinygo',
    );
    // Before 0.28 TinyGo did not name itself; its clang comes from its own or Espressif's LLVM fork.
    for (const fork of [
      'tinygo-org/llvm-project 1f20f113b6e577ff74484e925818378ffdb7a5d9',
      'espressif/llvm-project a07cafda9140cbd9e37235c1522b42674221d2a4',
    ])
      assert.equal(
        toolchain(producers({ language: [['C99', '']], 'processed-by': [['clang', `15.0.0 (https://github.com/${fork})`]] })),
        'tinygo',
        fork,
      );
  });

  it('reads Go by its producers, its build id section or its js imports', () => {
    assert.equal(toolchain(producers({ language: [['Go', 'go1.24.0']], 'processed-by': [['Go cmd/compile', 'go1.24.0']] })), 'go');
    assert.equal(toolchain(custom('go:buildid', [...name('abc/def')])), 'go');
    const jsImport = Uint8Array.from([
      ...HEADER,
      ...section(1, [1, 0x60, 1, 0x7f, 0]),
      ...section(2, [1, ...name('gojs'), ...name('runtime.wasmExit'), 0x00, 0]),
    ]);
    assert.equal(toolchainOf(inspectWasm(jsImport).module!), 'go');
  });

  it('reads AssemblyScript by its abort import, its runtime exports or its ~lib/ names', () => {
    const abortImport = Uint8Array.from([
      ...HEADER,
      ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
      ...section(2, [1, ...name('env'), ...name('abort'), 0x00, 0]),
    ]);
    assert.equal(toolchainOf(inspectWasm(abortImport).module!), 'assemblyscript');
    const names = custom('name', [1, ...uleb(name('~lib/rt/itcms/__new').length + 2), 1, 0, ...name('~lib/rt/itcms/__new')]);
    assert.equal(toolchain(names), 'assemblyscript');
    // Emscripten's abort takes no arguments: not AssemblyScript.
    const emscriptenAbort = Uint8Array.from([
      ...HEADER,
      ...section(1, [1, 0x60, 0, 0]),
      ...section(2, [1, ...name('env'), ...name('abort'), 0x00, 0]),
    ]);
    assert.equal(toolchainOf(inspectWasm(emscriptenAbort).module!), 'unknown');
  });

  it('calls other languages compiled through clang, and modules that say nothing, unknown', () => {
    assert.equal(
      toolchain(
        producers({
          'processed-by': [
            ['clang', '17.0.0 (https://gitlab.haskell.org/ghc/llvm-project.git 6aea886cff298213657f2673619cfdb72645bc12)'],
            ['ghc', '9.6'],
          ],
        }),
      ),
      'unknown',
    );
    assert.equal(toolchain(producers({ language: [['Swift', '']], 'processed-by': [['clang', '17.0.0']] })), 'unknown');
    assert.equal(toolchain(), 'unknown');
  });
});
