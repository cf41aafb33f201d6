/**
 * Walks the roots once and sorts the files the rules care about into kinds. It never
 * throws: unreadable directories and symlink loops become notices, and the walk goes on.
 */
import { describeError, type Host } from '../host';
import type { FilePath, Notice } from '../model';
import { globError, globToRegExp, matchesAny } from '../text/glob';
import { basename, join, relative } from '../text/paths';

export interface DiscoveredFiles {
  readonly roots: readonly FilePath[];
  readonly manifests: readonly FilePath[];
  /** `.cargo/config.toml` and legacy `.cargo/config` inside the roots (ancestors are looked up by the cargo loader). */
  readonly cargoConfigs: readonly FilePath[];
  readonly lockfiles: readonly FilePath[];
  readonly toolchains: readonly FilePath[];
  readonly spinManifests: readonly FilePath[];
  readonly goModules: readonly FilePath[];
  readonly pythonManifests: readonly FilePath[];
  /** Source files in a language whose wasm-runtime embedding the host-code rules understand. */
  readonly hostSources: readonly FilePath[];
  readonly binaries: readonly FilePath[];
  /** CI workflows, Makefiles, justfiles, package.json and shell scripts (they may set RUSTFLAGS). */
  readonly scripts: readonly FilePath[];
  /** README files: their shell code blocks say how a crate is built (never how it is configured). */
  readonly readmes: readonly FilePath[];
}

export type FileKind = Exclude<keyof DiscoveredFiles, 'roots'>;

/** Directories never worth entering: VCS metadata, dependency caches, vendored library code. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', '.tox', '.idea']);
/** Inside a cargo `target/` directory only final artifacts matter, not intermediates. */
const SKIPPED_TARGET_DIRECTORIES = new Set(['deps', 'build', 'incremental', '.fingerprint', 'debug', 'examples', 'doc', 'tmp']);
const HOST_SOURCE = /\.(rs|go|c|h|cc|cpp|cxx|hpp|hh|py)$/;
const SCRIPT_NAMES = new Set([
  'Makefile',
  'makefile',
  'GNUmakefile',
  'justfile',
  'Justfile',
  '.justfile',
  'package.json',
  '.gitlab-ci.yml',
  'Dockerfile',
  'Taskfile.yml',
  'build.sh',
]);

export function classify(path: FilePath, relativePath: string): FileKind | undefined {
  const name = basename(path);
  if (name === 'Cargo.toml') return 'manifests';
  if (name === 'Cargo.lock') return 'lockfiles';
  if ((name === 'config.toml' || name === 'config') && path.endsWith(`/.cargo/${name}`)) return 'cargoConfigs';
  if (name === 'rust-toolchain.toml' || name === 'rust-toolchain') return 'toolchains';
  if (name === 'spin.toml') return 'spinManifests';
  if (name === 'go.mod') return 'goModules';
  if (name === 'pyproject.toml' || /^requirements.*\.txt$/.test(name)) return 'pythonManifests';
  if (name.endsWith('.wasm')) return 'binaries';
  if (SCRIPT_NAMES.has(name) || name.endsWith('.sh') || name.endsWith('.mk')) return 'scripts';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(relativePath) || /(^|\/)\.circleci\/config\.ya?ml$/.test(relativePath))
    return 'scripts';
  if (HOST_SOURCE.test(name)) return 'hostSources';
  if (/^readme(?:\.md|\.markdown)?$/i.test(name)) return 'readmes';
  return undefined;
}

export interface DiscoverOptions {
  readonly exclude: readonly string[];
  /** Stop after this many files; a notice says so. */
  readonly maxFiles?: number;
  readonly signal?: AbortSignal;
}

export async function discover(
  host: Host,
  roots: readonly FilePath[],
  options: DiscoverOptions,
): Promise<{ files: DiscoveredFiles; notices: Notice[] }> {
  const buckets: Record<FileKind, FilePath[]> = {
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
  };
  const notices: Notice[] = [];
  const excludes: RegExp[] = [];
  for (const glob of options.exclude) {
    const problem = globError(glob);
    // Hosts validate settings first; an invalid pattern that still arrives excludes nothing, and says so.
    if (problem) notices.push({ file: roots[0] ?? '/', kind: 'skipped', message: `exclude pattern '${glob}' ignored: ${problem}` });
    else excludes.push(globToRegExp(glob));
  }
  const maxFiles = options.maxFiles ?? 200_000;
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  let fileCount = 0;
  let truncated = false;

  async function visitDirectory(root: FilePath, dir: FilePath, insideTarget: boolean, depth: number): Promise<void> {
    if (truncated || options.signal?.aborted) return;
    if (depth > 64) {
      notices.push({ file: dir, kind: 'skipped', message: 'skipped: directory nesting deeper than 64 levels' });
      return;
    }
    let real: string;
    try {
      real = await host.realPath(dir);
    } catch (error) {
      notices.push({ file: dir, kind: 'unreadable', message: `cannot resolve directory: ${describeError(error)}` });
      return;
    }
    if (visitedDirectories.has(real)) return; // symlink loop or a second link to a visited directory
    visitedDirectories.add(real);
    let entries;
    try {
      entries = await host.readDirectory(dir);
    } catch (error) {
      notices.push({ file: dir, kind: 'unreadable', message: `cannot read directory: ${describeError(error)}` });
      return;
    }
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of sorted) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (matchesAny(rel, excludes)) continue;
      let kind = entry.kind;
      if (kind === 'symlink') {
        try {
          const target = await host.realPath(path);
          kind = (await host.stat(target)).kind;
        } catch {
          notices.push({ file: path, kind: 'unreadable', message: 'broken or looping symlink, skipped' });
          continue;
        }
      }
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (insideTarget && SKIPPED_TARGET_DIRECTORIES.has(entry.name)) continue;
        const isTarget = insideTarget || entry.name === 'target';
        await visitDirectory(root, path, isTarget, depth + 1);
      } else if (kind === 'file') {
        const fileKind = classify(path, rel);
        if (!fileKind) continue;
        if (insideTarget && fileKind !== 'binaries') continue;
        if (seenFiles.has(path)) continue;
        seenFiles.add(path);
        if (++fileCount > maxFiles) {
          truncated = true;
          notices.push({ file: root, kind: 'skipped', message: `stopped after ${maxFiles} relevant files` });
          return;
        }
        buckets[fileKind].push(path);
      }
    }
  }

  for (const root of roots) {
    try {
      const stat = await host.stat(root);
      if (stat.kind === 'file' || stat.kind === 'symlink') {
        const real = stat.kind === 'symlink' ? await host.realPath(root) : root;
        const fileKind = classify(root, basename(root)) ?? classify(real, basename(real));
        if (fileKind && !seenFiles.has(root)) {
          seenFiles.add(root);
          buckets[fileKind].push(root);
        }
        continue;
      }
    } catch (error) {
      notices.push({ file: root, kind: 'unreadable', message: `cannot read: ${describeError(error)}` });
      continue;
    }
    await visitDirectory(root, root, false, 0);
  }
  return { files: { roots, ...buckets }, notices };
}
