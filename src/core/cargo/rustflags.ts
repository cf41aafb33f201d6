/**
 * Effective rustflags for one wasm target (facts §7.1): four sources, checked in order,
 * and the first one present wins; they are never merged.
 *   1. CARGO_ENCODED_RUSTFLAGS   2. RUSTFLAGS
 *   3. every matching [target.<triple>] / [target.'cfg(..)'] rustflags, joined (+ CARGO_TARGET_<TRIPLE>_RUSTFLAGS)
 *   4. [build] rustflags (+ CARGO_BUILD_RUSTFLAGS)
 */
import { cfgMatches } from './cfg';
import { configAll, type ConfigLayer, type LayeredEntry } from './config-chain';
import type { EffectiveRustflags, RustflagsDefinition } from './model';

export function resolveRustflags(
  triple: string,
  layers: readonly ConfigLayer[],
  env: Readonly<Record<string, string | undefined>>,
): EffectiveRustflags {
  const targetDefs = targetDefinitions(triple, layers);
  const buildDefs = configAll(layers, ['build', 'rustflags']).map(definitionOf);
  const configFlags = [...targetDefs, ...buildDefs].flatMap((d) => d.flags);
  const result = (winner: EffectiveRustflags['winner'], definitions: RustflagsDefinition[]): EffectiveRustflags => ({
    target: triple,
    winner,
    definitions,
    flags: definitions.flatMap((d) => d.flags),
    configFlags,
  });

  const encoded = env.CARGO_ENCODED_RUSTFLAGS;
  if (encoded !== undefined) {
    return result('CARGO_ENCODED_RUSTFLAGS', [envDefinition('CARGO_ENCODED_RUSTFLAGS', encoded === '' ? [] : encoded.split('\x1f'))]);
  }
  const plain = env.RUSTFLAGS;
  if (plain !== undefined) return result('RUSTFLAGS', [envDefinition('RUSTFLAGS', splitFlags(plain))]);

  const targetEnvName = `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, '_')}_RUSTFLAGS`;
  const targetEnv = env[targetEnvName];
  if (targetDefs.length > 0 || targetEnv !== undefined) {
    return result('target', [...targetDefs, ...(targetEnv !== undefined ? [envDefinition(targetEnvName, splitFlags(targetEnv))] : [])]);
  }
  const buildEnv = env.CARGO_BUILD_RUSTFLAGS;
  if (buildDefs.length > 0 || buildEnv !== undefined) {
    return result('build', [
      ...buildDefs,
      ...(buildEnv !== undefined ? [envDefinition('CARGO_BUILD_RUSTFLAGS', splitFlags(buildEnv))] : []),
    ]);
  }
  return result('none', []);
}

function targetDefinitions(triple: string, layers: readonly ConfigLayer[]): RustflagsDefinition[] {
  const out: RustflagsDefinition[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    for (const key of layer.document.childKeys(['target'])) {
      if (key !== triple && cfgMatches(key, triple) !== true) continue;
      const entry = layer.document.get(['target', key, 'rustflags']);
      if (entry) out.push(definitionOf({ layer, entry }));
    }
  }
  return out;
}

function definitionOf({ layer, entry }: LayeredEntry): RustflagsDefinition {
  const node = entry.node;
  let flags: string[] = [];
  if (node.type === 'TOMLValue' && node.kind === 'string') flags = splitFlags(node.value);
  else if (node.type === 'TOMLArray')
    flags = node.elements.flatMap((e) => (e.type === 'TOMLValue' && e.kind === 'string' ? [e.value] : []));
  return {
    source: { kind: 'file', file: layer.path, fileKind: 'config', keyPath: entry.path, keySpan: entry.keySpan, valueSpan: entry.valueSpan },
    flags,
  };
}

function envDefinition(name: string, flags: string[]): RustflagsDefinition {
  return { source: { kind: 'env', name }, flags };
}

export function splitFlags(value: string): string[] {
  return value.split(/\s+/).filter((f) => f.length > 0);
}

/**
 * Whether these flags turn on wasm SIMD: `+simd128` or `+relaxed-simd` (rustc adds simd128
 * for it, facts §9) in any `-C target-feature` spelling, or `-C target-cpu=bleeding-edge`.
 * Later flags win, as in rustc.
 */
export function enablesSimd128(flags: readonly string[]): boolean {
  let simd = false;
  const codegen = codegenOptions(flags);
  for (const [name, value] of codegen) {
    if (name === 'target-cpu') simd = value === 'bleeding-edge' ? true : simd;
    if (name !== 'target-feature') continue;
    for (const feature of value.split(',')) {
      const item = feature.trim();
      if (item === '+simd128' || item === '+relaxed-simd') simd = true;
      else if (item === '-simd128') simd = false;
    }
  }
  return simd;
}

/** `-C name=value`, `-Cname=value` and `--codegen name=value`, in order. */
function codegenOptions(flags: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    let option: string | undefined;
    if (flag === '-C' || flag === '--codegen') option = flags[++i];
    else if (flag.startsWith('--codegen=')) option = flag.slice('--codegen='.length);
    else if (flag.startsWith('-C')) option = flag.slice(2);
    if (!option) continue;
    const eq = option.indexOf('=');
    if (eq > 0) out.push([option.slice(0, eq), option.slice(eq + 1)]);
  }
  return out;
}
