/**
 * The engine as its own bundle (dist/engine.js, an entry in esbuild.mjs). The extension
 * loads it on first use (the first analysis, the benchmark panel, a CodeLens on a Rust
 * file), so activation parses only the extension's own code; everything the extension
 * needs from the engine, the parsers and the benchmark engine goes through here.
 */
export { Analyzer } from '../core/engine';
export { buildSarifLog, SARIF_SCHEMA } from '../core/report/sarif';
export { countCheckedFiles } from '../core/report/summary';
export { RULES, ruleById } from '../core/rules';
export { parserFor, parseToPlainTree } from '../core/hostcode/tree-sitter';
export { findRustExports } from './codelens/rust-exports';
export { findCrateArtifact } from './panels/crate-artifact';
export { compareModules, runBenchmark } from '../bench/api';
export { buildVariants } from '../bench/variants';
export { listBenchmarkableExports } from '../bench/exports';
export { parseBenchFile } from '../bench/bench-file';
// Errors thrown by the benchmark engine are this bundle's BenchError: only this copy of
// toFailure recognises them (`instanceof`), so the extension must not bundle its own.
export { toFailure } from '../bench/errors';
