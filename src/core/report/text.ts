/**
 * Compiler-style text output (rustc/clippy layout):
 *
 *   Cargo.toml:5:13: warning[opt-level-size]: opt-level "s" trades speed for size
 *     |
 *   5 | opt-level = "s"
 *     |             ^^^
 *     = note: a finding-specific detail
 *     = note: evidence with a location
 *       --> .cargo/config.toml:3:1
 *     = help: Use opt-level = 3 (unsafe fix: applied only with --unsafe-fixes)
 *     = note: for more information: wasm-perf explain opt-level-size
 */
import type { Finding, FilePath, Fix, Notice, Severity, Span } from '../model';
import type { SourceFile } from '../workspace/reader';
import { printable, renderLine } from './display';
import { displayPath, formatLocation, spanRange, type Sources } from './locate';
import { countFindings, describeCounts, describeFileCount, type FindingCounts } from './summary';

export interface TextReportOptions {
  /** Paths are printed relative to this directory. */
  readonly cwd: FilePath;
  /** Use ANSI colours (the caller decides: a TTY and no NO_COLOR). */
  readonly color: boolean;
}

type Paint = (text: string) => string;

interface Palette {
  readonly severity: Record<Severity, Paint>;
  readonly gutter: Paint;
  readonly bold: Paint;
  readonly help: Paint;
}

