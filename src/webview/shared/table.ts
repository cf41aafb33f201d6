/** A vscode-table from header titles and rows of cells (text or elements). */
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import { el } from './dom';

export type Cell = string | Node;

export interface TableOptions {
  /** Initial column widths (vscode-table's `columns`). */
  readonly columns?: readonly string[];
  /** Extra attributes on the table element. */
  readonly attributes?: Record<string, string>;
  /** Below this width (px) the table shows each row as a block of labelled cells instead of cutting them off. */
  readonly compactBelow?: number;
  /** Attributes per row (e.g. a data- key tests and styles select on). */
  readonly rowAttributes?: (index: number) => Record<string, string | undefined>;
}

export function dataTable(
  id: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): HTMLElement {
  return el(
    'vscode-table',
    {
      id,
      'bordered-rows': true,
      zebra: true,
      resizable: true,
      ...(options.columns ? { columns: JSON.stringify(options.columns) } : {}),
      ...(options.compactBelow ? { responsive: true, breakpoint: String(options.compactBelow) } : {}),
      ...options.attributes,
    },
    el('vscode-table-header', { slot: 'header' }, ...headers.map((title) => el('vscode-table-header-cell', {}, title))),
    el(
      'vscode-table-body',
      { slot: 'body' },
      ...rows.map((cells, index) =>
        el(
          'vscode-table-row',
          options.rowAttributes?.(index) ?? {},
          ...cells.map((cell) => el('vscode-table-cell', typeof cell === 'string' ? { title: cell } : {}, cell)),
        ),
      ),
    ),
  );
}
