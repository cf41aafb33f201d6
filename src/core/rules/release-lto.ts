import { checkReleaseKey } from '../cargo/rule-support';
import type { Rule } from './rule';

export const releaseLto: Rule = {
  meta: {
    id: 'release-lto',
    title: 'Release build of a wasm crate without LTO',
    category: 'build',
    defaultSeverity: 'info',
    summary: 'The release profile of a wasm crate does not enable link-time optimization.',
    docs: `## Release build of a wasm crate without LTO

Cargo's release default is \`lto = false\`, which only does "thin-local" LTO inside each crate (facts §6.1). A wasm module is one statically linked binary, so cross-crate inlining with \`lto = true\` (or \`"thin"\`) usually makes it both faster and smaller; it costs build time. cargo-component 0.12–0.20 generated \`lto = true\` for that reason; its removal in 0.21 was about build time, not speed (facts §1.2).

\`lto\` cannot be set per package (facts §6.3): the rule reads \`[profile.release]\` of the workspace root manifest, \`.cargo/config.toml\` and \`CARGO_PROFILE_RELEASE_LTO\`.

**Fix:** \`lto = true\` in \`[profile.release]\` (added to the root manifest, or the existing value replaced).

**When to silence:** when release build time matters more (e.g. CI builds that are never benchmarked).`,
    sources: ['https://doc.rust-lang.org/cargo/reference/profiles.html#lto', 'https://github.com/bytecodealliance/cargo-component/pull/369'],
    fix: 'safe',
    measurable: true,
  },
  check(context) {
    checkReleaseKey(context.workspace, context.report, {
      applicability: 'safe',
      key: 'lto',
      isBad: (value) => value === false || value === 'off' || value === 'false',
      goodValue: 'true',
      message: () => 'The release profile of a wasm crate does not use LTO',
    });
  },
};
