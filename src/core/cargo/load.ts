/**
 * Builds the cargo model: every discovered manifest, its workspace root, the config files
 * that apply to it (ancestors and cargo home included, even outside the analysed roots),
 * whether it builds for wasm and why, its effective release profiles and rustflags, the
 * lockfiles, and RUSTFLAGS assignments in scripts. All reading and parsing happens here;
 * the rules only look at the result.
 */
import type { FilePath, Span } from '../model';
import { dirname, join } from '../text/paths';
import type { LoadContext } from '../workspace/load-context';
import { ConfigChains, type ConfigLayer } from './config-chain';
import { lockedPackages, lockedVersionsLookup, type LockedPackages } from './lockfile';
import type { CargoModel, CrateBuild, CrateInfo, EffectiveRustflags, ManifestInfo, RustflagsAssignment } from './model';
import { resolveReleaseProfiles } from './profiles';
import { TomlFiles } from './read-toml';
import { resolveRustflags } from './rustflags';
import { findRustflagsAssignments } from './script-assignments';
import { readSpinBuilds } from './spin';
import type { TomlDocument } from './toml-document';
import { findReadmeBuilds, findScriptBuilds, type ScriptBuild } from './script-builds';
import { detectWasm, isWasmTriple, readDependencies, type SpinBuild, type ToolchainTargets } from './wasm-detect';
import { WorkspaceRoots } from './workspace-root';
import { takeSnapshot, unchangedContext, type CargoSnapshot } from './unchanged-context';
import type { TextResult } from '../workspace/reader';
import { isTestFile } from '../workspace/test-code';

export async function loadCargo(context: LoadContext): Promise<CargoModel> {
  const files = new TomlFiles(context);
  const env = context.host.env;
  const configs = new ConfigChains(files, env);
  const toolchains = new ToolchainFinder(files, context);
  const rootFinder = new WorkspaceRoots(files, context.cache);

  // Discovered config and toolchain files are parsed even when no crate uses them, so syntax errors show.
  for (const path of context.files.cargoConfigs) await files.read(path, 'config');
  for (const path of context.files.toolchains) if (path.endsWith('.toml')) await files.read(path, 'toolchain');

  const spinBuilds: SpinBuild[] = [];
  const spinDocuments: (TomlDocument | undefined)[] = [];
  for (const spinPath of context.files.spinManifests) {
    const document = await files.read(spinPath, 'spin');
    spinDocuments.push(document);
    if (document) spinBuilds.push(...readSpinBuilds(spinPath, document));
  }

  // `cargo build --target wasm32-…` in scripts, CI and README code blocks: a plain cdylib built that way is a wasm crate.
  const scriptBuilds: ScriptBuild[] = [];
  const commandSources = [
    { paths: context.files.scripts, namespace: 'cargo-script-builds', find: findScriptBuilds },
    { paths: context.files.readmes, namespace: 'cargo-readme-builds', find: findReadmeBuilds },
  ];
  for (const { paths, namespace, find } of commandSources) {
    for (const path of paths) {
      const read = await context.reader.readText(path);
      if (read.ok) scriptBuilds.push(...context.cache.get(namespace, path, read.file.text, () => find(path, read.file.text)));
    }
  }

  // Manifests are independent; reading them concurrently overlaps the file-system latency.
  const envText = cargoEnvText(env);
  const rootsKey = context.files.roots.join('\0');
  // What every crate's results depend on besides its own files (the discovered list only decides which files there are).
  const shared = [envText, rootsKey, spinDocuments.length, ...spinDocuments, scriptBuilds.length, ...scriptBuilds];
  const inputs = [context.files, ...shared];
  const manifestPaths = context.files.manifests;
  const documents = await Promise.all(manifestPaths.map((path) => files.read(path, 'manifest')));
  const previous = await unchangedContext(
    context.cache.latest<CargoSnapshot<LoadedManifest>>('cargo-snapshot', ''),
    inputs,
    files,
    (path) => context.reader.readText(path),
    manifestPaths,
    documents,
  );
  // Each crate's results are also kept in the engine's cache under the parts they are derived
  // from: parsed documents are the same objects while their text is unchanged, so when the
  // context did change (a config edit) only the crates it reaches are derived again.
  const loaded = await Promise.all(
    manifestPaths.map(async (manifestPath, index): Promise<LoadedManifest | undefined> => {
      if (context.signal?.aborted) return undefined;
      const document = documents[index];
      if (!document) return undefined;
      if (previous?.documents[index] === document) return previous.loaded[index];
      const workspaceRoot = await rootFinder.find(manifestPath, document);
      if (typeof document.value(['package', 'name']) !== 'string') {
        // A virtual workspace manifest.
        return context.cache.get('cargo-manifest', manifestPath, [document, workspaceRoot], () => ({
          manifest: manifestInfo(manifestPath, workspaceRoot, document),
        }));
      }
      const dir = dirname(manifestPath);
      const layers = await configs.forDirectory(dir);
      const toolchain = await toolchains.forDirectory(dir);
      const rootDocument = workspaceRoot === manifestPath ? document : await files.read(workspaceRoot, 'manifest');
      const key = [document, workspaceRoot, rootDocument, toolchain, ...shared, layers.length, ...layers.map((layer) => layer.document)];
      return context.cache.get('cargo-manifest', manifestPath, key, () =>
        deriveCrate({
          manifestPath,
          document,
          workspaceRoot,
          rootDocument,
          layers,
          env,
          spinBuilds,
          scriptBuilds,
          testCode: isTestFile(context.files.roots, manifestPath),
          // Crates under the same config files share one answer per target (rules then see each definition once).
          rustflags: (target) =>
            context.cache.get('cargo-rustflags', target, [envText, ...layers.map((layer) => layer.document)], () =>
              resolveRustflags(target, layers, env),
            ),
          ...(toolchain ? { toolchain } : {}),
        }),
      );
    }),
  );
  const manifests: ManifestInfo[] = [];
  const crates: CrateInfo[] = [];
  const builds = new Map<FilePath, CrateBuild>();
  for (const item of loaded) {
    if (!item) continue;
    manifests.push(item.manifest);
    if (item.crate) crates.push(item.crate);
    if (item.build) builds.set(item.manifest.path, item.build);
  }

  const lockfiles = new Map<FilePath, LockedPackages>();
  const workspaceRoots = new Set(manifests.map((m) => m.workspaceRoot));
  const lockPaths = new Set([...context.files.lockfiles, ...[...workspaceRoots].map((root) => join(dirname(root), 'Cargo.lock'))]);
  for (const path of lockPaths) {
    const document = await files.read(path, 'lockfile');
    if (document)
      lockfiles.set(
        path,
        context.cache.get('cargo-lockfile', path, [document], () => lockedPackages(document)),
      );
  }

  const scriptAssignments: RustflagsAssignment[] = [];
  for (const path of context.files.scripts) {
    const result = await context.reader.readText(path);
    if (!result.ok) continue;
    const { text } = result.file;
    scriptAssignments.push(...context.cache.get('cargo-script', path, text, () => findRustflagsAssignments(path, text)));
  }

  if (!context.signal?.aborted) {
    const snapshot = takeSnapshot(inputs, files, toolchains.texts, manifestPaths, documents, loaded, previous);
    context.cache.put('cargo-snapshot', '', [], snapshot);
  }

  return {
    crates,
    lockedVersions: lockedVersionsLookup(lockfiles),
    build: { builds, manifests, problems: [...files.problems.values()], scriptAssignments, documents: files.documents, env },
  };
}

