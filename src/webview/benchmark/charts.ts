/**
 * The benchmark charts: the distribution of per-call times per variant (violin) and the A/B
 * ratio with its confidence interval (bar with error bars). Only the controllers, elements
 * and scales used here are registered, so the bundle carries nothing else of Chart.js.
 */
import { Chart, CategoryScale, LinearScale, LogarithmicScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { Violin, ViolinController } from '@sgratzl/chartjs-chart-boxplot';
import { BarWithErrorBar, BarWithErrorBarsController } from 'chartjs-chart-error-bars';
import { quantileSample, type BenchmarkRun } from '../../protocol/benchmark';
import { runTimeUnit } from '../../protocol/benchmark-table';
import { shortLabels, speedInterval, speedText } from '../../protocol/benchmark-verdict';
import { isRoundTick, roundTickAtOrAbove, roundTickAtOrBelow } from './round-ticks';
import type { TimeUnit } from '../../protocol/format';
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
    // One bar per compared variant: the chart grows with them instead of stretching one bar.
    const ratioBox = this.ratioCanvas.parentElement;
    if (ratioBox) ratioBox.style.height = `${90 + 48 * run.ratios.length}px`;
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
    ticks: { color: palette.foreground, font: { family: palette.font }, maxRotation: 0 },
    grid: { color: palette.grid },
    title: { display: title !== '', text: title, color: palette.foreground, font: { family: palette.font }, padding: 2 },
  };
}

/** Category labels that fit: a long label is cut with an ellipsis (the table and the tooltip show it whole). */
function fitLabel(label: string, max = 24): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/**
 * The samples a violin draws: the 1st to 99th percentile. A few interrupted samples hundreds of
 * times the median would otherwise squash every violin into a line at the bottom; the table and
 * its details keep the full statistics.
 */
function centralSamples(samples: readonly number[], unit: TimeUnit): number[] {
  const sorted = quantileSample(samples, MAX_POINTS_PER_VARIANT);
  const scaled = sorted.map((value) => value / unit.scale);
  if (scaled.length < 20) return scaled;
  const at = (q: number) => scaled[Math.round(q * (scaled.length - 1))] as number;
  const [low, high] = [at(0.01), at(0.99)];
  return scaled.filter((value) => value >= low && value <= high);
}

/** Medians further apart than this share a logarithmic axis, so the fast variant is not a line at the bottom. */
const LOG_AXIS_ABOVE = 3;

function distributionConfig(run: BenchmarkRun, palette: ChartPalette): ChartConfiguration<'violin'> {
  const colours = run.results.map((_, i) => palette.series[i % palette.series.length] ?? palette.foreground);
  const unit = runTimeUnit(run);
  const labels = shortLabels(run.results.map((result) => result.label));
  const data = run.results.map((result) => centralSamples(result.samplesNs, unit));
  const medians = run.results.map((result) => result.stats.medianNs).filter((value) => value > 0);
  const logarithmic = medians.length > 1 && Math.max(...medians) / Math.min(...medians) > LOG_AXIS_ABOVE;
  const drawn = data.flat();
  const [low, high] = [Math.min(...drawn), Math.max(...drawn)];
  return {
    type: 'violin',
    data: {
      labels: labels.map((label) => fitLabel(label)),
      datasets: [
        {
          label: `time per call (${unit.name})`,
          data,
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
      plugins: {
        legend: { display: false },
        tooltip: { enabled: true, callbacks: { title: (items) => labels[items[0]?.dataIndex ?? 0] ?? '' } },
      },
      scales: {
        x: { ...axisOptions(palette, ''), ticks: { ...axisOptions(palette, '').ticks, autoSkip: false } },
        y: logarithmic
          ? {
              ...axisOptions(palette, `${unit.name} per call, log scale (1st–99th percentile)`),
              type: 'logarithmic',
              ...(drawn.length > 0 ? { min: roundTickAtOrBelow(low / 1.1), max: roundTickAtOrAbove(high * 1.1) } : {}),
              // Labels on 1, 2 and 5 times a power of ten only (round-ticks.ts). No automatic
              // skipping: it counts the unlabelled ticks too, and dropped the 500 between 200 and 1000.
              ticks: {
                ...axisOptions(palette, '').ticks,
                autoSkip: false,
                callback: (value: string | number) => (isRoundTick(Number(value)) ? String(Number(value)) : ''),
              },
            }
          : {
              ...axisOptions(palette, `${unit.name} per call (1st–99th percentile)`),
              type: 'linear',
              // Round ticks around the drawn samples (fixed ends would add crowded odd labels).
              grace: '5%',
            },
      },
    },
  };
}

function ratioConfig(run: BenchmarkRun, palette: ChartPalette): ChartConfiguration<'barWithErrorBars'> {
  const colours = run.ratios.map(
    (ratio) => (ratio.significant ? (ratio.ratio < 1 ? palette.series[2] : palette.series[4]) : palette.series[0]) ?? palette.foreground,
  );
  const labels = shortLabels(run.results.map((result) => result.label));
  const baseline = labels[0] ?? 'the baseline';
  // Speed-up (baseline time / variant time), the number the verdict says: above 1 is faster.
  const speedups = run.ratios.map((ratio) => ({ x: 1 / ratio.ratio, xMin: 1 / ratio.ciHigh, xMax: 1 / ratio.ciLow }));
  return {
    type: 'barWithErrorBars',
    data: {
      labels: run.ratios.map((ratio, i) => fitLabel(labels[i + 1] ?? ratio.label, 18)),
      datasets: [
        {
          label: 'speed-up',
          data: speedups,
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
            title: (items) => labels[(items[0]?.dataIndex ?? 0) + 1] ?? '',
            label: (item) => {
              const ratio = run.ratios[item.dataIndex];
              return ratio ? `${speedText(ratio.ratio)} (95% CI ${speedInterval(ratio)})` : '';
            },
          },
        },
      },
      scales: {
        // Keep 1 (no difference) on the axis so the bars read against it.
        x: {
          ...axisOptions(palette, `speed-up over ${fitLabel(baseline, 30)} (above 1 is faster)`),
          type: 'linear',
          suggestedMin: 0,
          // A little room past the widest interval, so its whisker does not sit on the chart's edge.
          suggestedMax: Math.max(1.1, ...speedups.map((speedup) => speedup.xMax * 1.05)),
          ticks: { ...axisOptions(palette, '').ticks, callback: (value) => `${Number(value)}×` },
        },
        y: {
          ...axisOptions(palette, ''),
          // The labels get at most a quarter of the chart; the bars keep the rest.
          afterFit: (axis) => {
            axis.width = Math.min(axis.width, axis.chart.width * 0.25);
          },
        },
      },
    },
  };
}
