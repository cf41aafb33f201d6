/**
 * Which host code the host rules judge: an embedder's production code. Left out, because a
 * maintainer would dismiss a finding there:
 * - test, bench, fuzz and fixture code (by path, `workspace/test-code.ts`, and inside production
 *   files: Rust `#[cfg(test)]` modules and `#[test]`/`#[bench]` functions, Go functions that take a
 *   `*testing.T`/`B`/`F`/`M` or `testing.TB` (only `go test` can call them, so a `testutil` helper
 *   in a non-`_test.go` file is test code too), pytest's `test_*` functions, `Test*` classes and
 *   `@pytest.*`-decorated fixtures), unless `includeTests` is set;
 * - the runtimes' and bindings' own code, decided by the owner of the file: every crate of a
 *   Cargo workspace whose root or own package is named `wasmtime*`/`wasmi*` (wasmtime's C API,
 *   CLI and examples included), the Go modules `github.com/tetratelabs/wazero` (or
 *   `wazero/wazero`) and `github.com/bytecodealliance/wasmtime-go`, and the Python project named
 *   `wasmtime` (wasmtime-py, whose `Store()` and `Engine()` are its API). Their
 *   `impl Default for Engine` is not an embedder's mistake;
 * - facts about a runtime the file's crate cannot be using: in a crate that depends on wasmi and
 *   not on wasmtime, an unqualified `Engine` is wasmi's, whatever the file's imports suggest.
 */
import type { CargoModel, CrateInfo } from '../cargo/model';
import type { FilePath, Span } from '../model';
import { isInside } from '../text/paths';
import type { HostFileFacts, WasmRuntime } from './model';

const RUNTIME_CRATE = /^(?:wasmtime|wasmi)(?:[-_].*)?$/;
const RUNTIME_GO_MODULE = /^github\.com\/(?:tetratelabs\/wazero|wazero\/wazero|bytecodealliance\/wasmtime-go)(?:\/v\d+)?$/;
const RUNTIME_PYTHON_PROJECT = /^wasmtime$/;

export interface CodeOwners {
  readonly cargo: CargoModel;
  /** go.mod directory → module path. */
  readonly goModules: ReadonlyMap<FilePath, string>;
  /** pyproject.toml directory → project name. */
  readonly pythonProjects: ReadonlyMap<FilePath, string>;
}

/** The module path a go.mod declares. */
export function goModulePath(text: string): string | undefined {
  return /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
}

/** The `[project]` (or Poetry) name a pyproject.toml declares. */
export function pythonProjectName(text: string): string | undefined {
  const section = /^\[(?:project|tool\.poetry)\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1];
  return section ? /^\s*name\s*=\s*["']([^"']+)["']/m.exec(section)?.[1] : undefined;
}

/** The crate whose directory is the nearest ancestor of `path`. */
export function owningCrate(path: FilePath, crates: readonly CrateInfo[]): CrateInfo | undefined {
  let best: CrateInfo | undefined;
  for (const crate of crates) {
    if (isInside(path, crate.dir) && (!best || crate.dir.length > best.dir.length)) best = crate;
  }
  return best;
}

function nearest<T>(path: FilePath, byDirectory: ReadonlyMap<FilePath, T>): T | undefined {
  let best: { dir: FilePath; value: T } | undefined;
  for (const [dir, value] of byDirectory) {
    if (isInside(path, dir) && (!best || dir.length > best.dir.length)) best = { dir, value };
  }
  return best?.value;
}

/** True when `path` belongs to a wasm runtime's or binding's own source tree. */
export function isRuntimeOwnCode(path: FilePath, language: HostFileFacts['language'], owners: CodeOwners): boolean {
  if (language === 'go') return RUNTIME_GO_MODULE.test(nearest(path, owners.goModules) ?? '');
  if (language === 'python') return RUNTIME_PYTHON_PROJECT.test(nearest(path, owners.pythonProjects) ?? '');
  const crate = owningCrate(path, owners.cargo.crates);
  if (!crate) return false;
  if (RUNTIME_CRATE.test(crate.name)) return true;
  const root = owners.cargo.crates.find((c) => c.manifestPath === crate.workspaceRoot);
  return root !== undefined && RUNTIME_CRATE.test(root.name);
}

const inside = (span: Span, outer: Span) => span.start >= outer.start && span.end <= outer.end;

/**
 * The facts the rules may judge: without those inside test-only code (unless `includeTests`)
 * and without those about a runtime the owning crate does not depend on.
 */
export function judgedFacts(facts: HostFileFacts, crate: CrateInfo | undefined, includeTests: boolean): HostFileFacts {
  const testSpans = includeTests ? [] : (facts.testSpans ?? []);
  const absent = absentRuntimes(crate);
  const keep = (fact: { readonly span: Span; readonly runtime: WasmRuntime }) =>
    !absent.has(fact.runtime) && !testSpans.some((t) => inside(fact.span, t));
  if (testSpans.length === 0 && absent.size === 0) return facts;
  const kept = facts.configs.map((config) => (keep(config) ? config : undefined));
  const configIndex = new Map<number, number>();
  kept.forEach((config, index) => {
    if (config) configIndex.set(index, configIndex.size);
  });
  // A production function called from a loop in a test does not run repeatedly in production.
  const withoutTestCaller = <T extends { readonly context: HostFileFacts['configs'][number]['context'] }>(fact: T): T => {
    const caller = fact.context.calledFromLoop;
    if (!caller || !testSpans.some((t) => inside(caller, t))) return fact;
    const { calledFromLoop: _dropped, calledFromLoopThrough: _through, ...context } = fact.context;
    return { ...fact, context };
  };
  return {
    ...facts,
    configs: kept.filter((c): c is NonNullable<typeof c> => c !== undefined).map(withoutTestCaller),
    engines: facts.engines.filter(keep).map((engine) => {
      const { configIndex: index, ...rest } = withoutTestCaller(engine);
      const mapped = index === undefined ? undefined : configIndex.get(index);
      return mapped === undefined ? rest : { ...rest, configIndex: mapped };
    }),
    moduleLoads: facts.moduleLoads.filter(keep).map(withoutTestCaller),
    wazeroRuntimes: facts.wazeroRuntimes.filter((r) => !testSpans.some((t) => inside(r.span, t))).map(withoutTestCaller),
    instantiations: facts.instantiations.filter((i) => !testSpans.some((t) => inside(i.span, t))).map(withoutTestCaller),
  };
}

/** Runtimes a Rust crate cannot use: the other runtime is a dependency, this one is not. */
function absentRuntimes(crate: CrateInfo | undefined): ReadonlySet<WasmRuntime> {
  if (!crate) return new Set();
  const has = (name: string) => crate.dependencies.has(name);
  const absent = new Set<WasmRuntime>();
  if (has('wasmi') && !has('wasmtime')) absent.add('wasmtime');
  if (has('wasmtime') && !has('wasmi')) absent.add('wasmi');
  return absent;
}
