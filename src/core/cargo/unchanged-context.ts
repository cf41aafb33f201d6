/**
 * What makes an edit to one member manifest cost one crate. A crate's results depend on its own
 * manifest and on its context: the workspace root manifest, config files, toolchain files, spin
 * manifests, script builds, the environment and the analysed roots. After an editor keystroke
 * the context is usually unchanged, and then every crate whose own manifest is unchanged keeps
 * its previous results without resolving its workspace root, config layers or toolchain again.
 *
 * A member manifest is context only when it is some crate's workspace root or has a
 * `[workspace]` table (then it may become a root for the crates below it), so an edit to it is
 * an edit to the context. Everything else the loader read is compared by identity: parsed
 * documents come from the engine's cache, so an unchanged file gives the very same document.
 */
import type { FilePath } from '../model';
import { sameKey, type CacheKey } from '../workspace/cache';
import type { TextResult } from '../workspace/reader';
import type { TomlProblem } from './model';
import type { TomlFiles } from './read-toml';
import type { TomlDocument } from './toml-document';

export interface CargoSnapshot<Loaded> {
  /** Inputs that are not TOML files: the discovered file list, environment, roots, spin documents, script builds. */
  readonly inputs: CacheKey;
  /** Every TOML file read, with the kind it was first read as, and the documents they gave (none when missing or broken). */
  readonly kinds: ReadonlyMap<FilePath, TomlProblem['fileKind']>;
  readonly read: ReadonlyMap<FilePath, TomlDocument>;
  /** Files read as text, not TOML (legacy `rust-toolchain` files), with what they held. */
  readonly texts: ReadonlyMap<FilePath, TextResult>;
  /** The discovered manifests (the same list while `inputs` holds), each one's document and what the loader made of it. */
  readonly manifests: readonly FilePath[];
  readonly documents: readonly (TomlDocument | undefined)[];
  readonly loaded: readonly (Loaded | undefined)[];
  /** Manifests whose edits reach other crates: workspace roots of other crates and manifests with `[workspace]`. */
  readonly shared: ReadonlySet<FilePath>;
  /** Which of `documents` have a `[workspace]` table (an unchanged document is not asked again). */
  readonly workspaceTables: readonly boolean[];
}

/**
 * The previous snapshot when nothing but non-shared member manifests changed since it was
 * taken (the caller then reuses the results of every manifest whose document is the same);
 * undefined when the context changed and every crate must be resolved again.
 */
export async function unchangedContext<Loaded>(
  previous: CargoSnapshot<Loaded> | undefined,
  inputs: CacheKey,
  files: TomlFiles,
  readText: (path: FilePath) => Promise<TextResult>,
  manifests: readonly FilePath[],
  documents: readonly (TomlDocument | undefined)[],
): Promise<CargoSnapshot<Loaded> | undefined> {
  if (!previous || !sameKey(previous.inputs, inputs)) return undefined;
  // The same discovered file list (part of `inputs`) means the same manifest list, index for index.
  if (previous.manifests !== manifests) return undefined;
  for (let i = 0; i < manifests.length; i++) {
    const document = documents[i];
    if (previous.documents[i] === document) continue;
    if (previous.shared.has(manifests[i]!) || document?.table(['workspace'])) return undefined;
  }
  const members = new Set(manifests);
  for (const [path, kind] of previous.kinds) {
    if (members.has(path) && !previous.shared.has(path)) continue;
    if ((await files.read(path, kind)) !== previous.read.get(path)) return undefined;
  }
  for (const [path, result] of previous.texts) if ((await readText(path)) !== result) return undefined;
  return previous;
}

/** The snapshot of one analysis, for the next one to compare against. */
export function takeSnapshot<Loaded extends { readonly manifest: { readonly path: FilePath; readonly workspaceRoot: FilePath } }>(
  inputs: CacheKey,
  files: TomlFiles,
  texts: ReadonlyMap<FilePath, TextResult>,
  manifests: readonly FilePath[],
  documents: readonly (TomlDocument | undefined)[],
  loaded: readonly (Loaded | undefined)[],
  previous: CargoSnapshot<Loaded> | undefined,
): CargoSnapshot<Loaded> {
  const shared = new Set<FilePath>();
  const workspaceTables: boolean[] = [];
  for (let i = 0; i < manifests.length; i++) {
    const item = loaded[i];
    const document = documents[i];
    const hasTable =
      previous !== undefined && previous.documents[i] === document ? previous.workspaceTables[i]! : !!document?.table(['workspace']);
    workspaceTables.push(hasTable);
    if (hasTable) shared.add(manifests[i]!);
    if (item && item.manifest.workspaceRoot !== item.manifest.path) shared.add(item.manifest.workspaceRoot);
  }
  // The maps of a finished load are never written again, so they are kept as they are.
  return { inputs, kinds: files.kinds, read: files.documents, texts, manifests, documents, loaded, shared, workspaceTables };
}
