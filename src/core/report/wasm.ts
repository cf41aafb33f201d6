/**
 * `wasm-perf inspect` output for one binary: a readable text summary and a JSON form of the
 * `WasmReport` (typed arrays and maps turned into plain JSON).
 */
import type {
  FunctionSignature,
  InstructionCounts,
  ModuleReport,
  ProducerEntry,
  WasmExport,
  WasmFeature,
  WasmImport,
  WasmReport,
  WasmSection,
} from '../wasm/model';
import { printable } from './display';

/** How many imports/exports the text form lists before summarising the rest. */
const LIST_LIMIT = 40;

export interface FeatureComparison {
  readonly used: readonly WasmFeature[];
  /** `+` entries of `target_features`; undefined when the section is absent (stripped). */
  readonly declared?: readonly string[];
  readonly usedNotDeclared: readonly WasmFeature[];
  readonly declaredNotUsed: readonly string[];
}

export function compareFeatures(module: ModuleReport): FeatureComparison {
  const used = module.features;
  if (!module.targetFeatures) return { used, usedNotDeclared: [], declaredNotUsed: [] };
  const declared = module.targetFeatures.filter((f) => f.prefix === '+').map((f) => f.name);
  return {
    used,
    declared,
    usedNotDeclared: used.filter((f) => !declared.includes(f)),
    declaredNotUsed: declared.filter((f) => !(used as readonly string[]).includes(f)),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

const hex = (offset: number) => `0x${offset.toString(16)}`;

function signature(sig: FunctionSignature | undefined): string {
  if (!sig) return '';
  const results = sig.results.length === 0 ? '' : ` -> ${sig.results.length === 1 ? sig.results[0] : `(${sig.results.join(', ')})`}`;
  return ` (${sig.params.join(', ')})${results}`;
}

function sectionLines(sections: readonly WasmSection[]): string[] {
  const nameWidth = Math.max(8, ...sections.map((s) => printable(s.name).length));
  return sections.map(
    (s) => `  ${printable(s.name).padEnd(nameWidth)}  ${hex(s.offset).padStart(10)}  ${formatBytes(s.size).padStart(10)}`,
  );
}

function listed<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return [`${title}: none`];
  const shown = items.slice(0, LIST_LIMIT).map((item) => `  ${line(item)}`);
  if (items.length > LIST_LIMIT) shown.push(`  … and ${items.length - LIST_LIMIT} more (--json lists all)`);
  return [`${title} (${items.length}):`, ...shown];
}

function producerLine(label: string, entries: readonly ProducerEntry[]): string[] {
  return entries.length === 0
    ? []
    : [`  ${label}: ${entries.map((e) => printable(`${e.name}${e.version ? ` ${e.version}` : ''}`)).join(', ')}`];
}

function instructionLine(counts: InstructionCounts): string {
  return `Instructions: ${counts.total} total, ${counts.simd} SIMD (${counts.relaxedSimd} relaxed), ${counts.bulkMemory} bulk-memory/saturating, ${counts.atomics} atomic, ${counts.gc} GC`;
}

function moduleLines(module: ModuleReport): string[] {
  const lines = ['Sections:', ...sectionLines(module.sections), ''];
  const features = compareFeatures(module);
  lines.push('Features:', `  used:     ${features.used.join(', ') || 'none beyond the MVP'}`);
  if (!features.declared) lines.push('  declared: unknown (no target_features section; it is often stripped)');
  else {
    lines.push(`  declared: ${features.declared.map(printable).join(', ') || 'none'} (target_features)`);
    if (features.usedNotDeclared.length > 0) lines.push(`  used but not declared: ${features.usedNotDeclared.join(', ')}`);
    if (features.declaredNotUsed.length > 0) lines.push(`  declared but not used: ${features.declaredNotUsed.map(printable).join(', ')}`);
  }
  lines.push('');
  if (module.producers) {
    lines.push(
      'Producers:',
      ...producerLine('language', module.producers.language),
      ...producerLine('processed-by', module.producers.processedBy),
      ...producerLine('sdk', module.producers.sdk),
      '',
    );
  } else lines.push('Producers: none (no producers section)', '');
  lines.push(instructionLine(module.instructions));
  if (module.debugBytes > 0)
    lines.push(`Debug info: ${formatBytes(module.debugBytes)} in ${module.debugSections.length} .debug_* sections`);
  lines.push('', `Functions: ${module.functions.count} (${module.functions.imported} imported)`);
  if (module.functions.largest.length > 0) {
    lines.push('Largest functions:');
    for (const f of module.functions.largest) {
      lines.push(`  ${formatBytes(f.size).padStart(10)}  func[${f.index}]${f.name ? ` ${printable(f.name)}` : ''}  @${hex(f.offset)}`);
    }
  }
  lines.push('');
  lines.push(
    ...listed('Imports', module.imports, (i: WasmImport) => `${printable(`${i.module}.${i.name}`)}  ${i.kind}${signature(i.signature)}`),
  );
  lines.push(
    ...listed('Exports', module.exports, (e: WasmExport) => `${printable(e.name)}  ${e.kind}[${e.index}]${signature(e.signature)}`),
  );
  return lines;
}

/** The text form of a report; `title` is the file as the user named it. */
export function formatWasmReportText(report: WasmReport, title: string): string {
  const kind = report.kind === 'component' ? 'component' : 'core module';
  const lines = [`${printable(title)}: ${kind}, version ${report.version}, ${formatBytes(report.fileSize)} (${report.fileSize} bytes)`];
  if (report.error)
    lines.push(`malformed: ${printable(report.error.message)} at ${hex(report.error.offset)} (what follows decoded before it)`);
  lines.push('');
  if (report.kind === 'module' && report.module) lines.push(...moduleLines(report.module));
  else if (report.kind === 'component') {
    lines.push('Component sections:', ...sectionLines(report.componentSections ?? []), '');
    lines.push(
      `Totals: ${report.totals.functions} functions, ${formatBytes(report.totals.codeBytes)} of code, features: ${report.totals.features.join(', ') || 'none beyond the MVP'}`,
    );
    report.modules.forEach((module, index) => {
      lines.push(
        '',
        `── core module ${index + 1} of ${report.modules.length} at ${hex(module.offset)} (${formatBytes(module.size)}) ──`,
        ...moduleLines(module),
      );
    });
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** JSON-safe module report: body size/offset arrays and the name map are left out (large). */
export function moduleToJson(module: ModuleReport): object {
  const { functions, ...rest } = module;
  return {
    ...rest,
    functions: { count: functions.count, imported: functions.imported, named: functions.names.size, largest: functions.largest },
  };
}

/** `modules` holds the module itself for a core module, so `module` is not repeated. */
export function wasmReportToJson(report: WasmReport): object {
  const { module: _sameAsFirstModule, modules, ...rest } = report;
  return { ...rest, modules: modules.map(moduleToJson) };
}