/**
 * The environment variables cargo's configuration reads (CARGO_*, RUSTFLAGS, and the home
 * directories that locate `$CARGO_HOME`), as one canonical string: part of every crate's key.
 */
function cargoEnvText(env: Readonly<Record<string, string | undefined>>): string {
  const relevant: [string, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.startsWith('CARGO_') || name === 'RUSTFLAGS' || name === 'HOME' || name === 'USERPROFILE') relevant.push([name, value]);
  }
  relevant.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(relevant);
}

interface LoadedManifest {
  readonly manifest: ManifestInfo;
  readonly crate?: CrateInfo;
  readonly build?: CrateBuild;
}

/** Everything one package's results depend on; `deriveCrate` reads nothing else. */
interface CrateInputs {
  readonly manifestPath: FilePath;
  readonly document: TomlDocument;
  readonly workspaceRoot: FilePath;
  readonly rootDocument: TomlDocument | undefined;
  readonly layers: readonly ConfigLayer[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly spinBuilds: readonly SpinBuild[];
  readonly scriptBuilds: readonly ScriptBuild[];
  /** The manifest is test code relative to the analysed roots (see `CrateBuild.testCode`). */
  readonly testCode: boolean;
  /** `resolveRustflags` for one wasm target over `layers` and `env`. */
  readonly rustflags: (target: string) => EffectiveRustflags;
  readonly toolchain?: ToolchainTargets;
}

function manifestInfo(path: FilePath, workspaceRoot: FilePath, document: TomlDocument): ManifestInfo {
  return { path, workspaceRoot, profileTables: profileTables(document) };
}

function deriveCrate(inputs: CrateInputs): LoadedManifest {
  const { manifestPath, document, workspaceRoot, rootDocument, layers, env, toolchain } = inputs;
  const manifest = manifestInfo(manifestPath, workspaceRoot, document);
  const name = document.value(['package', 'name']);
  if (typeof name !== 'string') return { manifest };
  const dependencies = readDependencies(manifestPath, document);
  const { wasm, producers } = detectWasm({
    manifestPath,
    document,
    dependencies,
    configs: layers,
    env,
    spinBuilds: inputs.spinBuilds,
    scriptBuilds: inputs.scriptBuilds,
    ...(toolchain ? { toolchain } : {}),
  });
  const libName = document.value(['lib', 'name']);
  const nameSpan = document.get(['package', 'name'])?.valueSpan;
  const crate: CrateInfo = {
    name,
    libName: typeof libName === 'string' ? libName : name.replace(/-/g, '_'),
    manifestPath,
    dir: dirname(manifestPath),
    ...(nameSpan ? { nameSpan } : {}),
    workspaceRoot,
    ...(wasm ? { wasm } : {}),
    dependencies,
  };
  if (!wasm) return { manifest, crate };
  const build: CrateBuild = {
    manifestPath,
    profiles: resolveReleaseProfiles(name, {
      ...(rootDocument ? { manifest: { path: workspaceRoot, document: rootDocument } } : {}),
      configs: layers,
      env,
    }),
    rustflags: wasm.targets.map(inputs.rustflags),
    configs: layers.map((layer) => layer.path),
    producers,
    testCode: inputs.testCode,
  };
  return { manifest, crate, build };
}

/** `[profile.<name>]` tables written in a manifest, with a clean removal span for header tables. */
function profileTables(document: TomlDocument): ManifestInfo['profileTables'] {
  const out: ManifestInfo['profileTables'][number][] = [];
  const items = document.program.body[0].body;
  for (const name of document.childKeys(['profile'])) {
    const table = document.table(['profile', name]);
    const entry = document.get(['profile', name]);
    const keySpan = table?.span ?? entry?.keySpan;
    if (!keySpan) continue;
    const headerTable = table?.kind === 'header';
    let removal: Span | undefined;
    if (headerTable) {
      // Only when the profile's header tables are contiguous and nothing else defines it.
      const inside = items.map((item) => item.type === 'TOMLTable' && item.resolvedKey[0] === 'profile' && item.resolvedKey[1] === name);
      const first = inside.indexOf(true);
      const last = inside.lastIndexOf(true);
      const contiguous = first >= 0 && inside.slice(first, last + 1).every(Boolean);
      const dottedElsewhere = document.entriesUnder(['profile', name]).some((e) => e.baseLength < 2);
      if (contiguous && !dottedElsewhere) {
        const start = document.lineStartBefore(items[first]!.range[0]);
        const lineEnd = document.lineEndAfter(items[last]!.range[1]);
        const end = document.text.startsWith('\r\n', lineEnd)
          ? lineEnd + 2
          : document.text.startsWith('\n', lineEnd)
            ? lineEnd + 1
            : lineEnd;
        removal = { start, end };
      }
    }
    out.push({ name, keySpan, headerTable, ...(removal ? { removal } : {}) });
  }
  return out;
}

/** In the order rustup prefers them. */
const TOOLCHAIN_NAMES = ['rust-toolchain', 'rust-toolchain.toml'];

/** Nearest `rust-toolchain.toml` / `rust-toolchain` upwards, with its wasm `targets`. */
class ToolchainFinder {
  private readonly byDirectory = new Map<FilePath, Promise<ToolchainTargets | undefined>>();
  /** Toolchain files read as text (the legacy one need not be TOML), for the next analysis to compare. */
  readonly texts = new Map<FilePath, TextResult>();

