/** Plain-text tables of benchmark results (the CLI prints these; the panel shows the same numbers). */
import type {
  BenchmarkResult,
  ComparisonResult,
  EnvironmentInfo,
  ExportMeasurement,
  HarnessSettings,
  LoadResult,
  MillisecondStats,
} from './types';

/** A duration in nanoseconds with three significant digits and a unit that fits. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  const units: [number, string][] = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(ns) >= s) ?? [1, 'ns'];
  const value = ns / scale;
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 10 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G/s`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(2)} k/s`;
  return `${perSecond.toFixed(2)} /s`;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Left-aligns the first column (and any listed in `leftColumns`) and right-aligns the rest. */
export function table(rows: readonly (readonly string[])[], leftColumns: readonly number[] = [0]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const pad = ' '.repeat(widths[column]! - [...cell].length);
          return leftColumns.includes(column) ? cell + pad : pad + cell;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function measurementRows(measurements: readonly ExportMeasurement[]): string[][] {
  const header = [
    'module',
    'median',
    'mean',
    'p5',
    'p95',
    'MAD',
    '95% interval of median',
    'rounds spread',
    'throughput',
    'samples',
    'batch',
  ];
  return [
    header,
    ...measurements.map((m) => [
      m.module.label,
      formatNs(m.stats.median),
      formatNs(m.stats.mean),
      formatNs(m.stats.p5),
      formatNs(m.stats.p95),
      formatNs(m.stats.mad),
      `${formatNs(m.stats.medianCi.low)} – ${formatNs(m.stats.medianCi.high)}`,
      percent(m.roundSpread),
      formatRate(m.throughputPerSecond),
      String(m.stats.count),
      String(m.batchSize),
    ]),
  ];
}

function callText(exportName: string, args: readonly unknown[]): string {
  return `${exportName}(${args.map((a) => (typeof a === 'object' && a !== null ? `<buffer ${(a as { buffer: string }).buffer}>` : String(a))).join(', ')})`;
}

function environmentLines(environment: EnvironmentInfo, settings?: HarnessSettings): string[] {
  const lines = [
    `machine: ${environment.cpuModel}, ${environment.cores} cores, ${environment.totalMemoryMb} MiB, ${environment.platform}/${environment.arch}; ${environment.electron ? 'Electron' : 'Node'} ${environment.nodeVersion}, V8 ${environment.v8Version}${environment.execArgv.length > 0 ? ` (${environment.execArgv.join(' ')})` : ''}`,
  ];
  if (settings) {
    lines.push(
      `settings: budget ${settings.budgetMs} ms per module in ${settings.rounds} rounds, warm-up ${settings.warmupMs} ms, samples ≥ ${settings.minSampleMicros} µs, time limit ${settings.timeLimitMs} ms, memory cap ${settings.memoryLimitMb} MiB, seed ${settings.seed}`,
    );
  }
  return lines;
}

function overheadLines(measurements: readonly ExportMeasurement[]): string[] {
  return measurements.map((m) => {
    const o = m.overhead;
    return `harness overhead (${m.module.label}): ${formatNs(o.totalNsPerCall)} per call (driver loop ${formatNs(o.loopNsPerCall)} + timer and entry ${formatNs(o.timerNsPerCall)}); a wasm call to an empty function costs ${formatNs(o.emptyCallNsPerCall)} with the loop`;
  });
}

function warningLines(warnings: readonly string[]): string[] {
  return warnings.map((w) => `warning: ${w}`);
}

export function formatBenchmark(result: BenchmarkResult, title?: string): string {
  const m = result.measurement;
  const lines = [
    `${title ? `${title}: ` : ''}${callText(result.export, result.args)} in ${m.module.label}${result.noisy ? '  [noisy]' : ''}`,
    table(measurementRows([m])),
    `rounds: ${m.rounds.map((r) => formatNs(r.medianNs)).join(', ')}`,
    `returned: ${m.returned.length > 0 ? m.returned.join(', ') : '(nothing)'}`,
    ...overheadLines([m]),
    ...(m.wasi && (m.wasi.stdout || m.wasi.stderr)
      ? [`wasi output: ${m.wasi.stdout.length} characters on stdout, ${m.wasi.stderr.length} on stderr`]
      : []),
    ...environmentLines(result.environment, result.settings),
    ...warningLines(result.warnings),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatComparison(result: ComparisonResult, title?: string): string {
  const lines = [
    `${title ? `${title}: ` : ''}${callText(result.export, result.args)}, ${result.measurements.length} modules measured interleaved${result.noisy ? '  [noisy]' : ''}`,
    table(measurementRows(result.measurements)),
    '',
    table([
      ['compared', 'ratio of medians', '95% CI', 'verdict'],
      ...result.comparisons.map((c) => [
        `${c.label} vs ${c.baselineLabel}`,
        c.ratio.toFixed(3),
        `${c.ci.low.toFixed(3)} – ${c.ci.high.toFixed(3)}`,
        c.verdict,
      ]),
    ]),
    ...result.comparisons.map((c) => `  ${c.summary}${c.noise ? ` (noisy: ${c.noise})` : ''}`),
    '',
    ...overheadLines(result.measurements),
    ...environmentLines(result.environment, result.settings),
    ...warningLines(result.warnings),
  ];
  return `${lines.join('\n')}\n`;
}

function msRow(name: string, stats: MillisecondStats): string[] {
  const ms = (value: number) => formatNs(value * 1e6);
  return [name, ms(stats.median), ms(stats.mean), ms(stats.p5), ms(stats.p95), ms(stats.min), ms(stats.max), String(stats.count)];
}

export function formatLoad(result: LoadResult, title?: string): string {
  const sequence = result.sequence;
  const lines = [
    `${title ? `${title}: ` : ''}loading ${result.module.label} (${result.module.sizeBytes} bytes)`,
    table([
      ['step', 'median', 'mean', 'p5', 'p95', 'min', 'max', 'runs'],
      msRow('compile', result.compileMs),
      msRow('instantiate', result.instantiateMs),
      msRow('compile + instantiate', result.compileAndInstantiateMs),
    ]),
    `${sequence.perModuleMs.length} modules in sequence (all kept alive): ${sequence.perModuleMs.map((ms) => formatNs(ms * 1e6)).join(', ')}`,
    `growth: ${formatNs(sequence.slopeMsPerModule * 1e6)} more per module (least squares); last quarter / first quarter = ${sequence.growthRatio.toFixed(2)}×`,
    ...environmentLines(result.environment),
    ...warningLines(result.warnings),
  ];
  return `${lines.join('\n')}\n`;
}
