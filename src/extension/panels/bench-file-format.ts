/**
 * The panel's definitions in the benchmark engine's `wasm-perf.bench.json` format
 * (src/bench/bench-file.ts, also read by `wasm-perf bench --file`), in both directions.
 * vscode-free. Saving edits the file's JSON in place: other benchmarks, `defaults` and an
 * entry's own `options` survive.
 */
import type { BenchDefinition, MeasuredResult } from '../../bench/bench-file';
import type { ArgValue, VariantSpec as EngineVariantSpec } from '../../bench/types';
import {
  describeFlags,
  NO_FLAGS,
  type BenchmarkDefinition,
  type BenchmarkRun,
  type BuildFlags,
  type VariantSpec,
} from '../../protocol/benchmark';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A panel definition for a file entry, or why the panel cannot show it. */
export function toPanelDefinition(entry: BenchDefinition, labelOf: (path: string) => string): BenchmarkDefinition | string {
  if (entry.kind === 'load') return `"${entry.name}" measures loading, which the panel does not show`;
  const args = entry.args.map((arg) => (typeof arg === 'object' ? undefined : String(arg)));
  if (args.some((arg) => arg === undefined)) return `"${entry.name}" passes memory buffers, which the panel cannot edit`;
  if (entry.setup?.buffers?.length) return `"${entry.name}" sets up memory buffers, which the panel cannot edit`;
  const common = {
    ...(entry.kind === 'crate' && entry.finding ? { finding: entry.finding } : {}),
    name: entry.name,
    exportName: entry.export,
    args: args as string[],
    ...(entry.setup?.export ? { setupExport: entry.setup.export } : {}),
  };
  if (entry.kind === 'module') {
    return {
      ...common,
      variants: [entry.module, ...entry.compare].map((path): VariantSpec => ({ kind: 'module', label: labelOf(path), modulePath: path })),
    };
  }
  const flags = entry.variants.map(flagsOf);
  if (flags.some((each) => each === undefined))
    return `"${entry.name}" has build settings beyond opt-level=3, lto and +simd128, which the panel cannot edit`;
  const manifestPath = `${entry.crate.replace(/\/$/, '')}/Cargo.toml`;
  // The engine always builds the crate as configured first, as the baseline.
  const variants = [NO_FLAGS, ...(flags as BuildFlags[])].map((each): VariantSpec => ({
    kind: 'build',
    label: describeFlags(each),
    manifestPath,
    flags: each,
  }));
  return { ...common, variants };
}

function flagsOf(spec: EngineVariantSpec): BuildFlags | undefined {
  const features = spec.targetFeatures ?? [];
  if (spec.codegenUnits !== undefined || (spec.rustflags?.length ?? 0) > 0 || features.some((feature) => feature !== 'simd128'))
    return undefined;
  if (spec.optLevel !== undefined && spec.optLevel !== '3') return undefined;
  if (spec.lto !== undefined && spec.lto !== 'fat') return undefined;
  return { optLevel3: spec.optLevel === '3', simd128: features.includes('simd128'), lto: spec.lto === 'fat' };
}

/** The variant text of the bench file and the CLI (`opt-level=3,lto=fat,+simd128`). */
export function variantText(flags: BuildFlags): string {
  return [flags.optLevel3 ? 'opt-level=3' : '', flags.lto ? 'lto=fat' : '', flags.simd128 ? '+simd128' : '']
    .filter((part) => part !== '')
    .join(',');
}

/** The file entry for a panel definition, or why the file format cannot hold it. */
export function toFileEntry(definition: BenchmarkDefinition, relative: (path: string) => string): JsonObject | string {
  const call: JsonObject = {
    export: definition.exportName,
    args: definition.args.map(argValue),
    ...(definition.setupExport ? { setup: definition.setupExport } : {}),
  };
  const modules = definition.variants.flatMap((variant) => (variant.kind === 'module' ? [relative(variant.modulePath)] : []));
  const builds = definition.variants.flatMap((variant) => (variant.kind === 'build' ? [variant] : []));
  if (modules.length > 0 && builds.length > 0)
    return 'a comparison of built modules with crate builds cannot be saved: the file compares either modules or builds of one crate';
  if (modules.length > 0) {
    const [module, ...compare] = modules as [string, ...string[]];
    return { name: definition.name, module, ...(compare.length > 0 ? { compare } : {}), ...call };
  }
  const crates = [...new Set(builds.map((variant) => variant.manifestPath))];
  if (crates.length !== 1) return 'the file compares builds of one crate at a time';
  const crate = relative((crates[0] as string).replace(/\/?Cargo\.toml$/, '')) || '.';
  // The configured build is the engine's baseline anyway; the others become its variants.
  const variants = [...new Set(builds.map((variant) => variantText(variant.flags)).filter((text) => text !== ''))];
  return { name: definition.name, crate, variants, ...call, ...(definition.finding ? { finding: definition.finding } : {}) };
}

/** A finished comparison as the file keeps it (the first ratio: the fix against the configured build). */
export function measuredOf(run: BenchmarkRun): MeasuredResult | undefined {
  const ratio = run.ratios[0];
  const baseline = run.results[0];
  if (!ratio || !baseline || !(ratio.ratio > 0) || !(ratio.ciLow > 0) || !(ratio.ciHigh > 0)) return undefined;
  return {
    at: run.finishedAt,
    baseline: baseline.label,
    candidate: ratio.label,
    ratio: ratio.ratio,
    ciLow: ratio.ciLow,
    ciHigh: ratio.ciHigh,
    significant: ratio.significant,
    environment: run.environment,
  };
}

/** Numbers stay numbers; anything a JS number would change (i64 beyond 2^53, `1e3`) stays text. */
function argValue(text: string): ArgValue {
  const value = Number(text);
  return text.trim() !== '' && Number.isSafeInteger(value) && String(value) === text.trim() ? value : text;
}

/** The file's new text with `entry` added, or replacing the entry of the same name (keeping its `options`). */
export function withEntry(existing: string | undefined, entry: JsonObject): string {
  const parsed = existing === undefined ? {} : (JSON.parse(existing) as Json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the file does not hold a JSON object');
  const benchmarks = Array.isArray(parsed.benchmarks) ? parsed.benchmarks : [];
  const index = benchmarks.findIndex(
    (each) => typeof each === 'object' && each !== null && !Array.isArray(each) && each.name === entry.name,
  );
  const previous = index >= 0 ? (benchmarks[index] as JsonObject) : undefined;
  const merged = previous?.options !== undefined ? { ...entry, options: previous.options } : entry;
  const next = index >= 0 ? benchmarks.map((each, i) => (i === index ? merged : each)) : [...benchmarks, merged];
  return `${JSON.stringify({ ...parsed, benchmarks: next }, null, 2)}\n`;
}
