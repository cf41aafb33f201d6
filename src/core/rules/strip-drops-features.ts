import { crateEvidence, crateLocation, describeSource, groupByLocation, replaceValueFix, settingLocation, sourceEvidence, wasmCrates, type WasmCrate } from '../cargo/rule-support';
import type { ProfileSetting } from '../cargo/model';
import type { Location } from '../model';
import type { Rule } from './rule';

export const stripDropsFeatures: Rule = {
  meta: {
    id: 'strip-drops-features',
    title: 'strip = true removes the target_features section',
    category: 'build',
    defaultSeverity: 'info',
    summary: 'strip = true or "symbols" in the release profile of a wasm crate makes the linker drop the target_features and producers sections.',
    docs: `## strip = true removes the target_features section

Cargo maps \`strip = true\` / \`"symbols"\` to wasm-ld \`--strip-all\`, which deletes the \`target_features\` and \`producers\` custom sections; \`strip = "debuginfo"\` (\`--strip-debug\`) keeps both (facts §6.1, §10.3). Without \`target_features\`, Binaryen's \`wasm-opt\` falls back to its MVP defaults (sign-ext and mutable-globals only, facts §10.4): it then rejects Rust ≥ 1.82/1.87 output that uses reference-types, bulk memory or non-trapping conversions ("Bulk memory operations require bulk memory", wasm-pack issue 1501), and the optimizer is lost — 13.4% of size in boltffi's case. Tools also can no longer tell from the binary whether SIMD was enabled.

Since Cargo 1.77/1.79 a release build without debuginfo already strips debuginfo by default, so \`strip = true\` buys little: it came in with the cargo-component 0.12–0.20 template (facts §1.2).

**Fix:** \`strip = "debuginfo"\`.`,
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
    for (const wasm of wasmCrates(context.workspace)) {
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
        detail: `Set by ${describeSource(setting.source)}. wasm-opt then assumes MVP features; strip = "debuginfo" keeps the sections.`,
        evidence: [sourceEvidence('strip', setting), ...crateEvidence(items.map((i) => i.wasm.crate))],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
