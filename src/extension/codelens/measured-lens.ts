/**
 * The last "Measure the difference" result on the line of the finding it measured
 * ("measured: 6.3× slower than opt-level=3 on box_blur, 2026-12-05"), read from
 * wasm-perf.bench.json so it is there again after a reload. A result belongs to a finding of
 * the same rule whose crate (the manifest the quick fix built) is the one measured.
 */
import * as vscode from 'vscode';
import type { MeasuredResult } from '../../bench/bench-file';
import { manifestFor } from '../code-actions';
import type { DiagnosticStore } from '../diagnostic-store';
import type { SavedMeasurement } from '../panels/benchmark-store';

/** How the configured build compares with the fix: `6.3` times slower, faster, or no clear difference. */
export function measuredVerdict(measured: MeasuredResult): { kind: 'slower' | 'faster' | 'same'; factor: string } {
  if (!measured.significant) return { kind: 'same', factor: '1' };
  const factor = measured.ratio < 1 ? 1 / measured.ratio : measured.ratio;
  return { kind: measured.ratio < 1 ? 'slower' : 'faster', factor: factor.toFixed(factor < 10 ? 1 : 0) };
}

/** "opt-level=3" from the fixed variant's label "fixed (opt-level=3)". */
function fixLabel(candidate: string): string {
  return /^fixed \((.+)\)$/.exec(candidate)?.[1] ?? candidate;
}

export function measuredTitle(saved: SavedMeasurement): string {
  const { kind, factor } = measuredVerdict(saved.measured);
  const fix = fixLabel(saved.measured.candidate);
  const date = saved.measured.at.slice(0, 10);
  if (kind === 'slower') return vscode.l10n.t('measured: {0}× slower than {1} on {2}, {3}', factor, fix, saved.exportName, date);
  if (kind === 'faster') return vscode.l10n.t('measured: {0}× faster than {1} on {2}, {3}', factor, fix, saved.exportName, date);
  return vscode.l10n.t('measured: no clear difference from {0} on {1}, {2}', fix, saved.exportName, date);
}

export class MeasuredLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private measurements: readonly SavedMeasurement[] = [];
  private loaded: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: DiagnosticStore,
    private readonly read: () => Promise<readonly SavedMeasurement[]>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Findings arrive after a reload (and move when the file is edited): the lenses follow them.
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  /** Reads the kept results again (after a measurement, or when the bench file changed). */
  reload(): Promise<void> {
    this.loaded = this.read().then(
      (measurements) => {
        this.measurements = measurements;
        this.changed.fire();
      },
      (error: unknown) => this.log.warn(`measured results not shown: ${error instanceof Error ? error.message : String(error)}`),
    );
    return this.loaded;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const found = this.store.findingsFor(document.uri);
    if (found.length === 0) return [];
    await (this.loaded ?? this.reload());
    const lenses: vscode.CodeLens[] = [];
    for (const { snapshot, file } of found) {
      for (const { finding, diagnostic } of file.entries) {
        const manifest = manifestFor(finding.location.file, snapshot);
        if (!manifest) continue;
        const manifestPath = snapshot.mapper.toUri(manifest).fsPath;
        const saved = this.measurements.find((each) => each.finding === finding.ruleId && each.manifestPath === manifestPath);
        if (!saved) continue;
        lenses.push(
          new vscode.CodeLens(diagnostic.range, {
            title: measuredTitle(saved),
            tooltip: vscode.l10n.t(
              'Time with the fix / time as configured: {0} (95% interval {1}–{2}), measured on {3}',
              saved.measured.ratio.toFixed(3),
              saved.measured.ciLow.toFixed(3),
              saved.measured.ciHigh.toFixed(3),
              saved.measured.environment ?? '?',
            ),
            command: 'wasm-perf.openBenchmarkPanel',
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
