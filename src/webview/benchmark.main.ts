/**
 * The benchmark panel's webview. It keeps the form draft and the selected run in the
 * webview state (so a reloaded or restored panel renders again), and everything else
 * (modules, history, trust) arrives from the extension in `init`.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type {
  BenchmarkDefinition,
  BenchmarkRun,
  ExportsMessage,
  FromBenchmarkWebview,
  ModuleChoice,
  ToBenchmarkWebview,
  TrustState,
} from '../protocol/benchmark';
import { formatNs } from '../protocol/format';
import { BenchmarkCharts } from './benchmark/charts';
import { defaultVariant, exportSourcePath, renderForm, sameSetup, setupProblems, validate, withListedExport } from './benchmark/form';
import { detailsSection, resultsTable, verdict } from './benchmark/results';
import baseStyles from './shared/base.css';
import styles from './benchmark/benchmark.css';
import { adoptStyles, clear, codicon, el } from './shared/dom';
import { onThemeChange } from './shared/theme';
import { connect } from './shared/vscode-api';

interface SavedState {
  readonly version: 1;
  readonly draft: BenchmarkDefinition;
  readonly selectedRunId?: string;
  /** The results' details are unfolded. */
  readonly details?: boolean;
}

function isSavedState(value: unknown): value is SavedState {
  return (
    typeof value === 'object' && value !== null && (value as SavedState).version === 1 && typeof (value as SavedState).draft === 'object'
  );
}

const EMPTY_DRAFT: BenchmarkDefinition = { name: 'benchmark', variants: [], exportName: '', args: [] };

interface Running {
  readonly runId: string;
  message: string;
  fraction?: number;
}

class BenchmarkApp {
  private trust: TrustState | undefined;
  private modules: readonly ModuleChoice[] = [];
  private readonly exportsByPath = new Map<string, ExportsMessage>();
  private history: readonly BenchmarkRun[] = [];
  private savedDefinitions: readonly BenchmarkDefinition[] = [];
  private running: Running | undefined;
  private status: { readonly kind: 'error' | 'info'; readonly text: string } | undefined;
  private draft: BenchmarkDefinition;
  private selectedRunId: string | undefined;
  private detailsOpen: boolean;
  private readonly channel;
  private readonly charts: BenchmarkCharts;
  private readonly parts;

  constructor(root: HTMLElement) {
    const distribution = el('canvas', { id: 'distribution-chart', 'aria-label': 'Distribution of per-call times per variant' });
    const ratio = el('canvas', { id: 'ratio-chart', 'aria-label': 'Time ratio to the baseline with its 95% interval' });
    this.charts = new BenchmarkCharts(distribution, ratio);
    this.parts = {
      trust: el('section', { id: 'trust', class: 'banner', hidden: true }),
      form: el('section', { id: 'form' }),
      actions: el('section', { id: 'actions', class: 'row' }),
      progress: el('section', { id: 'progress', hidden: true }),
      status: el('section', { id: 'status', hidden: true }),
      results: el('section', { id: 'results', hidden: true }),
      stale: el(
        'div',
        { id: 'stale', class: 'banner warning', hidden: true },
        codicon('history'),
        el(
          'span',
          {},
          'Stale: measured with another setup than the form above. Run measures the form; Re-run puts this setup back and repeats it.',
        ),
      ),
      table: el('div', { id: 'results-table' }),
      distribution: el('div', { class: 'chart', id: 'distribution' }, distribution),
      ratio: el('div', { class: 'chart', id: 'ratio' }, ratio),
      history: el('section', { id: 'history' }),
    };
    root.append(
      el('h2', {}, 'Benchmark a WebAssembly export'),
      this.parts.trust,
      this.parts.form,
      this.parts.actions,
      this.parts.progress,
      this.parts.status,
      this.parts.results,
      this.parts.history,
    );
    this.channel = connect<ToBenchmarkWebview, FromBenchmarkWebview, SavedState>((message) => this.receive(message), isSavedState);
    this.draft = this.channel.savedState?.draft ?? EMPTY_DRAFT;
    this.selectedRunId = this.channel.savedState?.selectedRunId;
    this.detailsOpen = this.channel.savedState?.details === true;
    onThemeChange(() => this.renderResults());
    this.renderAll();
  }

