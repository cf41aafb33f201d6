/** The results table of one run, built from vscode-table components. */
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import type { BenchmarkRun } from '../../protocol/benchmark';
import { NOISE_COLUMN, RESULT_COLUMNS, resultRows } from '../../protocol/benchmark-table';
import { codicon, el } from '../shared/dom';

/** Initial widths (the user can resize): numbers stay narrow, the verdict and noise get room. */
const COLUMN_WIDTHS = ['11%', '6%', '6%', '12%', '6%', '12%', '7%', '5%', '6%', '17%', '12%'];

export function resultsTable(run: BenchmarkRun): HTMLElement {
  const rows = resultRows(run);
  return el(
    'vscode-table',
    { class: 'results', 'bordered-rows': true, zebra: true, resizable: true, 'data-run-id': run.id, columns: JSON.stringify(COLUMN_WIDTHS) },
    el('vscode-table-header', { slot: 'header' }, ...RESULT_COLUMNS.map((title) => el('vscode-table-header-cell', {}, title))),
    el(
      'vscode-table-body',
      { slot: 'body' },
      ...rows.map((cells, index) =>
        el(
          'vscode-table-row',
          { 'data-variant': run.results[index]?.label },
          ...cells.map((text, column) =>
            el('vscode-table-cell', { title: text }, column === NOISE_COLUMN && run.results[index]?.stats.noise ? el('span', { class: 'noise' }, codicon('warning'), ` ${text}`) : text),
          ),
        ),
      ),
    ),
  );
}
