/**
 * The analysis pipeline over the areas it is given: discovers files, loads each area's model,
 * runs every enabled rule over it, then applies severities and suppressions. It never imports
 * `vscode` and never writes a file.
 *
 * `Analyzer` (engine.ts) gives it every area and rule. `wasm-perf inspect` gives it only the
 * binaries and their rules: this file imports no area, so the inspect bundle leaves out the
 * TOML parser, the Cargo model and host-code parsing (half of its size, and of its load time).
 */
import type { CrateCode } from './cargo/crate-code';
import { emptyCargoModel, type CargoModel } from './cargo/model';
import { describeError, type Assets, type Host } from './host';
import { emptyHostCodeModel, type HostCodeModel } from './hostcode/model';
import { SEVERITY_RANK, type Evidence, type Finding, type FilePath, type Location, type Notice, type RuleMeta } from './model';
import type { Rule } from './rules/rule';
import { withDefaults, type AnalyzerSettings } from './settings';
import { isSuppressed } from './suppress';
import { loadBinaries } from './wasm/load';
import { emptyBinaryModel, type BinaryModel } from './wasm/model';
import { DerivedCache } from './workspace/cache';
import { discover } from './workspace/discover';
import type { LoadContext } from './workspace/load-context';
import type { WorkspaceModel } from './workspace/model';
import { FileReader, type SourceFile } from './workspace/reader';

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  /** The text of every text file read, for turning spans into positions. */
  readonly sources: ReadonlyMap<FilePath, SourceFile>;
  readonly model: WorkspaceModel;
  /** Metadata of the rules the engine ran (hosts read fix applicability and measurability from it). */
  readonly rules: readonly RuleMeta[];
}

export interface AnalyzeOptions {
  readonly signal?: AbortSignal;
  /**
   * Only these files' contents changed since the previous analysis of the same roots, and no
   * file was created or deleted (an editor keystroke). The engine then reuses the previous
   * file list, every other file's text, and the binaries' reports when no binary changed.
   * Omit it after creations, deletions or anything unknown: the analysis starts afresh.
   */
  readonly changed?: readonly FilePath[];
  /** Called between phases, for progress display in long scans. */
  readonly onProgress?: (phase: string) => void;
}

/** The loaders of the areas besides binaries; an area without one is analysed as empty. */
export interface AreaLoaders {
  readonly cargo?: (context: LoadContext) => Promise<CargoModel>;
  readonly crateCode?: (context: LoadContext, cargo: CargoModel) => Promise<ReadonlyMap<FilePath, CrateCode>>;
  readonly hostCode?: (context: LoadContext, cargo: CargoModel) => Promise<HostCodeModel>;
}

interface PreviousAnalysis {
  readonly rootsKey: string;
  readonly discovered: Awaited<ReturnType<typeof discover>>;
  readonly reader: FileReader;
  readonly binaries: BinaryModel;
}

export class AreaAnalyzer {
  private readonly cache = new DerivedCache();
  private settings: AnalyzerSettings;
  private previous: PreviousAnalysis | undefined;

  constructor(
    private readonly host: Host,
    settings: Partial<AnalyzerSettings> | undefined,
    private readonly assets: Assets,
    private readonly rules: readonly Rule[],
    private readonly areas: AreaLoaders,
  ) {
    this.settings = withDefaults(settings);
  }

  updateSettings(settings: Partial<AnalyzerSettings>): void {
    this.settings = withDefaults(settings);
    this.previous = undefined;
  }

  /** Drop derived data for files that were deleted or replaced; the next analysis starts afresh. */
  forget(paths: Iterable<FilePath>): void {
    this.cache.forget(paths);
    this.previous = undefined;
  }

