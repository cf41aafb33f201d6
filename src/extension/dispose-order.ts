/**
 * VS Code disposes `context.subscriptions` first to last, so a log channel or diagnostic
 * collection registered early would be gone while the controllers and panels registered
 * after it still use it ("illegal state - object is disposed" on every window reload).
 * Things are disposed here like a stack instead: last registered first, each on its own so
 * one failure does not keep the rest alive.
 */
import type * as vscode from 'vscode';

export function disposeLastFirst(disposables: readonly vscode.Disposable[], onError: (error: unknown) => void): vscode.Disposable {
  return {
    dispose: () => {
      for (const disposable of [...disposables].reverse()) {
        try {
          disposable.dispose();
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
