/**
 * The .wasm report editor's message protocol, imported by the extension
 * (src/extension/panels/wasm-report*.ts) and the webview (src/webview/wasm-report.main.ts).
 *
 * The report streams: a small `summary` first, then the long tables (functions, imports,
 * exports) one page at a time on request, so a module with 100 000 functions never crosses
 * postMessage whole.
 */
import type { ReadyMessage } from './channel';

export interface SectionRow {
  /** "code", "data", "custom: name", … */
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

export interface FeatureRow {
  readonly name: string;
  /** In the target_features custom section. */
  readonly declared: boolean;
  /** Instructions or types of the feature appear in the code. */
  readonly used: boolean;
}

export interface ProducerRow {
  /** "language", "processed-by", "sdk". */
  readonly field: string;
  readonly name: string;
  readonly version: string;
}

export interface ReportSummary {
  readonly fileName: string;
  readonly fileSize: number;
  readonly sections: readonly SectionRow[];
  readonly features: readonly FeatureRow[];
  readonly producers: readonly ProducerRow[];
  readonly counts: {
    readonly simd: number;
    readonly bulkMemory: number;
    readonly atomics: number;
  };
  readonly functionCount: number;
  readonly importCount: number;
  readonly exportCount: number;
  /** Problems met while reading (truncated section, malformed body); the rest of the report still shows. */
  readonly problems: readonly string[];
  /** Milliseconds spent inspecting, shown for transparency on huge files. */
  readonly inspectMs: number;
}

export interface FunctionRow {
  /** Index in the function index space (imports first). */
  readonly index: number;
  /** From the name section; empty when the module does not name it (or names it only by its index). */
  readonly name: string;
  readonly bodySize: number;
}

export interface ImportRow {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
  readonly type: string;
}

export interface ExportRow {
  readonly name: string;
  readonly kind: string;
  readonly index: number;
  readonly type: string;
  /** Only functions with number parameters and results can be benchmarked from JS. */
  readonly benchmarkable: boolean;
}

export interface FindingRow {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly detail?: string;
}

export type TableName = 'functions' | 'imports' | 'exports';

export interface TableRows {
  readonly functions: FunctionRow;
  readonly imports: ImportRow;
  readonly exports: ExportRow;
}

export const PAGE_SIZE = 100;

// ---- extension → webview ----

export type ToReportWebview =
  | { readonly type: 'loading'; readonly fileName: string; readonly fileSize: number }
  | { readonly type: 'summary'; readonly summary: ReportSummary }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'page';
      readonly table: TableName;
      readonly offset: number;
      readonly total: number;
      readonly rows: readonly TableRows[TableName][];
    }
  | { readonly type: 'findings'; readonly findings: readonly FindingRow[]; readonly error?: string }
  | { readonly type: 'functionText'; readonly index: number; readonly text?: string; readonly error?: string };

// ---- webview → extension ----

export type FromReportWebview =
  | ReadyMessage
  | { readonly type: 'page'; readonly table: TableName; readonly offset: number }
  | { readonly type: 'functionText'; readonly index: number }
  /** Opens the function's text in a read-only editor tab (language `wat`, highlighted). */
  | { readonly type: 'openFunctionText'; readonly index: number }
  | { readonly type: 'benchmark'; readonly exportName: string };