  async analyze(roots: readonly FilePath[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
    const notices: Notice[] = [];
    const rootsKey = roots.join('\0');
    const previous = options.changed !== undefined && this.previous?.rootsKey === rootsKey ? this.previous : undefined;
    options.onProgress?.('discovering files');
    const discovered =
      previous?.discovered ??
      (await discover(this.host, roots, { exclude: this.settings.exclude, ...(options.signal ? { signal: options.signal } : {}) }));
    notices.push(...discovered.notices);
    const reader = previous ? previous.reader.withChanges(options.changed ?? []) : new FileReader(this.host, this.settings.maxTextBytes);
    const binariesUnchanged = previous !== undefined && !(options.changed ?? []).some((path) => discovered.files.binaries.includes(path));
    const context: LoadContext = {
      host: this.host,
      files: discovered.files,
      reader,
      settings: this.settings,
      assets: this.assets,
      cache: this.cache,
      ...(options.signal ? { signal: options.signal } : {}),
      notice: (notice) => notices.push(notice),
      ...(options.onProgress ? { progress: options.onProgress } : {}),
    };

    options.onProgress?.('reading cargo manifests and config');
    const { cargo: loadCargo, crateCode: loadCrateCode, hostCode: loadHostCode } = this.areas;
    const cargo = loadCargo ? await guard('cargo', () => loadCargo(context), notices, emptyCargoModel()) : emptyCargoModel();
    const crateCode = loadCrateCode ? await guard('wasm crate code', () => loadCrateCode(context, cargo), notices, new Map()) : new Map();
    options.onProgress?.('parsing host code');
    const hostCode = loadHostCode
      ? await guard('host code', () => loadHostCode(context, cargo), notices, emptyHostCodeModel())
      : emptyHostCodeModel();
    options.onProgress?.('inspecting binaries');
    const binaries = !this.settings.analyzeBinaries
      ? emptyBinaryModel(discovered.files.binaries.length)
      : binariesUnchanged
        ? previous.binaries
        : await guard('binaries', () => loadBinaries(context), notices, emptyBinaryModel());
    const scripts: SourceFile[] = [];
    for (const path of discovered.files.scripts) {
      const result = await reader.readText(path);
      if (result.ok) scripts.push(result.file);
    }

    const model: WorkspaceModel = {
      roots,
      files: discovered.files,
      env: this.host.env,
      platform: this.host.platform,
      includeTests: this.settings.includeTests,
      cargo,
      crateCode,
      hostCode,
      binaries,
      scripts,
    };
    const sources = await reader.sources();
    this.previous = options.signal?.aborted ? undefined : { rootsKey, discovered, reader, binaries };
    options.onProgress?.('running rules');
    const findings = this.runRules(model, sources, notices);
    return { findings, notices, sources, model, rules: this.rules.map((rule) => rule.meta) };
  }

  private runRules(model: WorkspaceModel, sources: ReadonlyMap<FilePath, SourceFile>, notices: Notice[]): Finding[] {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      const configured = this.settings.rules[rule.meta.id];
      if (configured === 'off') continue;
      try {
        rule.check({
          workspace: model,
          report: (raw) => {
            const finding: Finding = {
              ...raw,
              ruleId: rule.meta.id,
              severity: configured ?? raw.severity ?? rule.meta.defaultSeverity,
              evidence: withoutPrimarySpan(raw.evidence ?? [], raw.location),
              fixes: raw.fixes ?? [],
            };
            const key = `${finding.ruleId}\0${finding.location.file}\0${finding.location.span.start}\0${finding.location.span.end}\0${finding.message}`;
            if (seen.has(key)) return;
            seen.add(key);
            if (isSuppressed(finding, sources.get(finding.location.file))) return;
            findings.push(finding);
          },
        });
      } catch (error) {
        notices.push({ file: model.roots[0] ?? '/', kind: 'internal', message: `rule ${rule.meta.id} failed: ${describeError(error)}` });
      }
    }
    return findings.sort(compareFindings);
  }
}

/**
 * Evidence repeats nothing the primary location already shows: a note that points at the
 * finding's own span would only print the same line twice (rustc never does).
 */
function withoutPrimarySpan(evidence: readonly Evidence[], primary: Location): readonly Evidence[] {
  return evidence.filter(
    (item) =>
      !item.location ||
      item.location.file !== primary.file ||
      item.location.span.start !== primary.span.start ||
      item.location.span.end !== primary.span.end,
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return (
    a.location.span.start - b.location.span.start ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

async function guard<T>(area: string, load: () => Promise<T>, notices: Notice[], fallback: T): Promise<T> {
  try {
    return await load();
  } catch (error) {
    notices.push({ file: '/', kind: 'internal', message: `${area} analysis failed: ${describeError(error)}` });
    return fallback;
  }
}
