/** The results of one run: the verdict on top, the summary table, and the details behind a toggle. */
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { BenchmarkRun } from '../../protocol/benchmark';
import { DETAIL_COLUMNS, detailRows, SUMMARY_COLUMNS, summaryRows } from '../../protocol/benchmark-table';
import { noiseReasons, verdictLines } from '../../protocol/benchmark-verdict';
import { codicon, el } from '../shared/dom';
import { dataTable } from '../shared/table';

const NOISE_COLUMN = SUMMARY_COLUMNS.indexOf('Noise');
const WARNING_COLUMN = DETAIL_COLUMNS.indexOf('Warnings');

/** The sentence (or one per compared variant) that says who won. */
export function verdict(run: BenchmarkRun): HTMLElement {
  return el(
    'div',
    { id: 'verdict' },
    ...verdictLines(run).map((line) => el('p', { class: `verdict-line ${line.kind}` }, el('strong', {}, line.strong), line.rest)),
  );
}

export function resultsTable(run: BenchmarkRun): HTMLElement {
  const rows = summaryRows(run).map((cells, index) =>
    cells.map((text, column) =>
      column === NOISE_COLUMN && run.results[index]?.stats.noise
        ? el('span', { class: 'noise', title: run.results[index]?.stats.noise }, codicon('warning'), ` ${text}`)
        : text,
    ),
  );
  return dataTable('results-summary', SUMMARY_COLUMNS, rows, {
    columns: ['18%', '12%', '20%', '26%', '24%'],
    compactBelow: 420,
    attributes: { 'data-run-id': run.id },
    rowAttributes: (index) => ({ 'data-variant': run.results[index]?.label }),
  });
}

/** Mean, spread, throughput, samples, overhead and warnings, folded away unless asked for. */
export function detailsSection(run: BenchmarkRun, open: boolean, toggled: (open: boolean) => void): HTMLElement {
  const rows = detailRows(run).map((cells, index) =>
    cells.map((text, column) =>
      column === WARNING_COLUMN && run.results[index]?.stats.warning
        ? el('span', { class: 'noise', title: text }, codicon('warning'), ` ${text}`)
        : text,
    ),
  );
  const reasons = noiseReasons(run);
  const section = el(
    'vscode-collapsible',
    {
      id: 'details',
      heading: 'Details',
      description: `mean, spread, throughput, samples, harness overhead${reasons.length > 0 ? ', why the run is noisy' : ''}`,
      open,
    },
    dataTable('details-table', DETAIL_COLUMNS, rows, { compactBelow: 640 }),
    ...(reasons.length > 0
      ? [
          el('p', { class: 'noise-heading' }, 'Why the run is noisy:'),
          el('ul', { id: 'noise-reasons' }, ...reasons.map((reason) => el('li', {}, reason))),
        ]
      : []),
  );
  section.addEventListener('vsc-collapsible-toggle', (event) => toggled(event.detail.open));
  return section;
}
