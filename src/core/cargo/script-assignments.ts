/**
 * Finds `RUSTFLAGS` / `CARGO_ENCODED_RUSTFLAGS` assignments in CI workflows, Makefiles,
 * justfiles, Dockerfiles, package.json scripts and shell scripts: cargo uses them instead
 * of every rustflags in `.cargo/config.toml` (facts §7.1). Each result says where the
 * value is and how a flag can be appended without breaking the file's quoting.
 */
import type { FilePath } from '../model';
import { basename } from '../text/paths';
import type { RustflagsAssignment } from './model';

const NAME = /(?<![$\w{.])(CARGO_ENCODED_RUSTFLAGS|RUSTFLAGS)(?![\w}])/g;

type Dialect = 'yaml' | 'make' | 'shell' | 'json' | 'docker';

function dialectOf(path: FilePath): Dialect {
  const name = basename(path);
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name === 'package.json') return 'json';
  if (name === 'Dockerfile') return 'docker';
  if (/^(GNUmakefile|[Mm]akefile|\.?[Jj]ustfile)$/.test(name) || name.endsWith('.mk')) return 'make';
  return 'shell';
}

export function findRustflagsAssignments(path: FilePath, text: string): RustflagsAssignment[] {
  const dialect = dialectOf(path);
  const out: RustflagsAssignment[] = [];
  NAME.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = NAME.exec(text))) {
    const variable = match[1] as RustflagsAssignment['variable'];
    const nameStart = match.index;
    const nameEnd = nameStart + variable.length;
    const lineStart = text.lastIndexOf('\n', nameStart - 1) + 1;
    const before = text.slice(lineStart, nameStart);
    if (/^\s*#/.test(before) || (dialect !== 'json' && /\/\/\s*$/.test(before))) continue;
    const operator = /^[ \t]*(:=|\?=|\+=|::=|=|:(?=[ \t]))|^=/.exec(text.slice(nameEnd, nameEnd + 8));
    if (!operator) continue;
    const op = operator[1] ?? '=';
    if (op === ':' && dialect !== 'yaml') continue;
    if (op === '+=') continue; // appends to RUSTFLAGS: still replaces config flags, but value is partial
    const valueStart = skipBlanks(text, nameEnd + operator[0].length);
    const lineEnd = lineEndOf(text, valueStart);
    // Whole-line values: YAML, make-style variables (not recipe lines) and Dockerfile ENV.
    const wholeLine =
      (dialect === 'yaml' && op === ':') ||
      (dialect === 'make' && !/^\t/.test(before) && /^\s*(export\s+)?$/.test(before)) ||
      (dialect === 'docker' && /^\s*ENV\s+$/.test(before) && op !== '=');
    const assignment = wholeLine ? lineValue(text, valueStart, lineEnd, dialect) : wordValue(text, valueStart, lineEnd, dialect);
    out.push({ file: path, variable, nameSpan: { start: nameStart, end: nameEnd }, ...assignment });
  }
  return out;
}

function skipBlanks(text: string, offset: number): number {
  while (text[offset] === ' ' || text[offset] === '\t') offset++;
  return offset;
}

function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return text[end - 1] === '\r' ? end - 1 : end;
}

type ValuePart = Pick<RustflagsAssignment, 'valueSpan' | 'value' | 'append'>;

/** A value running to the end of the line (YAML scalars, make variables), minus a trailing comment. */
function lineValue(text: string, start: number, lineEnd: number, dialect: Dialect): ValuePart {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, start + 1);
    if (close > 0 && close <= lineEnd && dialect !== 'make') {
      return {
        valueSpan: { start, end: close + 1 },
        value: text.slice(start + 1, close),
        append: { offset: close, separator: close === start + 1 ? '' : ' ' },
      };
    }
  }
  let end = lineEnd;
  const comment = /\s#/.exec(text.slice(start, lineEnd));
  if (comment) end = start + comment.index;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const raw = text.slice(start, end);
  if (dialect === 'make' && /^(["']).*\1$/.test(raw)) {
    // justfile strings keep their quotes in the value
    return { valueSpan: { start, end }, value: raw.slice(1, -1), append: { offset: end - 1, separator: raw.length > 2 ? ' ' : '' } };
  }
  return { valueSpan: { start, end }, value: raw, append: { offset: end, separator: raw.length > 0 ? ' ' : '' } };
}

/** A shell word: `"…"`, `'…'`, `\"…\"` inside a JSON string, or up to the next blank. */
function wordValue(text: string, start: number, lineEnd: number, dialect: Dialect): ValuePart {
  const escapedQuote = dialect === 'json' && text.startsWith('\\"', start);
  const quote = escapedQuote ? '\\"' : text[start] === '"' || text[start] === "'" ? text[start] : undefined;
  if (quote) {
    const close = text.indexOf(quote, start + quote.length);
    if (close > 0 && close <= lineEnd) {
      const inner = text.slice(start + quote.length, close);
      return {
        valueSpan: { start, end: close + quote.length },
        value: inner,
        append: { offset: close, separator: inner.length > 0 ? ' ' : '' },
      };
    }
  }
  let end = start;
  const stop = dialect === 'json' ? /[\s"&;|]/ : /[\s&;|)]/;
  while (end < lineEnd && !stop.test(text[end]!)) end++;
  const raw = text.slice(start, end);
  const wrap = dialect === 'json' ? "'" : '"';
  return { valueSpan: { start, end }, value: raw, append: { wrap } };
}