  private receive(message: ToBenchmarkWebview): void {
    switch (message.type) {
      case 'init':
        this.trust = message.trust;
        this.modules = message.modules;
        this.history = message.history;
        this.savedDefinitions = message.savedDefinitions;
        if (message.preset) this.draft = message.preset;
        else if (this.draft.variants.length === 0) this.draft = this.withDefaultVariant(this.draft);
        if (!this.selectedRunId || !this.history.some((run) => run.id === this.selectedRunId)) this.selectedRunId = this.history[0]?.id;
        this.requestExports();
        this.renderAll();
        if (message.preset && message.autoRun) this.run(message.preset);
        return;
      case 'exports':
        this.exportsByPath.set(message.path, message);
        this.adoptFirstExport(message);
        this.renderForm();
        return;
      case 'progress':
        if (this.running?.runId !== message.runId) return;
        this.running.message = message.message;
        if (message.fraction === undefined) delete this.running.fraction;
        else this.running.fraction = message.fraction;
        this.renderProgress();
        return;
      case 'result':
        this.running = undefined;
        this.status = undefined;
        this.history = [message.run, ...this.history.filter((run) => run.id !== message.run.id)];
        this.selectedRunId = message.run.id;
        this.renderAll();
        return;
      case 'runEnded':
        if (this.running?.runId !== message.runId) return;
        this.running = undefined;
        this.status = { kind: message.outcome === 'failed' ? 'error' : 'info', text: message.message };
        this.renderAll();
        return;
      case 'history':
        this.history = message.history;
        this.savedDefinitions = message.savedDefinitions;
        if (!this.history.some((run) => run.id === this.selectedRunId)) this.selectedRunId = this.history[0]?.id;
        this.renderAll();
        return;
      case 'notice':
        this.status = { kind: 'info', text: message.message };
        this.renderStatus();
        return;
    }
  }

  private get trusted(): boolean {
    return this.trust?.trusted === true;
  }

  private withDefaultVariant(draft: BenchmarkDefinition): BenchmarkDefinition {
    const variant = defaultVariant(this.modules);
    return variant ? { ...draft, variants: [variant] } : draft;
  }

  private currentExports(): ExportsMessage | undefined {
    const path = exportSourcePath(this.draft);
    return path ? this.exportsByPath.get(path) : undefined;
  }

  private requestExports(): void {
    const path = exportSourcePath(this.draft);
    if (path && !this.exportsByPath.has(path)) this.channel.post({ type: 'listExports', path });
  }

  /** The Export box shows what the draft holds: a draft naming no export of this module takes the first that can be timed. */
  private adoptFirstExport(message: ExportsMessage): void {
    if (exportSourcePath(this.draft) !== message.path) return;
    const draft = withListedExport(this.draft, message.exports);
    if (draft !== this.draft) this.setDraft(draft);
  }

  /** A new setup: an error from the old one no longer applies, and the shown results turn stale. */
  private setDraft(draft: BenchmarkDefinition): void {
    const changed = !sameSetup(draft, this.draft);
    this.draft = draft;
    this.save();
    if (!changed) return;
    if (this.status?.kind === 'error') {
      this.status = undefined;
      this.renderStatus();
    }
    this.renderStaleness();
  }

  private save(): void {
    this.channel.saveState({
      version: 1,
      draft: this.draft,
      ...(this.selectedRunId ? { selectedRunId: this.selectedRunId } : {}),
      ...(this.detailsOpen ? { details: true } : {}),
    });
  }

  private run(definition: BenchmarkDefinition): void {
    if (!this.trusted || this.running) return;
    const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.running = { runId, message: 'Starting…' };
    this.status = undefined;
    this.channel.post({ type: 'run', runId, definition });
    this.renderAll();
  }

