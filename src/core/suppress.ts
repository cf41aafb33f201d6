/**
 * In-source suppressions: `# wasm-perf: allow(opt-level-size)` or
 * `// wasm-perf: allow(wasmtime-native-unwind-info, wasmtime-engine-per-module)` in a
 * comment on the finding's line, or on a comment-only line directly above it.
 * `allow(all)` silences every rule there.
 */
import type { Finding, Fix } from './model';
import type { SourceFile } from './workspace/reader';

const MARKER = /(?:#|\/\/|\/\*)\s*wasm-perf:\s*allow\(([^)]*)\)/;

function allowedOn(line: string): string[] {
  const match = MARKER.exec(line);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

function isCommentOnly(line: string): boolean {
  return /^\s*(#|\/\/|\/\*)/.test(line);
}

export function isSuppressed(finding: Finding, source: SourceFile | undefined): boolean {
  if (!source || finding.location.binary) return false;
  const line = source.lines.positionAt(finding.location.span.start).line;
  const ids = [...allowedOn(source.lines.lineText(line))];
  if (line > 0 && isCommentOnly(source.lines.lineText(line - 1))) ids.push(...allowedOn(source.lines.lineText(line - 1)));
  return ids.includes(finding.ruleId) || ids.includes('all');
}

/** The comment leader for a file, or undefined where no line comment exists (binaries, JSON). */
export function commentPrefix(path: string): string | undefined {
  if (
    /\.(toml|py|ya?ml|sh|mk)$/.test(path) ||
    /(^|\/)(Makefile|makefile|GNUmakefile|[Jj]ustfile|Dockerfile|rust-toolchain|config)$/.test(path)
  )
    return '#';
  if (/\.(rs|go|c|h|cc|cpp|cxx|hpp|hh|ts|js)$/.test(path)) return '//';
  return undefined;
}

/**
 * A fix that silences `finding` where it is: it extends an existing `allow(...)` comment
 * directly above, or inserts one with the line's indentation.
 */
export function suppressionFix(finding: Finding, source: SourceFile): Fix | undefined {
  const prefix = commentPrefix(source.path);
  if (!prefix || finding.location.binary) return undefined;
  const { lines } = source;
  const line = lines.positionAt(finding.location.span.start).line;
  if (line > 0) {
    const above = lines.lineText(line - 1);
    const match = MARKER.exec(above);
    if (match && isCommentOnly(above)) {
      const ids = allowedOn(above);
      if (ids.includes(finding.ruleId)) return undefined;
      const closeParen = lines.lineStart(line - 1) + match.index + match[0].length - 1;
      const separator = ids.length > 0 ? ', ' : '';
      return {
        title: `Silence ${finding.ruleId} on this line`,
        applicability: 'safe',
        changes: [{ file: source.path, edits: [{ start: closeParen, end: closeParen, newText: `${separator}${finding.ruleId}` }] }],
      };
    }
  }
  const text = lines.lineText(line);
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  const start = lines.lineStart(line);
  return {
    title: `Silence ${finding.ruleId} on this line`,
    applicability: 'safe',
    changes: [
      { file: source.path, edits: [{ start, end: start, newText: `${indent}${prefix} wasm-perf: allow(${finding.ruleId})${eol}` }] },
    ],
  };
}
