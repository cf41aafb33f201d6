/** Number formatting shared by the webviews and the extension's Markdown/JSON exports. */

const TIME_UNITS: readonly [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
];

/** A duration in nanoseconds with a unit that keeps 3 significant digits: "1.23 µs". */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  for (const [scale, unit] of TIME_UNITS) {
    if (Math.abs(ns) >= scale) return `${significant(ns / scale)} ${unit}`;
  }
  return `${significant(ns)} ns`;
}

/** Bytes with binary prefixes: "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${significant(value)} ${units[unit]}`;
}

/** Calls per second: "12.3 M/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 1e9) return `${significant(perSecond / 1e9)} G/s`;
  if (perSecond >= 1e6) return `${significant(perSecond / 1e6)} M/s`;
  if (perSecond >= 1e3) return `${significant(perSecond / 1e3)} k/s`;
  return `${significant(perSecond)} /s`;
}

/** A ratio of times as "0.82×". */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×` : '–';
}

function significant(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}
