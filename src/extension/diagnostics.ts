/**
 * Findings → `vscode.Diagnostic`s. Positions come only from the `LineIndex` of the text the
 * engine analysed (`AnalysisResult.sources`), never from a document that may have moved on.
 */
import * as vscode from 'vscode';
import type { Finding, FilePath, Location, Severity } from '../core/model';
import type { SourceFile } from '../core/workspace/reader';
import type { PathMapper } from './paths';
import { ruleDocsCommandUri } from './rule-docs';

export const DIAGNOSTIC_SOURCE = 'wasm-perf';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export type Sources = ReadonlyMap<FilePath, SourceFile>;

/** Text spans become ranges; binary locations (and files whose text is unknown) sit at 0:0. */
export function rangeOf(location: Location, sources: Sources): vscode.Range {
  const source = location.binary ? undefined : sources.get(location.file);
  if (!source) return new vscode.Range(0, 0, 0, 0);
  const start = source.lines.positionAt(location.span.start);
  const end = source.lines.positionAt(location.span.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function hex(offset: number): string {
  return `0x${offset.toString(16)}`;
}

export function diagnosticMessage(finding: Finding): string {
  const parts = [
    finding.location.binary
      ? `${finding.message} (${vscode.l10n.t('at byte offset {0}', hex(finding.location.span.start))})`
      : finding.message,
  ];
  if (finding.detail) parts.push(finding.detail);
  // Evidence without a place in a file has no relatedInformation slot, so it joins the message.
  // (Skipping evidence the detail already says.)
  for (const evidence of finding.evidence) {
    if (!evidence.location && !finding.detail?.includes(evidence.message)) parts.push(`• ${evidence.message}`);
  }
  // Messages carry no final period; with more lines after them, one keeps the Problems
  // panel (which shows everything on one line) readable as sentences.
  if (parts.length > 1 && !/[.!?:]$/.test(parts[0]!)) parts[0] = `${parts[0]}.`;
  return parts.join('\n');
}

export function toDiagnostic(finding: Finding, sources: Sources, mapper: PathMapper): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(rangeOf(finding.location, sources), diagnosticMessage(finding), SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: ruleDocsCommandUri(finding.ruleId) };
  const related = finding.evidence.flatMap((evidence) => {
    if (!evidence.location) return [];
    const message = evidence.location.binary
      ? `${evidence.message} (${vscode.l10n.t('at byte offset {0}', hex(evidence.location.span.start))})`
      : evidence.message;
    return [
      new vscode.DiagnosticRelatedInformation(
        new vscode.Location(mapper.toUri(evidence.location.file), rangeOf(evidence.location, sources)),
        message,
      ),
    ];
  });
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

/** Identifies a diagnostic across the extension-host boundary, where object identity is lost. */
export function diagnosticKey(diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  const { start, end } = diagnostic.range;
  return `${String(code)}\0${start.line}:${start.character}-${end.line}:${end.character}\0${diagnostic.message}`;
}

/** Everything the Problems panel shows for a diagnostic, to skip re-publishing unchanged files. */
export function diagnosticFingerprint(diagnostic: vscode.Diagnostic): string {
  const related = (diagnostic.relatedInformation ?? []).map((r) => {
    const { start, end } = r.location.range;
    return `${r.location.uri.toString()}@${start.line}:${start.character}-${end.line}:${end.character}:${r.message}`;
  });
  return `${diagnosticKey(diagnostic)}\0${diagnostic.severity}\0${related.join('\u0001')}`;
}
