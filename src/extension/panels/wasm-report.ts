import type * as vscode from 'vscode';

export interface WasmReportDeps {
  readonly log: vscode.LogOutputChannel;
}

/** Placeholder until the .wasm report lands: registers nothing. */
export function registerWasmReport(_context: vscode.ExtensionContext, _deps: WasmReportDeps): void {}
