/**
 * Which export "Measure the difference" times when there is no doubt: the crate's only
 * exported function, if it takes no arguments or numbers only. Read from the Rust sources
 * (`src/lib.rs`), else from a wasm build of the crate; anything else leaves the choice to
 * the user in the panel.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createNodeHost } from '../../node/node-host';
import type { Engine } from '../engine-loader';

const NUMERIC_RUST_TYPE = /^(?:[iu](?:8|16|32|64|size)|f32|f64)$/;
const NUMERIC_WASM_TYPE = new Set(['i32', 'i64', 'f32', 'f64']);
/** Exports toolchains add for their own runtime, never what a person wants timed. */
const RUNTIME_EXPORT = /^(?:__|_initialize$|_start$|main$)/;
/** 1, not 0: a count or a size of 0 would time an empty call. */
const NUMERIC_ARG = '1';

export interface ChosenExport {
  readonly exportName: string;
  readonly args: readonly string[];
}

export async function unambiguousExport(manifestPath: string, engine: Engine, assetsDir: string): Promise<ChosenExport | undefined> {
  const fromSource = await sourceExports(manifestPath, engine, assetsDir);
  if (fromSource !== undefined) {
    const [only, ...rest] = fromSource.filter((entry) => !RUNTIME_EXPORT.test(entry.exportName));
    if (!only || rest.length > 0 || !only.params.every((type) => NUMERIC_RUST_TYPE.test(type))) return undefined;
    return { exportName: only.exportName, args: only.params.map(() => NUMERIC_ARG) };
  }
  const artifact = await engine.findCrateArtifact(manifestPath);
  if (!artifact) return undefined;
  const overview = engine.listBenchmarkableExports(new Uint8Array(await readFile(artifact)));
  const [only, ...rest] = overview.exports.filter((entry) => !RUNTIME_EXPORT.test(entry.name));
  if (!only || rest.length > 0 || !only.benchmarkable || !only.params.every((type) => NUMERIC_WASM_TYPE.has(type))) return undefined;
  return { exportName: only.name, args: only.params.map(() => NUMERIC_ARG) };
}

/** The exports `src/lib.rs` declares, or undefined when there is no such file to read. */
async function sourceExports(manifestPath: string, engine: Engine, assetsDir: string) {
  let text: string;
  try {
    text = await readFile(join(dirname(manifestPath), 'src', 'lib.rs'), 'utf8');
  } catch {
    return undefined;
  }
  const parser = await engine.parserFor(createNodeHost(), assetsDir, 'rust');
  return engine.findRustExports(text, engine.parseToPlainTree(parser, text).root);
}
