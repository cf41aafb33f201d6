/**
 * Decides whether a crate builds for wasm, for which targets, and why. Each reason points
 * at the text that says so, so a finding can show the user why the engine thinks so.
 * Explicit targets (env/config `build.target`, a spin.toml build command, a
 * `[target.wasm32-…]` section) come first; then `rust-toolchain.toml` targets; then the
 * default of the tool the crate is made for (cargo-component: wasm32-wasip1, facts §1.2;
 * wasm-bindgen/wasm-pack: wasm32-unknown-unknown; Spin templates: wasm32-wasip2, §1.4).
 */
import type { Evidence, FilePath, Span } from '../model';
import { configScalar, type ConfigLayer } from './config-chain';
import type { DependencyInfo, WasmBuildInfo, WasmProducer } from './model';
import type { ScriptBuild } from './script-builds';
import type { TomlDocument } from './toml-document';

export interface SpinBuild {
  readonly spinPath: FilePath;
  /** Directory the build command runs in. */
  readonly dir: FilePath;
  readonly target?: string;
  readonly cargoComponent: boolean;
  readonly span: Span;
}

export interface ToolchainTargets {
  readonly path: FilePath;
  readonly targets: readonly { readonly triple: string; readonly span: Span }[];
}

export interface WasmInputs {
  readonly manifestPath: FilePath;
  readonly document: TomlDocument;
  readonly dependencies: ReadonlyMap<string, DependencyInfo>;
  readonly configs: readonly ConfigLayer[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly toolchain?: ToolchainTargets;
  readonly spinBuilds: readonly SpinBuild[];
  /** `cargo build --target wasm32-…` commands in scripts, CI workflows and Makefiles. */
  readonly scriptBuilds: readonly ScriptBuild[];
}

export function isWasmTriple(triple: string): boolean {
  return /^wasm(32|64)/.test(triple);
}

const COMPONENT_DEPENDENCIES = ['wit-bindgen-rt', 'cargo-component-bindings'];
/** wasm-bindgen's JS-interop crates and the frameworks built on them (Cloudflare's `worker`, gloo). */
const JS_INTEROP_DEPENDENCIES = ['js-sys', 'web-sys', 'wasm-bindgen-futures', 'serde-wasm-bindgen', 'gloo', 'worker'];

export function detectWasm(inputs: WasmInputs): { wasm?: WasmBuildInfo; producers: WasmProducer[] } {
  const { manifestPath, document, dependencies } = inputs;
  const reasons: Evidence[] = [];
  const explicit: string[] = [];
  /** Targets cargo is told to build (not just target-specific tables in the manifest). */
  const explicitBuild: string[] = [];
  /** Wasm targets from CARGO_BUILD_TARGET or build.target. */
  let configuredTargets = 0;
  const producers = new Set<WasmProducer>();
  const at = (file: FilePath, span: Span) => ({ file, span });

  const envTarget = inputs.env.CARGO_BUILD_TARGET;
  if (envTarget !== undefined) {
    for (const triple of envTarget
      .split(',')
      .map((t) => t.trim())
      .filter(isWasmTriple)) {
      explicit.push(triple);
      explicitBuild.push(triple);
      configuredTargets++;
      reasons.push({ message: `CARGO_BUILD_TARGET=${envTarget} in the environment` });
    }
  } else {
    const configured = configScalar(inputs.configs, ['build', 'target']);
    const value = configured?.layer.document.value(['build', 'target']);
    const triples =
      typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    for (const triple of triples.filter(isWasmTriple)) {
      explicit.push(triple);
      explicitBuild.push(triple);
      configuredTargets++;
      reasons.push({
        message: `build.target = "${triple}" in the cargo config`,
        location: at(configured!.layer.path, configured!.entry.valueSpan),
      });
    }
  }

  const manifestDir = manifestPath.slice(0, manifestPath.lastIndexOf('/'));
  for (const spin of inputs.spinBuilds) {
    if (spin.dir !== manifestDir) continue;
    producers.add('spin');
    if (spin.cargoComponent) producers.add('component');
    const triple = spin.target ?? (spin.cargoComponent ? 'wasm32-wasip1' : undefined);
    if (triple && isWasmTriple(triple)) explicit.push(triple);
    explicitBuild.push(triple ?? 'spin');
    reasons.push({
      message: `spin.toml builds this crate${spin.target ? ` for ${spin.target}` : ''}`,
      location: at(spin.spinPath, spin.span),
    });
  }

  const packageName = document.value(['package', 'name']);
  const declaredTypes = document.value(['lib', 'crate-type']);
  // A library a script compiles for wasm links nothing; only a cdylib or a binary is an artifact.
  const linksArtifact = (Array.isArray(declaredTypes) && declaredTypes.includes('cdylib')) || document.get(['bin']) !== undefined;
  for (const build of linksArtifact ? inputs.scriptBuilds : []) {
    if (build.packageName !== undefined ? build.packageName !== packageName : build.dir !== manifestDir) continue;
    explicit.push(build.target);
    explicitBuild.push(build.target);
    reasons.push({ message: `built for ${build.target} by this command`, location: at(build.file, build.span) });
  }

  for (const key of document.childKeys(['target'])) {
    const span = document.spanOf(['target', key]);
    if (!span) continue;
    if (isWasmTriple(key)) {
      explicit.push(key);
      reasons.push({ message: `[target.${key}] section in Cargo.toml`, location: at(manifestPath, span) });
    } else if (key.startsWith('cfg(') && /wasm/.test(key)) {
      reasons.push({ message: `[target.'${key}'] section in Cargo.toml`, location: at(manifestPath, span) });
    }
  }

  const wasmPack = document.spanOf(['package', 'metadata', 'wasm-pack']);
  if (wasmPack) {
    producers.add('wasm-bindgen');
    reasons.push({ message: '[package.metadata.wasm-pack] configures wasm-pack', location: at(manifestPath, wasmPack) });
  }
  const component = document.spanOf(['package', 'metadata', 'component']);
  if (component) {
    producers.add('component');
    reasons.push({ message: '[package.metadata.component] makes this a cargo-component crate', location: at(manifestPath, component) });
  }

  const crateType = document.get(['lib', 'crate-type']);
  const crateTypes = document.value(['lib', 'crate-type']);
  const isCdylib = Array.isArray(crateTypes) && crateTypes.includes('cdylib');
  if (isCdylib && crateType) {
    const markers: [string, WasmProducer][] = [
      ['wasm-bindgen', 'wasm-bindgen'],
      // Crates that exist only for wasm-bindgen's JS interop pull it in for the cdylib. (Cargo.lock is no
      // proof of an indirect wasm-bindgen: it lists target-gated dependencies, such as chrono's
      // `wasmbind`, for native builds too.)
      ...JS_INTEROP_DEPENDENCIES.map((name): [string, WasmProducer] => [name, 'wasm-bindgen']),
      ['wit-bindgen', 'component'],
      ['spin-sdk', 'spin'],
      ...COMPONENT_DEPENDENCIES.map((name): [string, WasmProducer] => [name, 'component']),
    ];
    // One reason per producer: `worker` plus `web-sys` is still one wasm-bindgen crate.
    const marked = new Set<WasmProducer>();
    for (const [name, producer] of markers) {
      const dependency = dependencies.get(name);
      if (!dependency || dependency.kind === 'dev' || marked.has(producer)) continue;
      marked.add(producer);
      producers.add(producer);
      reasons.push({ message: `crate-type "cdylib" with the ${name} dependency`, location: at(manifestPath, crateType.valueSpan) });
    }
    if (component && !reasons.some((r) => r.location?.span === crateType.valueSpan)) {
      reasons.push({ message: 'crate-type "cdylib" in a cargo-component crate', location: at(manifestPath, crateType.valueSpan) });
    }
  }

  // Last resort for a cdylib nothing else marks: a cargo config that configures a wasm target
  // (`[target.wasm32-wasip1] runner = …`) is where such cdylibs are built for.
  if (isCdylib && reasons.length === 0 && !inputs.toolchain) {
    for (const layer of inputs.configs) {
      for (const key of layer.document.childKeys(['target']).filter(isWasmTriple)) {
        const span = layer.document.spanOf(['target', key]);
        explicit.push(key);
        reasons.push({ message: `[target.${key}] in the cargo config`, ...(span ? { location: at(layer.path, span) } : {}) });
      }
    }
  }

  // Only a crate that links a wasm artifact chooses the final profile and rustflags: a cdylib, or
  // any crate cargo is told to build for wasm (CARGO_BUILD_TARGET, build.target, a spin.toml
  // build, wasm-pack/cargo-component metadata). A library with wasm-only dependencies is not one.
  const buildsArtifact = isCdylib || explicitBuild.length > 0 || wasmPack !== undefined || component !== undefined;
  if (!buildsArtifact) return { producers: [] };
  let targets = unique(explicit);
  // A toolchain's wasm target also covers native host crates next to the guest, so on its
  // own it only marks cdylib crates.
  if (targets.length === 0 && inputs.toolchain && (reasons.length > 0 || isCdylib)) {
    for (const { triple, span } of inputs.toolchain.targets) {
      targets.push(triple);
      reasons.push({ message: `rust-toolchain targets include ${triple}`, location: at(inputs.toolchain.path, span) });
    }
    targets = unique(targets);
  }
  if (reasons.length === 0) return { producers: [] };
  if (targets.length === 0) targets = [defaultTarget(producers)];
  if (producers.size === 0) producers.add('plain');
  const defaultTargetIsWasm = configuredTargets > 0;
  return { wasm: { targets, reasons, ...(defaultTargetIsWasm ? { defaultTargetIsWasm } : {}) }, producers: [...producers] };
}

function defaultTarget(producers: ReadonlySet<WasmProducer>): string {
  if (producers.has('component')) return 'wasm32-wasip1';
  if (producers.has('wasm-bindgen')) return 'wasm32-unknown-unknown';
  if (producers.has('spin')) return 'wasm32-wasip2';
  return 'wasm32-unknown-unknown';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const KIND_OF_TABLE: Record<string, DependencyInfo['kind']> = {
  dependencies: 'normal',
  'dev-dependencies': 'dev',
  'build-dependencies': 'build',
};

/** Every dependency table of a manifest, target-specific ones included, by package name. */
export function readDependencies(manifestPath: FilePath, document: TomlDocument): Map<string, DependencyInfo> {
  const tables: string[][] = [['dependencies'], ['dev-dependencies'], ['build-dependencies']];
  for (const target of document.childKeys(['target'])) {
    for (const kind of ['dependencies', 'dev-dependencies', 'build-dependencies']) tables.push(['target', target, kind]);
  }
  const out = new Map<string, DependencyInfo>();
  for (const table of tables) {
    for (const key of document.childKeys(table)) {
      const entry = document.get([...table, key]);
      const value = document.value([...table, key]);
      const detail = value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) ? value : undefined;
      const name = typeof detail?.package === 'string' ? detail.package : key;
      if (out.has(name)) continue;
      const requirement = typeof value === 'string' ? value : typeof detail?.version === 'string' ? detail.version : undefined;
      const features = Array.isArray(detail?.features) ? detail.features.filter((f): f is string => typeof f === 'string') : [];
      const span = entry?.keySpan ?? document.table([...table, key])?.span ?? { start: 0, end: 0 };
      out.set(name, {
        name,
        ...(requirement !== undefined ? { requirement } : {}),
        features,
        defaultFeatures: detail?.['default-features'] !== false && detail?.default_features !== false,
        kind: KIND_OF_TABLE[table[table.length - 1]!] ?? 'normal',
        manifestPath,
        span,
      });
    }
  }
  return out;
}
