import type { Evidence } from '../model';
import { binaryLocation, crateForBinary, crateManifestEvidence, decodedBinaries, formatBytes, isReleaseOutput } from '../wasm/rule-support';
import type { Rule } from './rule';
import docs from './wasm-debug-info.md';

export const wasmDebugInfo: Rule = {
  meta: {
    id: 'wasm-debug-info',
    title: 'Release wasm binary carries DWARF debug sections',
    category: 'binary',
    defaultSeverity: 'info',
    summary: 'A .wasm binary in a release output directory contains .debug_* custom sections.',
    docs,
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
      if (report.totals.debugBytes === 0 || !isReleaseOutput(workspace.roots, file.path)) continue;
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
      if (crate)
        evidence.unshift(
          crateManifestEvidence(crate, `built by crate ${crate.name}: set debug = false and strip = "debuginfo" in [profile.release]`),
        );
      context.report({
        message: `release build carries ${sections.length} DWARF section${sections.length === 1 ? '' : 's'}: ${formatBytes(bytes)}, ${share}% of the file`,
        location: binaryLocation(file.path, first.offset, last.offset + last.size),
        evidence,
      });
    }
  },
};
