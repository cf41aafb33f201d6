/** "Export findings as SARIF": the current findings of every folder, one SARIF run per folder. */
import * as vscode from 'vscode';
import type { Log } from 'sarif';
import type { Snapshot } from './diagnostic-store';
import type { Engine, LoadEngine } from './engine-loader';
import { readAnalyzerSettings } from './settings';

export function sarifFor(
  snapshots: readonly Snapshot[],
  version: string,
  { buildSarifLog, countCheckedFiles, RULES, SARIF_SCHEMA }: Engine,
): Log {
  const runs = snapshots.flatMap((snapshot) => {
    const root = snapshot.root;
    const filesChecked = countCheckedFiles(snapshot.result.model.files, snapshot.result.model.binaries.unread);
    return buildSarifLog({
      tool: { name: 'wasm-perf', version },
      cwd: root,
      roots: [root],
      findings: snapshot.result.findings,
      notices: snapshot.result.notices,
      sources: snapshot.result.sources,
      rules: RULES.map((rule) => rule.meta),
      ruleSettings: readAnalyzerSettings(vscode.Uri.parse(snapshot.folderKey)).settings.rules ?? {},
      filesChecked,
    }).runs;
  });
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs };
}

export async function exportSarif(snapshots: readonly Snapshot[], version: string, loadEngine: LoadEngine): Promise<void> {
  if (snapshots.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('wasm-perf has not analysed a workspace folder yet.'));
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export wasm-perf findings as SARIF'),
    filters: { SARIF: ['sarif', 'json'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'wasm-perf.sarif') } : {}),
  });
  if (!target) return;
  const log = sarifFor(snapshots, version, await loadEngine());
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(log, null, 2)}\n`));
  const count = log.runs.reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Exported {0} findings to {1}.', count, vscode.workspace.asRelativePath(target)),
    open,
  );
  if (choice === open) await vscode.window.showTextDocument(target);
}
