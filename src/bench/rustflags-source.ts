/**
 * What cargo would use for a build started in a crate directory: which of its exclusive
 * rustflags sources wins (facts §7.1), and which target it builds when no `--target` is
 * given. Reuses the cargo area's config-chain reader and resolver so the benchmark builds
 * and the lints agree on the answer.
 */
import { configScalar, ConfigChains, type ConfigLayer } from '../core/cargo/config-chain';
import { TomlFiles } from '../core/cargo/read-toml';
import { resolveRustflags } from '../core/cargo/rustflags';
import type { EffectiveRustflags } from '../core/cargo/model';
import { isWasmTriple } from '../core/cargo/wasm-detect';
import { DEFAULT_SETTINGS } from '../core/settings';
import { dirname, join } from '../core/text/paths';
import { DerivedCache } from '../core/workspace/cache';
import type { LoadContext } from '../core/workspace/load-context';
import { FileReader } from '../core/workspace/reader';
import { createNodeHost, toEnginePath } from '../node/node-host';

type Env = Readonly<Record<string, string | undefined>>;

/** The wasm target cargo builds when nothing else says: the one wasm-bindgen and wasm-pack use. */
export const DEFAULT_WASM_TARGET = 'wasm32-unknown-unknown';

function loadContext(env: Env): LoadContext {
  const host = createNodeHost({ env: { ...env } });
  return {
    host,
    files: {
      roots: [],
      manifests: [],
      cargoConfigs: [],
      lockfiles: [],
      toolchains: [],
      spinManifests: [],
      goModules: [],
      pythonManifests: [],
      hostSources: [],
      binaries: [],
      scripts: [],
      readmes: [],
    },
    reader: new FileReader(host, DEFAULT_SETTINGS.maxTextBytes),
    settings: DEFAULT_SETTINGS,
    assets: { dir: '' },
    cache: new DerivedCache(),
    // A config file that cannot be read is left out here; cargo itself will report it.
    notice: () => {},
  };
}

async function configLayers(crateDir: string, env: Env): Promise<{ files: TomlFiles; layers: readonly ConfigLayer[] }> {
  const files = new TomlFiles(loadContext(env));
  return { files, layers: await new ConfigChains(files, env).forDirectory(toEnginePath(crateDir)) };
}

export async function effectiveRustflags(crateDir: string, triple: string, env: Env): Promise<EffectiveRustflags> {
  const { layers } = await configLayers(crateDir, env);
  return resolveRustflags(triple, layers, env);
}

/**
 * The wasm target of a crate as cargo and rustup would pick it: `CARGO_BUILD_TARGET`, then
 * `[build] target` in the config chain, then the first wasm target of the nearest
 * `rust-toolchain.toml`, then a `[target.wasm32-…]` table in the config chain; else the default.
 * (The extension knows more — build scripts, spin.toml, cargo-component — from its analysis
 * and passes the target itself.)
 */
export async function crateWasmTarget(crateDir: string, env: Env): Promise<{ triple: string; reason: string }> {
  const fromEnv = (env.CARGO_BUILD_TARGET ?? '').split(',').map((t) => t.trim());
  const envTriple = fromEnv.find(isWasmTriple);
  if (envTriple) return { triple: envTriple, reason: 'CARGO_BUILD_TARGET' };
  const { files, layers } = await configLayers(crateDir, env);
  const configured = configScalar(layers, ['build', 'target']);
  const value = configured?.layer.document.value(['build', 'target']);
  const listed = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const buildTarget = listed.find(isWasmTriple);
  if (buildTarget && configured) return { triple: buildTarget, reason: `build.target in ${configured.layer.path}` };
  for (let dir = toEnginePath(crateDir); ; dir = dirname(dir)) {
    for (const name of ['rust-toolchain.toml', 'rust-toolchain']) {
      const document = await files.read(join(dir, name), 'toolchain');
      const targets = document?.value(['toolchain', 'targets']);
      const triple = Array.isArray(targets) ? targets.find((t): t is string => typeof t === 'string' && isWasmTriple(t)) : undefined;
      if (triple) return { triple, reason: `targets in ${join(dir, name)}` };
    }
    if (dirname(dir) === dir) break;
  }
  for (const layer of layers) {
    const triple = layer.document.childKeys(['target']).find(isWasmTriple);
    if (triple) return { triple, reason: `[target.${triple}] in ${layer.path}` };
  }
  return { triple: DEFAULT_WASM_TARGET, reason: 'the default wasm target' };
}
