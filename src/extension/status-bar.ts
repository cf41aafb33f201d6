/** The finding count in the status bar; a click opens the Problems view. */
import * as vscode from 'vscode';
import type { DiagnosticStore } from './diagnostic-store';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wasm-perf.findings', vscode.StatusBarAlignment.Left, 50);
  private busy = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: DiagnosticStore) {
    this.item.name = vscode.l10n.t('wasm-perf findings');
    this.item.command = 'workbench.actions.view.problems';
    this.subscription = store.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private render(): void {
    const { error, warning, info } = this.store.counts();
    const total = error + warning + info;
    const icon = this.busy ? '$(sync~spin)' : error > 0 ? '$(error)' : warning > 0 ? '$(warning)' : total > 0 ? '$(info)' : '$(check)';
    this.item.text = `${icon} ${vscode.l10n.t('wasm-perf: {0}', total)}`;
    const counts = [
      error === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', error),
      warning === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warning),
      vscode.l10n.t('{0} info', info),
    ].join(', ');
    const state = this.busy ? vscode.l10n.t('Analysing…') : vscode.l10n.t('Click to open the Problems view.');
    this.item.tooltip = `${vscode.l10n.t('wasm-perf findings')}: ${counts}\n${state}`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
