/**
 * The cargo area's model. The fields below are the contract other areas rely on
 * (binary rules name the crate that builds a .wasm; host-code rules read locked
 * versions); the cargo area adds what its own rules need.
 */
import type { Evidence, FilePath, Span } from '../model';
import type { TomlDocument } from './toml-document';

export interface DependencyInfo {
  readonly name: string;
  /** Version requirement as written (`"48"`, `"^0.48.1"`), if any. */
  readonly requirement?: string;
  readonly features: readonly string[];
  readonly defaultFeatures: boolean;
  /** The table it is declared in: `[dependencies]`, `[dev-dependencies]` or `[build-dependencies]` (target-specific or not). */
  readonly kind: 'normal' | 'dev' | 'build';
  readonly manifestPath: FilePath;
  /** Span of the dependency's key in the manifest. */
  readonly span: Span;
}

export interface WasmBuildInfo {
  /** Wasm target triples the crate builds for (e.g. `wasm32-wasip1`). */
  readonly targets: readonly string[];
  /** Why the engine believes the crate builds for wasm, each pointing at the text that says so. */
  readonly reasons: readonly Evidence[];
  /** `CARGO_BUILD_TARGET` or `build.target` names a wasm target: every plain `cargo build` of it builds wasm. */
  readonly defaultTargetIsWasm?: boolean;
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
  /** Effective profiles, rustflags and the files behind them (the cargo rules' input). */
  readonly build?: CargoBuildModel;
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyCargoModel(): CargoModel {
  return { crates: [], lockedVersions: () => [] };
}

// ---------------------------------------------------------------------------------------
// What the cargo rules need beyond the contract above. Optional on `CargoModel` so other
// areas can build a `CargoModel` for their tests without it.

/** Where an effective setting comes from. */
export type SettingSource =
  | { readonly kind: 'default' }
  | {
      readonly kind: 'file';
      readonly file: FilePath;
      readonly fileKind: 'manifest' | 'config';
      readonly keyPath: readonly string[];
      readonly keySpan: Span;
      readonly valueSpan: Span;
    }
  | { readonly kind: 'env'; readonly name: string };

export type ProfileValue = string | number | boolean;

export interface ProfileSetting {
  readonly value: ProfileValue;
  readonly source: SettingSource;
}

/** The release-relevant keys of one profile as cargo would use them for one crate. */
export interface EffectiveProfile {
  /** `release`, or a custom profile whose `inherits` chain reaches `release`. */
  readonly name: string;
  /** Profile names from this one to the built-in it inherits from (`["fast", "release"]`). */
  readonly chain: readonly string[];
  readonly settings: ReadonlyMap<string, ProfileSetting>;
  /** `opt-level` of `[profile.<name>.package."*"]`, which applies to every dependency. */
  readonly dependencyOptLevel?: ProfileSetting;
}

export type RustflagsSourceKind = 'CARGO_ENCODED_RUSTFLAGS' | 'RUSTFLAGS' | 'target' | 'build' | 'none';

export interface RustflagsDefinition {
  /** A `rustflags` key in a config file, or an environment variable. */
  readonly source: SettingSource;
  readonly flags: readonly string[];
}

export interface EffectiveRustflags {
  readonly target: string;
  /** Which of cargo's four exclusive sources won. */
  readonly winner: RustflagsSourceKind;
  /** The definitions of the winning source, lowest precedence first (their flags are joined). */
  readonly definitions: readonly RustflagsDefinition[];
  readonly flags: readonly string[];
  /** Rustflags from config files (target and build tables) whether or not they won. */
  readonly configFlags: readonly string[];
}

export interface CrateBuild {
  readonly manifestPath: FilePath;
  /** Release and every custom profile that inherits it. */
  readonly profiles: readonly EffectiveProfile[];
  /** One entry per wasm target. */
  readonly rustflags: readonly EffectiveRustflags[];
  /** Config files that apply to the crate, highest precedence first. */
  readonly configs: readonly FilePath[];
  /** What kind of wasm module the crate produces (decides which host consumes it). */
  readonly producers: readonly WasmProducer[];
  /**
   * The manifest is test code relative to the analysed roots (a fixture, a test program): a guest
   * built only for a test is nobody's shipped artifact, so the build rules skip it unless tests are included.
   */
  readonly testCode: boolean;
}

export type WasmProducer = 'wasm-bindgen' | 'component' | 'spin' | 'plain';

export interface ManifestInfo {
  readonly path: FilePath;
  readonly workspaceRoot: FilePath;
  /** `[profile.*]` tables (or dotted `profile.*` keys) written in this manifest. */
  readonly profileTables: readonly {
    readonly name: string;
    readonly keySpan: Span;
    readonly headerTable: boolean;
    readonly removal?: Span;
  }[];
}

export interface TomlProblem {
  readonly file: FilePath;
  readonly offset: number;
  readonly message: string;
  readonly fileKind: 'manifest' | 'config' | 'toolchain' | 'spin' | 'lockfile';
}

/** A `RUSTFLAGS=…` / `CARGO_ENCODED_RUSTFLAGS=…` assignment in a script, CI workflow or Makefile. */
export interface RustflagsAssignment {
  readonly file: FilePath;
  readonly variable: 'RUSTFLAGS' | 'CARGO_ENCODED_RUSTFLAGS';
  /** The variable name as written. */
  readonly nameSpan: Span;
  /** The assigned value as written, quotes included. */
  readonly valueSpan: Span;
  /** The value without quotes. */
  readonly value: string;
  /** How to append a flag: insert `append.text` at `append.offset`, or replace the value when `wrap` is set. */
  readonly append?: { readonly offset: number; readonly separator: string } | { readonly wrap: string };
}

export interface CargoBuildModel {
  readonly builds: ReadonlyMap<FilePath, CrateBuild>;
  readonly manifests: readonly ManifestInfo[];
  readonly problems: readonly TomlProblem[];
  readonly scriptAssignments: readonly RustflagsAssignment[];
  /** Parsed TOML of every manifest and config read, for fixes. */
  readonly documents: ReadonlyMap<FilePath, TomlDocument>;
  /** The environment the build runs with (RUSTFLAGS, CARGO_PROFILE_*). */
  readonly env: Readonly<Record<string, string | undefined>>;
}
