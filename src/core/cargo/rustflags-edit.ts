/** Edits that add `-C target-feature=+simd128` to a rustflags value, keeping its form and quoting. */
import type { TextEdit } from '../model';
import { quoteOf, type TomlEntry } from './toml-document';

export const SIMD_FLAGS = ['-C', 'target-feature=+simd128'] as const;
export const SIMD_ARRAY = `[${SIMD_FLAGS.map((f) => JSON.stringify(f)).join(', ')}]`;

/** Extends an existing `rustflags = [...]` or `rustflags = "..."`; undefined for other value kinds. */
export function appendSimdFlags(entry: TomlEntry): TextEdit | undefined {
  const node = entry.node;
  if (node.type === 'TOMLArray') {
    const last = node.elements[node.elements.length - 1];
    if (!last) return { start: node.range[0] + 1, end: node.range[0] + 1, newText: SIMD_FLAGS.map((f) => JSON.stringify(f)).join(', ') };
    const quote = last.type === 'TOMLValue' && last.kind === 'string' && last.style === 'literal' ? "'" : '"';
    return { start: last.range[1], end: last.range[1], newText: SIMD_FLAGS.map((f) => `, ${quote}${f}${quote}`).join('') };
  }
  if (node.type === 'TOMLValue' && node.kind === 'string') {
    const close = node.range[1] - quoteOf(node).length;
    const separator = node.value.length === 0 || /\s$/.test(node.value) ? '' : ' ';
    return { start: close, end: close, newText: `${separator}${SIMD_FLAGS.join(' ')}` };
  }
  return undefined;
}
