/** The results table of one run. */
import type { BenchmarkRun } from '../../protocol/benchmark';
import { WARNING_COLUMN, RESULT_COLUMNS, resultRows } from '../../protocol/benchmark-table';
import { codicon, el } from '../shared/dom';
import { dataTable } from '../shared/table';

/** Initial widths (the user can resize): numbers stay narrow, the verdict and noise get room. */
const COLUMN_WIDTHS = ['12%', '7%', '7%', '12%', '6%', '12%', '8%', '6%', '7%', '13%', '10%'];

export function resultsTable(run: BenchmarkRun): HTMLElement {
  const rows = resultRows(run).map((cells, index) =>
    cells.map((text, column) =>
      column === WARNING_COLUMN && run.results[index]?.stats.warning
        ? el('span', { class: 'noise', title: text }, codicon('warning'), ` ${text}`)
        : text,
    ),
  );
  return dataTable('results', RESULT_COLUMNS, rows, {
    columns: COLUMN_WIDTHS,
    attributes: { 'data-run-id': run.id },
    rowAttributes: (index) => ({ 'data-variant': run.results[index]?.label }),
  });
}
