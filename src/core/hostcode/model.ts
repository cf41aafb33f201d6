/**
 * The host-code area's model: language-neutral facts about programs that embed a wasm
 * runtime (wasmtime in Rust/Go/C/C++/Python, wasmi in Rust, wazero in Go), extracted
 * from tree-sitter syntax trees by one extractor per language. Rules only read this.
 *
 * "Setting" names are language-neutral (`native_unwind_info`, `parallel_compilation`,
 * `consume_fuel`, `compilation_mode`, `cranelift_flag_set`): each extractor maps its
 * binding's spelling (`SetNativeUnwindInfo`, `wasmtime_config_native_unwind_info_set`…)
 * onto them.
 */
import type { FilePath, Span } from '../model';

export type HostLanguage = 'rust' | 'go' | 'c' | 'cpp' | 'python';
export type WasmRuntime = 'wasmtime' | 'wasmi' | 'wazero';

/** Where a piece of code runs, as far as one file shows it. */
export interface CodeContext {
  /** The enclosing named function or method. */
  readonly functionName?: string;
  /** The innermost loop (or iterator closure, comprehension) around the code in its function. */
  readonly loop?: Span;
  /** Why the code probably runs once per request or event (a handler's name, a route decorator…). */
  readonly perRequest?: string;
  /**
   * A call, inside a loop in the same file, of the function that contains the code, or of a
   * function that calls it (through up to two more functions of the file).
   */
  readonly calledFromLoop?: Span;
  /** The function the `calledFromLoop` call invokes, when it is not `functionName` itself. */
  readonly calledFromLoopThrough?: string;
  /** The code only builds or runs on Windows (`#[cfg(windows)]`, `#ifdef _WIN32`, `_windows.go`…). */
  readonly windowsOnly: boolean;
}

/** True when the code plausibly runs many times in one process. */
export function runsRepeatedly(context: CodeContext): boolean {
  return context.loop !== undefined || context.perRequest !== undefined || context.calledFromLoop !== undefined;
}

export interface SetterCall {
  /** Language-neutral setting name (see the file header). */
  readonly setting: string;
  /** The text of the value argument (`false`, `CompilationMode::Eager`, `"unwind_info", "false"`). */
  readonly argumentText: string;
  /** Where `argumentText` is (a fix may replace it). */
  readonly argumentSpan: Span;
  /** The whole call or assignment. */
  readonly span: Span;
}

/** A new line of code inserted at `offset` (the start of a line) takes `indent`. */
export interface InsertionPoint {
  readonly offset: number;
  readonly indent: string;
  readonly eol: string;
  /** The statement ends the file without a line break: the insertion must start with one. */
  readonly needsLeadingBreak: boolean;
}

export interface ConfigFact {
  readonly runtime: WasmRuntime;
  /** The variable the config is bound to; undefined for an inline builder chain. */
  readonly variable?: string;
  /** The constructor call (`Config::new()`, `wasmtime.NewConfig()`, `wasm_config_new()`…). */
  readonly span: Span;
  /** The API that built it, as written without arguments (`Config::new`, `wasm_config_new`, `wasmtime::Config`). */
  readonly constructorName: string;
  readonly setters: readonly SetterCall[];
  /** Right after the statement that builds the config (absent when it is built inside an expression). */
  readonly insertAfter?: InsertionPoint;
  /** Rust inline chain (`Engine::new(Config::new().x())`): where `.setter(..)` can be spliced in. */
  readonly chainInsertOffset?: number;
  /** Rust `let config = …` without `mut`: where `mut ` must go before a statement can call a setter. */
  readonly needsMutAt?: number;
  /** The config is handed to other code (`configure(&mut config)`), which may set anything. */
  readonly escapes: boolean;
  /** The names of the functions it is handed to, when all are plain calls (Rust). */
  readonly escapesTo?: readonly string[];
  /** The config is returned to the caller (a `make_config()` helper), which may set more. */
  readonly returned: boolean;
  readonly context: CodeContext;
}

export interface EngineFact {
  readonly runtime: WasmRuntime;
  /** The engine construction (`Engine::new(&config)`, `wasmtime.NewEngineWithConfig(cfg)`…). */
  readonly span: Span;
  /** Index into the file's `configs` of the config this engine is built from. */
  readonly configIndex?: number;
  /** Built with the runtime's defaults (`Engine::default()`, `wasmtime.NewEngine()`, `Engine()`). */
  readonly usesDefaultConfig: boolean;
  /** The local name the engine is bound to (`let engine = …`, `Ok(engine) =>`, `engine := …`). */
  readonly variable?: string;
  /**
   * The engine never leaves the function that builds it: not returned, stored, or handed to code
   * other than the runtime's `Store`/`Linker`/`Module` constructors, in a function that returns
   * only a verdict (`bool`, `Result<()>`). Known for Rust and Go.
   */
  readonly local?: boolean;
  readonly context: CodeContext;
}

export interface ModuleLoadFact {
  readonly runtime: WasmRuntime;
  /** The API as written, e.g. `Module::from_file`, `wasmtime.NewModule`, `wasmtime_module_deserialize`. */
  readonly api: string;
  /** The engine argument's last name (`engine` for `&engine`, `inner` for `&self.inner`), when it is a name. Rust and Go. */
  readonly engine?: string;
  readonly span: Span;
  readonly context: CodeContext;
}