  private renderAll(): void {
    this.renderTrust();
    this.renderForm();
    this.renderActions();
    this.renderProgress();
    this.renderStatus();
    this.renderResults();
    this.renderHistory();
  }

  private renderTrust(): void {
    const part = this.parts.trust;
    clear(part);
    part.hidden = this.trust === undefined || this.trust.trusted;
    if (this.trust && !this.trust.trusted) part.append(codicon('shield'), el('span', { id: 'trust-reason' }, this.trust.reason));
  }

  private renderForm(): void {
    const part = this.parts.form;
    clear(part);
    const exports = this.currentExports();
    part.append(
      renderForm(
        {
          draft: this.draft,
          modules: this.modules,
          exports: exports?.exports,
          exportsError: exports?.error,
          disabled: !this.trusted || this.running !== undefined,
        },
        {
          change: (draft, structural) => {
            this.setDraft(draft);
            if (structural) {
              this.requestExports();
              this.renderForm();
            }
            this.renderActions();
          },
        },
      ),
    );
    if (this.modules.length === 0 && this.trust) {
      part.append(el('p', { class: 'hint', id: 'no-modules' }, 'No .wasm files or crates found in this workspace.'));
    }
  }

  private renderActions(): void {
    const part = this.parts.actions;
    clear(part);
    const problems = validate(this.draft, this.currentExports()?.exports);
    const run = el(
      'vscode-button',
      { id: 'run', icon: 'play', disabled: !this.trusted || this.running !== undefined || problems.length > 0 },
      'Run',
    );
    run.addEventListener('click', () => this.run(this.draft));
    const cancel = el('vscode-button', { id: 'cancel', secondary: true, icon: 'debug-stop', hidden: this.running === undefined }, 'Cancel');
    cancel.addEventListener('click', () => {
      if (this.running) this.channel.post({ type: 'cancel', runId: this.running.runId });
      cancel.disabled = true;
    });
    const saveDefinition = el(
      'vscode-button',
      { id: 'save-definition', secondary: true, icon: 'save', disabled: problems.length > 0 },
      'Save to wasm-perf.bench.json',
    );
    saveDefinition.addEventListener('click', () => this.channel.post({ type: 'saveDefinition', definition: this.draft }));
    part.append(run, cancel, saveDefinition);
    const saved = this.savedPicker();
    if (saved) part.append(saved);
    // Argument problems show under their field as they are typed; the rest here.
    const listed = setupProblems(this.draft, this.currentExports()?.exports);
    if (listed.length > 0 && this.trusted)
      part.append(el('ul', { id: 'problems', class: 'hint' }, ...listed.map((problem) => el('li', {}, problem))));
  }

  private savedPicker(): HTMLElement | null {
    if (this.savedDefinitions.length === 0) return null;
    const picker = el(
      'vscode-single-select',
      { id: 'saved-definitions', disabled: this.running !== undefined },
      el('vscode-option', { value: '', selected: true }, 'Load a saved definition…'),
      ...this.savedDefinitions.map((definition, index) => el('vscode-option', { value: String(index) }, definition.name)),
    );
    picker.addEventListener('change', () => {
      const chosen = this.savedDefinitions[Number(picker.value)];
      if (picker.value === '' || !chosen) return;
      this.setDraft(chosen);
      this.requestExports();
      this.renderForm();
      this.renderActions();
    });
    return picker;
  }

  private renderProgress(): void {
    const part = this.parts.progress;
    clear(part);
    part.hidden = this.running === undefined;
    if (!this.running) return;
    const bar = el('vscode-progress-bar', { 'aria-label': 'Benchmark progress' });
    if (this.running.fraction === undefined) bar.indeterminate = true;
    else {
      bar.max = 1;
      bar.value = this.running.fraction;
    }
    part.append(bar, el('div', { id: 'progress-message' }, this.running.message));
  }

