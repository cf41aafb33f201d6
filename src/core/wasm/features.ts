/**
 * Features as bits, so the instruction walk can collect them with one `|=` per
 * instruction; turned into names once per module.
 */
import type { WasmFeature } from './model';

export const FEATURE_ORDER: readonly WasmFeature[] = [
  'simd128',
  'relaxed-simd',
  'bulk-memory',
  'nontrapping-fptoint',
  'sign-ext',
  'atomics',
  'mutable-globals',
  'multivalue',
  'reference-types',
  'tail-call',
  'exception-handling',
  'legacy-exceptions',
  'memory64',
  'multimemory',
  'gc',
  'function-references',
  'extended-const',
  'custom-page-sizes',
];

export function featureBit(feature: WasmFeature): number {
  return 1 << FEATURE_ORDER.indexOf(feature);
}

export const F_SIMD = featureBit('simd128');
export const F_RELAXED_SIMD = featureBit('relaxed-simd');
export const F_BULK_MEMORY = featureBit('bulk-memory');
export const F_NONTRAPPING = featureBit('nontrapping-fptoint');
export const F_SIGN_EXT = featureBit('sign-ext');
export const F_ATOMICS = featureBit('atomics');
export const F_MUTABLE_GLOBALS = featureBit('mutable-globals');
export const F_MULTIVALUE = featureBit('multivalue');
export const F_REFERENCE_TYPES = featureBit('reference-types');
export const F_TAIL_CALL = featureBit('tail-call');
export const F_EXCEPTIONS = featureBit('exception-handling');
export const F_LEGACY_EXCEPTIONS = featureBit('legacy-exceptions');
export const F_MEMORY64 = featureBit('memory64');
export const F_MULTIMEMORY = featureBit('multimemory');
export const F_GC = featureBit('gc');
export const F_FUNCTION_REFERENCES = featureBit('function-references');
export const F_EXTENDED_CONST = featureBit('extended-const');
export const F_CUSTOM_PAGE_SIZES = featureBit('custom-page-sizes');

export function featureNames(bits: number): WasmFeature[] {
  return FEATURE_ORDER.filter((_, i) => (bits & (1 << i)) !== 0).sort();
}

export function featureBits(features: readonly WasmFeature[]): number {
  let bits = 0;
  for (const feature of features) bits |= featureBit(feature);
  return bits;
}
