/**
 * Turns the inspector's `WasmReport` into what the report webview shows: a small summary
 * and three long tables served a page at a time. Pure and vscode-free, so it runs inside
 * the inspection worker and in unit tests.
 */
import type { ModuleReport, WasmReport } from '../../core/wasm/model';
import {
  PAGE_SIZE,
  type ExportRow,
  type FeatureRow,
  type FunctionRow,
  type ImportRow,
  type ProducerRow,
  type ReportSummary,
  type SectionRow,
  type TableName,
  type TableRows,
} from '../../protocol/wasm-report';

export interface ReportView {
  readonly summary: ReportSummary;
  /** Defined functions, largest body first. */
  readonly functions: readonly FunctionRow[];
  readonly imports: readonly ImportRow[];
  readonly exports: readonly ExportRow[];
}

const NUMERIC = new Set(['i32', 'i64', 'f32', 'f64']);

export function buildReportView(fileName: string, report: WasmReport, inspectMs: number): ReportView {
  const modules = report.modules;
  const problems = [
    ...(report.error
      ? [`Malformed at byte ${report.error.offset}: ${report.error.message}. The report shows what was read before it.`]
      : []),
    ...modules.flatMap((module) =>
      (module.customSectionProblems ?? []).map((problem) => `Custom section at byte ${problem.offset}: ${problem.message}`),
    ),
    ...(report.kind === 'component' ? [`A component with ${modules.length} core module(s); tables list them all.`] : []),
  ];
  const imports = modules.flatMap((module) =>
    module.imports.map((entry): ImportRow => ({
      module: entry.module,
      name: entry.name,
      kind: entry.kind,
      type: entry.signature ? signatureText(entry.signature) : '',
    })),
  );
  const exports = modules.flatMap((module) =>
    module.exports.map((entry): ExportRow => ({
      name: entry.name,
      kind: entry.kind,
      index: entry.index,
      type: entry.signature ? signatureText(entry.signature) : '',
      benchmarkable:
        entry.kind === 'func' &&
        entry.signature !== undefined &&
        [...entry.signature.params, ...entry.signature.results].every((type) => NUMERIC.has(type)),
    })),
  );
  const functions = modules.flatMap(functionRows).sort((a, b) => b.bodySize - a.bodySize || a.index - b.index);
  return {
    summary: {
      fileName,
      fileSize: report.fileSize,
      sections: sectionRows(report),
      features: featureRows(modules),
      producers: producerRows(modules),
      counts: {
        simd: report.totals.instructions.simd,
        bulkMemory: report.totals.instructions.bulkMemory,
        atomics: report.totals.instructions.atomics,
      },
      functionCount: report.totals.functions,
      importCount: imports.length,
      exportCount: exports.length,
      problems,
      inspectMs: Math.round(inspectMs),
    },
    functions,
    imports,
    exports,
  };
}

export function pageOf<T extends TableName>(
  view: ReportView,
  table: T,
  offset: number,
): { rows: TableRows[T][]; total: number; offset: number } {
  const rows = view[table] as readonly TableRows[T][];
  // Whole pages only; an offset past the end (a table that shrank) shows the last page.
  const start = Math.floor(Math.min(Math.max(0, offset), Math.max(0, rows.length - 1)) / PAGE_SIZE) * PAGE_SIZE;
  return { rows: rows.slice(start, start + PAGE_SIZE), total: rows.length, offset: start };
}

function signatureText(signature: { readonly params: readonly string[]; readonly results: readonly string[] }): string {
  return `(${signature.params.join(', ')}) -> ${signature.results.length === 0 ? '()' : signature.results.join(', ')}`;
}

function sectionRows(report: WasmReport): SectionRow[] {
  const sections = report.module?.sections ?? report.componentSections ?? [];
  return sections.map((section) => ({ name: section.name, offset: section.offset, size: section.size }));
}

function featureRows(modules: readonly ModuleReport[]): FeatureRow[] {
  const declared = new Set(
    modules.flatMap((module) => (module.targetFeatures ?? []).filter((feature) => feature.prefix === '+').map((feature) => feature.name)),
  );
  const used = new Set<string>(modules.flatMap((module) => module.features));
  return [...new Set([...declared, ...used])].sort().map((name) => ({ name, declared: declared.has(name), used: used.has(name) }));
}

function producerRows(modules: readonly ModuleReport[]): ProducerRow[] {
  const rows: ProducerRow[] = [];
  const seen = new Set<string>();
  for (const module of modules) {
    const producers = module.producers;
    if (!producers) continue;
    const fields: [string, typeof producers.language][] = [
      ['language', producers.language],
      ['processed-by', producers.processedBy],
      ['sdk', producers.sdk],
    ];
    for (const [field, entries] of fields) {
      for (const entry of entries) {
        const key = `${field}\0${entry.name}\0${entry.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({ field, name: entry.name, version: entry.version });
      }
    }
  }
  return rows;
}

function functionRows(module: ModuleReport): FunctionRow[] {
  const { imported, bodySizes, names } = module.functions;
  const rows: FunctionRow[] = [];
  for (let defined = 0; defined < bodySizes.length; defined++) {
    const index = imported + defined;
    const name = names.get(index);
    rows.push({ index, name: name !== undefined && !repeatsIndex(name, index, defined) ? name : '', bodySize: bodySizes[defined] ?? 0 });
  }
  return rows;
}

/**
 * A name that only repeats the function's index ("f12", "$func12", "func[12]", "12"), as
 * wat2wasm and some toolchains write for unnamed functions: it says nothing the index does not.
 */
export function repeatsIndex(name: string, index: number, defined: number): boolean {
  const match = /^\$?(?:func|function|fn|f)?[\s_[-]*(\d+)\]?$/i.exec(name);
  return match !== null && [index, defined].includes(Number(match[1]));
}
