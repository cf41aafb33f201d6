/** The rule registry: every rule the engine runs, in documentation order. */
import { BINARY_RULES } from './binary';
import { missingSimd128 } from './missing-simd128';
import { optLevelSize } from './opt-level-size';
import { profileIgnored } from './profile-ignored';
import { releaseCodegenUnits } from './release-codegen-units';
import { releaseLto } from './release-lto';
import type { Rule } from './rule';
import { rustflagsOverridden } from './rustflags-overridden';
import { stripDropsFeatures } from './strip-drops-features';
import { tomlSyntax } from './toml-syntax';
import { wasmiLazyFuel } from './wasmi-lazy-fuel';
import { wasmtimeEnginePerModule } from './wasmtime-engine-per-module';
import { wasmtimeNativeUnwindInfo } from './wasmtime-native-unwind-info';
import { wasmtimeParallelCompilation } from './wasmtime-parallel-compilation';
import { wazeroImplicitCompile } from './wazero-implicit-compile';

export const RULES: readonly Rule[] = [
  optLevelSize,
  missingSimd128,
  rustflagsOverridden,
  profileIgnored,
  stripDropsFeatures,
  releaseLto,
  releaseCodegenUnits,
  tomlSyntax,
  ...BINARY_RULES,
  wasmtimeNativeUnwindInfo,
  wasmtimeParallelCompilation,
  wasmtimeEnginePerModule,
  wazeroImplicitCompile,
  wasmiLazyFuel,
];

const byId = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
