/**
 * Instantiates a module the way the benchmark child runs it: WASI preview 1 imports get
 * Node's `node:wasi` with no preopened directories, no environment and output captured in
 * temporary files; other imports are an error listing them, or zero-returning stubs when
 * asked. Reactor modules get `_initialize` once.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { BenchError } from './errors';
import { describeImport, type ImportEntry, type ParsedModule } from './wasm-binary';
import { WASM_PAGE_BYTES } from './driver';
import type { ModuleSummary, WasiOutput } from './types';

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

export function isWasiImport(entry: ImportEntry): boolean {
  return WASI_MODULES.has(entry.module);
}

function zeroOf(type: string): number | bigint | null {
  if (type === 'i64') return 0n;
  if (type === 'i32' || type === 'f32' || type === 'f64') return 0;
  return null;
}

function stubFor(module: ParsedModule, entry: ImportEntry, capPages: number): WebAssembly.ImportValue {
  switch (entry.kind) {
    case 'func': {
      const results = entry.typeIndex === undefined ? [] : (module.types[entry.typeIndex]?.results ?? []);
      const values = results.map(zeroOf);
      if (values.length === 0) return () => undefined;
      if (values.length === 1) return () => values[0];
      return () => values;
    }
    case 'memory':
      return importedMemory(entry, capPages);
    case 'global': {
      const type = entry.global?.type ?? 'i32';
      const value = (['i32', 'i64', 'f32', 'f64'].includes(type) ? type : 'i32') as 'i32';
      return new WebAssembly.Global({ value, mutable: entry.global?.mutable ?? false }, zeroOf(value) as number);
    }
    case 'table':
      return new WebAssembly.Table({
        element: entry.table?.element === 'externref' ? 'externref' : 'anyfunc',
        initial: entry.table?.min ?? 0,
        ...(entry.table?.max !== undefined ? { maximum: entry.table.max } : {}),
      });
    default:
      throw BenchError.of('unresolved-imports', `Cannot stub ${entry.kind} import ${entry.module}.${entry.name}`);
  }
}

function importedMemory(entry: ImportEntry, capPages: number): WebAssembly.Memory {
  const limits = entry.memory;
  const initial = limits?.min ?? 1;
  if (initial > capPages)
    throw BenchError.of('memory-limit', `Imported memory ${entry.module}.${entry.name} needs ${initial} pages, more than the memory cap`);
  return new WebAssembly.Memory({
    initial,
    maximum: Math.min(limits?.max ?? capPages, capPages),
    ...(limits?.shared ? { shared: true } : {}),
  });
}

/** Captures a WASI program's stdout and stderr in temporary files. */
class WasiCapture {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wasm-perf-wasi-'));
  readonly stdoutFd = openSync(join(this.dir, 'stdout'), 'w+');
  readonly stderrFd = openSync(join(this.dir, 'stderr'), 'w+');

  read(): WasiOutput {
    const limit = 64 * 1024;
    const text = (name: string) => {
      const content = readFileSync(join(this.dir, name), 'utf8');
      return content.length > limit ? `${content.slice(0, limit)}\n… (${content.length - limit} more characters)` : content;
    };
    return { stdout: text('stdout'), stderr: text('stderr') };
  }

