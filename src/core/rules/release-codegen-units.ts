import { checkReleaseKey } from '../cargo/rule-support';
import type { Rule } from './rule';

export const releaseCodegenUnits: Rule = {
  meta: {
    id: 'release-codegen-units',
    title: 'Release build of a wasm crate with several codegen units',
    category: 'build',
    defaultSeverity: 'info',
    summary: 'The release profile of a wasm crate splits code generation into more than one codegen unit (the default is 16).',
    docs: `## Release build of a wasm crate with several codegen units

Cargo's release default is \`codegen-units = 16\` (facts §6.1): each crate is split into 16 parts that LLVM optimizes separately, which builds faster but hides inlining opportunities across the parts. \`codegen-units = 1\` gives LLVM the whole crate, usually yielding faster and smaller wasm at the cost of build time. cargo-component 0.12–0.20 generated \`codegen-units = 1\` (facts §1.2).

The effective value follows cargo's precedence (facts §6.3): \`[profile.release.package.<crate>]\`, custom profiles, \`.cargo/config.toml\`, \`CARGO_PROFILE_RELEASE_CODEGEN_UNITS\`.

**Fix:** \`codegen-units = 1\` in \`[profile.release]\`.

**When to silence:** when release build time matters more.`,
    sources: ['https://doc.rust-lang.org/cargo/reference/profiles.html#codegen-units', 'https://github.com/bytecodealliance/cargo-component/pull/289'],
    fix: 'safe',
    measurable: true,
  },
  check(context) {
    checkReleaseKey(context.workspace, context.report, {
      applicability: 'safe',
      key: 'codegen-units',
      isBad: (value) => typeof value === 'number' && value > 1,
      goodValue: '1',
      message: (setting) => `The release profile of a wasm crate uses ${setting.value} codegen units`,
    });
  },
};
