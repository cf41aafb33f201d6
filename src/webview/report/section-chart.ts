/** Size by section as a horizontal bar chart; only the pieces of Chart.js it uses are registered. */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { SectionRow } from '../../protocol/wasm-report';
import { formatBytes } from '../../protocol/format';
import { readPalette, withAlpha } from '../shared/theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export class SectionChart {
  private chart: Chart<'bar'> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  show(sections: readonly SectionRow[]): void {
    this.chart?.destroy();
    const palette = readPalette();
    const colour = palette.series[0] ?? palette.foreground;
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: {
        labels: sections.map((section) => section.name),
        datasets: [
          {
            label: 'bytes',
            data: sections.map((section) => section.size),
            backgroundColor: withAlpha(colour, 0.6),
            borderColor: colour,
            borderWidth: 1,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => formatBytes(Number(item.raw)) } } },
        scales: {
          x: {
            ticks: { color: palette.foreground, callback: (value) => formatBytes(Number(value)) },
            grid: { color: palette.grid },
          },
          y: { ticks: { color: palette.foreground, autoSkip: false }, grid: { color: palette.grid } },
        },
      },
    });
  }
}
