/**
 * The .wasm report webview. The summary arrives whole; the functions, exports and imports
 * tables arrive a page at a time. Each table shows its top 10 rows and "Show more" unfolds the
 * page; only a table longer than a page gets a pager. The page offsets, the unfolded tables and
 * the function whose text is open are kept in the webview state, so a restored editor shows
 * the same view.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { FindingRow, FromReportWebview, ReportSummary, TableName, TableRows, ToReportWebview } from '../protocol/wasm-report';
import { PAGE_SIZE } from '../protocol/wasm-report';
import { formatBytes } from '../protocol/format';
import { sizeBar } from './report/size-bar';
import { dataTable } from './shared/table';
import baseStyles from './shared/base.css';
import styles from './report/report.css';
import { adoptStyles, clear, codicon, el } from './shared/dom';
import { connect } from './shared/vscode-api';

/** Below this width (px) a table with a button column shows each row as labelled lines: no cut types or buttons. */
const NARROW_TABLE = 480;

interface SavedState {
  readonly version: 1;
  readonly offsets: Readonly<Record<TableName, number>>;
  readonly openFunction?: number;
  /** Tables unfolded past their top rows. */
  readonly expanded?: readonly TableName[];
}

/** Rows a table shows before "Show more". */
const TOP_ROWS = 10;

function isSavedState(value: unknown): value is SavedState {
  return (
    typeof value === 'object' && value !== null && (value as SavedState).version === 1 && typeof (value as SavedState).offsets === 'object'
  );
}

interface Page<T extends TableName> {
  readonly offset: number;
  readonly total: number;
  readonly rows: readonly TableRows[T][];
}

const TABLE_TITLES: Record<TableName, string> = { functions: 'Largest functions', exports: 'Exports', imports: 'Imports' };

class ReportApp {
  private summary: ReportSummary | undefined;
  private loading: { fileName: string; fileSize: number } | undefined;
  private failure: string | undefined;
  private findings: { rows: readonly FindingRow[]; error?: string } | undefined;
  private readonly pages: { [T in TableName]?: Page<T> } = {};
  private offsets: Record<TableName, number>;
  private openFunction: number | undefined;
  private functionText: { index: number; text?: string; error?: string } | undefined;
  private readonly expanded: Set<TableName>;
  private readonly channel;
  private readonly parts;

  constructor(root: HTMLElement) {
    this.parts = {
      header: el('section', { id: 'header' }),
      overview: el('section', { id: 'overview', hidden: true }),
      findings: el('section', { id: 'findings', hidden: true }),
      functions: el('section', { id: 'functions', hidden: true }),
      functionText: el('section', { id: 'function-text', hidden: true }),
      exports: el('section', { id: 'exports', hidden: true }),
      imports: el('section', { id: 'imports', hidden: true }),
    };
    root.append(
      this.parts.header,
      this.parts.overview,
      this.parts.findings,
      this.parts.exports,
      this.parts.functions,
      this.parts.functionText,
      this.parts.imports,
    );
    this.channel = connect<ToReportWebview, FromReportWebview, SavedState>((message) => this.receive(message), isSavedState);
    this.offsets = { functions: 0, exports: 0, imports: 0, ...this.channel.savedState?.offsets };
    this.openFunction = this.channel.savedState?.openFunction;
    // A table restored on a later page was unfolded.
    this.expanded = new Set([
      ...(this.channel.savedState?.expanded ?? []),
      ...(Object.keys(this.offsets) as TableName[]).filter((table) => this.offsets[table] > 0),
    ]);
    this.renderHeader();
  }

  private receive(message: ToReportWebview): void {
    switch (message.type) {
      case 'loading':
        this.loading = { fileName: message.fileName, fileSize: message.fileSize };
        this.failure = undefined;
        this.renderHeader();
        return;
      case 'failed':
        this.failure = message.message;
        this.renderHeader();
        return;
      case 'summary':
        this.summary = message.summary;
        this.renderHeader();
        this.renderOverview();
        // A restored view asks again for the pages it showed before.
        for (const table of Object.keys(this.offsets) as TableName[]) {
          if (this.offsets[table] > 0) this.channel.post({ type: 'page', table, offset: this.offsets[table] });
        }
        if (this.openFunction !== undefined) this.requestFunctionText(this.openFunction);
        return;
      case 'page':
        if (message.offset !== this.offsets[message.table] && this.pages[message.table] !== undefined) return;
        (this.pages as Record<TableName, Page<TableName>>)[message.table] = {
          offset: message.offset,
          total: message.total,
          rows: message.rows,
        };
        this.renderTable(message.table);
        return;
      case 'findings':
        this.findings = { rows: message.findings, ...(message.error ? { error: message.error } : {}) };
        this.renderFindings();
        return;
      case 'functionText':
        if (message.index !== this.openFunction) return;
        this.functionText = {
          index: message.index,
          ...(message.text !== undefined ? { text: message.text } : {}),
          ...(message.error ? { error: message.error } : {}),
        };
        this.renderFunctionText();
        return;
    }
  }

