/**
 * Versions of the runtime bindings a host file is built against: Cargo.lock (through the
 * cargo model), go.mod requirements, and Python requirement files / pyproject.toml pins.
 * The Go and Python formats are line-based and parsed here.
 */
import type { CrateInfo } from '../cargo/model';
import type { FilePath, Span } from '../model';
import { basename, dirname } from '../text/paths';
import type { WorkspaceModel } from '../workspace/model';
import type { HostLanguage, PinnedVersion, WasmRuntime } from './model';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release tag without the dash (`beta.3`), empty for a release. */
  readonly pre: string;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0), patch: Number(match[3] ?? 0), pre: match[4] ?? '' };
}

/** Semver order, numeric pre-release parts compared as numbers. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  const left = a.pre.split('.');
  const right = b.pre.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const order = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}

export function versionBelow(text: string, bound: string): boolean {
  const version = parseVersion(text);
  const limit = parseVersion(bound);
  return version !== undefined && limit !== undefined && compareVersions(version, limit) < 0;
}

const WASMTIME_GO_MODULE = /^github\.com\/bytecodealliance\/wasmtime-go(?:\/v\d+)?$/;
const WAZERO_MODULE = 'github.com/tetratelabs/wazero';

/** Runtime-binding requirements in a go.mod (`require x v1` and `require ( … )` blocks). */
export function goModulePins(path: FilePath, text: string): PinnedVersion[] {
  const pins: PinnedVersion[] = [];
  let inRequireBlock = false;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (inRequireBlock && line === ')') {
      inRequireBlock = false;
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inRequireBlock = true;
      continue;
    }
    const spec = inRequireBlock ? line : /^require\s+(.*)$/.exec(line)?.[1];
    if (!spec) continue;
    const match = /^(\S+)\s+(v\S+)$/.exec(spec.trim());
    if (!match) continue;
    const [, module, version] = match;
    const name = WASMTIME_GO_MODULE.test(module!)
      ? 'github.com/bytecodealliance/wasmtime-go'
      : module === WAZERO_MODULE
        ? module
        : undefined;
    if (!name) continue;
    const at = rawLine.indexOf(version!, rawLine.indexOf(module!) + module!.length);
    pins.push({ manifest: path, name, version: version!, span: { start: lineStart + at, end: lineStart + at + version!.length } });
  }
  return pins;
}

/**
 * `wasmtime` pins in requirements*.txt or pyproject.toml: PEP 508 strings
 * (`wasmtime>=45; python_version > "3.9"`) and Poetry tables (`wasmtime = "^45.0"`).
 * The recorded version is the lower bound (`==`, `===`, `>=`, `~=`, `^`, `>`); an
 * upper bound alone says nothing usable.
 */
