import type { Evidence } from '../model';
import { basename } from '../text/paths';
import { binaryLocation, crateForBinary, crateManifestEvidence, decodedBinaries, formatBytes, isReleaseOutput } from '../wasm/rule-support';
import type { Rule } from './rule';

export const wasmDebugInfo: Rule = {
  meta: {
    id: 'wasm-debug-info',
    title: 'Release wasm binary carries DWARF debug sections',
    category: 'binary',
    defaultSeverity: 'info',
    summary: 'A .wasm binary in a release output directory contains .debug_* custom sections.',
    docs: `## Release wasm binary carries DWARF debug sections

DWARF is stored in wasm as custom sections named \`.debug_info\`, \`.debug_line\`, \`.debug_str\` and so on. Engines skip custom sections, but they are downloaded, stored, hashed and parsed past on every load, and they are often larger than the code itself.

The rule reports binaries under a release output path (a \`release\` path segment, or a cargo profile directory other than \`debug\` such as \`target/wasm32-unknown-unknown/bench/\`) that still carry \`.debug_*\` sections, with the bytes they take and their share of the file.

Where they come from: \`debug = true\` (or \`1\`/\`2\`/\`"line-tables-only"\`) in the release profile, or \`-g\` in the rustflags. Since Cargo 1.77/1.79 a release profile without debuginfo already passes \`strip = "debuginfo"\` (wasm-ld \`--strip-debug\`), which drops \`.debug_*\` but **keeps** \`producers\` and \`target_features\`; \`strip = true\` / \`"symbols"\` (\`--strip-all\`) also drops those two sections, which costs later tools their feature information (facts §10.3, §10.4; see \`strip-drops-features\`). wasm-bindgen keeps DWARF only with \`--keep-debug\` (facts §12).

Related facts: §9 (what the target features mean), §10 (the custom sections a binary carries), §11 (the code-section walk that sizes them).

**Fix:** \`debug = false\` with \`strip = "debuginfo"\` in \`[profile.release]\`, or ship a copy produced by \`wasm-opt --strip-debug\` / \`wasm-strip\`. Keep DWARF in a separate file if you need symbolicated traces.

**When to silence:** the binary is deliberately a profiling or debugging build.`,
    sources: [
      'https://github.com/WebAssembly/tool-conventions/blob/8e3191e4992b7e96369ebcfec3af86610464ec27/Debugging.md',
      'https://doc.rust-lang.org/cargo/reference/profiles.html#strip',
      'https://doc.rust-lang.org/cargo/reference/profiles.html#debug',
      'https://github.com/llvm/llvm-project/blob/main/lld/wasm/SyntheticSections.cpp',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const { file, report } of decodedBinaries(workspace)) {
      if (report.totals.debugBytes === 0 || !isReleaseOutput(file.path)) continue;
      const sections = report.modules.flatMap((m) => m.debugSections);
      const first = sections[0]!;
      const last = sections[sections.length - 1]!;
      const bytes = report.totals.debugBytes;
      const share = ((bytes / Math.max(1, report.fileSize)) * 100).toFixed(1);
      const evidence: Evidence[] = sections.map((s) => ({
        message: `${s.name}: ${formatBytes(s.size)}`,
        location: binaryLocation(file.path, s.offset, s.offset + s.size),
      }));
      const crate = crateForBinary(workspace, file.path);
      if (crate) evidence.unshift(crateManifestEvidence(crate, `built by crate ${crate.name}: set debug = false and strip = "debuginfo" in [profile.release]`));
      context.report({
        message: `${basename(file.path)} is a release build but carries ${sections.length} DWARF section${sections.length === 1 ? '' : 's'}: ${formatBytes(bytes)}, ${share}% of the file`,
        location: binaryLocation(file.path, first.offset, last.offset + last.size),
        evidence,
      });
    }
  },
};
