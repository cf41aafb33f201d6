/**
 * The benchmark charts: the distribution of per-call times per variant (violin) and the A/B
 * ratio with its confidence interval (bar with error bars). Only the controllers, elements
 * and scales used here are registered, so the bundle carries nothing else of Chart.js.
 */
import { Chart, CategoryScale, LinearScale, LogarithmicScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { Violin, ViolinController } from '@sgratzl/chartjs-chart-boxplot';
import { BarWithErrorBar, BarWithErrorBarsController } from 'chartjs-chart-error-bars';
import { quantileSample, type BenchmarkRun } from '../../protocol/benchmark';
import { formatRatio } from '../../protocol/format';
import { readPalette, withAlpha, type ChartPalette } from '../shared/theme';

Chart.register(
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Violin,
  ViolinController,
  BarWithErrorBar,
  BarWithErrorBarsController,
);

/** Enough points for a faithful violin; more only slows the density estimate down. */
const MAX_POINTS_PER_VARIANT = 2000;

export class BenchmarkCharts {
  private charts: Chart[] = [];

  constructor(
    private readonly distributionCanvas: HTMLCanvasElement,
    private readonly ratioCanvas: HTMLCanvasElement,
  ) {}

  show(run: BenchmarkRun): void {
    this.destroy();
    const palette = readPalette();
    this.charts.push(new Chart(this.distributionCanvas, distributionConfig(run, palette)));
    if (run.ratios.length > 0) this.charts.push(new Chart(this.ratioCanvas, ratioConfig(run, palette)));
  }

  destroy(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}

function axisOptions(palette: ChartPalette, title: string) {
  return {
    ticks: { color: palette.foreground, font: { family: palette.font } },
    grid: { color: palette.grid },
    title: { display: true, text: title, color: palette.foreground, font: { family: palette.font } },
  };
}

/**
 * The samples without far outliers (beyond 1.5× the 5th–95th percentile range on either
 * side): a few interrupted samples hundreds of times the median would otherwise squash
 * every violin into a line at the bottom. The table keeps the full statistics.
 */
function centralSamples(samples: readonly number[]): number[] {
  const sorted = quantileSample(samples, MAX_POINTS_PER_VARIANT);
  if (sorted.length < 20) return sorted;
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))] as number;
  const spread = Math.max(at(0.95) - at(0.05), 0.1 * at(0.5));
  return sorted.filter((value) => value >= at(0.05) - 1.5 * spread && value <= at(0.95) + 1.5 * spread);
}

function distributionConfig(run: BenchmarkRun, palette: ChartPalette): ChartConfiguration<'violin'> {
  const colours = run.results.map((_, i) => palette.series[i % palette.series.length] ?? palette.foreground);
  return {
    type: 'violin',
    data: {
      labels: run.results.map((result) => result.label),
      datasets: [
        {
          label: 'time per call',
          data: run.results.map((result) => centralSamples(result.samplesNs)),
          backgroundColor: colours.map((colour) => withAlpha(colour, 0.35)),
          borderColor: colours,
          borderWidth: 1,
          itemRadius: 0,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: {
        x: axisOptions(palette, 'variant'),
        y: { ...axisOptions(palette, 'time per call (ns), far outliers not drawn'), type: 'linear' },
      },
    },
  };
}

function ratioConfig(run: BenchmarkRun, palette: ChartPalette): ChartConfiguration<'barWithErrorBars'> {
  const colours = run.ratios.map(
    (ratio) => (ratio.significant ? (ratio.ratio < 1 ? palette.series[2] : palette.series[4]) : palette.series[0]) ?? palette.foreground,
  );
  return {
    type: 'barWithErrorBars',
    data: {
      labels: run.ratios.map((ratio) => `${ratio.label} / ${run.results[0]?.label ?? 'baseline'}`),
      datasets: [
        {
          label: 'time ratio',
          data: run.ratios.map((ratio) => ({ x: ratio.ratio, xMin: ratio.ciLow, xMax: ratio.ciHigh })),
          backgroundColor: colours.map((colour) => withAlpha(colour, 0.5)),
          borderColor: colours,
          borderWidth: 1,
          errorBarColor: palette.foreground,
          errorBarWhiskerColor: palette.foreground,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const ratio = run.ratios[item.dataIndex];
              return ratio ? `${formatRatio(ratio.ratio)} (95% CI ${formatRatio(ratio.ciLow)}–${formatRatio(ratio.ciHigh)})` : '';
            },
          },
        },
      },
      scales: {
        // Keep 1 (no difference) on the axis so the bars read against it.
        x: {
          ...axisOptions(palette, 'time relative to the baseline (below 1 is faster)'),
          type: 'linear',
          suggestedMin: 0,
          suggestedMax: Math.max(1.05, ...run.ratios.map((ratio) => ratio.ciHigh)),
        },
        y: axisOptions(palette, ''),
      },
    },
  };
}
