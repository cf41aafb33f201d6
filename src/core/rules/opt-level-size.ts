import { isSizeOptLevel } from '../cargo/profiles';
import { crateEvidence, crateLocation, describeSource, groupByLocation, replaceValueFix, settingLocation, sourceEvidence, wasmCrates, type WasmCrate } from '../cargo/rule-support';
import type { EffectiveProfile, ProfileSetting } from '../cargo/model';
import type { Location } from '../model';
import type { Rule } from './rule';

const CARGO_COMPONENT_BLOCK = new Map<string, unknown>([['codegen-units', 1], ['opt-level', 's'], ['debug', false], ['strip', true], ['lto', true]]);

export const optLevelSize: Rule = {
  meta: {
    id: 'opt-level-size',
    title: 'Release profile optimizes a wasm crate for size',
    category: 'build',
    defaultSeverity: 'warning',
    summary: 'The effective release profile (or a custom profile inheriting it) of a wasm crate uses opt-level "s" or "z".',
    docs: `## Release profile optimizes a wasm crate for size

\`opt-level = "s"\` and \`"z"\` tell LLVM to prefer small code over fast code; \`"z"\` also turns off loop vectorization (Cargo profiles reference, facts §6.1, cargo \`af373f76\`). For compute-heavy wasm that is a large, silent slowdown:

- wasm-pack-template#27: \`opt-level = 's'\` was "a nearly 3x (!) slowdown compared to \`-C opt-level=3\`".
- Spin issue 2980 (Spin 3.2.0-pre0): a component took about 5.5 s instead of 2.2 s, and the TL;DR blamed the optimization level that came from the cargo-component template (facts §1.1).
- wasm-perf's own kernels (\`test/wasm-src\`, measured with \`wasm-perf bench\` on Node 20 / V8 11.3): built at \`opt-level = "s"\` without \`+simd128\`, a 3x3 blur ran about 6x, a byte search about 2x and a dot product about 7x slower than at \`opt-level = 3\` with \`+simd128\`; a serial FNV-1a hash, the control, did not change. Run \`wasm-perf bench --crate <dir> --variant opt-level=3\` (or *Measure the difference* in VS Code) to see the cost on your own code.

Where it comes from:

- **cargo-component 0.12.0 – 0.20.0** write \`[profile.release]\` with \`codegen-units = 1\`, \`opt-level = "s"\`, \`debug = false\`, \`strip = true\`, \`lto = true\` into every new project (PR 289, removed in 0.21.0 by PR 369). A project made with those versions keeps the block forever, so the check is on the manifest, not the tool version (facts §1.2, §13).
- The **wasm-pack 0.15.0** template still ships \`[profile.release] opt-level = "s"\` (facts §1.3, §12).

The rule resolves the setting the way cargo does: only the workspace root manifest's profiles count, \`[profile.release.package.<crate>]\` beats \`[profile.release]\`, custom profiles follow \`inherits\`, \`.cargo/config.toml\` \`[profile.*]\` overrides the manifest and \`CARGO_PROFILE_RELEASE_OPT_LEVEL\` overrides both (facts §6.3). The finding points at the value in the file that wins. It also reports \`[profile.release.package."*"] opt-level = "s"\`, which optimizes every dependency for size.

**Fix:** \`opt-level = 3\` in place of the size setting (the quick fix replaces just the value).

**When to silence:** when download size matters more than speed, e.g. a web app whose wasm is small glue code on the critical loading path. Add \`# wasm-perf: allow(opt-level-size)\` on the line, or turn the rule off.`,
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
    const hits: { location: Location; item: { wasm: WasmCrate; profile: EffectiveProfile; setting: ProfileSetting; dependencies: boolean } }[] = [];
    for (const wasm of wasmCrates(context.workspace)) {
      for (const profile of wasm.build.profiles) {
        const setting = profile.settings.get('opt-level');
        if (setting && isSizeOptLevel(setting.value)) {
          hits.push({ location: settingLocation(setting.source) ?? crateLocation(wasm.crate), item: { wasm, profile, setting, dependencies: false } });
        }
        const dependencySetting = profile.dependencyOptLevel;
        if (dependencySetting && isSizeOptLevel(dependencySetting.value)) {
          hits.push({ location: settingLocation(dependencySetting.source) ?? crateLocation(wasm.crate), item: { wasm, profile, setting: dependencySetting, dependencies: true } });
        }
      }
    }
    for (const { location, items } of groupByLocation(hits)) {
      const { wasm, setting, dependencies } = items[0]!;
      const profiles = [...new Set(items.map((i) => i.profile.name))];
      const crates = [...new Map(items.map((i) => [i.wasm.crate.manifestPath, i.wasm.crate])).values()];
      const what = dependencies ? 'every dependency' : profiles.length === 1 && profiles[0] === 'release' ? 'the release profile' : `profile ${profiles.map((p) => `"${p}"`).join(', ')}`;
      const fix = replaceValueFix('Use opt-level = 3', setting.source, wasm.model, { toml: '3' }, 'unsafe');
      const fromTemplate = isCargoComponentBlock(wasm);
      context.report({
        message: `opt-level = ${JSON.stringify(setting.value)} optimizes ${what} of a wasm crate for size, which makes its code slower`,
        location,
        detail: [
          `Set by ${describeSource(setting.source)}.`,
          fromTemplate ? 'This [profile.release] block is the one cargo-component 0.12–0.20 generated; 0.21 removed it.' : undefined,
          'Use opt-level = 3 unless download size matters more than speed.',
        ].filter(Boolean).join(' '),
        evidence: [sourceEvidence('opt-level', setting), ...crateEvidence(crates), ...(wasm.crate.wasm?.reasons.slice(0, 3) ?? [])],
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
