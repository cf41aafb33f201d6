/**
 * Turning source text into what a terminal shows: how many columns each character takes,
 * and which characters must not reach the terminal raw (control characters, bidi overrides).
 */

/** Columns a tab advances in a rendered source line (rustc renders tabs as four spaces). */
export const TAB_WIDTH = 4;

// Zero-width: combining marks, zero-width joiners/spaces, variation selectors.
const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a],
  [0x0e47, 0x0e4e],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xe0100, 0xe01ef],
];

// East Asian Wide/Fullwidth blocks and the emoji planes most terminals draw two columns wide.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function inRanges(codePoint: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
}

/** Terminal columns one code point occupies once made printable (tabs excluded). */
export function codePointWidth(codePoint: number): number {
  if (inRanges(codePoint, ZERO_WIDTH)) return 0;
  return inRanges(codePoint, WIDE) ? 2 : 1;
}

// Bidirectional overrides and isolates can make a terminal show text in another order than it is read.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** The printable stand-in for one code point (a control picture for C0 controls and DEL), or itself. */
export function printableCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (BIDI_CONTROLS.test(char)) return '\ufffd';
  return char;
}

/** `text` with every control character replaced by a visible stand-in, safe to print on a terminal. */
export function printable(text: string): string {
  let out = '';
  for (const char of text) out += printableCodePoint(char);
  return out;
}

export interface RenderedLine {
  /** The line as it should be printed: tabs expanded, controls made visible. */
  readonly text: string;
  /** Column (0-based, in terminal cells) where the underline starts. */
  readonly underlineStart: number;
  /** Width of the underline in terminal cells; at least 1. */
  readonly underlineWidth: number;
}

const MAX_SHOWN_COLUMNS = 160;
const CONTEXT_BEFORE = 40;

/**
 * Renders one source line and where to underline `[start, end)` (UTF-16 offsets into the
 * line). Very long lines (minified code) are cut to a window around the underline.
 */
export function renderLine(line: string, start: number, end: number): RenderedLine {
  const cells: { shown: string; width: number; offset: number }[] = [];
  let offset = 0;
  for (const char of line) {
    const shown = char === '\t' ? ' '.repeat(TAB_WIDTH) : printableCodePoint(char);
    const width = char === '\t' ? TAB_WIDTH : codePointWidth(shown.codePointAt(0)!);
    cells.push({ shown, width, offset });
    offset += char.length;
  }
  let column = 0;
  let underlineStart = -1;
  let underlineEnd = -1;
  for (const cell of cells) {
    if (underlineStart < 0 && cell.offset >= start) underlineStart = column;
    if (underlineEnd < 0 && cell.offset >= end && cell.offset > start) underlineEnd = column;
    column += cell.width;
  }
  if (underlineStart < 0) underlineStart = column;
  if (underlineEnd < 0) underlineEnd = column;
  const text = cells.map((c) => c.shown).join('');
  const underlineWidth = Math.max(1, underlineEnd - underlineStart);
  if (column <= MAX_SHOWN_COLUMNS) return { text, underlineStart, underlineWidth };
  return windowed(cells, underlineStart, underlineWidth);
}

function windowed(cells: readonly { shown: string; width: number }[], underlineStart: number, underlineWidth: number): RenderedLine {
  const from = Math.max(0, underlineStart - CONTEXT_BEFORE);
  const to = from + MAX_SHOWN_COLUMNS;
  let column = 0;
  let text = from > 0 ? '…' : '';
  let cut = false;
  for (const cell of cells) {
    if (column >= from && column + cell.width <= to) text += cell.shown;
    else if (column + cell.width > to) cut = true;
    column += cell.width;
  }
  if (cut) text += '…';
  const shift = from > 0 ? from - 1 : 0;
  const width = Math.min(underlineWidth, to - underlineStart + (cut ? 1 : 0));
  return { text, underlineStart: underlineStart - shift, underlineWidth: Math.max(1, width) };
}