  dispose(): void {
    closeSync(this.stdoutFd);
    closeSync(this.stderrFd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ImportPlan {
  readonly wasi: boolean;
  readonly stubbed: readonly string[];
  readonly unresolved: readonly string[];
}

export function planImports(module: ParsedModule, stubImports: boolean): ImportPlan {
  const others = module.imports.filter((entry) => !isWasiImport(entry)).map((entry) => describeImport(module, entry));
  return {
    wasi: module.imports.some(isWasiImport),
    stubbed: stubImports ? others : [],
    unresolved: stubImports ? [] : others,
  };
}

export interface LoadedModule {
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory | undefined;
  readonly summary: ModuleSummary;
  readonly wasiOutput: () => WasiOutput | undefined;
  readonly dispose: () => void;
}

export interface ImportEnvironment {
  readonly imports: WebAssembly.Imports;
  readonly wasi: WASI | undefined;
  readonly capture: WasiCapture | undefined;
  readonly plan: ImportPlan;
}

/** Builds the import object for a module, or throws listing what cannot be resolved. */
export function buildImports(module: ParsedModule, label: string, stubImports: boolean, capPages: number): ImportEnvironment {
  const plan = planImports(module, stubImports);
  if (plan.unresolved.length > 0) {
    throw BenchError.of(
      'unresolved-imports',
      `${label} imports ${plan.unresolved.length === 1 ? 'something' : 'things'} the harness cannot provide: ${plan.unresolved.join(', ')}. Only WASI preview 1 is provided; enable the stub option to replace the others with functions that return zero`,
      { imports: plan.unresolved },
    );
  }
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  let wasi: WASI | undefined;
  let capture: WasiCapture | undefined;
  if (plan.wasi) {
    capture = new WasiCapture();
    wasi = new WASI({
      version: 'preview1',
      args: [label],
      env: {},
      preopens: {},
      returnOnExit: true,
      stdin: 0,
      stdout: capture.stdoutFd,
      stderr: capture.stderrFd,
    });
    const wasiImports = wasi.getImportObject() as Record<string, Record<string, WebAssembly.ImportValue>>;
    Object.assign(imports, wasiImports);
    // Older toolchains still name the namespace wasi_unstable; its functions are the same shape.
    if (module.imports.some((entry) => entry.module === 'wasi_unstable')) imports.wasi_unstable = wasiImports.wasi_snapshot_preview1!;
  }
  for (const entry of module.imports) {
    if (isWasiImport(entry)) continue;
    (imports[entry.module] ??= {})[entry.name] = stubFor(module, entry, capPages);
  }
  return { imports, wasi, capture, plan };
}

export function capPagesFor(memoryLimitMb: number): number {
  return Math.max(1, Math.floor((memoryLimitMb * 2 ** 20) / WASM_PAGE_BYTES));
}

export interface InstantiateInput {
  readonly label: string;
  readonly path?: string;
  /** The original bytes (for the summary) and the bytes to instantiate (instrumented). */
  readonly originalBytes: Uint8Array;
  readonly sha256: string;
  readonly runBytes: Uint8Array;
  readonly parsed: ParsedModule;
  readonly stubImports: boolean;
  readonly capPages: number;
  /** Export name of the module's memory in the instrumented copy, if any. */
  readonly memoryExport?: string;
}

export function instantiate(input: InstantiateInput): LoadedModule {
  const environment = buildImports(input.parsed, input.label, input.stubImports, input.capPages);
  const dispose = () => environment.capture?.dispose();
  try {
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(input.runBytes as Uint8Array<ArrayBuffer>);
    } catch (error) {
      throw BenchError.of('invalid-module', `${input.label} does not compile: ${(error as Error).message}`);
    }
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, environment.imports);
    } catch (error) {
      const trapped = error instanceof WebAssembly.RuntimeError;
      throw BenchError.of(trapped ? 'trap' : 'invalid-module', `${input.label} failed to instantiate: ${(error as Error).message}`, {
        detail: (error as Error).stack,
        ...(trapped ? { export: '(start function)' } : {}),
      });
    }
    let initialized = false;
    if (typeof instance.exports._initialize === 'function') {
      try {
        if (environment.wasi) environment.wasi.initialize(instance);
        else (instance.exports._initialize as () => void)();
        initialized = true;
      } catch (error) {
        throw BenchError.of('trap', `${input.label}: _initialize trapped: ${(error as Error).message}`, {
          export: '_initialize',
          detail: (error as Error).stack,
        });
      }
    }
    const memoryExport = input.memoryExport ? instance.exports[input.memoryExport] : undefined;
    const plan = environment.plan;
    const importKind: ModuleSummary['imports'] =
      plan.wasi && plan.stubbed.length > 0 ? 'wasi+stubbed' : plan.wasi ? 'wasi' : plan.stubbed.length > 0 ? 'stubbed' : 'none';
    return {
      instance,
      memory: memoryExport instanceof WebAssembly.Memory ? memoryExport : undefined,
      summary: {
        label: input.label,
        ...(input.path !== undefined ? { path: input.path } : {}),
        sizeBytes: input.originalBytes.length,
        sha256: input.sha256,
        imports: importKind,
        initialized,
      },
      wasiOutput: () => environment.capture?.read(),
      dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  }
}
