/**
 * Which of cargo's exclusive rustflags sources wins for a build started in a crate directory
 * (facts §7.1). Reuses the cargo area's config-chain reader and resolver so the benchmark
 * builds and the lints agree on the answer.
 */
import { ConfigChains } from '../core/cargo/config-chain';
import { TomlFiles } from '../core/cargo/read-toml';
import { resolveRustflags } from '../core/cargo/rustflags';
import type { EffectiveRustflags } from '../core/cargo/model';
import { DEFAULT_SETTINGS } from '../core/settings';
import { DerivedCache } from '../core/workspace/cache';
import type { LoadContext } from '../core/workspace/load-context';
import { FileReader } from '../core/workspace/reader';
import { createNodeHost, toEnginePath } from '../node/node-host';

export async function effectiveRustflags(
  crateDir: string,
  triple: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<EffectiveRustflags> {
  const host = createNodeHost({ env: { ...env } });
  const context: LoadContext = {
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
  const layers = await new ConfigChains(new TomlFiles(context), env).forDirectory(toEnginePath(crateDir));
  return resolveRustflags(triple, layers, env);
}