  private save(): void {
    this.channel.saveState({
      version: 1,
      offsets: this.offsets,
      ...(this.openFunction !== undefined ? { openFunction: this.openFunction } : {}),
      ...(this.expanded.size > 0 ? { expanded: [...this.expanded] } : {}),
    });
  }

  private requestPage(table: TableName, offset: number): void {
    this.offsets[table] = offset;
    this.save();
    this.channel.post({ type: 'page', table, offset });
  }

  private requestFunctionText(index: number): void {
    this.openFunction = index;
    this.functionText = { index };
    this.save();
    this.channel.post({ type: 'functionText', index });
    this.renderFunctionText();
  }

  private renderHeader(): void {
    const part = this.parts.header;
    clear(part);
    const name = this.summary?.fileName ?? this.loading?.fileName ?? 'WebAssembly report';
    const size = this.summary?.fileSize ?? this.loading?.fileSize;
    part.append(el('h2', {}, name, size !== undefined ? el('span', { class: 'hint' }, ` ${formatBytes(size)}`) : null));
    if (this.failure) {
      part.append(el('div', { class: 'banner error', id: 'failure' }, codicon('error'), this.failure));
    } else if (!this.summary) {
      part.append(el('div', { class: 'row', id: 'loading' }, el('vscode-progress-ring', {}), 'Reading the module…'));
    } else {
      part.append(el('div', { class: 'hint' }, `Inspected in ${this.summary.inspectMs} ms`));
      for (const problem of this.summary.problems) part.append(el('div', { class: 'banner error problem' }, codicon('warning'), problem));
    }
  }

  private renderOverview(): void {
    const summary = this.summary;
    const part = this.parts.overview;
    if (!summary) return;
    part.hidden = false;
    clear(part);
    const count = (id: string, label: string, value: number) =>
      el('span', { class: 'count', id }, label, ' ', el('vscode-badge', { variant: 'counter' }, value.toLocaleString()));
    part.append(
      el(
        'div',
        { class: 'row counts' },
        count('count-functions', 'Functions', summary.functionCount),
        count('count-simd', 'SIMD instructions', summary.counts.simd),
        count('count-bulk-memory', 'Bulk-memory instructions', summary.counts.bulkMemory),
        count('count-atomics', 'Atomic instructions', summary.counts.atomics),
      ),
      el('h3', {}, 'Size by section'),
      sizeBar(summary.sections, summary.fileSize),
      el(
        'vscode-collapsible',
        { id: 'sections', heading: 'Sections', description: `${summary.sections.length} with offsets and sizes` },
        dataTable(
          'sections-table',
          ['Section', 'Offset', 'Size', 'Share'],
          summary.sections.map((section) => [
            section.name,
            `0x${section.offset.toString(16)}`,
            formatBytes(section.size),
            `${((100 * section.size) / Math.max(1, summary.fileSize)).toFixed(1)}%`,
          ]),
        ),
      ),
      el(
        'div',
        { class: 'columns' },
        titledTable(
          'Features: declared vs used',
          'No target_features section and no post-MVP instructions.',
          'features-table',
          ['Feature', 'Declared', 'Used'],
          summary.features.map((feature) => [feature.name, feature.declared ? 'yes' : '–', feature.used ? 'yes' : '–']),
        ),
        titledTable(
          'Producers',
          'No producers section (stripped, or not written by the toolchain).',
          'producers-table',
          ['Field', 'Name', 'Version'],
          summary.producers.map((producer) => [producer.field, producer.name, producer.version]),
        ),
      ),
    );
  }

  private renderFindings(): void {
    const part = this.parts.findings;
    part.hidden = false;
    clear(part);
    const rows = this.findings?.rows ?? [];
    part.append(el('h3', {}, `Findings (${rows.length})`));
    if (this.findings?.error) part.append(el('div', { class: 'banner error' }, this.findings.error));
    if (rows.length === 0) {
      part.append(el('p', { class: 'hint' }, 'No wasm-perf diagnostics for this file.'));
      return;
    }
    part.append(
      el(
        'ul',
        { class: 'findings' },
        ...rows.map((finding) =>
          el(
            'li',
            { class: `finding ${finding.severity}` },
            codicon(finding.severity === 'info' ? 'info' : finding.severity),
            ' ',
            el('code', {}, finding.ruleId),
            ' ',
            finding.message,
          ),
        ),
      ),
    );
  }

  private renderTable(table: TableName): void {
    const part = this.parts[table];
    const page = this.pages[table] as Page<TableName> | undefined;
    if (!page) return;
    part.hidden = false;
    clear(part);
    part.append(el('h3', {}, `${TABLE_TITLES[table]} (${page.total.toLocaleString()})`));
    if (page.total === 0) {
      part.append(el('p', { class: 'hint' }, `No ${table}.`));
      return;
    }
    const expanded = this.expanded.has(table);
    const rows = expanded ? page.rows : page.rows.slice(0, TOP_ROWS);
    part.append(this.tableFor(table, rows));
    if (!expanded && page.total > rows.length) part.append(this.showMore(table, page.total - rows.length));
    else if (expanded && page.total > PAGE_SIZE) part.append(this.pager(table, page));
  }