  private renderStatus(): void {
    const part = this.parts.status;
    clear(part);
    part.hidden = this.status === undefined;
    if (this.status) {
      part.className = `banner ${this.status.kind}`;
      part.append(codicon(this.status.kind === 'error' ? 'error' : 'info'), el('span', { id: 'status-text' }, this.status.text));
    }
  }

  private selectedRun(): BenchmarkRun | undefined {
    return this.history.find((each) => each.id === this.selectedRunId);
  }

  private renderResults(): void {
    const part = this.parts.results;
    const run = this.selectedRun();
    part.hidden = run === undefined;
    clear(this.parts.table);
    if (!run) {
      this.charts.destroy();
      return;
    }
    clear(part);
    const rerun = el(
      'vscode-button',
      { id: 'rerun', secondary: true, icon: 'refresh', disabled: !this.trusted || this.running !== undefined },
      'Re-run',
    );
    // The form follows what is measured: the new result is then current, not stale.
    rerun.addEventListener('click', () => {
      this.setDraft(run.definition);
      this.requestExports();
      this.run(run.definition);
    });
    const exportJson = el('vscode-button', { id: 'export-json', secondary: true, icon: 'json' }, 'Export JSON…');
    exportJson.addEventListener('click', () => this.channel.post({ type: 'exportJson', runId: run.id }));
    const copy = el('vscode-button', { id: 'copy-markdown', secondary: true, icon: 'copy' }, 'Copy as Markdown');
    copy.addEventListener('click', () => this.channel.post({ type: 'copyMarkdown', runId: run.id }));
    this.parts.table.append(resultsTable(run));
    const definition = run.definition;
    part.append(
      this.parts.stale,
      verdict(run),
      el(
        'div',
        { class: 'hint' },
        `${definition.name}: ${definition.exportName}(${definition.args.join(', ')}) · ${new Date(run.finishedAt).toLocaleString()} · ${run.environment}`,
      ),
      this.parts.table,
      detailsSection(run, this.detailsOpen, (open) => {
        this.detailsOpen = open;
        this.save();
      }),
      el('div', { class: 'row' }, rerun, exportJson, copy),
    );
    if (run.warnings.length > 0)
      part.append(el('ul', { id: 'run-warnings', class: 'banner warning' }, ...run.warnings.map((warning) => el('li', {}, warning))));
    part.append(el('div', { class: 'charts' }, this.parts.distribution, run.ratios.length > 0 ? this.parts.ratio : null));
    this.charts.show(run);
    this.renderStaleness();
  }

  /** Results measured with another setup than the form's are greyed and say so. */
  private renderStaleness(): void {
    const run = this.selectedRun();
    const stale = run !== undefined && !sameSetup(run.definition, this.draft);
    this.parts.results.classList.toggle('stale', stale);
    this.parts.stale.hidden = !stale;
  }

  private renderHistory(): void {
    const part = this.parts.history;
    clear(part);
    if (this.history.length === 0) return;
    const clearButton = el(
      'vscode-button',
      { id: 'clear-history', secondary: true, icon: 'clear-all', disabled: this.running !== undefined },
      'Clear',
    );
    clearButton.addEventListener('click', () => this.channel.post({ type: 'clearHistory' }));
    const items = this.history.map((run) => {
      const baseline = run.results[0];
      const item = el(
        'button',
        { class: `history-item${run.id === this.selectedRunId ? ' selected' : ''}`, 'data-run-id': run.id, type: 'button' },
        `${run.definition.name} · ${run.definition.exportName} · ${run.results.length} variant(s)${baseline ? ` · ${formatNs(baseline.stats.medianNs)}` : ''} · ${new Date(run.finishedAt).toLocaleString()}`,
      );
      item.addEventListener('click', () => {
        this.selectedRunId = run.id;
        this.save();
        this.renderResults();
        this.renderHistory();
      });
      return el('li', {}, item);
    });
    part.append(el('div', { class: 'row' }, el('h3', {}, 'Earlier runs'), clearButton), el('ul', { class: 'history' }, ...items));
  }
}

adoptStyles(baseStyles + styles);
const root = document.getElementById('app');
if (root) new BenchmarkApp(root);
