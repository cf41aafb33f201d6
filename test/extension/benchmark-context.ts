/** Test helper: the benchmark features registered on a fake extension context, as activation does. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DiagnosticStore } from '../../src/extension/diagnostic-store';
import type { LoadEngine } from '../../src/extension/engine-loader';
import { registerBenchmarkFeatures } from '../../src/extension/panels/benchmark-features';
import { FakeLogOutputChannel, FakeMemento } from '../helpers/vscode-stub';

export interface BenchmarkTestContext {
  readonly extensionUri: vscode.Uri;
  readonly storageUri: vscode.Uri;
  readonly workspaceState: FakeMemento;
  readonly subscriptions: { dispose(): unknown }[];
}

/** `extensionDir` holds dist/ (the child script, grammars); `isTrusted` answers for the workspace. */
export function registerForTest(extensionDir: string, loadEngine: LoadEngine, isTrusted: () => boolean = () => true): BenchmarkTestContext {
  const context: BenchmarkTestContext = {
    extensionUri: vscode.Uri.file(extensionDir),
    storageUri: vscode.Uri.file(join(tmpdir(), 'wasm-perf-storage')),
    workspaceState: new FakeMemento(),
    subscriptions: [],
  };
  registerBenchmarkFeatures(context as unknown as vscode.ExtensionContext, {
    isTrusted,
    log: new FakeLogOutputChannel('t'),
    loadEngine,
    store: new DiagnosticStore(vscode.languages.createDiagnosticCollection('t')),
  });
  return context;
}