const sgr =
  (open: string): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[0m`;
const plain: Paint = (text) => text;

function palette(color: boolean): Palette {
  if (!color) return { severity: { error: plain, warning: plain, info: plain }, gutter: plain, bold: plain, help: plain };
  return {
    severity: { error: sgr('1;31'), warning: sgr('1;33'), info: sgr('1;36') },
    gutter: sgr('1;34'),
    bold: sgr('1'),
    help: sgr('1;32'),
  };
}

export function formatFindingText(finding: Finding, sources: Sources, options: TextReportOptions): string {
  const paint = palette(options.color);
  const location = printable(formatLocation(finding.location, sources, options.cwd));
  const severity = paint.severity[finding.severity];
  const lines = [
    `${paint.bold(`${location}:`)} ${severity(`${finding.severity}[${finding.ruleId}]`)}${paint.bold(`: ${printable(finding.message)}`)}`,
  ];

  const source = finding.location.binary ? undefined : sources.get(finding.location.file);
  const snippet = source ? sourceSnippet(source, finding.location.span, severity) : [];
  const lastLine = snippet.reduce((max, row) => Math.max(max, row.line ?? 0), 0);
  const pad = ' '.repeat(Math.max(1, String(lastLine).length));
  const bar = paint.gutter('|');
  if (snippet.length > 0) {
    lines.push(`${pad} ${bar}`);
    for (const row of snippet) {
      const number = row.line === undefined ? (row.ellipsis ? '...' : pad) : String(row.line).padStart(pad.length);
      lines.push(`${paint.gutter(number)} ${bar}${row.text ? ` ${row.text}` : ''}`);
    }
  }
  const note = (label: string, text: string, painter: Paint = paint.bold) =>
    `${pad} ${paint.gutter('=')} ${painter(`${label}:`)} ${indentContinuation(text, pad.length + 3 + label.length + 2)}`;
  if (finding.detail) lines.push(note('note', finding.detail));
  for (const evidence of finding.evidence) {
    lines.push(note('note', evidence.message));
    if (evidence.location)
      lines.push(`${pad}   ${paint.gutter('-->')} ${printable(formatLocation(evidence.location, sources, options.cwd))}`);
  }
  const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
  if (fix) lines.push(note('help', describeFix(fix), paint.help));
  lines.push(note('note', `for more information: wasm-perf explain ${finding.ruleId}`));
  return `${lines.join('\n')}\n`;
}

/** A fix's title and, unless `--fix` applies it, what it takes to apply it. */
function describeFix(fix: Fix): string {
  switch (fix.applicability) {
    case 'safe':
      return fix.preferred ? fix.title : `${fix.title} (not applied by --fix)`;
    case 'unsafe':
      return `${fix.title} (unsafe fix: applied only with --unsafe-fixes)`;
    case 'display-only':
      return `${fix.title} (suggestion: never applied automatically)`;
  }
}

/** The whole text report on stdout: every finding, a blank line after each, then the summary unless `quiet`. */
export function formatTextReport(
  findings: readonly Finding[],
  sources: Sources,
  options: TextReportOptions & { readonly quiet: boolean; readonly filesChecked: number },
): string {
  const body = findings.map((finding) => `${formatFindingText(finding, sources, options)}\n`).join('');
  const summary = options.quiet
    ? ''
    : formatSummaryText({ counts: countFindings(findings), filesChecked: options.filesChecked, color: options.color });
  return body + summary;
}

/** Makes each line of a note printable and aligns the continuation lines under the first. */
function indentContinuation(text: string, width: number): string {
  return text
    .split(/\r?\n/)
    .map(printable)
    .join(`\n${' '.repeat(width)}`);
}

interface SnippetRow {
  readonly line?: number;
  readonly ellipsis?: boolean;
  readonly text: string;
}

/** The first line of the span underlined; for a multi-line span also its last line. */
function sourceSnippet(source: SourceFile, span: Span, paint: Paint): SnippetRow[] {
  const range = spanRange(source, span);
  const rows: SnippetRow[] = [];
  const underline = (line: number, from: number, to: number) => {
    const rendered = renderLine(source.lines.lineText(line - 1), from, to);
    rows.push({ line, text: rendered.text });
    rows.push({ text: `${' '.repeat(rendered.underlineStart)}${paint('^'.repeat(rendered.underlineWidth))}` });
  };
  const firstLineLength = source.lines.lineText(range.start.line - 1).length;
  if (range.end.line === range.start.line) {
    underline(range.start.line, range.start.column - 1, range.end.column - 1);
    return rows;
  }
  underline(range.start.line, range.start.column - 1, firstLineLength);
  if (range.end.line > range.start.line + 1) rows.push({ ellipsis: true, text: '' });
  // A span that ends at the very start of a line ends with the line break before it.
  if (range.end.column > 1) {
    const lastText = source.lines.lineText(range.end.line - 1);
    const indent = /^[ \t]*/.exec(lastText)![0].length;
    underline(range.end.line, Math.min(indent, range.end.column - 1), range.end.column - 1);
  }
  return rows;
}

export interface TextSummaryInput {
  readonly counts: FindingCounts;
  readonly filesChecked: number;
  readonly color: boolean;
}

/** The closing line: `wasm-perf: 1 error, 2 warnings in 4 files (2 fixable with --fix, 1 more with --unsafe-fixes)`. */
export function formatSummaryText(input: TextSummaryInput): string {
  const paint = palette(input.color);
  const { fixable: safe, unsafeFixable } = input.counts;
  const parts = [
    ...(safe > 0 ? [`${safe} fixable with --fix`] : []),
    ...(unsafeFixable > 0 ? [`${unsafeFixable} ${safe > 0 ? 'more ' : ''}with --unsafe-fixes`] : []),
  ];
  const fixable = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `${paint.bold('wasm-perf:')} ${describeCounts(input.counts)} in ${describeFileCount(input.filesChecked)}${fixable}\n`;
}

/** One stderr line for a notice: `wasm-perf: notice: target/big.wasm: skipped: …`. */
export function formatNoticeText(notice: Notice, cwd: FilePath): string {
  const label = notice.kind === 'internal' ? 'internal error' : 'notice';
  // A notice about the whole run is filed under the root; from the root itself, "./" says nothing.
  const where = displayPath(notice.file, cwd);
  return `wasm-perf: ${label}: ${where === '.' ? '' : `${printable(where)}: `}${printable(notice.message)}\n`;
}
