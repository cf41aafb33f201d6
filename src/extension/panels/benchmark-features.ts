import type * as vscode from 'vscode';

export interface BenchmarkDeps {
  /** False in Restricted Mode: anything that runs code is disabled with a reason. */
  readonly isTrusted: () => boolean;
  readonly log: vscode.LogOutputChannel;
}

/** Placeholder until the benchmark panel lands: registers nothing. */
export function registerBenchmarkFeatures(_context: vscode.ExtensionContext, _deps: BenchmarkDeps): void {}
