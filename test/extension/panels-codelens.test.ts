import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { parserFor, parseToPlainTree } from '../../src/core/hostcode/tree-sitter';
import { findRustExports } from '../../src/extension/codelens/rust-exports';
import { RustExportLensProvider } from '../../src/extension/codelens/rust-export-lens';
import { createNodeHost } from '../../src/node/node-host';
import { FakeLogOutputChannel, FakeTextDocument } from '../helpers/vscode-stub';
import { testAssets } from '../helpers/hosts';
import { loadEngine } from './fixtures';
import type { LoadEngine } from '../../src/extension/engine-loader';

const SOURCE = `use wasm_bindgen::prelude::*;

/// Adds.
#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 { a + b }

#[unsafe(no_mangle)]
pub unsafe extern "C" fn raw() {}

#[export_name = "sum_u8"]
pub extern "C" fn sum(ptr: *const u8, len: usize) -> u32 { 0 }

#[unsafe(export_name = "renamed")]
extern "C" fn hidden() {}

#[wasm_bindgen]
pub fn greet() {}

#[wasm_bindgen(js_name = "fooBar")]
// a comment between the attribute and the item
pub fn foo_bar() {}

#[wasm_bindgen]
fn private_not_exported() {}

pub extern "C" fn no_attribute() {}

// #[no_mangle] in a comment
pub fn commented() {}

const TEXT: &str = "#[no_mangle] pub extern \\"C\\" fn in_string() {}";

#[wasm_bindgen]
impl Counter {
    #[no_mangle]
    pub fn method(&self) {}
}

mod inner {
    #[no_mangle]
    pub extern "C" fn nested() {}
}
`;

async function parse(text: string) {
  const parser = await parserFor(createNodeHost(), testAssets().dir, 'rust');
  return parseToPlainTree(parser, text).root;
}

describe('exported Rust functions', () => {
  it('finds no_mangle, export_name and pub wasm_bindgen functions, and nothing in comments, strings or impls', async () => {
    const found = findRustExports(SOURCE, await parse(SOURCE));
    assert.deepEqual(
      found.map((entry) => [entry.functionName, entry.exportName]),
      [
        ['add', 'add'],
        ['raw', 'raw'],
        ['sum', 'sum_u8'],
        ['hidden', 'renamed'],
        ['greet', 'greet'],
        ['foo_bar', 'fooBar'],
        ['nested', 'nested'],
      ],
    );
    const add = found[0]!;
    assert.equal(SOURCE.slice(add.start, add.start + 12), '#[no_mangle]', 'the span starts at the first attribute');
  });
});

describe('Benchmark CodeLens', () => {
  let crate: string;
  before(() => {
    crate = mkdtempSync(join(tmpdir(), 'wasm-perf-lens-'));
    mkdirSync(join(crate, 'src'));
    writeFileSync(join(crate, 'Cargo.toml'), '[package]\nname = "my-kernels"\nversion = "0.1.0"\n');
    writeFileSync(join(crate, 'src', 'lib.rs'), SOURCE);
  });
  after(() => rmSync(crate, { recursive: true, force: true }));

  let engineLoads = 0;
  const countedLoad: LoadEngine = () => {
    engineLoads++;
    return loadEngine();
  };
  const provider = () => new RustExportLensProvider(testAssets().dir, new FakeLogOutputChannel('t'), countedLoad);
  const lenses = (text: string) =>
    provider().provideCodeLenses(
      new FakeTextDocument(vscode.Uri.file(join(crate, 'src', 'lib.rs')), text, 'rust') as unknown as vscode.TextDocument,
      new vscode.CancellationTokenSource().token,
    );

  it('puts a lens on the first attribute line of each export, benchmarking the crate until it has a wasm build', async () => {
    const found = await lenses(SOURCE);
    assert.equal(found.length, 7);
    assert.equal(found[0]?.range.start.line, 3);
    assert.deepEqual(found[0]?.command, {
      title: 'Benchmark add',
      tooltip: 'Time the wasm export add in the benchmark panel',
      command: 'wasm-perf.benchmarkExport',
      arguments: [{ modulePath: join(crate, 'Cargo.toml'), exportName: 'add' }],
    });

    const release = join(crate, 'target', 'wasm32-unknown-unknown', 'release');
    mkdirSync(release, { recursive: true });
    writeFileSync(join(release, 'my_kernels.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const built = await lenses(SOURCE);
    assert.deepEqual(built[5]?.command?.arguments, [{ modulePath: join(release, 'my_kernels.wasm'), exportName: 'fooBar' }]);
  });

  it('skips files without export attributes before parsing, without loading the engine bundle', async () => {
    const before = engineLoads;
    assert.deepEqual(await lenses('pub fn plain() {}\n'), []);
    assert.equal(engineLoads, before);
  });
});
