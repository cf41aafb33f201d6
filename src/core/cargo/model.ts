/**
 * The cargo area's model. The fields below are the contract other areas rely on
 * (binary rules name the crate that builds a .wasm; host-code rules read locked
 * versions); the cargo area adds what its own rules need.
 */
import type { Evidence, FilePath, Span } from '../model';

export interface DependencyInfo {
  readonly name: string;
  /** Version requirement as written (`"48"`, `"^0.48.1"`), if any. */
  readonly requirement?: string;
  readonly features: readonly string[];
  readonly defaultFeatures: boolean;
  readonly manifestPath: FilePath;
  /** Span of the dependency's key in the manifest. */
  readonly span: Span;
}

export interface WasmBuildInfo {
  /** Wasm target triples the crate builds for (e.g. `wasm32-wasip1`). */
  readonly targets: readonly string[];
  /** Why the engine believes the crate builds for wasm, each pointing at the text that says so. */
  readonly reasons: readonly Evidence[];
}

export interface CrateInfo {
  readonly name: string;
  /** The library target's name as it appears in artifact file names (`my_crate`). */
  readonly libName: string;
  readonly manifestPath: FilePath;
  readonly dir: FilePath;
  /** Span of `package.name`'s value in the manifest. */
  readonly nameSpan?: Span;
  /** Manifest of the workspace root this crate belongs to (its own path when standalone). */
  readonly workspaceRoot: FilePath;
  /** Undefined when the crate never builds for wasm: such crates get no wasm findings. */
  readonly wasm?: WasmBuildInfo;
  /** Declared dependencies (all dependency tables), by package name. */
  readonly dependencies: ReadonlyMap<string, DependencyInfo>;
}

export interface CargoModel {
  readonly crates: readonly CrateInfo[];
  /** Locked versions of `packageName` in the Cargo.lock nearest to `nearPath` (walking up). */
  lockedVersions(nearPath: FilePath, packageName: string): readonly string[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyCargoModel(): CargoModel {
  return { crates: [], lockedVersions: () => [] };
}