  constructor(
    private readonly files: TomlFiles,
    private readonly context: LoadContext,
  ) {}

  forDirectory(dir: FilePath): Promise<ToolchainTargets | undefined> {
    let pending = this.byDirectory.get(dir);
    if (!pending) {
      const candidates = this.files.candidates(dir, TOOLCHAIN_NAMES);
      const parent = dirname(dir);
      // Without a candidate here the answer is the parent's (the same promise, shared by sibling crates).
      pending =
        candidates.length > 0
          ? this.find(candidates, parent !== dir ? parent : undefined)
          : parent !== dir
            ? this.forDirectory(parent)
            : Promise.resolve(undefined);
      this.byDirectory.set(dir, pending);
    }
    return pending;
  }

  private async find(candidates: readonly FilePath[], parent: FilePath | undefined): Promise<ToolchainTargets | undefined> {
    for (const path of candidates) {
      const text = await this.context.reader.readText(path);
      this.texts.set(path, text);
      if (!text.ok) continue;
      // The legacy file may hold just a channel name, which is not TOML.
      if (!/^\s*\[toolchain\]/m.test(text.file.text)) return undefined;
      const document = await this.files.read(path, 'toolchain');
      // Kept under the parsed document, so an unchanged toolchain file gives the same object (part of the crates' keys).
      return document ? this.context.cache.get('cargo-toolchain', path, [document], () => readToolchainTargets(path, document)) : undefined;
    }
    return parent !== undefined ? this.forDirectory(parent) : undefined;
  }
}

function readToolchainTargets(path: FilePath, document: TomlDocument): ToolchainTargets {
  const entry = document.get(['toolchain', 'targets']);
  const targets: { triple: string; span: Span }[] = [];
  if (entry?.node.type === 'TOMLArray') {
    for (const element of entry.node.elements) {
      if (element.type === 'TOMLValue' && element.kind === 'string' && isWasmTriple(element.value)) {
        targets.push({ triple: element.value, span: { start: element.range[0], end: element.range[1] } });
      }
    }
  }
  return { path, targets };
}
