/**
 * What a run means in words: who won and by how much, said as "N× faster/slower" (never as a
 * time ratio below 1 called "faster"), with variant labels shortened to the part that differs.
 * The panel shows these sentences on top of its results; the Markdown export starts with them.
 */
import type { BenchmarkRun, RatioResult } from './benchmark';
import { formatNs } from './format';

/** A sentence with its point in bold: `strong` then `rest`. */
export interface VerdictLine {
  readonly kind: 'faster' | 'slower' | 'same' | 'single';
  readonly strong: string;
  readonly rest: string;
}

/** Characters after which a file name or path may be cut. */
const PATH_SEPARATOR = /[/\\\-_.]/;
/** Labels that describe settings ("opt-level=3 +simd128") are cut only between words, never inside "key=value". */
const WORD_SEPARATOR = /\s/;

/**
 * The labels without what they all share at the start and at the end, cut at a separator so no
 * word is split: "bench/kernels-s.wasm" and "bench/kernels-3-simd.wasm" become "s" and "3-simd".
 * A single label keeps its last path segment. Labels that would become empty stay whole.
 */
export function shortLabels(labels: readonly string[]): string[] {
  if (labels.length === 1) return labels.map((label) => label.split(/[/\\]/).filter(Boolean).pop() ?? label);
  if (labels.length === 0 || new Set(labels).size !== labels.length) return [...labels];
  const separator = labels.some((label) => /[\s=]/.test(label)) ? WORD_SEPARATOR : PATH_SEPARATOR;
  const prefix = sharedCut(
    labels,
    separator,
    (label, i) => label[i],
    (label, length) => label.slice(length),
  );
  const trimmed = labels.map((label) => label.slice(prefix));
  const suffix = sharedCut(
    trimmed,
    separator,
    (label, i) => label[label.length - 1 - i],
    (label, length) => label.slice(0, label.length - length),
  );
  return trimmed.map((label) => label.slice(0, label.length - suffix).trim());
}

/**
 * The length of the longest shared run of characters (read by `at` from one end) that ends just
 * after a separator and leaves every label non-empty and distinct.
 */
function sharedCut(
  labels: readonly string[],
  separator: RegExp,
  at: (label: string, i: number) => string | undefined,
  rest: (label: string, length: number) => string,
): number {
  const first = labels[0]!;
  let shared = 0;
  while (labels.every((label) => at(label, shared) !== undefined && at(label, shared) === at(first, shared))) shared++;
  for (let length = shared; length > 0; length--) {
    if (!separator.test(at(first, length - 1) ?? '')) continue;
    const remaining = labels.map((label) => rest(label, length));
    if (remaining.every((label) => label.trim() !== '') && new Set(remaining).size === remaining.length) return length;
  }
  return 0;
}

/** A speed factor: two decimals below 2× ("1.35×"), one above ("6.3×"); an interval uses its centre's. */
export function formatFactor(factor: number, digits = factorDigits(factor)): string {
  if (!Number.isFinite(factor)) return '–';
  return `${factor.toFixed(digits)}×`;
}

function factorDigits(factor: number): number {
  return factor < 2 ? 2 : 1;
}

/** "6.3× faster" or "1.4× slower" for a time ratio (candidate / baseline). */
export function speedText(ratio: number): string {
  return ratio < 1 ? `${formatFactor(1 / ratio)} faster` : `${formatFactor(ratio)} slower`;
}

/** The interval of a ratio in the words of its verdict: as speed-ups when faster, as slow-downs when slower. */
export function speedInterval(ratio: RatioResult): string {
  const range = (low: number, high: number, centre: number) =>
    `${formatFactor(low, factorDigits(centre)).slice(0, -1)}–${formatFactor(high, factorDigits(centre))}`;
  if (ratio.ratio < 1 && ratio.ciHigh < 1) return range(1 / ratio.ciHigh, 1 / ratio.ciLow, 1 / ratio.ratio);
  if (ratio.ratio >= 1 && ratio.ciLow >= 1) return range(ratio.ciLow, ratio.ciHigh, ratio.ratio);
  return `${speedText(ratio.ciLow)} to ${speedText(ratio.ciHigh)}`;
}

