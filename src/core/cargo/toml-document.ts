/**
 * A parsed TOML file that answers the two questions the cargo rules ask: "what is the
 * value of key path X, and where is it written?" and "where would key Y go in table Z?".
 * Key paths are the resolved ones, so `[profile.release] opt-level`, a dotted
 * `profile.release.opt-level`, an inline `release = { opt-level = … }` and quoted
 * `"opt-level"` all answer to `['profile', 'release', 'opt-level']`.
 */
import { getStaticTOMLValue, parseTOML, type AST } from 'toml-eslint-parser';
import type { Span, TextEdit } from '../model';

export type TomlValue = string | number | boolean | Date | TomlValue[] | { [key: string]: TomlValue };

export interface TomlEntry {
  readonly path: readonly string[];
  /** The whole key as written (`profile.release.opt-level` for a dotted key). */
  readonly keySpan: Span;
  /** The value as written, quotes and brackets included. */
  readonly valueSpan: Span;
  readonly node: AST.TOMLContentNode;
  /** Number of leading path segments that come from the enclosing table (header or inline table). */
  readonly baseLength: number;
  /** Span of each dotted part of the key. */
  readonly keyParts: readonly Span[];
}

export type TableKind = 'header' | 'array-header' | 'inline' | 'dotted';

export interface TomlTable {
  readonly path: readonly string[];
  readonly kind: TableKind;
  /** The `[a.b]` header, the inline table's braces, or the first dotted key that created it. */
  readonly span: Span;
  /** Entries written directly in this table's body (for `dotted`: the entries whose key runs through it). */
  readonly entries: readonly TomlEntry[];
}

export type TomlParse = { readonly ok: true; readonly document: TomlDocument } | { readonly ok: false; readonly error: TomlSyntaxError };

export interface TomlSyntaxError {
  readonly message: string;
  readonly offset: number;
}

type TableRecord = TomlTable & { entries: TomlEntry[] };

/**
 * One key path in the document's index. Lookups walk the path segment by segment, so the
 * hot `get`/`table`/`childKeys` calls of the cargo loader build no strings.
 */
interface IndexNode {
  entry: TomlEntry | undefined;
  table: TableRecord | undefined;
  /** Child segments in order of first appearance. */
  readonly children: Map<string, IndexNode>;
  childNames: readonly string[] | undefined;
}

/** Every node has all fields from the start, so lookups see one object shape. */
function indexNode(): IndexNode {
  return { entry: undefined, table: undefined, children: new Map(), childNames: undefined };
}

export function parseTomlDocument(text: string): TomlParse {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text);
  } catch (error) {
    const offset = typeof (error as { index?: unknown }).index === 'number' ? (error as { index: number }).index : 0;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { message, offset: Math.max(0, Math.min(offset, text.length)) } };
  }
  return { ok: true, document: new TomlDocument(text, program) };
}

export class TomlDocument {
  private readonly index: IndexNode = indexNode();
  /** Every entry and table, in the order they were written. */
  private readonly allEntries: TomlEntry[] = [];
  private readonly allTables: TableRecord[] = [];
  readonly eol: string;

  constructor(
    readonly text: string,
    readonly program: AST.TOMLProgram,
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    const top = program.body[0];
    for (const item of top.body) {
      if (item.type === 'TOMLKeyValue') this.addEntry(item, []);
      else this.addHeaderTable(item);
    }
  }

  /** The entry whose resolved key path is `path` (values that are inline tables included). */
  get(path: readonly string[]): TomlEntry | undefined {
    return this.nodeAt(path)?.entry;
  }

  /** The plain value at `path`, whether written as a value or as a table. */
  value(path: readonly string[]): TomlValue | undefined {
    const entry = this.get(path);
    if (entry) return getStaticTOMLValue(entry.node);
    if (!this.table(path)) return undefined;
    const out: { [key: string]: TomlValue } = {};
    for (const child of this.childKeys(path)) {
      const value = this.value([...path, child]);
      if (value !== undefined) out[child] = value;
    }
    return out;
  }

  table(path: readonly string[]): TomlTable | undefined {
    return this.nodeAt(path)?.table;
  }

