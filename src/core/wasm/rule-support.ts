/**
 * What the binary rules share: which crate builds a `.wasm` (so a finding in the binary
 * can point at the Cargo.toml responsible), whether a path is a release output, and
 * byte-span locations.
 */
import type { CrateInfo } from '../cargo/model';
import type { Evidence, FilePath, Location } from '../model';
import { basename, dirname, isInside, join, relativeToRoot } from '../text/paths';
import type { WorkspaceModel } from '../workspace/model';
import type { BinaryFile, ModuleReport, WasmReport } from './model';

export function binaryLocation(file: FilePath, start: number, end: number): Location {
  return { file, span: { start, end: Math.max(start, end) }, binary: true };
}

/**
 * The crate whose library artifact this binary is: `<libName>.wasm` under the crate's
 * workspace `target/` directory, or `<libName>.wasm` / `<libName>_bg.wasm` (wasm-bindgen)
 * under the crate's `pkg/` directory.
 */
export function crateForBinary(workspace: WorkspaceModel, path: FilePath): CrateInfo | undefined {
  const name = basename(path);
  for (const crate of workspace.cargo.crates) {
    const targetDir = join(dirname(crate.workspaceRoot), 'target');
    if (name === `${crate.libName}.wasm` && isInside(path, targetDir)) return crate;
    const pkgDir = join(crate.dir, 'pkg');
    if ((name === `${crate.libName}.wasm` || name === `${crate.libName}_bg.wasm`) && isInside(path, pkgDir)) return crate;
  }
  return undefined;
}

export function crateManifestEvidence(crate: CrateInfo, message: string): Evidence {
  return { message, location: { file: crate.manifestPath, span: crate.nameSpan ?? { start: 0, end: 0 } } };
}

/** Binaries that decoded, with their report. */
export function decodedBinaries(workspace: WorkspaceModel): { file: BinaryFile; report: WasmReport }[] {
  const out: { file: BinaryFile; report: WasmReport }[] = [];
  for (const file of workspace.binaries.files) {
    if (file.report && !file.report.error) out.push({ file, report: file.report });
  }
  return out;
}

export function codeSectionOf(module: ModuleReport): { start: number; end: number } | undefined {
  const code = module.sections.find((s) => s.id === 10);
  return code ? { start: code.offset, end: code.payloadOffset + code.size } : undefined;
}

const WASM_TRIPLE = /^wasm(32|64)-/;

/**
 * A release build's output: a cargo output directory of a non-debug profile
 * (`target/release/…`, `target/<wasm triple>/<profile>/…` with a profile other than `debug`),
 * any `release` path segment in any case (wasm-pack, CMake's `Release`, custom layouts), or a
 * file named `release.wasm` (AssemblyScript's default `build/release.wasm`).
 */
export function isReleaseOutput(roots: readonly FilePath[], path: FilePath): boolean {
  const segments = relativeToRoot(roots, path).split('/');
  const name = segments.pop() ?? '';
  if (name.toLowerCase() === 'release.wasm' || segments.some((s) => s.toLowerCase() === 'release')) return true;
  const target = segments.lastIndexOf('target');
  if (target < 0) return false;
  const below = segments.slice(target + 1);
  const profile = below[0] !== undefined && WASM_TRIPLE.test(below[0]) ? below[1] : below[0];
  return profile !== undefined && profile !== 'debug' && profile !== 'deps' && profile !== 'build';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
