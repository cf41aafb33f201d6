import type { Evidence } from '../model';
import { basename } from '../text/paths';
import type { ModuleReport } from '../wasm/model';
import { binaryLocation, codeSectionOf, crateForBinary, crateManifestEvidence, decodedBinaries } from '../wasm/rule-support';
import type { Rule } from './rule';

function enablesSimd(module: ModuleReport): boolean {
  return module.targetFeatures?.some((f) => f.prefix === '+' && (f.name === 'simd128' || f.name === 'relaxed-simd')) ?? false;
}

function rustcVersion(module: ModuleReport): string | undefined {
  return module.producers?.processedBy.find((p) => p.name === 'rustc')?.version;
}

export const wasmNoSimd: Rule = {
  meta: {
    id: 'wasm-no-simd',
    title: 'Wasm binary has no SIMD instructions',
    category: 'binary',
    defaultSeverity: 'info',
    summary: 'A .wasm binary contains no SIMD (0xFD) instruction and its target_features section does not enable simd128.',
    docs: `## Wasm binary has no SIMD instructions

The rule walks every instruction of the binary's code section and counts \`0xFD\`-prefixed (SIMD) instructions (facts §11.1: any \`0xFD\` op implies \`simd128\`, sub-opcodes 256–275 are relaxed SIMD). When there are none, and the \`target_features\` custom section does not list \`+simd128\` (or \`+relaxed-simd\`, which implies it), the binary was built without SIMD.

\`simd128\` is **never** on by default for Rust's wasm targets: LLVM's \`generic\` CPU has bulk-memory, multivalue, reference-types, sign-ext and others, but not \`simd128\` (facts §9, LLVM \`WebAssembly.td\` at \`0bf29aec\`). The SIMD intrinsics and the target feature are stable since Rust 1.54; \`relaxed-simd\` since 1.82. The precompiled std is built without SIMD either way. Runtimes run SIMD by default: wasmtime (\`wasm_simd\`), wazero (\`CoreFeaturesV2\`); wasmi only with its \`simd\` cargo feature (facts §9).

\`target_features\` lists what was **enabled at compile time** (wasm-ld writes the union of the objects' features, all with \`+\`; facts §10.1), so it is the better witness of the build settings; the instruction count is the witness of what ran through the vectorizer. When the section is **absent** it was stripped — \`strip = true\` / \`"symbols"\` (wasm-ld \`--strip-all\`) drops it, \`strip = "debuginfo"\` keeps it (facts §10.3) — and the verdict rests on the instructions alone.

When the workspace has the crate that builds the binary (\`<lib name>.wasm\` in the workspace's \`target/\` directory, or in the crate's \`pkg/\` directory), the finding links to its Cargo.toml; the \`missing-simd128\` rule reports the build setting there.

**Fix:** build with \`-C target-feature=+simd128\` (RUSTFLAGS or \`[target.<triple>] rustflags\` in \`.cargo/config.toml\`). Binaries cannot be edited, so there is no quick fix here.

**When to silence:** the module must run on a host without SIMD (a wasmi built without \`simd\`, an old browser), or it has no data-parallel code.`,
    sources: [
      'https://github.com/llvm/llvm-project/blob/0bf29aec617308abd71458e7304c2425d0ae00cf/llvm/lib/Target/WebAssembly/WebAssembly.td',
      'https://github.com/WebAssembly/tool-conventions/blob/8e3191e4992b7e96369ebcfec3af86610464ec27/Linking.md#target-features-section',
      'https://github.com/WebAssembly/simd/blob/a78b98a6899c9e91a13095e560767af6e99d98fd/proposals/simd/BinarySIMD.md',
      'https://doc.rust-lang.org/rustc/platform-support/wasm32-unknown-unknown.html',
    ],
    fix: 'none',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    for (const { file, report } of decodedBinaries(workspace)) {
      if (report.totals.instructions.simd > 0) continue;
      const modules = report.modules.filter((m) => m.functions.bodySizes.length > 0);
      if (modules.length === 0 || modules.some(enablesSimd)) continue;
      const stripped = modules.every((m) => m.targetFeatures === undefined);
      const first = modules[0]!;
      const code = codeSectionOf(first) ?? { start: 0, end: 8 };
      const evidence: Evidence[] = [];
      const crate = crateForBinary(workspace, file.path);
      if (crate) evidence.push(crateManifestEvidence(crate, `built by crate ${crate.name}: add -C target-feature=+simd128 to its wasm rustflags`));
      evidence.push({
        message: stripped
          ? 'target_features section is absent (stripped, e.g. by strip = true), so only the instructions tell'
          : `target_features lists ${first.targetFeatures!.filter((f) => f.prefix === '+').map((f) => f.name).join(', ') || 'nothing'} but not simd128`,
      });
      const rustc = rustcVersion(first);
      if (rustc) evidence.push({ message: `producers: rustc ${rustc}` });
      const count = report.totals.instructions.total;
      context.report({
        message: `${basename(file.path)} has no SIMD instructions (${count} instructions walked) and ${stripped ? 'no target_features section' : 'target_features does not enable simd128'}`,
        location: binaryLocation(file.path, code.start, code.end),
        detail: `The binary was built without the simd128 target feature${crate ? ` (crate ${crate.name}, ${crate.manifestPath})` : ''}. Rebuild with -C target-feature=+simd128 unless the host cannot run SIMD.`,
        evidence,
      });
    }
  },
};
