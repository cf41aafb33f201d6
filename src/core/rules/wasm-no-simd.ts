import type { Evidence } from '../model';
import type { ModuleReport } from '../wasm/model';
import {
  binaryLocation,
  codeSectionOf,
  crateForBinary,
  crateManifestEvidence,
  decodedBinaries,
  isReleaseOutput,
} from '../wasm/rule-support';
import type { Rule } from './rule';
import docs from './wasm-no-simd.md';

function enablesSimd(module: ModuleReport): boolean {
  return module.targetFeatures?.some((f) => f.prefix === '+' && (f.name === 'simd128' || f.name === 'relaxed-simd')) ?? false;
}

/** What built a module, from its `producers` section and, for Go, its imports; it decides the advice. */
type Toolchain = 'rust' | 'c' | 'go' | 'unknown';

function toolchainOf(module: ModuleReport): Toolchain {
  const producers = module.producers;
  const names = [...(producers?.language ?? []), ...(producers?.processedBy ?? []), ...(producers?.sdk ?? [])].map((p) =>
    p.name.toLowerCase(),
  );
  if (names.includes('rust') || names.includes('rustc')) return 'rust';
  if (names.some((n) => n === 'c' || n === 'c++' || n === 'c99' || n === 'c11' || n === 'clang' || n === 'emscripten')) return 'c';
  // The Go compiler writes no producers section; its js/wasm runtime imports module `go`/`gojs`.
  if (module.imports.some((i) => i.module === 'go' || i.module === 'gojs')) return 'go';
  return 'unknown';
}

const ADVICE: Record<Exclude<Toolchain, 'go'>, string> = {
  rust: 'Rebuild with `-C target-feature=+simd128` unless a host cannot run SIMD.',
  c: 'Rebuild with `-msimd128` (clang, Emscripten) unless a host cannot run SIMD.',
  unknown: "Rebuild with your toolchain's SIMD option unless a host cannot run SIMD.",
};

/** `foo.wasm` beside `foo-simd.wasm`, `foo_simd.wasm` or `foo.simd.wasm`: a deliberate fallback build. */
function hasSimdTwin(path: string, binaries: readonly string[]): boolean {
  const stem = path.replace(/\.wasm$/, '');
  return ['-simd', '_simd', '.simd'].some((suffix) => binaries.includes(`${stem}${suffix}.wasm`));
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
      const toolchain = toolchainOf(modules[0]!);
      // Go's compiler emits no wasm SIMD at all: there is no flag to suggest.
      if (toolchain === 'go' || hasSimdTwin(file.path, workspace.files.binaries)) continue;
      const stripped = modules.every((m) => m.targetFeatures === undefined);
      const first = modules[0]!;
      const code = codeSectionOf(first) ?? { start: 0, end: 8 };
      const evidence: Evidence[] = [];
      const crate = toolchain === 'rust' || toolchain === 'unknown' ? crateForBinary(workspace, file.path) : undefined;
      // A checked-in binary outside any build output (a vendored adapter, a plugin shipped as an
      // asset, a docs bundle) is someone else's build: the advice would not be actionable here.
      if (!crate && !isReleaseOutput(file.path)) continue;
      if (crate) evidence.push(crateManifestEvidence(crate, `built by crate ${crate.name}`));
      context.report({
        message: `no SIMD instructions in ${report.totals.instructions.total} instructions, and ${stripped ? 'no target_features section' : 'simd128 is not enabled'}`,
        location: binaryLocation(file.path, code.start, code.end),
        detail: ADVICE[crate ? 'rust' : toolchain],
        evidence,
      });
    }
  },
};