export type CompilationCacheKind = 'memory' | 'directory' | 'unknown';

export interface WazeroRuntimeFact {
  readonly span: Span;
  readonly variable?: string;
  /** The compilation cache passed through `WithCompilationCache`, if any. */
  readonly cache?: { readonly kind: CompilationCacheKind; readonly span: Span };
  readonly context: CodeContext;
}

/** What a `CompileModule` + `InstantiateModule` rewrite of an `Instantiate` statement needs. */
export interface InstantiateRewrite {
  /** The whole assignment statement, `mod, err := r.Instantiate(ctx, bin)`. */
  readonly statement: Span;
  readonly indent: string;
  readonly eol: string;
  /** Left-hand side names in order (`mod`, `err`; `_` allowed for the module). */
  readonly targets: readonly string[];
  /** `:=` (true) or `=` (false). */
  readonly defines: boolean;
  readonly receiver: string;
  readonly contextArgument: string;
  readonly sourceArgument: string;
  /** The `ModuleConfig` argument of `InstantiateWithConfig`. */
  readonly configArgument?: string;
  /** The `if err != nil { … }` statement that follows, copied for the compile step. */
  readonly errorCheckText: string;
  /** Identifiers already used in the enclosing function (to pick a fresh name). */
  readonly usedNames: readonly string[];
  /**
   * The call sits in a loop and compiles the same bytes on every iteration: the compile step can
   * go before the loop. `offset` is the start of the loop's line, `indent` its indentation.
   */
  readonly hoist?: { readonly offset: number; readonly indent: string };
}

export interface WazeroInstantiateFact {
  readonly method: 'Instantiate' | 'InstantiateWithConfig';
  readonly span: Span;
  readonly receiver: string;
  readonly rewrite?: InstantiateRewrite;
  /** Why no automatic rewrite is offered, when `rewrite` is absent. */
  readonly noRewriteReason?: string;
  readonly context: CodeContext;
}

/** Per-language import facts the fixes need (Go `runtime`, Python `sys`, the wazero alias). */
export interface ImportFacts {
  /** Name under which the wazero package is imported (Go). */
  readonly wazeroName?: string;
  /** Names of imported modules/packages (Go import paths' local names, Python top-level modules). */
  readonly imported: readonly string[];
  /** Where a new import goes (Go: inside/after the import block; Python: after the last top-level import). */
  readonly importInsertion?: InsertionPoint;
  /** Go: the import block is parenthesized (a new path goes on its own line inside it). */
  readonly importBlockIsGrouped?: boolean;
  /** Names a fix would import (`runtime`, `sys`) that the file already uses for something else. */
  readonly takenNames?: readonly string[];
}

export interface HostFileFacts {
  readonly path: FilePath;
  readonly language: HostLanguage;
  /** Runtimes this file uses, from its imports and API calls. */
  readonly runtimes: readonly WasmRuntime[];
  /** The syntax tree had errors; the facts cover what could be recognised. */
  readonly hasSyntaxErrors: boolean;
  /** The whole file builds only on Windows (`_windows.go`, `#![cfg(windows)]`). */
  readonly windowsOnly: boolean;
  readonly configs: readonly ConfigFact[];
  readonly engines: readonly EngineFact[];
  readonly moduleLoads: readonly ModuleLoadFact[];
  readonly wazeroRuntimes: readonly WazeroRuntimeFact[];
  readonly instantiations: readonly WazeroInstantiateFact[];
  readonly imports: ImportFacts;
  /**
   * Setting names this file sets on any receiver: Rust/C++ method names, Go `Set*` methods,
   * Python attribute assignments, C `wasmtime_config_*_set`. For a config built in one
   * function and configured further by its caller.
   */
  readonly settingsSet: readonly string[];
  /** Names of the functions and methods this file defines (Rust), to tell a local helper from other code. */
  readonly definedFunctions?: readonly string[];
  /**
   * Code in this file that only builds for tests or benchmarks (Rust `#[cfg(test)]` modules,
   * `#[test]`/`#[bench]` functions): the loader drops facts inside it unless tests are judged.
   */
  readonly testSpans?: readonly Span[];
}

/** A dependency version pinned in a Go or Python manifest. */
export interface PinnedVersion {
  readonly manifest: FilePath;
  /** Package or module name (`wasmtime`, `github.com/tetratelabs/wazero`, `github.com/bytecodealliance/wasmtime-go`). */
  readonly name: string;
  /** The version as written (`v1.7.3`, `48.0.0`); for ranges, the lowest bound. */
  readonly version: string;
  /** Where it is written, for evidence. */
  readonly span: Span;
}

export interface HostCodeModel {
  readonly files: readonly HostFileFacts[];
  /** go.mod requirements and Python manifest pins of runtime bindings. */
  readonly pins: readonly PinnedVersion[];
}

/** The model when nothing could be loaded (the engine uses it if the loader fails). */
export function emptyHostCodeModel(): HostCodeModel {
  return { files: [], pins: [] };
}
