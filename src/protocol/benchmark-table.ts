/**
 * The results of a run as table cells: the panel's table and the Markdown export show the
 * same thing. "95% CI" is the median's interval; "Overhead" is what the harness adds per call.
 */
import type { BenchmarkRun, VariantResult } from './benchmark';
import { formatNs, formatRate, formatRatio } from './format';

export const RESULT_COLUMNS = [
  'Variant',
  'Median',
  'Mean',
  'p5 – p95',
  'MAD',
  '95% CI',
  'Throughput',
  'Samples',
  'Overhead',
  'vs baseline',
  'Warnings',
] as const;

export const WARNING_COLUMN = RESULT_COLUMNS.indexOf('Warnings');

export function resultRows(run: BenchmarkRun): string[][] {
  return run.results.map((result, index) => resultCells(run, result, index));
}

function resultCells(run: BenchmarkRun, result: VariantResult, index: number): string[] {
  const stats = result.stats;
  return [
    result.label,
    formatNs(stats.medianNs),
    formatNs(stats.meanNs),
    `${formatNs(stats.p5Ns)} – ${formatNs(stats.p95Ns)}`,
    formatNs(stats.madNs),
    `${formatNs(stats.ciLowNs)} – ${formatNs(stats.ciHighNs)}`,
    formatRate(stats.callsPerSecond),
    String(stats.sampleCount),
    formatNs(stats.harnessOverheadNs),
    ratioText(run, index),
    stats.warning ?? 'none',
  ];
}

function ratioText(run: BenchmarkRun, index: number): string {
  if (index === 0) return run.results.length > 1 ? 'baseline' : '–';
  const ratio = run.ratios[index - 1];
  if (!ratio) return '–';
  const verdict = ratio.significant ? (ratio.ratio < 1 ? 'faster' : 'slower') : 'no clear difference';
  return `${formatRatio(ratio.ratio)} [${formatRatio(ratio.ciLow)}, ${formatRatio(ratio.ciHigh)}] ${verdict}`;
}

/** A GitHub-flavoured Markdown table of the run, with what was measured above it. */
export function markdownTable(run: BenchmarkRun): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const definition = run.definition;
  const call = `${definition.exportName}(${definition.args.join(', ')})`;
  const lines = [
    `**${escape(definition.name)}**: \`${call}\`${definition.setupExport ? ` after \`${definition.setupExport}()\`` : ''}, ${run.finishedAt}, ${run.environment}`,
    '',
    `| ${RESULT_COLUMNS.join(' | ')} |`,
    `|${RESULT_COLUMNS.map((_, i) => (i === 0 || i === WARNING_COLUMN || i === RESULT_COLUMNS.length - 2 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...resultRows(run).map((cells) => `| ${cells.map(escape).join(' | ')} |`),
    ...(run.warnings.length > 0 ? ['', ...run.warnings.map((warning) => `- ${escape(warning)}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