/** The "vs baseline" cell: "6.3× faster (6.2–6.4×)", or "no difference (…)". */
export function ratioCell(ratio: RatioResult): string {
  if (!ratio.significant) return `no difference (${speedInterval(ratio)})`;
  return `${speedText(ratio.ratio)} (${speedInterval(ratio)})`;
}

/** One line per compared variant, or the one variant's time when nothing was compared. */
export function verdictLines(run: BenchmarkRun): VerdictLine[] {
  const labels = shortLabels(run.results.map((result) => result.label));
  const baseline = labels[0] ?? 'the baseline';
  const noise = noiseNote(run, labels);
  if (run.ratios.length === 0) {
    const only = run.results[0];
    if (!only) return [];
    const stats = only.stats;
    return [
      {
        kind: 'single',
        strong: `${baseline}: ${formatNs(stats.medianNs)} per call`,
        rest: ` (median; 95% interval ${formatNs(stats.ciLowNs)}–${formatNs(stats.ciHighNs)})${noise}`,
      },
    ];
  }
  return run.ratios.map((ratio, index) => {
    const label = labels[index + 1] ?? ratio.label;
    const interval = `95% CI ${speedInterval(ratio)}`;
    if (!ratio.significant) {
      const includesOne = ratio.ciLow <= 1 && ratio.ciHigh >= 1;
      const why = includesOne
        ? `${interval} includes no change`
        : `the ${Math.abs((ratio.ratio - 1) * 100).toFixed(0)}% change is below the noise`;
      return { kind: 'same', strong: 'No measurable difference', rest: ` between ${label} and ${baseline} (${why})${noise}` };
    }
    return {
      kind: ratio.ratio < 1 ? 'faster' : 'slower',
      strong: `${label} is ${speedText(ratio.ratio)}`,
      rest: ` than ${baseline} (${interval})${noise}`,
    };
  });
}

/** One reason a run was noisy, and the variant it belongs to when several variants were noisy. */
interface NoiseReason {
  readonly variant?: string;
  readonly text: string;
}

/**
 * Why a run was noisy. When several variants were noisy, a reason of one variant names it (the
 * same words twice with other numbers would read as a mistake); a reason several variants give
 * word for word (a busy machine) is said once.
 */
function reasonsOf(run: BenchmarkRun, labels: readonly string[]): NoiseReason[] {
  const own = run.results.map((result) => result.stats.noise?.split('; ') ?? []);
  const noisy = own.filter((reasons) => reasons.length > 0).length;
  const shared = (reason: string) => own.filter((reasons) => reasons.includes(reason)).length > 1;
  const said = new Set<string>();
  const out: NoiseReason[] = [];
  const add = (reason: NoiseReason) => {
    const key = `${reason.variant ?? ''}\u0000${reason.text}`;
    if (!said.has(key)) out.push(reason);
    said.add(key);
  };
  own.forEach((reasons, index) => {
    for (const text of reasons) {
      add(noisy > 1 && !shared(text) ? { variant: labels[index] ?? run.results[index]?.label, text } : { text });
    }
  });
  for (const ratio of run.ratios) if (ratio.noise) add({ text: ratio.noise });
  return out;
}

/** Every reason in full, for the Details section: "s: the 5 rounds disagree: their medians…". */
export function noiseReasons(run: BenchmarkRun): string[] {
  const labels = shortLabels(run.results.map((result) => result.label));
  return reasonsOf(run, labels).map((reason) => (reason.variant ? `${reason.variant}: ${reason.text}` : reason.text));
}

/**
 * ". Noisy run: <the first reason, short>" and how many more the Details section gives: the
 * verdict stays one sentence. A reason reads "<what happened>: <why it matters>" (src/bench/stats.ts
 * writes them so) and the verdict keeps what happened. The first reason is the weightiest: a busy
 * machine comes first, then rounds that disagree.
 */
function noiseNote(run: BenchmarkRun, labels: readonly string[]): string {
  const reasons = reasonsOf(run, labels);
  const first = reasons[0];
  if (first === undefined) return '';
  const cut = first.text.indexOf(': ');
  const what = cut > 0 ? first.text.slice(0, cut) : first.text;
  const more = reasons.length - 1;
  const others = more > 0 ? ` and ${more} more reason${more > 1 ? 's' : ''} in Details` : '';
  return `. Noisy run: ${first.variant ? `${first.variant}: ` : ''}${what}${others}`;
}
