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

export interface TimeUnit {
  readonly scale: number;
  readonly name: string;
}

/** The unit in which `ns` reads with at least one digit before the point: one unit for a whole table or chart. */
export function timeUnitFor(ns: number): TimeUnit {
  for (const [scale, name] of TIME_UNITS) if (Math.abs(ns) >= scale) return { scale, name };
  return { scale: 1, name: 'ns' };
}

/** A duration in a given unit with 3 significant digits: "0.640 µs" beside "3.96 µs". */
export function formatNsIn(ns: number, unit: TimeUnit): string {
  if (!Number.isFinite(ns)) return '–';
  const value = ns / unit.scale;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit.name}`;
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

function significant(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}
