/** Locked package versions from Cargo.lock files, looked up from the nearest lockfile upwards. */
import type { FilePath } from '../model';
import { ancestors, join } from '../text/paths';
import type { TomlDocument } from './toml-document';

export type LockedPackages = ReadonlyMap<string, readonly string[]>;

export function lockedPackages(document: TomlDocument): LockedPackages {
  const out = new Map<string, string[]>();
  for (const index of document.childKeys(['package'])) {
    const name = document.value(['package', index, 'name']);
    const version = document.value(['package', index, 'version']);
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    const versions = out.get(name) ?? [];
    if (!versions.includes(version)) versions.push(version);
    out.set(name, versions);
  }
  return out;
}

/** `lockedVersions` of the cargo model over the lockfiles that were read. */
export function lockedVersionsLookup(
  lockfiles: ReadonlyMap<FilePath, LockedPackages>,
): (nearPath: FilePath, packageName: string) => readonly string[] {
  return (nearPath, packageName) => {
    for (const dir of ancestors(nearPath)) {
      const packages = lockfiles.get(join(dir, 'Cargo.lock'));
      if (packages) return packages.get(packageName) ?? [];
    }
    return [];
  };
}
