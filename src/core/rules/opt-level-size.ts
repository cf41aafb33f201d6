import { isSizeOptLevel } from '../cargo/profiles';
import {
  crateEvidence,
  crateLocation,
  groupByLocation,
  replaceValueFix,
  settingLocation,
  sourceEvidence,
  profileTunedWasmCrates,
  type WasmCrate,
} from '../cargo/rule-support';
import type { EffectiveProfile, ProfileSetting } from '../cargo/model';
import type { Location } from '../model';
import type { Rule } from './rule';
import docs from './opt-level-size.md';

const CARGO_COMPONENT_BLOCK = new Map<string, unknown>([
  ['codegen-units', 1],
  ['opt-level', 's'],
  ['debug', false],
  ['strip', true],
  ['lto', true],
]);

export const optLevelSize: Rule = {
  meta: {
    id: 'opt-level-size',
    title: 'Release profile optimizes a wasm crate for size',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'The effective release profile (or a custom profile inheriting it) of a wasm crate uses opt-level "s" or "z".',
    docs,
    sources: [
      'https://github.com/rustwasm/wasm-pack-template/issues/27',
      'https://github.com/spinframework/spin/issues/2980',
      'https://github.com/bytecodealliance/cargo-component/pull/289',
      'https://github.com/bytecodealliance/cargo-component/pull/369',
      'https://github.com/wasm-bindgen/wasm-pack/blob/26fce478d35bb43965dfa7ecb862ab860afa34fb/wasm-pack-template/Cargo.toml',
      'https://doc.rust-lang.org/cargo/reference/profiles.html',
    ],
    fix: 'unsafe',
    measurable: true,
  },
  check(context) {
    const hits: {
      location: Location;
      item: { wasm: WasmCrate; profile: EffectiveProfile; setting: ProfileSetting; dependencies: boolean };
    }[] = [];
    for (const wasm of profileTunedWasmCrates(context.workspace)) {
      for (const profile of wasm.build.profiles) {
        const setting = profile.settings.get('opt-level');
        if (setting && isSizeOptLevel(setting.value)) {
          hits.push({
            location: settingLocation(setting.source) ?? crateLocation(wasm.crate),
            item: { wasm, profile, setting, dependencies: false },
          });
        }
        const dependencySetting = profile.dependencyOptLevel;
        if (dependencySetting && isSizeOptLevel(dependencySetting.value)) {
          hits.push({
            location: settingLocation(dependencySetting.source) ?? crateLocation(wasm.crate),
            item: { wasm, profile, setting: dependencySetting, dependencies: true },
          });
        }
      }
    }
    for (const { location, items } of groupByLocation(hits)) {
      const { wasm, setting, dependencies } = items[0]!;
      const profiles = [...new Set(items.map((i) => i.profile.name))];
      const crates = [...new Map(items.map((i) => [i.wasm.crate.manifestPath, i.wasm.crate])).values()];
      const what = dependencies
        ? 'every dependency'
        : profiles.length === 1 && profiles[0] === 'release'
          ? 'the release profile'
          : `profile ${profiles.map((p) => `"${p}"`).join(', ')}`;
      const fix = replaceValueFix('Use opt-level = 3', setting.source, wasm.model, { toml: '3' }, 'unsafe');
      const fromTemplate = isCargoComponentBlock(wasm);
      context.report({
        message: `opt-level = ${JSON.stringify(setting.value)} optimizes ${what} of a wasm crate for size, which slows its code`,
        location,
        detail: [
          fromTemplate ? 'This [profile.release] block is the one cargo-component 0.12–0.20 generated; 0.21 removed it.' : undefined,
          'Use opt-level = 3 unless download size matters more than speed.',
        ]
          .filter(Boolean)
          .join(' '),
        evidence: [sourceEvidence('opt-level', setting), ...crateEvidence(crates), ...(wasm.crate.wasm?.reasons.slice(0, 2) ?? [])],
        fixes: fix ? [fix] : [],
      });
    }
  },
};

function isCargoComponentBlock({ crate, model }: WasmCrate): boolean {
  const release = model.documents.get(crate.workspaceRoot)?.value(['profile', 'release']);
  if (!release || typeof release !== 'object' || Array.isArray(release) || release instanceof Date) return false;
  const keys = Object.keys(release);
  return keys.length === CARGO_COMPONENT_BLOCK.size && keys.every((key) => CARGO_COMPONENT_BLOCK.get(key) === release[key]);
}
