/**
 * Finds the workspace root manifest of a package, as cargo does: the manifest itself when
 * it has `[workspace]`; the manifest named by `package.workspace`; otherwise the nearest
 * parent `Cargo.toml` with `[workspace]`, if that workspace lists the package in `members`
 * (globs), names it as a path dependency, and does not `exclude` it.
 */
import type { FilePath } from '../model';
import { globError, globToRegExp } from '../text/glob';
import { dirname, isInside, join, normalize, relative } from '../text/paths';
import type { TomlFiles } from './read-toml';
import type { TomlDocument } from './toml-document';

interface OwnWorkspace {
  readonly isRoot: boolean;
  /** `package.workspace`, when it is a string. */
  readonly declared: string | undefined;
}

/** Per parsed manifest (they are reused across analyses), what it says about its own workspace. */
const ownWorkspaces = new WeakMap<TomlDocument, OwnWorkspace>();

function ownWorkspace(document: TomlDocument): OwnWorkspace {
  let own = ownWorkspaces.get(document);
  if (!own) {
    const declared = document.value(['package', 'workspace']);
    own = { isRoot: document.table(['workspace']) !== undefined, declared: typeof declared === 'string' ? declared : undefined };
    ownWorkspaces.set(document, own);
  }
  return own;
}

export async function findWorkspaceRoot(manifestPath: FilePath, document: TomlDocument, files: TomlFiles): Promise<FilePath> {
  const { isRoot, declared } = ownWorkspace(document);
  if (isRoot) return manifestPath;
  const dir = dirname(manifestPath);
  if (declared !== undefined) {
    const target = join(dir, declared);
    const candidate = target.endsWith('.toml') ? target : join(target, 'Cargo.toml');
    const root = await files.read(candidate, 'manifest');
    if (root?.table(['workspace'])) return candidate;
  }
  const parent = dirname(dir);
  const nearest = parent === dir ? undefined : await nearestWorkspace(parent, files);
  if (!nearest) return manifestPath;
  return isMember(nearest.document, nearest.dir, dir) ? nearest.manifestPath : manifestPath;
}

interface WorkspaceManifest {
  readonly manifestPath: FilePath;
  readonly dir: FilePath;
  readonly document: TomlDocument;
}

/** Per analysis (one `TomlFiles`), the search upwards from each directory, shared by every crate below it. */
const searches = new WeakMap<TomlFiles, Map<FilePath, Promise<WorkspaceManifest | undefined>>>();

/** The `Cargo.toml` with `[workspace]` in `dir` or nearest above it. */
function nearestWorkspace(dir: FilePath, files: TomlFiles): Promise<WorkspaceManifest | undefined> {
  let byDirectory = searches.get(files);
  if (!byDirectory) searches.set(files, (byDirectory = new Map()));
  let pending = byDirectory.get(dir);
  if (!pending) {
    pending = (async () => {
      const manifestPath = join(dir, 'Cargo.toml');
      const document = await files.read(manifestPath, 'manifest');
      if (document?.table(['workspace'])) return { manifestPath, dir, document };
      const parent = dirname(dir);
      return parent === dir ? undefined : nearestWorkspace(parent, files);
    })();
    byDirectory.set(dir, pending);
  }
  return pending;
}

interface Membership {
  readonly exclude: readonly FilePath[];
  readonly members: readonly RegExp[];
  readonly pathDependencies: ReadonlySet<FilePath>;
  readonly rootDir: FilePath;
  /** Answers so far, by member directory: they depend on nothing but the root document. */
  readonly answers: Map<FilePath, boolean>;
}

/** Parsed documents are cached across analyses, so their membership rules are too. */
const memberships = new WeakMap<TomlDocument, Membership>();

/** A `workspace.members` glob as a pattern; one cargo would reject matches nothing here. */
function memberPattern(glob: string): RegExp[] {
  const pattern = normalize(glob).replace(/\/$/, '');
  return globError(pattern) ? [] : [globToRegExp(pattern)];
}

function membershipOf(root: TomlDocument, rootDir: FilePath): Membership {
  let membership = memberships.get(root);
  if (!membership || membership.rootDir !== rootDir) {
    membership = {
      exclude: stringList(root.value(['workspace', 'exclude'])).map((path) => join(rootDir, path)),
      members: stringList(root.value(['workspace', 'members'])).flatMap(memberPattern),
      pathDependencies: new Set(pathDependencies(root, rootDir)),
      rootDir,
      answers: new Map(),
    };
    memberships.set(root, membership);
  }
  return membership;
}

export function isMember(root: TomlDocument, rootDir: FilePath, memberDir: FilePath): boolean {
  const membership = membershipOf(root, rootDir);
  let answer = membership.answers.get(memberDir);
  if (answer === undefined) membership.answers.set(memberDir, (answer = decideMembership(membership, rootDir, memberDir)));
  return answer;
}

function decideMembership({ exclude, members, pathDependencies }: Membership, rootDir: FilePath, memberDir: FilePath): boolean {
  if (exclude.some((path) => isInside(memberDir, path))) return false;
  const rel = relative(rootDir, memberDir);
  return members.some((glob) => glob.test(rel)) || pathDependencies.has(normalize(memberDir));
}

function pathDependencies(document: TomlDocument, dir: FilePath): FilePath[] {
  const out: FilePath[] = [];
  for (const table of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
    for (const name of document.childKeys([table])) {
      const path = document.value([table, name, 'path']);
      if (typeof path === 'string') out.push(join(dir, path));
    }
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
