/**
 * The results of a run as table cells: the panel's table and the Markdown export show the
 * same thing. Every time of a run is in one unit (the slowest median's), so columns compare at
 * a glance. "95% interval" is where a re-run's median lands; "Overhead" is what the harness adds
 * per call. The panel shows the summary columns and puts the detail columns behind a toggle.
 */
import type { BenchmarkRun, VariantResult } from './benchmark';
import { ratioCell, shortLabels, verdictLines } from './benchmark-verdict';
import { formatNsIn, formatRate, timeUnitFor, type TimeUnit } from './format';

export const SUMMARY_COLUMNS = ['Variant', 'Median', '95% interval', 'vs baseline', 'Noise'] as const;
export const DETAIL_COLUMNS = ['Variant', 'Mean', 'p5 – p95', 'MAD', 'Throughput', 'Samples', 'Overhead', 'Warnings'] as const;

/** The unit every time of the run is shown in. */
export function runTimeUnit(run: BenchmarkRun): TimeUnit {
  return timeUnitFor(Math.max(0, ...run.results.map((result) => result.stats.medianNs).filter(Number.isFinite)));
}

export function summaryRows(run: BenchmarkRun): string[][] {
  const unit = runTimeUnit(run);
  const labels = shortLabels(run.results.map((result) => result.label));
  return run.results.map((result, index) => [
    labels[index] ?? result.label,
    formatNsIn(result.stats.medianNs, unit),
    rangeIn(result.stats.ciLowNs, result.stats.ciHighNs, unit),
    ratioText(run, index),
    // The verdict above the table names the first reason; Details and the cell's tooltip give them all.
    result.stats.noise ? 'noisy' : '–',
  ]);
}

export function detailRows(run: BenchmarkRun): string[][] {
  const unit = runTimeUnit(run);
  const labels = shortLabels(run.results.map((result) => result.label));
  return run.results.map((result, index) => detailCells(labels[index] ?? result.label, result, unit));
}

function detailCells(label: string, result: VariantResult, unit: TimeUnit): string[] {
  const stats = result.stats;
  return [
    label,
    formatNsIn(stats.meanNs, unit),
    rangeIn(stats.p5Ns, stats.p95Ns, unit),
    formatNsIn(stats.madNs, unit),
    formatRate(stats.callsPerSecond),
    String(stats.sampleCount),
    formatNsIn(stats.harnessOverheadNs, unit),
    stats.warning ?? '–',
  ];
}

/** "0.623–0.649 µs": the unit once. */
function rangeIn(low: number, high: number, unit: TimeUnit): string {
  return `${formatNsIn(low, unit).replace(` ${unit.name}`, '')}–${formatNsIn(high, unit)}`;
}

function ratioText(run: BenchmarkRun, index: number): string {
  if (index === 0) return run.results.length > 1 ? 'baseline' : '–';
  const ratio = run.ratios[index - 1];
  return ratio ? ratioCell(ratio) : '–';
}

/** A GitHub-flavoured Markdown report of the run: what was measured, the verdict, then one table. */
export function markdownTable(run: BenchmarkRun): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const definition = run.definition;
  const call = `${definition.exportName}(${definition.args.join(', ')})`;
  const columns = [...SUMMARY_COLUMNS, ...DETAIL_COLUMNS.slice(1)];
  const leftAligned = new Set(['Variant', 'vs baseline', 'Noise', 'Warnings']);
  const rows = summaryRows(run).map((cells, index) => [...cells, ...(detailRows(run)[index] ?? []).slice(1)]);
  const lines = [
    `**${escape(definition.name)}**: \`${call}\`${definition.setupExport ? ` after \`${definition.setupExport}()\`` : ''}, ${run.finishedAt}, ${run.environment}`,
    '',
    ...verdictLines(run).map((line) => `**${escape(line.strong)}**${escape(line.rest)}`),
    '',
    `| ${columns.join(' | ')} |`,
    `|${columns.map((column) => (leftAligned.has(column) ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((cells) => `| ${cells.map(escape).join(' | ')} |`),
    ...(run.warnings.length > 0 ? ['', ...run.warnings.map((warning) => `- ${escape(warning)}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
