/**
 * Size by section as one stacked horizontal bar with a legend: every byte of the file on one
 * line, so the code section's share reads at a glance. Sections too thin to see (under 2%) are
 * drawn together as "other"; the legend lists each of them with its size.
 */
import type { SectionRow } from '../../protocol/wasm-report';
import { formatBytes } from '../../protocol/format';
import { el } from '../shared/dom';

/** Below this share a segment is a hairline: it joins "other". */
const VISIBLE_SHARE = 0.02;
/** The theme's chart colours, in the order the other charts use them. */
const SERIES = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];

/** Colours and widths go through the CSSOM, which the CSP allows (no style attribute in markup). */
function paint(element: HTMLElement, index: number): HTMLElement {
  element.style.backgroundColor = `var(--vscode-charts-${SERIES[index % SERIES.length]})`;
  return element;
}

interface Segment {
  readonly name: string;
  readonly size: number;
  readonly sections: number;
}

function segmentsOf(sections: readonly SectionRow[], total: number): Segment[] {
  const sorted = [...sections].sort((a, b) => b.size - a.size);
  const shown = sorted.filter((section) => section.size / total >= VISIBLE_SHARE).map((s) => ({ name: s.name, size: s.size, sections: 1 }));
  const rest = sorted.filter((section) => section.size / total < VISIBLE_SHARE);
  if (rest.length === 1) shown.push({ name: rest[0]!.name, size: rest[0]!.size, sections: 1 });
  else if (rest.length > 1)
    shown.push({ name: `other (${rest.length} sections)`, size: rest.reduce((sum, s) => sum + s.size, 0), sections: rest.length });
  return shown;
}

const share = (size: number, total: number) => `${((100 * size) / total).toFixed(1)}%`;

export function sizeBar(sections: readonly SectionRow[], fileSize: number): HTMLElement {
  const total = Math.max(
    1,
    fileSize,
    sections.reduce((sum, section) => sum + section.size, 0),
  );
  const segments = segmentsOf(sections, total);
  const bar = el(
    'div',
    { id: 'size-bar', role: 'img', 'aria-label': segments.map((s) => `${s.name} ${share(s.size, total)}`).join(', ') },
    ...segments.map((segment, i) => {
      const part = el('div', {
        class: 'segment',
        'data-section': segment.name,
        title: `${segment.name}: ${formatBytes(segment.size)} (${share(segment.size, total)})`,
      });
      part.style.width = `${(100 * segment.size) / total}%`;
      return paint(part, i);
    }),
  );
  const legend = el(
    'ul',
    { id: 'size-legend' },
    ...segments.map((segment, i) =>
      el(
        'li',
        { 'data-section': segment.name },
        paint(el('span', { class: 'swatch', 'aria-hidden': 'true' }), i),
        el('span', { class: 'legend-name' }, segment.name),
        el('span', { class: 'hint' }, ` ${formatBytes(segment.size)} · ${share(segment.size, total)}`),
      ),
    ),
  );
  return el('div', { class: 'size' }, bar, legend);
}
