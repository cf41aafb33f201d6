/**
 * "Benchmark <export>" above each function a Rust crate exports to wasm. Parsing uses the
 * host-code area's tree-sitter Rust grammar; files that mention none of the export
 * attributes are skipped before parsing. The lens benchmarks the crate's existing wasm
 * release build when there is one, and otherwise the crate itself (the panel builds it).
 * The parser comes with the engine bundle, loaded by the first Rust file that needs lenses.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { LineIndex } from '../../core/text/line-index';
import { createNodeHost } from '../../node/node-host';
import type { Engine, LoadEngine } from '../engine-loader';
import type { RustExport } from './rust-exports';

const EXPORT_ATTRIBUTE = /no_mangle|export_name|wasm_bindgen/;

export function registerRustExportLenses(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel; loadEngine: LoadEngine },
): void {
  const provider = new RustExportLensProvider(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, deps.log, deps.loadEngine);
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ language: 'rust', scheme: 'file' }, provider));
}

export class RustExportLensProvider implements vscode.CodeLensProvider {
  private readonly host = createNodeHost();
  private failureLogged = false;

  constructor(
    private readonly assetsDir: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly loadEngine: LoadEngine,
  ) {}

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    if (!EXPORT_ATTRIBUTE.test(text)) return [];
    const manifest = findManifest(document.uri.fsPath);
    if (!manifest) return [];
    let engine: Engine;
    let exports: RustExport[];
    try {
      engine = await this.loadEngine();
      const parser = await engine.parserFor(this.host, this.assetsDir, 'rust');
      if (token.isCancellationRequested) return [];
      exports = engine.findRustExports(text, engine.parseToPlainTree(parser, text).root);
    } catch (error) {
      // A missing grammar (or engine bundle) must not cost an error per keystroke: log it once.
      if (!this.failureLogged)
        this.log.warn(`Benchmark lenses are off: cannot parse Rust (${error instanceof Error ? error.message : String(error)})`);
      this.failureLogged = true;
      return [];
    }
    if (exports.length === 0) return [];
    const modulePath = (await engine.findCrateArtifact(manifest).catch(() => undefined)) ?? manifest;
    const lines = new LineIndex(text);
    return exports.map((entry) => {
      const position = lines.positionAt(entry.start);
      return new vscode.CodeLens(new vscode.Range(position.line, 0, position.line, 0), {
        title: vscode.l10n.t('Benchmark {0}', entry.exportName),
        tooltip: vscode.l10n.t('Time the wasm export {0} in the benchmark panel', entry.exportName),
        command: 'wasm-perf.benchmarkExport',
        arguments: [{ modulePath, exportName: entry.exportName }],
      });
    });
  }
}

/** The nearest Cargo.toml above a source file. */
export function findManifest(sourcePath: string): string | undefined {
  let dir = dirname(sourcePath);
  for (;;) {
    const candidate = join(dir, 'Cargo.toml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
