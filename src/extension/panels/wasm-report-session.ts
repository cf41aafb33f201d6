/**
 * One open .wasm report: starts the inspection as soon as the editor opens (in a worker),
 * answers the webview's handshake with whatever is ready, serves table pages and function
 * text on request, forwards "Benchmark" clicks, and keeps the findings in step with the
 * extension's diagnostics for the file.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../diagnostics';
import type { FindingRow, FromReportWebview, TableName, ToReportWebview } from '../../protocol/wasm-report';
import { functionTextInWorker, inspectInWorker, type InspectOutcome } from './wasm-inspect-job';
import type { ReportView } from './wasm-report-view';
import { pageOf } from './wasm-report-view';
import { PanelChannel } from './panel-channel';
import { moduleFileJob, openFunctionText } from './wat-document';

export interface ReportSessionDeps {
  readonly uri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  /** dist/: holds wasm-inspect.js (inspection) and wabt.js (function text). */
  readonly distDir: string;
}

const TABLES: readonly TableName[] = ['functions', 'exports', 'imports'];

export class ReportSession implements vscode.Disposable {
  private readonly channel: PanelChannel<ToReportWebview, FromReportWebview>;
  private readonly abort = new AbortController();
  private readonly inspection: Promise<InspectOutcome>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly fileName: string;

  constructor(
    webview: vscode.Webview,
    private readonly deps: ReportSessionDeps,
  ) {
    this.fileName = deps.uri.path.split('/').pop() ?? deps.uri.path;
    this.channel = new PanelChannel<ToReportWebview, FromReportWebview>(
      webview,
      { onReady: () => this.sendReport(), onMessage: (message) => this.handle(message) },
      deps.log,
    );
    this.inspection = this.inspect();
    this.disposables.push(
      this.channel,
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => uri.toString() === deps.uri.toString())) this.channel.post(this.findings());
      }),
    );
  }

  dispose(): void {
    this.abort.abort();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async inspect(): Promise<InspectOutcome> {
    const started = Date.now();
    try {
      const outcome = await inspectInWorker(this.workerScript, await this.fileJob(), this.abort.signal);
      this.deps.log.info(`inspected ${this.deps.uri.fsPath} in ${Date.now() - started} ms${outcome.ok ? '' : `: ${outcome.message}`}`);
      return outcome;
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private get workerScript(): string {
    return `${this.deps.distDir}/wasm-inspect.js`;
  }

  /** Local files are read by the worker itself; other schemes through VS Code's file system. */
  private fileJob(): Promise<{ fileName: string; path: string; bytes?: Uint8Array }> {
    return moduleFileJob(this.deps.uri);
  }

  /** Answers `ready` (first load or reload): a loading state at once, then the report when inspection ends. */
  private async sendReport(): Promise<void> {
    const size = await vscode.workspace.fs.stat(this.deps.uri).then(
      (stat) => stat.size,
      () => 0,
    );
    this.channel.post({ type: 'loading', fileName: this.fileName, fileSize: size });
    const outcome = await this.inspection;
    if (!outcome.ok) {
      this.channel.post({ type: 'failed', message: `Could not read ${this.fileName}: ${outcome.message}` });
      return;
    }
    this.channel.post({ type: 'summary', summary: outcome.view.summary });
    for (const table of TABLES) this.postPage(outcome.view, table, 0);
    this.channel.post(this.findings());
  }

  private async handle(message: Exclude<FromReportWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'page': {
        const outcome = await this.inspection;
        if (outcome.ok) this.postPage(outcome.view, message.table, message.offset);
        return;
      }
      case 'functionText':
        this.channel.post(await this.functionText(message.index));
        return;
      case 'openFunctionText':
        await openFunctionText(this.deps.uri, message.index);
        return;
      case 'benchmark':
        await vscode.commands.executeCommand('wasm-perf.benchmarkExport', {
          modulePath: this.deps.uri.fsPath,
          exportName: message.exportName,
        });
        return;
    }
  }

  private postPage(view: ReportView, table: TableName, offset: number): void {
    const page = pageOf(view, table, offset);
    this.channel.post({ type: 'page', table, offset: page.offset, total: page.total, rows: page.rows });
  }

  private async functionText(index: number): Promise<ToReportWebview> {
    try {
      const outcome = await functionTextInWorker(
        this.workerScript,
        { ...(await this.fileJob()), index, distDir: this.deps.distDir },
        this.abort.signal,
      );
      return outcome.ok ? { type: 'functionText', index, text: outcome.text } : { type: 'functionText', index, error: outcome.message };
    } catch (error) {
      return { type: 'functionText', index, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private findings(): ToReportWebview {
    const diagnostics = vscode.languages.getDiagnostics(this.deps.uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    return { type: 'findings', findings: diagnostics.map(findingRow) };
  }
}

const SEVERITY: Record<number, FindingRow['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
};

function findingRow(diagnostic: vscode.Diagnostic): FindingRow {
  const code = diagnostic.code;
  const ruleId = typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
  return { ruleId, severity: SEVERITY[diagnostic.severity] ?? 'info', message: diagnostic.message };
}