  private showMore(table: TableName, hidden: number): HTMLElement {
    const more = el(
      'vscode-button',
      { secondary: true, icon: 'chevron-down', class: 'show-more' },
      `Show more (${hidden.toLocaleString()} more)`,
    );
    more.addEventListener('click', () => {
      this.expanded.add(table);
      this.save();
      this.renderTable(table);
    });
    return el('div', { class: 'row' }, more);
  }

  private tableFor(table: TableName, rows: readonly TableRows[TableName][]): HTMLElement {
    switch (table) {
      case 'functions': {
        const code = this.summary?.sections.find((section) => section.name === 'code')?.size ?? 0;
        return dataTable(
          'functions-table',
          ['Function', 'Body size', 'Share of code', ''],
          (rows as readonly TableRows['functions'][]).map((row) => {
            const show = el(
              'vscode-button',
              { secondary: true, icon: 'code', class: 'show-text', 'data-index': String(row.index) },
              'Text',
            );
            show.addEventListener('click', () => this.requestFunctionText(row.index));
            // A named function shows its index beside the name; an unnamed one is its index, once.
            const name = row.name
              ? el('span', { class: 'function-name' }, row.name, el('span', { class: 'hint function-index' }, `#${row.index}`))
              : el('span', { class: 'function-name unnamed' }, `#${row.index}`);
            return [name, formatBytes(row.bodySize), code > 0 ? `${((100 * row.bodySize) / code).toFixed(1)}%` : '–', show];
          }),
          { columns: ['50%', '18%', '18%', '14%'], compactBelow: NARROW_TABLE },
        );
      }
      case 'exports':
        return dataTable(
          'exports-table',
          ['Name', 'Kind', 'Type', ''],
          (rows as readonly TableRows['exports'][]).map((row) => {
            if (!row.benchmarkable)
              return [row.name, row.kind, row.type, row.kind === 'func' ? el('span', { class: 'hint' }, 'not numeric') : ''];
            const benchmark = el(
              'vscode-button',
              { secondary: true, icon: 'dashboard', class: 'benchmark', 'data-export': row.name },
              'Benchmark',
            );
            benchmark.addEventListener('click', () => this.channel.post({ type: 'benchmark', exportName: row.name }));
            return [row.name, row.kind, row.type, benchmark];
          }),
          { compactBelow: NARROW_TABLE },
        );
      case 'imports':
        return dataTable(
          'imports-table',
          ['Module', 'Name', 'Kind', 'Type'],
          (rows as readonly TableRows['imports'][]).map((row) => [row.module, row.name, row.kind, row.type]),
          { compactBelow: NARROW_TABLE },
        );
    }
  }

  private pager(table: TableName, page: Page<TableName>): HTMLElement {
    const last = page.offset + page.rows.length;
    const previous = el(
      'vscode-button',
      { secondary: true, icon: 'chevron-left', class: 'previous', disabled: page.offset === 0 },
      'Previous',
    );
    previous.addEventListener('click', () => this.requestPage(table, Math.max(0, page.offset - PAGE_SIZE)));
    const next = el(
      'vscode-button',
      { secondary: true, 'icon-after': 'chevron-right', class: 'next', disabled: last >= page.total },
      'Next',
    );
    next.addEventListener('click', () => this.requestPage(table, page.offset + PAGE_SIZE));
    return el(
      'div',
      { class: 'row pager' },
      previous,
      el('span', { class: 'range' }, `${page.offset + 1}–${last} of ${page.total.toLocaleString()}`),
      next,
    );
  }

  private renderFunctionText(): void {
    const part = this.parts.functionText;
    clear(part);
    const shown = this.functionText;
    part.hidden = shown === undefined;
    if (!shown) return;
    const close = el('vscode-button', { secondary: true, icon: 'close', id: 'close-text' }, 'Close');
    close.addEventListener('click', () => {
      this.openFunction = undefined;
      this.functionText = undefined;
      this.save();
      this.renderFunctionText();
    });
    const open = el('vscode-button', { secondary: true, icon: 'go-to-file', id: 'open-text' }, 'Open in editor');
    open.addEventListener('click', () => this.channel.post({ type: 'openFunctionText', index: shown.index }));
    part.append(el('div', { class: 'row' }, el('h3', {}, `Function ${shown.index}`), open, close));
    if (shown.error) part.append(el('div', { class: 'banner error' }, shown.error));
    else if (shown.text === undefined) part.append(el('div', { class: 'row' }, el('vscode-progress-ring', {}), 'Disassembling…'));
    else part.append(el('pre', { class: 'wat', id: 'wat' }, shown.text));
    part.scrollIntoView({ block: 'nearest' });
  }
}

/** A heading over a table, or over a note when there are no rows. */
function titledTable(
  title: string,
  empty: string,
  id: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): HTMLElement {
  return el('div', {}, el('h3', {}, title), rows.length === 0 ? el('p', { class: 'hint' }, empty) : dataTable(id, headers, rows));
}

adoptStyles(baseStyles + styles);
const root = document.getElementById('app');
if (root) new ReportApp(root);
