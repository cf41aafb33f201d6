/**
 * The distribution chart's log axis labels only 1, 2 and 5 times a power of ten (Chart.js puts a
 * tick at every significand, which would crowd the labels), and ends on such values so that both
 * ends carry a label: an axis from 0.504 to 5.1 µs labelled nothing below 1.
 */
const ROUND_MANTISSAS = [1, 2, 5, 10];

/** Products like 5 × 1e-7 come out a hair off; twelve digits put them back on the round value. */
const exact = (value: number) => Number(value.toPrecision(12));

export function isRoundTick(value: number): boolean {
  if (!(value > 0)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5].some((round) => Math.abs(mantissa - round) < 1e-6);
}

/** The largest 1, 2 or 5 times a power of ten at or below `value` (> 0). */
export function roundTickAtOrBelow(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const mantissa = [...ROUND_MANTISSAS].reverse().find((round) => round * power <= value * (1 + 1e-9)) ?? 1;
  return exact(mantissa * power);
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value` (> 0). */
export function roundTickAtOrAbove(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const mantissa = ROUND_MANTISSAS.find((round) => round * power >= value * (1 - 1e-9)) ?? 10;
  return exact(mantissa * power);
}
