/**
 * Finds the workspace root manifest of a package, as cargo does: the manifest itself when
 * it has `[workspace]`; the manifest named by `package.workspace`; otherwise the nearest
 * parent `Cargo.toml` with `[workspace]`, if that workspace lists the package in `members`
 * (globs), names it as a path dependency, and does not `exclude` it.
 */
import type { FilePath } from '../model';
import { globToRegExp } from '../text/glob';
import { ancestors, dirname, isInside, join, normalize, relative } from '../text/paths';
import type { TomlFiles } from './read-toml';
import type { TomlDocument } from './toml-document';

export async function findWorkspaceRoot(manifestPath: FilePath, document: TomlDocument, files: TomlFiles): Promise<FilePath> {
  if (document.table(['workspace'])) return manifestPath;
  const dir = dirname(manifestPath);
  const declared = document.value(['package', 'workspace']);
  if (typeof declared === 'string') {
    const target = join(dir, declared);
    const candidate = target.endsWith('.toml') ? target : join(target, 'Cargo.toml');
    const root = await files.read(candidate, 'manifest');
    if (root?.table(['workspace'])) return candidate;
  }
  for (const ancestor of ancestors(dir).slice(1)) {
    const candidate = join(ancestor, 'Cargo.toml');
    const root = await files.read(candidate, 'manifest');
    if (!root?.table(['workspace'])) continue;
    return isMember(root, ancestor, dir) ? candidate : manifestPath;
  }
  return manifestPath;
}

export function isMember(root: TomlDocument, rootDir: FilePath, memberDir: FilePath): boolean {
  const rel = relative(rootDir, memberDir);
  const exclude = stringList(root.value(['workspace', 'exclude']));
  if (exclude.some((path) => isInside(memberDir, join(rootDir, path)))) return false;
  const members = stringList(root.value(['workspace', 'members']));
  if (members.some((glob) => globToRegExp(normalize(glob).replace(/\/$/, '')).test(rel))) return true;
  return pathDependencies(root, rootDir).some((path) => normalize(path) === normalize(memberDir));
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
