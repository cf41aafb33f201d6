/**
 * The JSON report (`wasm-perf check --format json`). Its shape is a public contract:
 * fields are only ever added; a breaking change bumps `schemaVersion`.
 *
 * Positions: `line` and `column` are 1-based, columns count UTF-16 code units; `offset` is
 * the 0-based UTF-16 offset into the decoded file text. Binary locations carry byte offsets
 * instead. Paths are relative to `cwd` when inside it, absolute otherwise ('/'-separated).
 */
import type {
  Evidence,
  FileChange,
  Finding,
  FilePath,
  FixApplicability,
  Location,
  Notice,
  RuleMeta,
  Severity,
  SeveritySetting,
} from '../model';
import { changeBase, displayPath, spanRange, textRange, type Sources, type TextRange } from './locate';
import { countFindings, type FindingCounts } from './summary';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonReport {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  /** The directory relative paths are relative to (absolute). */
  readonly cwd: FilePath;
  readonly roots: readonly string[];
  readonly summary: FindingCounts & { readonly findings: number; readonly filesChecked: number };
  readonly findings: readonly JsonFinding[];
  /** Every registered rule with its effective severity (`off` when disabled). */
  readonly rules: readonly JsonRule[];
  readonly notices: readonly JsonNotice[];
  /** Files `--fix` changed or created, in the order they were written (empty without `--fix`). */
  readonly fixed: readonly JsonFixedFile[];
}

export interface JsonLocation {
  readonly file: string;
  /** Absolute path of `file`. */
  readonly path: FilePath;
  readonly binary: boolean;
  /** Text files: where the span starts and ends. Absent when the text could not be read. */
  readonly start?: JsonPoint;
  readonly end?: JsonPoint;
  /** Binary files: the span in bytes. */
  readonly byteOffset?: number;
  readonly byteLength?: number;
}

export interface JsonPoint {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface JsonEvidence {
  readonly message: string;
  readonly location?: JsonLocation;
}

export interface JsonEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
  /** The edit's range as line/column, when the file's text is known (always for created files). */
  readonly range?: TextRange;
}

export interface JsonFileChange {
  readonly file: string;
  readonly path: FilePath;
  readonly create: boolean;
  readonly edits: readonly JsonEdit[];
}

export interface JsonFix {
  readonly title: string;
  readonly preferred: boolean;
  /** `safe` (applied by --fix), `unsafe` (only with --unsafe-fixes) or `display-only` (never applied). */
  readonly applicability: FixApplicability;
  readonly changes: readonly JsonFileChange[];
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly detail?: string;
  readonly location: JsonLocation;
  readonly evidence: readonly JsonEvidence[];
  readonly fixes: readonly JsonFix[];
}

export interface JsonRule {
  readonly id: string;
  readonly title: string;
  readonly category: RuleMeta['category'];
  readonly defaultSeverity: Severity;
  readonly severity: SeveritySetting;
  readonly summary: string;
  readonly docs: string;
  readonly sources: readonly string[];
}

export interface JsonNotice {
  readonly kind: Notice['kind'];
  readonly file: string;
  readonly path: FilePath;
  readonly message: string;
}

export interface JsonFixedFile {
  readonly file: string;
  readonly path: FilePath;
  readonly created: boolean;
  readonly fixes: readonly string[];
}

/** What the JSON and SARIF reports are built from. */
export interface ReportInput {
  readonly tool: { readonly name: string; readonly version: string };
  readonly cwd: FilePath;
  readonly roots: readonly FilePath[];
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  readonly sources: Sources;
  /** Every registered rule, in registry order. */
  readonly rules: readonly RuleMeta[];
  /** Per-rule severity overrides in force. */
  readonly ruleSettings: Readonly<Record<string, SeveritySetting>>;
  readonly filesChecked: number;
  readonly fixed?: readonly { readonly file: FilePath; readonly created: boolean; readonly fixes: readonly string[] }[];
}

export function buildJsonReport(input: ReportInput): JsonReport {
  const where = (path: FilePath) => ({ file: displayPath(path, input.cwd), path });
  const location = (loc: Location): JsonLocation => {
    if (loc.binary) return { ...where(loc.file), binary: true, byteOffset: loc.span.start, byteLength: loc.span.end - loc.span.start };
    const range = textRange(loc, input.sources);
    return { ...where(loc.file), binary: false, ...(range ? { start: range.start, end: range.end } : {}) };
  };
  const evidence = (item: Evidence): JsonEvidence => ({
    message: item.message,
    ...(item.location ? { location: location(item.location) } : {}),
  });
  const change = (fileChange: FileChange): JsonFileChange => {
    const source = changeBase(fileChange, input.sources);
    return {
      ...where(fileChange.file),
      create: fileChange.create === true,
      edits: fileChange.edits.map((edit) => ({
        start: edit.start,
        end: edit.end,
        newText: edit.newText,
        ...(source ? { range: spanRange(source, edit) } : {}),
      })),
    };
  };
  const finding = (f: Finding): JsonFinding => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.detail !== undefined ? { detail: f.detail } : {}),
    location: location(f.location),
    evidence: f.evidence.map(evidence),
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      preferred: fix.preferred === true,
      applicability: fix.applicability,
      changes: fix.changes.map(change),
    })),
  });
  const counts = countFindings(input.findings);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: input.tool.name, version: input.tool.version },
    cwd: input.cwd,
    roots: input.roots.map((root) => displayPath(root, input.cwd)),
    summary: { findings: input.findings.length, ...counts, filesChecked: input.filesChecked },
    findings: input.findings.map(finding),
    rules: input.rules.map((meta) => ({
      id: meta.id,
      title: meta.title,
      category: meta.category,
      defaultSeverity: meta.defaultSeverity,
      severity: input.ruleSettings[meta.id] ?? meta.defaultSeverity,
      summary: meta.summary,
      docs: meta.docs,
      sources: meta.sources,
    })),
    notices: input.notices.map((notice) => ({ kind: notice.kind, ...where(notice.file), message: notice.message })),
    fixed: (input.fixed ?? []).map((file) => ({ ...where(file.file), created: file.created, fixes: file.fixes })),
  };
}
