/**
 * Where benchmark runs and definitions live: finished runs per workspace (workspaceState,
 * newest first, bounded), and definitions the user saves in `wasm-perf.bench.json` at the
 * workspace root, with paths relative to it so the file can be committed.
 */
import * as vscode from 'vscode';
import type { BenchmarkDefinition, BenchmarkRun, VariantSpec } from '../../protocol/benchmark';
import type { LoadEngine } from '../engine-loader';
import type { MeasuredResult } from '../../bench/bench-file';
import { measuredOf, toFileEntry, toPanelDefinition, withEntry } from './bench-file-format';

const HISTORY_KEY = 'wasm-perf.benchmark.history';
const MAX_RUNS = 20;
/**
 * The engine's BENCH_FILE_NAME (src/bench/bench-file.ts), spelled out: importing even a
 * constant from there would bundle its TOML parser into extension.js. A test keeps the two equal.
 */
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
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof run.id === 'string' &&
    Array.isArray(run.results) &&
    Array.isArray(run.ratios) &&
    isDefinition(run.definition)
  );
}

function isDefinition(value: unknown): value is BenchmarkDefinition {
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
    (definition.setupExport === undefined || typeof definition.setupExport === 'string') &&
    (definition.finding === undefined || typeof definition.finding === 'string')
  );
}

function isVariant(value: unknown): value is VariantSpec {
  const variant = value as VariantSpec;
  if (typeof value !== 'object' || value === null || typeof variant.label !== 'string') return false;
  if (variant.kind === 'module') return typeof variant.modulePath === 'string';
  return (
    variant.kind === 'build' && typeof variant.manifestPath === 'string' && typeof variant.flags === 'object' && variant.flags !== null
  );
}

export interface SavedMeasurement {
  readonly finding: string;
  /** The crate's Cargo.toml (absolute). */
  readonly manifestPath: string;
  readonly exportName: string;
  readonly measured: MeasuredResult;
}

export interface SavedDefinitions {
  readonly definitions: BenchmarkDefinition[];
  /** Entries the panel cannot show, with the reason. */
  readonly skipped: string[];
}

/**
 * `wasm-perf.bench.json` in one workspace folder, in the engine's format (the CLI runs the
 * same file with `wasm-perf bench --file`), read and checked by the engine's own reader.
 */
export class BenchFile {
  constructor(
    private readonly folder: vscode.Uri,
    private readonly loadEngine: LoadEngine,
  ) {}

  get uri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, BENCH_FILE);
  }

  /** The saved definitions; a missing file has none, an invalid one throws with every problem. */
  async definitions(): Promise<SavedDefinitions> {
    const text = await this.text();
    if (text === undefined) return { definitions: [], skipped: [] };
    const parsed = (await this.loadEngine()).parseBenchFile(text, this.uri.fsPath);
    const definitions: BenchmarkDefinition[] = [];
    const skipped: string[] = [];
    for (const entry of parsed.benchmarks) {
      const definition = toPanelDefinition(entry, (path) => vscode.workspace.asRelativePath(path, false));
      if (typeof definition === 'string') skipped.push(definition);
      else definitions.push(definition);
    }
    return { definitions, skipped };
  }

  /** Adds the definition, or replaces the one with the same name; everything else in the file stays. */
  async save(definition: BenchmarkDefinition): Promise<void> {
    const entry = toFileEntry(definition, (path) => this.relative(path));
    if (typeof entry === 'string') throw new Error(entry);
    await this.write(entry);
  }

  /** Saves the run's definition with its result (`measured`), so the result outlives the window. */
  async saveMeasurement(run: BenchmarkRun): Promise<void> {
    const entry = toFileEntry(run.definition, (path) => this.relative(path));
    if (typeof entry === 'string') throw new Error(entry);
    const measured = measuredOf(run);
    if (!measured) throw new Error(`"${run.definition.name}" has no comparison to keep`);
    await this.write({ ...entry, measured: { ...measured } });
  }

  /** The kept results of measured findings, by rule and crate manifest. */
  async measurements(): Promise<SavedMeasurement[]> {
    const text = await this.text();
    if (text === undefined) return [];
    const parsed = (await this.loadEngine()).parseBenchFile(text, this.uri.fsPath);
    return parsed.benchmarks.flatMap((entry) =>
      entry.kind === 'crate' && entry.finding && entry.measured
        ? [
            {
              finding: entry.finding,
              manifestPath: `${entry.crate.replace(/\/$/, '')}/Cargo.toml`,
              exportName: entry.export,
              measured: entry.measured,
            },
          ]
        : [],
    );
  }

  private async write(entry: Parameters<typeof withEntry>[1]): Promise<void> {
    const next = withEntry(await this.text(), entry);
    // Check with the engine's own reader before writing: the CLI must accept what we save.
    (await this.loadEngine()).parseBenchFile(next, this.uri.fsPath);
    await vscode.workspace.fs.writeFile(this.uri, new TextEncoder().encode(next));
  }

  private async text(): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(this.uri));
    } catch {
      return undefined;
    }
  }

  private relative(path: string): string {
    const root = this.folder.fsPath.replace(/\/$/, '');
    if (path === root) return '';
    return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  }
}
