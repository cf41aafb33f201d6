/**
 * Which `.cargo/config.toml` files apply to a directory (facts §7.2): the directory's own
 * and every parent's, then `$CARGO_HOME/config.toml` (default `$HOME/.cargo`). Deeper
 * files win for scalars; arrays concatenate with higher-precedence items last. In a
 * directory that has both, the legacy extensionless `config` is the one cargo uses.
 * `include` pulls in more files below the including one.
 */
import type { FilePath } from '../model';
import { dirname, isInside, join, normalize } from '../text/paths';
import type { TomlFiles } from './read-toml';
import type { TomlDocument, TomlEntry } from './toml-document';

export interface ConfigLayer {
  readonly path: FilePath;
  readonly document: TomlDocument;
}

const CONFIG_PATHS = ['.cargo/config', '.cargo/config.toml'];

export class ConfigChains {
  private readonly byDirectory = new Map<FilePath, Promise<readonly ConfigLayer[]>>();
  /** The layers of a directory and its parents, without `$CARGO_HOME`'s. */
  private readonly ancestorLayers = new Map<FilePath, Promise<readonly ConfigLayer[]>>();
  private readonly home: FilePath | undefined;
  private homeLayers: Promise<readonly ConfigLayer[]> | undefined;

  constructor(
    private readonly files: TomlFiles,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    this.home = this.cargoHome();
  }

  /** Config layers that apply when cargo runs in `dir`, highest precedence first. */
  forDirectory(dir: FilePath): Promise<readonly ConfigLayer[]> {
    let pending = this.byDirectory.get(dir);
    if (!pending) {
      const normalized = normalize(dir);
      const parent = dirname(normalized);
      // Most crate directories have no `.cargo`: they share the parent's layers (the same array).
      pending = parent !== normalized && !this.mayHaveOwn(normalized) ? this.forDirectory(parent) : this.load(normalized);
      this.byDirectory.set(dir, pending);
    }
    return pending;
  }

  /** Whether `dir/.cargo` may hold a config file of its own (the home one is read last instead). */
  private mayHaveOwn(dir: FilePath): boolean {
    return this.files.candidates(dir, CONFIG_PATHS).length > 0 && join(dir, '.cargo') !== this.home;
  }

  private async load(dir: FilePath): Promise<readonly ConfigLayer[]> {
    const layers = await this.withAncestors(dir);
    if (!this.home) return layers;
    // `$CARGO_HOME` is read last, with the lowest precedence.
    this.homeLayers ??= this.directoryLayers(this.home);
    return mergeLayers(layers, await this.homeLayers);
  }

  /**
   * A directory's own layers before its parent's: each directory is read once however many
   * crates sit below it.
   */
  private withAncestors(dir: FilePath): Promise<readonly ConfigLayer[]> {
    let pending = this.ancestorLayers.get(dir);
    if (!pending) {
      const parent = dirname(dir);
      const mayHaveOwn = this.mayHaveOwn(dir);
      if (!mayHaveOwn && parent !== dir) {
        pending = this.withAncestors(parent);
      } else {
        pending = (async () => {
          const own = mayHaveOwn ? await this.directoryLayers(join(dir, '.cargo')) : [];
          return parent === dir ? own : mergeLayers(own, await this.withAncestors(parent));
        })();
      }
      this.ancestorLayers.set(dir, pending);
    }
    return pending;
  }

  /** The config file of one `.cargo` directory and what it includes. */
  private async directoryLayers(cargoDir: FilePath): Promise<readonly ConfigLayer[]> {
    const layers: ConfigLayer[] = [];
    await this.addDirectory(cargoDir, layers, new Set());
    return layers;
  }

  private cargoHome(): FilePath | undefined {
    const cargoHome = this.env.CARGO_HOME;
    if (cargoHome && cargoHome.startsWith('/')) return join(cargoHome);
    const home = this.env.HOME ?? this.env.USERPROFILE;
    return home && home.startsWith('/') ? join(home, '.cargo') : undefined;
  }

  /** The legacy `config` wins over `config.toml` in the same directory. */
  private async addDirectory(cargoDir: FilePath, layers: ConfigLayer[], seen: Set<FilePath>): Promise<void> {
    const legacy = await this.files.read(join(cargoDir, 'config'), 'config');
    if (legacy) return this.addFile(join(cargoDir, 'config'), legacy, layers, seen, 0);
    const current = await this.files.read(join(cargoDir, 'config.toml'), 'config');
    if (current) await this.addFile(join(cargoDir, 'config.toml'), current, layers, seen, 0);
  }

  private async addFile(path: FilePath, document: TomlDocument, layers: ConfigLayer[], seen: Set<FilePath>, depth: number): Promise<void> {
    if (seen.has(path) || depth > 8) return;
    seen.add(path);
    layers.push({ path, document });
    // Included files rank below the file that includes them; later includes rank above earlier ones.
    for (const include of [...includePaths(document, dirname(path))].reverse()) {
      const included = await this.files.read(include, 'config');
      if (included) await this.addFile(include, included, layers, seen, depth + 1);
    }
  }
}

/** `higher` then `lower`, each file once, where it first appears (as cargo's own walk would list them). */
function mergeLayers(higher: readonly ConfigLayer[], lower: readonly ConfigLayer[]): readonly ConfigLayer[] {
  if (lower.length === 0) return higher;
  if (higher.length === 0) return lower;
  const seen = new Set(higher.map((layer) => layer.path));
  return [...higher, ...lower.filter((layer) => !seen.has(layer.path))];
}

function includePaths(document: TomlDocument, base: FilePath): FilePath[] {
  const value = document.value(['include']);
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out: FilePath[] = [];
  for (const item of items) {
    const path =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date)
          ? item.path
          : undefined;
    if (typeof path === 'string' && path.length > 0) out.push(path.startsWith('/') ? join(path) : join(base, path));
  }
  return out;
}

export interface LayeredEntry {
  readonly layer: ConfigLayer;
  readonly entry: TomlEntry;
}

/** The highest-precedence definition of `path` among `layers`. */
export function configScalar(layers: readonly ConfigLayer[], path: readonly string[]): LayeredEntry | undefined {
  for (const layer of layers) {
    const entry = layer.document.get(path);
    if (entry) return { layer, entry };
  }
  return undefined;
}

/** Every definition of `path`, lowest precedence first (the order cargo concatenates arrays in). */
export function configAll(layers: readonly ConfigLayer[], path: readonly string[]): LayeredEntry[] {
  const out: LayeredEntry[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const entry = layers[i]!.document.get(path);
    if (entry) out.push({ layer: layers[i]!, entry });
  }
  return out;
}

/** Config files inside `dir` (not its parents) — where a fix may add a table. */
export function layerInside<T extends { readonly path: FilePath }>(layers: readonly T[], dir: FilePath): T | undefined {
  return layers.find((layer) => isInside(layer.path, join(dir, '.cargo')));
}
