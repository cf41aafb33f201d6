/**
 * Finds the workspace root manifest of a package, as cargo does: the manifest itself when
 * it has `[workspace]`; the manifest named by `package.workspace`; otherwise the nearest
 * parent `Cargo.toml` with `[workspace]`, if that workspace lists the package in `members`
 * (globs), names it as a path dependency, and does not `exclude` it.
 */
import type { FilePath } from '../model';
import { globError, globToRegExp } from '../text/glob';
import { dirname, isInside, join, normalize, relative } from '../text/paths';
import type { DerivedCache } from '../workspace/cache';
import type { TomlFiles } from './read-toml';
import type { TomlDocument } from './toml-document';

/**
 * One analysis's workspace-root lookups. The search upwards from each directory is shared by
 * every crate below it; each root's membership rules (globs compiled, path dependencies
 * listed) are kept in the engine's cache under the root's parsed document, so they are made
 * again only when that manifest changes.
 */
export class WorkspaceRoots {
  private readonly searches = new Map<FilePath, Promise<WorkspaceManifest | undefined>>();

  constructor(
    private readonly files: TomlFiles,
    private readonly cache: DerivedCache,
  ) {}

  async find(manifestPath: FilePath, document: TomlDocument): Promise<FilePath> {
    if (document.table(['workspace'])) return manifestPath;
    const dir = dirname(manifestPath);
    const declared = document.value(['package', 'workspace']);
    if (typeof declared === 'string') {
      const target = join(dir, declared);
      const candidate = target.endsWith('.toml') ? target : join(target, 'Cargo.toml');
      const root = await this.files.read(candidate, 'manifest');
      if (root?.table(['workspace'])) return candidate;
    }
    const parent = dirname(dir);
    const nearest = parent === dir ? undefined : await this.nearestWorkspace(parent);
    if (!nearest) return manifestPath;
    const membership = this.cache.get('cargo-membership', nearest.manifestPath, [nearest.document], () =>
      membershipOf(nearest.document, nearest.dir),
    );
    return isMember(membership, dir) ? nearest.manifestPath : manifestPath;
  }

  /** The `Cargo.toml` with `[workspace]` in `dir` or nearest above it. */
  private nearestWorkspace(dir: FilePath): Promise<WorkspaceManifest | undefined> {
    let pending = this.searches.get(dir);
    if (!pending) {
      pending = (async () => {
        const manifestPath = join(dir, 'Cargo.toml');
        const document = await this.files.read(manifestPath, 'manifest');
        if (document?.table(['workspace'])) return { manifestPath, dir, document };
        const parent = dirname(dir);
        return parent === dir ? undefined : this.nearestWorkspace(parent);
      })();
      this.searches.set(dir, pending);
    }
    return pending;
  }
}

interface WorkspaceManifest {
  readonly manifestPath: FilePath;
  readonly dir: FilePath;
  readonly document: TomlDocument;
}

interface Membership {
  readonly exclude: readonly FilePath[];
  readonly members: readonly RegExp[];
  readonly pathDependencies: ReadonlySet<FilePath>;
  readonly rootDir: FilePath;
  /** Answers so far, by member directory: they depend on nothing but the root document. */
  readonly answers: Map<FilePath, boolean>;
}

/** A `workspace.members` glob as a pattern; one cargo would reject matches nothing here. */
function memberPattern(glob: string): RegExp[] {
  const pattern = normalize(glob).replace(/\/$/, '');
  return globError(pattern) ? [] : [globToRegExp(pattern)];
}

function membershipOf(root: TomlDocument, rootDir: FilePath): Membership {
  return {
    exclude: stringList(root.value(['workspace', 'exclude'])).map((path) => join(rootDir, path)),
    members: stringList(root.value(['workspace', 'members'])).flatMap(memberPattern),
    pathDependencies: new Set(pathDependencies(root, rootDir)),
    rootDir,
    answers: new Map(),
  };
}

function isMember(membership: Membership, memberDir: FilePath): boolean {
  let answer = membership.answers.get(memberDir);
  if (answer === undefined) membership.answers.set(memberDir, (answer = decideMembership(membership, memberDir)));
  return answer;
}

function decideMembership({ exclude, members, pathDependencies, rootDir }: Membership, memberDir: FilePath): boolean {
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