export function pythonPins(path: FilePath, text: string): PinnedVersion[] {
  const pins: PinnedVersion[] = [];
  const pep508 = /(^|["'\s])wasmtime\s*(?:\[[^\]]*\])?\s*(?:\(\s*)?(===|==|>=|~=|>)\s*(\d+(?:\.\d+)*)/gim;
  const poetry = /^\s*wasmtime\s*=\s*(?:\{[^}\n]*version\s*=\s*)?["']\s*(?:\^|~|>=|==)?\s*(\d+(?:\.\d+)*)/gim;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const hash = rawLine.search(/(^|\s)#/);
    const line = hash >= 0 ? rawLine.slice(0, hash) : rawLine;
    for (const pattern of [pep508, poetry]) {
      pattern.lastIndex = 0;
      const match = pattern.exec(line);
      if (!match) continue;
      const version = match[match.length - 1]!;
      const at = match.index + match[0].length - version.length;
      pins.push({ manifest: path, name: 'wasmtime', version, span: { start: lineStart + at, end: lineStart + at + version.length } });
      break;
    }
  }
  return pins;
}

/** The innermost crate whose directory holds `path`. */
export function nearestCrate(workspace: WorkspaceModel, path: FilePath): CrateInfo | undefined {
  let best: CrateInfo | undefined;
  for (const crate of workspace.cargo.crates) {
    if (path.startsWith(`${crate.dir}/`) && (!best || crate.dir.length > best.dir.length)) best = crate;
  }
  return best;
}

/**
 * Without a Cargo.lock: the version the nearest crate's requirement pins. Only caret,
 * tilde and exact requirements (`"0.47"`, `"^12.0"`, `"~48.0.1"`, `"=0.32.0-beta.5"`)
 * count: for wasmtime (majors ≥ 1) they fix the major version and for wasmi (0.x) the
 * minor, which is all the thresholds look at. Ranges and `*` pin nothing.
 */
function requiredVersion(workspace: WorkspaceModel, path: FilePath, pkg: string): BindingVersions | undefined {
  const dependency = nearestCrate(workspace, path)?.dependencies.get(pkg);
  const requirement = dependency?.requirement?.trim();
  const match = requirement ? /^[\^~=]?\s*(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)$/.exec(requirement) : null;
  if (!dependency || !match) return undefined;
  return {
    package: pkg,
    versions: [match[1]!],
    how: `required as "${requirement}" in Cargo.toml`,
    source: dependency.manifestPath,
    span: dependency.span,
  };
}

/** The binding package whose version decides a runtime's behaviour in a language. */
function bindingPackage(language: HostLanguage, runtime: WasmRuntime): string | undefined {
  if (runtime === 'wazero') return language === 'go' ? WAZERO_MODULE : undefined;
  if (language === 'go') return runtime === 'wasmtime' ? 'github.com/bytecodealliance/wasmtime-go' : undefined;
  if (language === 'python') return runtime === 'wasmtime' ? 'wasmtime' : undefined;
  if (language === 'rust') return runtime;
  return undefined;
}

/** `12.0.2, locked in Cargo.lock` */
export function describeVersions(versions: BindingVersions): string {
  return `${versions.versions.join(', ')}, ${versions.how}`;
}

export interface BindingVersions {
  /** Package the versions are of (`wasmtime`, `github.com/bytecodealliance/wasmtime-go`…). */
  readonly package: string;
  readonly versions: readonly string[];
  /** How the versions are fixed, for messages: `locked in Cargo.lock`, `required in go.mod`… */
  readonly how: string;
  /** Where they come from (`Cargo.lock`, a go.mod, a requirements file). */
  readonly source?: FilePath;
  readonly span?: Span;
}

/**
 * The versions of the binding `runtime` that the host file at `path` is built with:
 * Cargo.lock for Rust; the nearest go.mod or Python manifest (walking up) for Go and
 * Python. Empty when nothing pins it; C and C++ have no manifest to read.
 */
export function bindingVersions(
  workspace: WorkspaceModel,
  path: FilePath,
  language: HostLanguage,
  runtime: WasmRuntime,
): BindingVersions | undefined {
  const pkg = bindingPackage(language, runtime);
  if (!pkg) return undefined;
  if (language === 'rust') {
    const versions = workspace.cargo.lockedVersions(path, pkg);
    return versions.length > 0 ? { package: pkg, versions, how: 'locked in Cargo.lock' } : requiredVersion(workspace, path, pkg);
  }
  let best: PinnedVersion[] = [];
  let bestDepth = -1;
  for (const pin of workspace.hostCode.pins) {
    const dir = dirname(pin.manifest);
    if (pin.name !== pkg || !(path.startsWith(`${dir}/`) || dir === '/')) continue;
    if (language === 'go' && !pin.manifest.endsWith('go.mod')) continue;
    if (language === 'python' && pin.manifest.endsWith('go.mod')) continue;
    const depth = dir.length;
    if (depth > bestDepth) {
      best = [pin];
      bestDepth = depth;
    } else if (depth === bestDepth) {
      best.push(pin);
    }
  }
  const first = best[0];
  if (!first) return undefined;
  const manifest = basename(first.manifest);
  return {
    package: pkg,
    versions: best.map((p) => p.version),
    how: `${manifest === 'go.mod' ? 'required' : 'pinned'} in ${manifest}`,
    source: first.manifest,
    span: first.span,
  };
}
