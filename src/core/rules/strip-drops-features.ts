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
import type { ProfileSetting } from '../cargo/model';
import type { Location } from '../model';
import type { Rule } from './rule';
import docs from './strip-drops-features.md';

export const stripDropsFeatures: Rule = {
  meta: {
    id: 'strip-drops-features',
    title: 'strip = true removes the target_features section',
    category: 'build',
    defaultSeverity: 'info',
    summary:
      'strip = true or "symbols" in the release profile of a wasm crate makes the linker drop the target_features and producers sections.',
    docs,
    sources: [
      'https://github.com/WebAssembly/tool-conventions/blob/8e3191e4992b7e96369ebcfec3af86610464ec27/Linking.md#target-features-section',
      'https://github.com/boltffi/boltffi/pull/767',
      'https://github.com/rust-lang/rust/issues/141080',
      'https://github.com/wasm-bindgen/wasm-pack/issues/1501',
      'https://doc.rust-lang.org/cargo/reference/profiles.html#strip',
    ],
    fix: 'unsafe',
    measurable: false,
  },
  check(context) {
    const hits: { location: Location; item: { wasm: WasmCrate; setting: ProfileSetting } }[] = [];
    // Losing the sections only costs speed when wasm-opt runs afterwards: wasm-pack runs it by
    // default (wasm-bindgen crates), or a script in the workspace calls it.
    const scriptsRunWasmOpt = context.workspace.scripts.some((script) => /\bwasm-opt\b/.test(script.text));
    for (const wasm of profileTunedWasmCrates(context.workspace)) {
      if (!scriptsRunWasmOpt && !wasm.build.producers.includes('wasm-bindgen')) continue;
      const release = wasm.build.profiles.find((p) => p.name === 'release');
      const setting = release?.settings.get('strip');
      if (!setting || (setting.value !== true && setting.value !== 'symbols')) continue;
      hits.push({ location: settingLocation(setting.source) ?? crateLocation(wasm.crate), item: { wasm, setting } });
    }
    for (const { location, items } of groupByLocation(hits)) {
      const { wasm, setting } = items[0]!;
      const fix = replaceValueFix('Use strip = "debuginfo"', setting.source, wasm.model, { string: 'debuginfo' }, 'unsafe');
      context.report({
        message: `strip = ${JSON.stringify(setting.value)} drops the target_features and producers sections from the wasm binary`,
        location,
        detail: 'A later wasm-opt then assumes MVP features; strip = "debuginfo" keeps the sections.',
        evidence: [sourceEvidence('strip', setting), ...crateEvidence(items.map((i) => i.wasm.crate))],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
