/**
 * Where a finding is, in the numbers reports print: 1-based lines and columns (columns count
 * UTF-16 code units, like VS Code and SARIF's `utf16CodeUnits`), computed only through the
 * file's `LineIndex`, and paths relative to the directory the report is for.
 */
import type { FileChange, FilePath, Location, Span } from '../model';
import { LineIndex } from '../text/line-index';
import { isInside, relative } from '../text/paths';
import type { SourceFile } from '../workspace/reader';

export interface TextPoint {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-16 code units. */
  readonly column: number;
  /** 0-based UTF-16 offset into the decoded text. */
  readonly offset: number;
}

export interface TextRange {
  readonly start: TextPoint;
  readonly end: TextPoint;
}

export type Sources = ReadonlyMap<FilePath, SourceFile>;

/** The range of a text span, or undefined for binaries and for files whose text was not read. */
export function textRange(location: Location, sources: Sources): TextRange | undefined {
  if (location.binary) return undefined;
  const source = sources.get(location.file);
  return source ? spanRange(source, location.span) : undefined;
}

export function spanRange(source: SourceFile, span: Span): TextRange {
  const point = (offset: number): TextPoint => {
    const position = source.lines.positionAt(offset);
    return { line: position.line + 1, column: position.character + 1, offset };
  };
  return { start: point(span.start), end: point(span.end) };
}

/** `file` relative to `base` when it is inside it; otherwise the absolute path. */
export function displayPath(file: FilePath, base: FilePath): string {
  return isInside(file, base) ? relative(base, file) : file;
}

/** `path:line:col`, `file.wasm@0x1f` for binaries, or just the path when no position is known. */
export function formatLocation(location: Location, sources: Sources, base: FilePath): string {
  const path = displayPath(location.file, base);
  if (location.binary) return `${path}@0x${location.span.start.toString(16)}`;
  const range = textRange(location, sources);
  return range ? `${path}:${range.start.line}:${range.start.column}` : path;
}

/** The text a change's edits apply to: empty for a file the change creates. */
export function changeBase(change: FileChange, sources: Sources): SourceFile | undefined {
  return change.create ? { path: change.file, text: '', lines: new LineIndex('') } : sources.get(change.file);
}