  /**
   * Where `path` is written: its table header, its key, or else the first table or key
   * below it (`[target.wasm32-wasip1.dependencies]` is where `target.wasm32-wasip1` is).
   */
  spanOf(path: readonly string[]): Span | undefined {
    const direct = this.table(path)?.span ?? this.get(path)?.keySpan;
    if (direct) return direct;
    let first: Span | undefined;
    for (const table of this.allTables) {
      if (isBelow(table.path, path) && this.nodeAt(table.path)?.table === table && (!first || table.span.start < first.start))
        first = table.span;
    }
    for (const entry of this.allEntries) {
      if (isBelow(entry.path, path) && this.isCurrent(entry) && (!first || entry.keySpan.start < first.start)) first = entry.keySpan;
    }
    return first;
  }

  /** Names of keys and sub-tables directly under `path`, in order of first appearance. */
  childKeys(path: readonly string[]): readonly string[] {
    const node = this.nodeAt(path);
    if (!node) return [];
    // The index is complete once constructed, so the list can be shared.
    return (node.childNames ??= Object.freeze([...node.children.keys()]));
  }

  /** Every entry at or below `path`. */
  entriesUnder(path: readonly string[]): TomlEntry[] {
    return this.allEntries.filter((entry) => startsWith(entry.path, path) && this.isCurrent(entry));
  }

  /**
   * An edit that adds `key = valueText` to the table at `tablePath`, written the way the
   * table already is (header, inline or dotted keys), or a new `[table]` at the end of the
   * file. Undefined when the table cannot take a key (a parent is a value or an inline table
   * that does not contain it, or the key exists already).
   */
  insertKey(tablePath: readonly string[], key: string, valueText: string): TextEdit | undefined {
    if (this.get([...tablePath, key]) || this.table([...tablePath, key])) return undefined;
    const table = this.table(tablePath);
    if (table && table.kind !== 'dotted') {
      if (table.kind === 'inline') return this.insertIntoInline(table, key, valueText);
      const last = table.entries[table.entries.length - 1];
      const anchor = last ? this.lineEndAfter(last.valueSpan.end) : this.lineEndAfter(table.span.end);
      const indent = last ? this.indentOf(last.keySpan.start) : '';
      return { start: anchor, end: anchor, newText: `${this.eol}${indent}${formatKey(key)} = ${valueText}` };
    }
    for (let n = 1; n < tablePath.length; n++) {
      const parent = tablePath.slice(0, n);
      if (this.get(parent)) return undefined; // a value (or inline table) already owns this path
    }
    if (table) {
      // A table made only by dotted keys: add one more dotted key after its last one.
      const last = table.entries[table.entries.length - 1]!;
      const partIndex = last.baseLength === 0 ? tablePath.length : tablePath.length - last.baseLength;
      const firstPart = last.keyParts[0]!;
      const partAfter = last.keyParts[partIndex];
      if (!partAfter) return undefined;
      const prefix = this.text.slice(firstPart.start, partAfter.start);
      const anchor = this.lineEndAfter(last.valueSpan.end);
      return {
        start: anchor,
        end: anchor,
        newText: `${this.eol}${this.indentOf(last.keySpan.start)}${prefix}${formatKey(key)} = ${valueText}`,
      };
    }
    const end = this.text.length;
    const lead = end === 0 ? '' : this.text.endsWith('\n') ? this.eol : this.eol + this.eol;
    return {
      start: end,
      end,
      newText: `${lead}[${tablePath.map(formatKey).join('.')}]${this.eol}${formatKey(key)} = ${valueText}${this.eol}`,
    };
  }

  /** Offset of the end of the line containing `offset` (before its line break; after any comment). */
  lineEndAfter(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    if (newline < 0) return this.text.length;
    return newline > 0 && this.text[newline - 1] === '\r' ? newline - 1 : newline;
  }

