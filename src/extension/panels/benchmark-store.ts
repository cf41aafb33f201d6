/**
 * Where benchmark runs and definitions live: finished runs per workspace (workspaceState,
 * newest first, bounded), and definitions the user saves in `wasm-perf.bench.json` at the
 * workspace root, with paths relative to it so the file can be committed.
 */
import * as vscode from 'vscode';
import type { BenchmarkDefinition, BenchmarkRun, VariantSpec } from '../../protocol/benchmark';

const HISTORY_KEY = 'wasm-perf.benchmark.history';
const MAX_RUNS = 20;
export const BENCH_FILE = 'wasm-perf.bench.json';

export class BenchmarkHistory {
  constructor(private readonly memento: vscode.Memento) {}

  runs(): BenchmarkRun[] {
    const stored = this.memento.get<unknown>(HISTORY_KEY);
    return Array.isArray(stored) ? stored.filter(isRun) : [];
  }

  find(runId: string): BenchmarkRun | undefined {
    return this.runs().find((run) => run.id === runId);
  }

  async add(run: BenchmarkRun): Promise<void> {
    await this.memento.update(HISTORY_KEY, [run, ...this.runs().filter((each) => each.id !== run.id)].slice(0, MAX_RUNS));
  }

  async clear(): Promise<void> {
    await this.memento.update(HISTORY_KEY, []);
  }
}

function isRun(value: unknown): value is BenchmarkRun {
  const run = value as BenchmarkRun;
  return typeof value === 'object' && value !== null && typeof run.id === 'string' && Array.isArray(run.results) && Array.isArray(run.ratios) && isDefinition(run.definition);
}

export function isDefinition(value: unknown): value is BenchmarkDefinition {
  const definition = value as BenchmarkDefinition;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof definition.name === 'string' &&
    typeof definition.exportName === 'string' &&
    Array.isArray(definition.args) &&
    definition.args.every((arg) => typeof arg === 'string') &&
    Array.isArray(definition.variants) &&
    definition.variants.every(isVariant) &&
    (definition.setupExport === undefined || typeof definition.setupExport === 'string')
  );
}

function isVariant(value: unknown): value is VariantSpec {
  const variant = value as VariantSpec;
  if (typeof value !== 'object' || value === null || typeof variant.label !== 'string') return false;
  if (variant.kind === 'module') return typeof variant.modulePath === 'string';
  return variant.kind === 'build' && typeof variant.manifestPath === 'string' && typeof variant.flags === 'object' && variant.flags !== null;
}

interface BenchFileContent {
  readonly version: 1;
  readonly benchmarks: readonly BenchmarkDefinition[];
}

/** `wasm-perf.bench.json` in one workspace folder. */
export class BenchFile {
  constructor(private readonly folder: vscode.Uri) {}

  get uri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, BENCH_FILE);
  }

  /** The saved definitions with absolute paths; a missing or unreadable file is an empty list. */
  async definitions(): Promise<BenchmarkDefinition[]> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.uri));
    } catch {
      return [];
    }
    try {
      const content = JSON.parse(text) as Partial<BenchFileContent>;
      return (Array.isArray(content.benchmarks) ? content.benchmarks.filter(isDefinition) : []).map((definition) => this.withPaths(definition, (path) => this.absolute(path)));
    } catch {
      throw new Error(`${BENCH_FILE} is not valid JSON; fix or delete it to save definitions`);
    }
  }

  /** Adds the definition, replacing one with the same name. */
  async save(definition: BenchmarkDefinition): Promise<void> {
    const others = (await this.definitions()).filter((each) => each.name !== definition.name);
    const content: BenchFileContent = {
      version: 1,
      benchmarks: [...others, definition].map((each) => this.withPaths(each, (path) => this.relative(path))),
    };
    await vscode.workspace.fs.writeFile(this.uri, new TextEncoder().encode(`${JSON.stringify(content, null, 2)}\n`));
  }

  private withPaths(definition: BenchmarkDefinition, map: (path: string) => string): BenchmarkDefinition {
    return {
      ...definition,
      variants: definition.variants.map((variant) =>
        variant.kind === 'module' ? { ...variant, modulePath: map(variant.modulePath) } : { ...variant, manifestPath: map(variant.manifestPath) },
      ),
    };
  }

  private relative(path: string): string {
    const root = this.folder.fsPath.replace(/\/$/, '');
    return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  }

  private absolute(path: string): string {
    return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) ? path : vscode.Uri.joinPath(this.folder, path).fsPath;
  }
}
