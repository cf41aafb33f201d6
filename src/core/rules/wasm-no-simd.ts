import type { Evidence } from '../model';
import { basename } from '../text/paths';
import type { ModuleReport } from '../wasm/model';
import { binaryLocation, codeSectionOf, crateForBinary, crateManifestEvidence, decodedBinaries } from '../wasm/rule-support';
import type { Rule } from './rule';
import docs from './wasm-no-simd.md';

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
    docs,
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