  /** Offset where the line containing `offset` starts. */
  lineStartBefore(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private indentOf(offset: number): string {
    const lineStart = this.lineStartBefore(offset);
    return /^[ \t]*/.exec(this.text.slice(lineStart, offset))![0];
  }

  private insertIntoInline(table: TomlTable, key: string, valueText: string): TextEdit {
    const last = table.entries[table.entries.length - 1];
    if (last) return { start: last.valueSpan.end, end: last.valueSpan.end, newText: `, ${formatKey(key)} = ${valueText}` };
    const open = table.span.start + 1;
    return { start: open, end: open, newText: ` ${formatKey(key)} = ${valueText} ` };
  }

  private nodeAt(path: readonly string[]): IndexNode | undefined {
    let node: IndexNode | undefined = this.index;
    for (let i = 0; i < path.length && node; i++) node = node.children.get(path[i]!);
    return node;
  }

  /** False for an entry a later duplicate of its key replaced. */
  private isCurrent(entry: TomlEntry): boolean {
    return this.nodeAt(entry.path)?.entry === entry;
  }

  /** The index node of `path`, created with its parents in order of first appearance. */
  private addNode(path: readonly string[]): IndexNode {
    let node = this.index;
    for (const part of path) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = indexNode()));
      node = child;
    }
    return node;
  }

  private setTable(path: readonly string[], record: TableRecord): void {
    this.addNode(path).table = record;
    this.allTables.push(record);
  }

  private addHeaderTable(table: AST.TOMLTable): void {
    const path = table.resolvedKey.map(String);
    const header = { start: table.range[0], end: this.headerEnd(table) };
    const record = {
      path,
      kind: table.kind === 'array' ? ('array-header' as const) : ('header' as const),
      span: header,
      entries: [] as TomlEntry[],
    };
    this.setTable(path, record);
    for (const item of table.body) record.entries.push(this.addEntry(item, path));
  }

  private headerEnd(table: AST.TOMLTable): number {
    const close = this.text.indexOf(']', table.key.range[1]);
    if (close < 0) return table.key.range[1];
    return table.kind === 'array' && this.text[close + 1] === ']' ? close + 2 : close + 1;
  }

  private addEntry(item: AST.TOMLKeyValue, base: readonly string[]): TomlEntry {
    const parts = item.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    const path = [...base, ...parts];
    const entry: TomlEntry = {
      path,
      keySpan: { start: item.key.range[0], end: item.key.range[1] },
      valueSpan: { start: item.value.range[0], end: item.value.range[1] },
      node: item.value,
      baseLength: base.length,
      keyParts: item.key.keys.map((k) => ({ start: k.range[0], end: k.range[1] })),
    };
    this.addNode(path).entry = entry;
    this.allEntries.push(entry);
    // Dotted keys create implicit tables for each prefix beyond the base.
    for (let n = base.length + 1; n < path.length; n++) {
      const tablePath = path.slice(0, n);
      let record = this.nodeAt(tablePath)!.table;
      if (!record) {
        record = { path: tablePath, kind: 'dotted', span: entry.keySpan, entries: [] };
        this.setTable(tablePath, record);
      }
      if (record.kind === 'dotted') record.entries.push(entry);
    }
    if (item.value.type === 'TOMLInlineTable') {
      const record = { path, kind: 'inline' as const, span: entry.valueSpan, entries: [] as TomlEntry[] };
      this.setTable(path, record);
      for (const inner of item.value.body) record.entries.push(this.addEntry(inner, path));
    }
    return entry;
  }
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Strictly below `prefix`. */
function isBelow(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length > prefix.length && startsWith(path, prefix);
}

/** A key as TOML needs it written: bare when possible, otherwise a basic string. */
export function formatKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** The string node's quote delimiter as written (`"`, `'`, `"""` or `'''`). */
export function quoteOf(node: AST.TOMLStringValue): string {
  const single = node.style === 'literal' ? "'" : '"';
  return node.multiline ? single.repeat(3) : single;
}

/** `text` as a string literal in the same style as `like` when that is safe, else a basic string. */
export function stringLiteral(text: string, like?: AST.TOMLContentNode): string {
  if (like?.type === 'TOMLValue' && like.kind === 'string' && like.style === 'literal' && !like.multiline && !/['\n\r]/.test(text)) {
    return `'${text}'`;
  }
  return JSON.stringify(text);
}

export function isString(node: AST.TOMLContentNode): node is AST.TOMLStringValue {
  return node.type === 'TOMLValue' && node.kind === 'string';
}
