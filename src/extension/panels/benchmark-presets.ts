/**
 * Definitions the panel opens with when it is started from somewhere else: an export's
 * "Benchmark" button or CodeLens, and the "Measure the difference" quick fix, which compares
 * the crate as configured with the build its fix would give.
 */
import { NO_FLAGS, type BenchmarkDefinition, type BuildFlags } from '../../protocol/benchmark';
import { buildVariantSpec } from './benchmark-runner';

/** The build switch that stands for each fixable rule's fix. */
const FIX_FLAGS: Readonly<Record<string, Partial<BuildFlags>>> = {
  'opt-level-size': { optLevel3: true },
  'missing-simd128': { simd128: true },
};

export function isManifestPath(path: string): boolean {
  return /(^|[\\/])Cargo\.toml$/.test(path);
}

/** One export of a module (a .wasm, or a crate's Cargo.toml to build as configured). */
export function exportPreset(modulePath: string, exportName: string, label: string): BenchmarkDefinition {
  const variant = isManifestPath(modulePath) ? buildVariantSpec(modulePath, NO_FLAGS) : { kind: 'module' as const, label, modulePath };
  return { name: exportName, variants: [variant], exportName, args: [] };
}

/**
 * The current build against the fixed build, or undefined for a rule whose fix is not a
 * build switch. The export is chosen later (the finding is about the crate, not a function);
 * `crateLabel` (the crate's workspace-relative directory) keeps two crates' entries apart.
 */
export function measureDifferencePreset(manifestPath: string, ruleId: string, crateLabel = ''): BenchmarkDefinition | undefined {
  const fix = FIX_FLAGS[ruleId];
  if (!fix) return undefined;
  const fixed: BuildFlags = { ...NO_FLAGS, ...fix };
  const current = { ...buildVariantSpec(manifestPath, NO_FLAGS), label: 'current build' };
  const candidate = { ...buildVariantSpec(manifestPath, fixed), label: `fixed (${buildVariantSpec(manifestPath, fixed).label})` };
  const where = crateLabel !== '' && crateLabel !== '.' ? ` (${crateLabel})` : '';
  return { name: `${ruleId}: current vs fixed${where}`, variants: [current, candidate], exportName: '', args: [], finding: ruleId };
}
