/**
 * The extension as VS Code runs it: activated on a workspace, then disposed the way a window
 * reload disposes it (`context.subscriptions`, first to last), with a diagnostic collection
 * that throws when used after its own dispose, as VS Code's does.
 */
import '../helpers/vscode-stub';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { activate } from '../../src/extension/extension';
import { FakeMemento, resetStub, stub } from '../helpers/vscode-stub';

const repo = process.cwd();
const storage = mkdtempSync(join(tmpdir(), 'wasm-perf-activation-'));
after(() => rmSync(storage, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('activation and window reload', () => {
  it('analyses, then disposes without touching disposed objects and without info-level probing noise', async () => {
    resetStub();
    stub.workspaceFolders = [{ uri: vscode.Uri.file(join(repo, 'test/e2e/fixture')), name: 'fixture', index: 0 }];
    const context = {
      subscriptions: [] as vscode.Disposable[],
      extensionUri: vscode.Uri.file(repo),
      asAbsolutePath: (path: string) => join(repo, path),
      extension: { packageJSON: { version: '0.0.0-test' } },
      workspaceState: new FakeMemento(),
      storageUri: vscode.Uri.file(storage),
      globalStorageUri: vscode.Uri.file(storage),
    };
    activate(context as unknown as vscode.ExtensionContext);
    const collection = stub.collections[0]!;
    await until(() => collection.entries.size > 0, 'the first analysis');
    const log = stub.channels.find((channel) => channel.name === 'wasm-perf')!;

    const reported: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => reported.push(args);
    try {
      for (const subscription of context.subscriptions) subscription.dispose();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      console.error = consoleError;
    }
    assert.deepEqual(reported, [], 'nothing failed while disposing');
    assert.deepEqual(
      log.lines.filter((line) => line.startsWith('[info]') && /ENOENT|not found/i.test(line)),
      [],
    );
  });
});
