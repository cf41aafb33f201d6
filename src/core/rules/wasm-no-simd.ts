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
import { toolchainOf, type Toolchain } from '../wasm/toolchain';
import type { Rule } from './rule';
import docs from './wasm-no-simd.md';

function enablesSimd(module: ModuleReport): boolean {
  return module.targetFeatures?.some((f) => f.prefix === '+' && (f.name === 'simd128' || f.name === 'relaxed-simd')) ?? false;
}

/**
 * The advice in the words of the toolchain that built the module. Go gets none: its compiler
 * does not vectorize and has no option that would, so there is nothing to ask for (SIMD comes
 * only from code written with the experimental `simd` package).
 */
const ADVICE: Record<Exclude<Toolchain, 'go'>, string> = {
  rust: 'Rebuild with `-C target-feature=+simd128` unless a host cannot run SIMD.',
  c: 'Rebuild with `-msimd128` (clang, Emscripten) unless a host cannot run SIMD.',
  tinygo: 'Rebuild with `tinygo build -llvm-features=+simd128` unless a host cannot run SIMD.',
  assemblyscript:
    'AssemblyScript does not vectorize: build with `--enable simd` and write hot loops with `v128` operations, unless a host cannot run SIMD.',
  unknown: "Rebuild with your toolchain's SIMD option unless a host cannot run SIMD.",
};

const LLVM_BASED: ReadonlySet<Toolchain> = new Set(['rust', 'c', 'tinygo']);

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
      'https://github.com/WebAssembly/tool-conventions/blob/8e3191e4992b7e96369ebcfec3af86610464ec27/ProducersSection.md',
      'https://emscripten.org/docs/porting/simd.html',
      'https://github.com/tinygo-org/tinygo/pull/1844',
      'https://www.assemblyscript.org/compiler.html#command-line-options',
      'https://go.googlesource.com/go/+/29190f292cad604d6ed2a091a5dc2448c52051bc/src/simd/midway_wasm.go',
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
      const crate = crateForBinary(workspace, file.path);
      // A checked-in binary outside any build output (a vendored adapter, a plugin shipped as an
      // asset, a docs bundle) is someone else's build: the advice would not be actionable here.
      if (!crate && !isReleaseOutput(workspace.roots, file.path)) continue;
      if (hasSimdTwin(file.path, workspace.files.binaries)) continue;
      const first = modules[0]!;
      const toolchain = crate ? 'rust' : toolchainOf(first);
      if (toolchain === 'go') continue;
      // LLVM-based toolchains write target_features unless it was stripped; the others never do.
      const stripped = modules.every((m) => m.targetFeatures === undefined);
      const features = !stripped ? ', and simd128 is not enabled' : LLVM_BASED.has(toolchain) ? ', and no target_features section' : '';
      const code = codeSectionOf(first) ?? { start: 0, end: 8 };
      const evidence: Evidence[] = crate ? [crateManifestEvidence(crate, `built by crate ${crate.name}`)] : [];
      context.report({
        message: `no SIMD instructions in ${report.totals.instructions.total} instructions${features}`,
        location: binaryLocation(file.path, code.start, code.end),
        detail: ADVICE[toolchain],
        evidence,
      });
    }
  },
};
